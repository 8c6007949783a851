"""The sandbox in a process of its own: ``python -m bot.sandbox --token T [--port P]
[--no-limits] [--delay SECONDS]``. Prints its base URL on one line, then serves until
stopped (SIGTERM or SIGINT). Benchmarks run it so that the bot's CPU and memory are the
bot's own."""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys

from bot.sandbox.bulk_api import BulkApi
from bot.sandbox.limits import FaultConfig, LimitConfig
from bot.sandbox.server import DEFAULT_TOKEN, SandboxServer
from bot.sandbox.state import SandboxState


async def serve(token: str, port: int, limits: bool, delay: float) -> None:
    server = SandboxServer(
        SandboxState(token=token),
        limits=LimitConfig(enabled=limits),
        faults=FaultConfig(delay_seconds=delay),
    )
    server.add_routes(BulkApi(server).routes())
    url = await server.start(port=port)
    sys.stdout.write(url + "\n")
    sys.stdout.flush()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    try:
        await stop.wait()
    finally:
        await server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--token", default=DEFAULT_TOKEN)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--no-limits", action="store_true", help="Telegram's limits off")
    parser.add_argument("--delay", type=float, default=0.0, help="each send answered this late")
    args = parser.parse_args()
    asyncio.run(serve(args.token, args.port, not args.no_limits, args.delay))


if __name__ == "__main__":
    main()
