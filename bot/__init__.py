"""Vardag: services, views, configuration, the command line and the wiring."""

import os

# Opt in now to python-telegram-bot's coming behaviour: durations (retry_after) as
# timedelta. Read by PTB at each use, so setting it here, first, is enough.
os.environ.setdefault("PTB_TIMEDELTA", "true")
