"""The Telegram edge: callback data, answering presses, conversation state, rendered messages."""
