"""The demo: the sandbox, the bot on SQLite with a movable clock, a seeded group and a web page
of phones (``vardag demo``)."""
