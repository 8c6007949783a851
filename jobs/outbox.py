"""The sender's heartbeat: send what is due in the outbox (new rows and retries)."""

from __future__ import annotations

from jobs.common import Context, sender_of

# One run sends until nothing is due, for at most this long (so a shutdown waits at most
# that); a run that finds the sender still busy with the previous one returns at once.
RUN_SECONDS = 10.0


async def drain_outbox(context: Context) -> None:
    sender = sender_of(context)
    if not sender.busy:
        await sender.drain(budget_seconds=RUN_SECONDS)
