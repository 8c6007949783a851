"""The outbox: every message the bot owes, queued once and sent at Telegram's pace."""
