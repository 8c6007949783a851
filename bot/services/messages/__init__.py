"""Messages between co-workers and staff: who hears, relaying, waiting messages."""
