"""Pure rules and values, no I/O: the clock, local time, recurrence, placement, how long
a task has waited, and the value types the views show (a group's overview)."""
