"""The cost of a button press: Vardag's "Done" against a bare python-telegram-bot echo
bot, and how long a press waits in the middle of a morning burst.

    .venv/bin/python benchmarks/button_press.py --presses 300 --rate 15 --rounds 3 --burst 0

First table: the bot's own CPU per press. Presses come at a steady ``--rate`` a second
(open loop: one co-worker after another, whether or not the last was answered), below
what either bot can take, so a press is measured, not a queue of them; ``--rate 0``
makes them all at once (the saturated queue: then most presses are answered by the
2-second fallback clock, bot/telegram/answering.py, which is extra work). How many presses that
clock answered is printed. Each bot runs in a process of its own
(``--serve``), the sandbox Bot API server in this one (its limits off: the bots' work is
measured, not Telegram's limits), and the CPU is the bot process's (``/proc/<pid>/stat``:
every thread, SQLite's too). Vardag's "Done" answers the press, edits the task's card and
edits the morning list (the plan has the list's message id); the echo bot answers and
edits the pressed message. Rounds alternate who goes first (A B, B A, ...); medians with
min-max. ``--compare DIR`` adds Vardag from another checkout to the same rounds (an A/B
of two versions, in the same conditions). Second table: p50/p95 of a press made while
morning lists go out.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time as wallclock
from collections.abc import Callable
from datetime import time
from pathlib import Path

from press_bench.bots import (
    ECHO_AIOHTTP,
    ECHO_LIMITER,
    FIRST_ID,
    START,
    TOKEN,
    Seeded,
    seed,
    serve,
    settings_for,
)
from press_bench.report import print_tables

from bot.rules.clock import MovableClock
from bot.rules.localtime import local_moment
from bot.runtime.app import VardagApp, build_application
from bot.runtime.runner import open_runtime, polling
from bot.sandbox.limits import LimitConfig
from bot.sandbox.models import Message
from bot.sandbox.server import SandboxServer
from bot.sandbox.state import SandboxState

TICKS = os.sysconf("SC_CLK_TCK")
SETTLE_SECONDS = 0.3  # after the last edit: the update is marked done
CALLGRIND = ["valgrind", "--tool=callgrind"]
CALLGRIND_SETTLE_SECONDS = 3.0  # the same, about 40 times slower


def press(sandbox: SandboxServer, n: int, data: str) -> tuple[str, Message]:
    """Co-worker n presses a button with ``data`` on a bot message in their chat."""
    user = FIRST_ID + n
    message = sandbox.state.add_message(user, from_bot=True, kind="text", text="Din uppgift")
    query, _ = sandbox.state.press(user, message, data)
    return query.id, message


async def answered(sandbox: SandboxServer, query_ids: list[str]) -> None:
    while not all(sandbox.state.callbacks[q].answered for q in query_ids):  # noqa: ASYNC110
        await asyncio.sleep(0.005)


# --- the bot processes ---------------------------------------------------------------------


class BotProcess:
    """One bot in a process of its own, on a sandbox of its own (a token is polled by one).
    ``tree``: Vardag from another checkout (``--compare``), seeded by this one's code."""

    def __init__(
        self, which: str, folder: Path, tree: Path | None = None, instructions: bool = False
    ) -> None:
        self.which, self.tree, self.instructions = which, tree, instructions
        self.database = folder / f"{which}{'-compared' if tree else ''}.sqlite"
        self.counts = folder / f"{which}{'-compared' if tree else ''}.callgrind"
        self.dumps = 0
        self.sandbox = SandboxServer(SandboxState(token=TOKEN), limits=LimitConfig(enabled=False))
        self.process: asyncio.subprocess.Process | None = None
        self.count = self.rounds = 0
        self.rate = 0.0  # presses a second; 0: all at once
        self.late = 0  # presses answered by the fallback clock, not the door
        self.idle = 0.0  # CPU ms a second, polling with nothing to do
        self.threads: list[float] = []  # the share of the CPU outside the main thread
        self.tasks: list[list[int]] = []
        self.lists: list[Message] = []  # Vardag's morning lists, edited on every Done

    async def start(self) -> None:
        url = await self.sandbox.start()
        if self.which == "vardag":
            self.tasks, self.lists = await self._seed(url)
        else:
            for n in range(self.count):
                self.sandbox.state.add_user(FIRST_ID + n, f"Person {n}", started=True)
        script, env = __file__, None
        if self.tree is not None:  # its own code first on the path, not this checkout's
            script = str(self.tree / "benchmarks" / "button_press.py")
            env = os.environ | {"PYTHONPATH": str(self.tree)}
        counting = [*CALLGRIND, f"--callgrind-out-file={self.counts}"] if self.instructions else []
        self.process = await asyncio.create_subprocess_exec(
            *counting, sys.executable, script, "--serve", self.which, url, str(self.database),
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, env=env,
        )  # fmt: skip
        assert self.process.stdout is not None
        line = await self.process.stdout.readline()
        if line.strip() != b"ready":
            raise RuntimeError(f"{self.which} did not start")
        if not self.instructions:  # (a count does not need an idle machine)
            self.idle = await self.quiet()

    async def quiet(self) -> float:
        """Wait (a minute at most) until the bot idles: under 50 ms of CPU a second, as
        a bot polling with nothing to do; that CPU per second."""
        for _ in range(60):
            before = self.cpu_seconds()
            await asyncio.sleep(1.0)
            used = self.cpu_seconds() - before
            if used < 0.05:
                break
        return used * 1000

    async def _seed(self, url: str) -> Seeded:
        async with open_runtime(settings_for(url, self.database), MovableClock(START)) as rt:
            return await seed(rt.services, self.sandbox, self.count, self.rounds, sent=True)

    def cpu_seconds(self, thread: str = "") -> float:
        """User and system CPU of the bot process so far (fields 14 and 15), or of one
        of its threads (``task/<tid>/``)."""
        assert self.process is not None
        stat = Path(f"/proc/{self.process.pid}/{thread}stat").read_text()
        fields = stat.rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICKS

    async def _callgrind(self, *command: str) -> None:
        assert self.process is not None
        control = await asyncio.create_subprocess_exec(
            "callgrind_control", *command, str(self.process.pid), stdout=asyncio.subprocess.DEVNULL
        )
        if await control.wait() != 0:
            raise RuntimeError(f"callgrind_control {command} failed")

    async def instructions_since_zeroed(self) -> int:
        """The instructions the bot process ran (every thread) since its counters were
        zeroed: callgrind dumps them (``<file>.<n>``), its ``totals:`` line."""
        await self._callgrind("--dump")
        self.dumps += 1
        dump = Path(f"{self.counts}.{self.dumps}")
        for line in (await asyncio.to_thread(dump.read_text)).splitlines():
            if line.startswith("totals:"):
                return int(line.split()[1])
        raise RuntimeError(f"no totals in {dump}")

    def main_thread_seconds(self) -> float:
        assert self.process is not None
        return self.cpu_seconds(f"task/{self.process.pid}/")

    async def stop(self) -> None:
        if self.process is not None and self.process.stdin is not None:
            self.process.stdin.close()
            assert self.process.stdout is not None
            for line in (await self.process.stdout.read()).decode().split("\n"):
                if line.startswith("late "):
                    self.late = int(line.split()[1])
            await self.process.wait()
        await self.sandbox.stop()

    async def round(self, number: int) -> float:
        """CPU ms per press for ``count`` presses, ``rate`` a second (0: at once)."""
        data: Callable[[int], str] = (
            (lambda n: f"d:{self.tasks[n][number]}")
            if self.which == "vardag"
            else (lambda n: f"echo:{n}")
        )
        if self.instructions:
            await self._callgrind("--zero")
        before, main_before = self.cpu_seconds(), self.main_thread_seconds()
        pressed = []
        begun = wallclock.perf_counter()
        for n in range(self.count):
            if self.rate > 0:
                await asyncio.sleep(max(0.0, begun + n / self.rate - wallclock.perf_counter()))
            pressed.append(press(self.sandbox, n, data(n)))
        await answered(self.sandbox, [query for query, _ in pressed])
        while not all(card.edited for _, card in pressed) or not all(  # noqa: ASYNC110
            listed.edited > number for listed in self.lists
        ):
            await asyncio.sleep(0.005)
        await asyncio.sleep(CALLGRIND_SETTLE_SECONDS if self.instructions else SETTLE_SECONDS)
        used = self.cpu_seconds() - before
        self.threads.append(1 - (self.main_thread_seconds() - main_before) / used)
        if self.instructions:  # thousands of instructions per press
            return await self.instructions_since_zeroed() / 1000 / self.count
        return used * 1000 / self.count


