"""``python -m bot``: the ``vardag`` command line."""

from bot.cli.main import main

main()
