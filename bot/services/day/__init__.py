"""A co-worker's day: the morning list, tasks, check-ins, reminders, help, the end of the day."""