async def press_cost(
    presses: int,
    rounds: int,
    rate: float,
    folder: Path,
    compare: Path | None = None,
    instructions: bool = False,
) -> tuple[dict[str, list[float]], dict[str, float]]:
    bots = {name: BotProcess(name, folder, None, instructions) for name in ("vardag", "echo")}
    if compare is not None:
        bots["compared"] = BotProcess("vardag", folder, compare, instructions)
    for bot in bots.values():
        bot.count, bot.rounds, bot.rate = presses, rounds, rate
    try:
        for bot in bots.values():
            await bot.start()
        costs: dict[str, list[float]] = {name: [] for name in bots}
        names = list(bots)
        for number in range(rounds):  # each round in another order: each goes first in turn
            shift = number % len(names)
            order = names[shift:] + names[:shift]
            for name in order if number % 2 == 0 else reversed(order):
                costs[name].append(await bots[name].round(number))
    finally:
        for bot in bots.values():
            await bot.stop()
    for name, bot in bots.items():
        costs[f"{name} threads"] = bot.threads
    idle: dict[str, float] = {name: bot.idle for name, bot in bots.items()}
    idle["late"] = bots["vardag"].late
    return costs, idle


async def during_burst(burst: int, presses: int, folder: Path) -> tuple[list[float], float]:
    """Latencies (s) of presses made while ``burst`` morning lists are being sent."""
    sandbox = SandboxServer(SandboxState(token=TOKEN))
    url = await sandbox.start()
    clock = MovableClock(START)
    try:
        async with open_runtime(settings_for(url, folder / "burst.sqlite"), clock) as rt:
            services = rt.services
            tasks, _ = await seed(services, sandbox, burst, 1, sent=False)
            application: VardagApp = build_application(services, TOKEN)
            async with polling(application, poll_timeout=1):
                clock.set(local_moment(services.today(), time(8, 0, 1), services.zone))
                while sandbox.state.counters.calls["sendMessage"] < 50:  # noqa: ASYNC110
                    await asyncio.sleep(0.05)
                started = sandbox.state.counters.calls["sendMessage"]
                latencies = []
                for n in range(presses):  # one co-worker after another presses Done
                    begun = wallclock.perf_counter()
                    query, _ = press(sandbox, n, f"d:{tasks[n][0]}")
                    await answered(sandbox, [query])
                    latencies.append(wallclock.perf_counter() - begun)
                    await asyncio.sleep(0.1)
                during = sandbox.state.counters.calls["sendMessage"] - started
    finally:
        await sandbox.stop()
    return latencies, float(during)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--presses", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--rate", type=float, default=15.0, help="presses a second; 0: all at once (saturated)"
    )
    parser.add_argument("--burst", type=int, default=1000, help="0: no burst table")
    parser.add_argument("--burst-presses", type=int, default=40)
    parser.add_argument("--serve", nargs=3, metavar=("BOT", "URL", "DATABASE"))
    parser.add_argument(
        "--echo-limiter", action="store_true", help="the echo bot with Vardag's rate limiter"
    )
    parser.add_argument(
        "--compare",
        type=Path,
        metavar="DIR",
        help="also Vardag from another checkout (e.g. a git worktree of an earlier commit), "
        "in the same interleaved rounds: an A/B of two versions",
    )
    parser.add_argument(
        "--echo-aiohttp",
        action="store_true",
        help="the echo bot over Vardag's aiohttp transport (bot/telegram/transport.py)",
    )
    parser.add_argument(
        "--instructions",
        action="store_true",
        help="count each bot process's instructions (every thread, user space) with "
        "valgrind's callgrind instead of its CPU time: the same count for the same work, "
        "however busy the machine; about 40 times slower (e.g. --presses 60 --rate 1)",
    )
    args = parser.parse_args()
    if args.echo_limiter:
        os.environ[ECHO_LIMITER] = "1"  # for the echo bot's process
    if args.echo_aiohttp:
        os.environ[ECHO_AIOHTTP] = "1"
    if args.serve:
        which, url, database = args.serve
        asyncio.run(serve(which, url, Path(database)))
        return
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        costs_and_idle = asyncio.run(
            press_cost(
                args.presses, args.rounds, args.rate, folder, args.compare, args.instructions
            )
        )
        burst = None
        if args.burst:
            burst = asyncio.run(during_burst(args.burst, args.burst_presses, folder))
    print_tables(args, costs_and_idle, burst)


if __name__ == "__main__":
    main()
