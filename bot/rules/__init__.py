"""Pure rules and values, no I/O: the clock, local time, working days, recurrence,
placement, how long a task has waited, the duty rota, and the value types the views show
(what a service returns for a view to render)."""
