"""Pure rules and values, no I/O: the clock, local time, recurrence, placement."""
