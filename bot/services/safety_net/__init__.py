"""The safety net for lists owed to co-workers: the first list of someone who joins,
and lists that wait for approval (docs/safety-net.md)."""
