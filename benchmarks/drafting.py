"""Drafting, queueing and reminding: N co-workers' plans drafted
(``drafting_everyone.draft_all``), their morning lists queued (``morning.enqueue_due_lists``)
and, at the time of a timed task each of them has, its reminder made and queued
(``reminders.tick``), each timed alone (no sandbox, no sending), against the time it takes
to send those messages at Telegram's 30 a second (two per co-worker in the morning: the
list and the check-in; one reminder each).

    .venv/bin/python benchmarks/drafting.py --coworkers 300 3000 10000
    .venv/bin/python benchmarks/drafting.py --database-url postgresql+asyncpg://…/db
    git worktree add /tmp/draft-base <base commit>
    .venv/bin/python benchmarks/drafting.py --base /tmp/draft-base --base-max 3000

Each co-worker has a recurring weekday task (done yesterday), a task added to today's
plan by hand at 10:00 (the one reminded), and every third one an unfinished task on
yesterday's sent plan, which carries over ("från igår"). Every measurement runs in a
process of its own on a fresh database (a schema of its own on PostgreSQL). With
``--base`` the same measurement runs on the code in that tree (the code before the
change) too, old and new taking turns in every round. Each run also checks its result:
every co-worker drafted, every list, check-in and reminder queued once, and a second run
drafting and queueing nothing.

Prints a table each for drafting, queueing and reminding: wall and CPU time, medians over the
rounds (min–max), statements per co-worker, the share of the send time (2N/30 s), and
the longest the event loop was held at once (how late a 1 ms timer came: what a button
press made meanwhile would have waited at worst; on SQLite this is the Python work, as
SQLite itself runs in aiosqlite's thread), and the longest a one-row write took meanwhile
(one every 50 ms, in a transaction of its own: what a press's first write waits for,
SQLite's write lock included; its statements are not counted).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time as wallclock
import uuid
from collections.abc import Awaitable
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import event, func, insert, select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

from bot.config import load_settings

# The code measured is whichever tree PYTHONPATH names (see run_once).
from bot.rules.clock import MovableClock
from bot.rules.localtime import local_moment
from bot.rules.recurrence import Preset, build_rule
from bot.runtime.runner import open_runtime
from bot.services.day import morning, reminders
from bot.services.planning import drafting_everyone
from storage.models import (
    DayPlan,
    OutboxMessage,
    Person,
    PlannedTask,
    PlanStatus,
    Recurrence,
    Role,
    TaskStatus,
    TaskTemplate,
)

HERE = Path(__file__).resolve().parent.parent
RATE = 30  # messages a second, Telegram's limit for one bot
MESSAGES_PER_COWORKER = 2  # the list and the check-in
REMINDED_AT = time(10, 0)  # the time of the task added to today's plan
CARRY_EVERY = 3  # every third co-worker has an unfinished task from yesterday
PARTS = (("draft", "Drafting"), ("queue", "Queueing"), ("remind", "Reminding"))
# The messages each part's work is measured against: the morning's two, or the reminder.
MESSAGES = {"draft": MESSAGES_PER_COWORKER, "queue": MESSAGES_PER_COWORKER, "remind": 1}
START = datetime(2026, 11, 24, 4, 0, tzinfo=UTC)  # a Tuesday, 05:00 in Stockholm
FIRST_ID = 10_000


async def seed(session: AsyncSession, count: int, today: date, now: datetime) -> None:
    yesterday = today - timedelta(days=1)
    titles = ("Torka borden", "Vattna blommorna", "Sortera posten")
    templates = [TaskTemplate(title=t, created_at=now) for t in titles]
    session.add_all(templates)
    await session.flush()
    recurring, added, carried = (t.id for t in templates)
    people = [
        {
            "display_name": f"Person {n}",
            "role": Role.COWORKER,
            "telegram_user_id": FIRST_ID + n,
            "created_at": now,
        }
        for n in range(count)
    ]
    ids = list(await session.scalars(insert(Person).returning(Person.id), people))
    rule = build_rule(Preset.WEEKDAYS)
    await session.execute(
        insert(Recurrence),
        [
            {
                "template_id": recurring,
                "coworker_id": i,
                "rrule": rule,
                "starts_on": yesterday - timedelta(days=7),
                "active": True,
            }
            for i in ids
        ],
    )

    async def plans(day: date, status: PlanStatus) -> list[int]:
        at = datetime.combine(day, time(7, 0), UTC)
        rows = [
            {
                "coworker_id": i,
                "day": day,
                "status": status,
                "deliver_at": at,
                "sent_at": at if status is PlanStatus.SENT else None,
                "created_at": now,
            }
            for i in ids
        ]
        return list(await session.scalars(insert(DayPlan).returning(DayPlan.id), rows))

    def task(
        plan_id: int, template_id: int, position: int, status: TaskStatus, at: time | None = None
    ) -> dict[str, Any]:
        keys = ("day_plan_id", "template_id", "position", "status", "steps_done", "time_of_day")
        return dict(zip(keys, (plan_id, template_id, position, status, [], at), strict=True))

    before = await plans(yesterday, PlanStatus.SENT)
    drafts = await plans(today, PlanStatus.DRAFT)
    rows = [task(p, recurring, 1, TaskStatus.DONE) for p in before]
    rows += [task(p, carried, 2, TaskStatus.OPEN) for p in before[::CARRY_EVERY]]
    rows += [task(p, added, 1, TaskStatus.OPEN, REMINDED_AT) for p in drafts]
    await session.execute(insert(PlannedTask), rows)


class LoopHold:
    """The longest the event loop was held at once: how late a 1 ms timer came. What a
    button press made meanwhile would have waited, at worst."""

    def __init__(self) -> None:
        self.longest = 0.0

    async def watch(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            before = loop.time()
            await asyncio.sleep(0.001)
            self.longest = max(self.longest, loop.time() - before - 0.001)

    def take(self) -> float:
        longest, self.longest = self.longest, 0.0
        return longest


PROBE_TABLE = "bench_probe"


class WriteProbe:
    """The longest a one-row write took, in a transaction of its own started every
    50 ms while a phase runs: what a press's first write (storing its update) waits for
    at worst, the event loop and, on SQLite, the write lock held by a batch included."""

    INTERVAL = 0.05

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions
        self.longest = 0.0
        self.active = asyncio.Event()
        self.writing = False

    async def watch(self) -> None:
        write = text(f"INSERT INTO {PROBE_TABLE} (at) VALUES (:at)")
        while True:
            await self.active.wait()
            self.writing, started = True, wallclock.perf_counter()
            async with self.sessions.begin() as session:
                await session.execute(write, {"at": started})
            self.longest = max(self.longest, wallclock.perf_counter() - started)
            self.writing = False
            await asyncio.sleep(self.INTERVAL)

    def begin(self) -> None:
        self.longest = 0.0
        self.active.set()

    async def end(self) -> float:
        """The longest write of the phase, the one still waiting at its end included
        (it waited for the phase)."""
        self.active.clear()
        while self.writing:  # noqa: ASYNC110
            await asyncio.sleep(0.001)
        return self.longest


async def measure(count: int, database_url: str, schema: str | None) -> dict[str, Any]:

    settings = load_settings(
        _env_file=None,
        telegram_token="424242:benchmark-token",
        database_url=database_url,
        database_schema=schema,
        bot_username="BenchBot",
    )
    clock = MovableClock(START)
    async with open_runtime(settings, clock) as runtime:
        services = runtime.services
        today = services.today()
        async with services.sessions.begin() as session:
            await seed(session, count, today, services.now())
            await session.execute(text(f"CREATE TABLE {PROBE_TABLE} (at DOUBLE PRECISION)"))
        # As `vardag run` does once it runs (bot/runtime/runner.py, keep_start_up_heap):
        # without it a full collection walks the imports' objects, holding the loop
        # about 0.1 s whatever the batch.
        gc.collect()
        gc.freeze()
        statements = [0]

        @event.listens_for(runtime.engine.sync_engine, "before_cursor_execute")
        def count_statement(*args: object) -> None:
            if PROBE_TABLE not in str(args[2]):  # (the statement; the probe's are not counted)
                statements[0] += 1

        hold, probe = LoopHold(), WriteProbe(services.sessions)
        watching = [asyncio.create_task(hold.watch()), asyncio.create_task(probe.watch())]
        await asyncio.sleep(0.01)

        async def phase(name: str, work: Awaitable[int]) -> tuple[int, dict[str, float]]:
            """Run ``work`` and measure it: wall, CPU, statements, hold, longest write."""
            statements[0] = 0
            hold.take()
            probe.begin()
            started, cpu = wallclock.perf_counter(), wallclock.process_time()
            done = await work
            measured = {
                f"{name}_s": wallclock.perf_counter() - started,
                f"{name}_cpu": wallclock.process_time() - cpu,
                f"{name}_statements": statements[0],
                f"{name}_hold": hold.take(),
                f"{name}_write": await probe.end(),
            }
            return done, measured

        drafted, draft = await phase("draft", drafting_everyone.draft_all(services, today))
        again = await drafting_everyone.draft_all(services, today)  # changes nothing
        clock.set(local_moment(today, time(8, 0, 1), services.zone))
        queued, queue = await phase("queue", morning.enqueue_due_lists(services))
        queued_again = await morning.enqueue_due_lists(services)
        if schema is not None:
            # By 10:00 autovacuum has analysed the morning's rows. On tables never analysed
            # PostgreSQL plans the lacking-reminders query badly: 3,000 took some 20 s, and
            # at 10,000 it ran past the statement timeout (docs/performance.md).
            async with services.sessions.begin() as session:
                await session.execute(text("ANALYZE"))
        clock.set(local_moment(today, REMINDED_AT, services.zone) + timedelta(seconds=1))
        reminded, remind = await phase("remind", reminders.tick(services))
        reminded_again = await reminders.tick(services)
        for watch in watching:
            if watch.done():  # it ended on its own: an error, to be seen
                watch.result()
            watch.cancel()

        async with services.sessions() as session:
            messages = await session.scalar(select(func.count()).select_from(OutboxMessage))
            tasks = await session.scalar(
                select(func.count())
                .select_from(PlannedTask)
                .join(DayPlan)
                .where(DayPlan.day == today)
            )
    expected_tasks = 2 * count + len(range(0, count, CARRY_EVERY))
    return {
        "coworkers": count,
        **draft,
        **queue,
        **remind,
        "ok": drafted == count
        and queued == count
        and reminded == count
        and again == 0
        and queued_again == 0
        and reminded_again == 0
        and messages == (MESSAGES_PER_COWORKER + 1) * count
        and tasks == expected_tasks,
        "check": [
            *(drafted, queued, reminded, again, queued_again, reminded_again),
            *(messages, tasks, expected_tasks),
        ],
    }


async def child(count: int, database_url: str | None) -> dict[str, Any]:
    if database_url is None:
        with tempfile.TemporaryDirectory() as folder:
            return await measure(count, f"sqlite+aiosqlite:///{folder}/bench.sqlite", None)
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    admin = create_async_engine(database_url, isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as connection:
            await connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        return await measure(count, database_url, schema)
    finally:
        async with admin.connect() as connection:
            await connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        await admin.dispose()


def run_once(tree: Path, count: int, database_url: str | None) -> dict[str, Any]:
    """One measurement in a process of its own, on the code in ``tree``."""
    command = [sys.executable, str(Path(__file__).resolve()), "--child", str(count)]
    if database_url:
        command += ["--database-url", database_url]
    env = os.environ | {"PYTHONPATH": str(tree)}
    done = subprocess.run(command, env=env, cwd=tree, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"the run on {tree} failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    if not result["ok"]:
        raise SystemExit(f"the run on {tree} drafted or queued wrongly: {result['check']}")
    return result


def spread(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} ({min(values):.2f}–{max(values):.2f})"


def report(results: dict[tuple[str, int], list[dict[str, Any]]], database: str) -> None:
    """One table each for drafting, queueing and reminding: medians (min–max) over the
    rounds."""
    for part, title in PARTS:
        print(f"\n{title}, {database}: medians (min–max) over the rounds.\n")
        print(
            "| code | co-workers | rounds | wall (s) | CPU (s) | CPU per co-worker (ms) "
            "| statements per co-worker | wall of send time | CPU of send time "
            "| longest hold of the event loop (ms) | longest one-row write (ms) |"
        )
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for (code, count), runs in sorted(results.items(), key=lambda kv: (kv[0][1], kv[0][0])):
            send_s = MESSAGES[part] * count / RATE
            wall = [r[f"{part}_s"] for r in runs]
            cpu = [r[f"{part}_cpu"] for r in runs]
            statements = statistics.median(r[f"{part}_statements"] for r in runs) / count
            cells = [
                code,
                f"{count}",
                f"{len(runs)}",
                spread(wall),
                spread(cpu),
                spread([c / count * 1000 for c in cpu]),
                f"{statements:.2f}",
                f"{statistics.median(wall) / send_s:.2%}",
                f"{statistics.median(cpu) / send_s:.2%}",
                spread([r[f"{part}_hold"] * 1000 for r in runs]),
                spread([r[f"{part}_write"] * 1000 for r in runs]),
            ]
            print("| " + " | ".join(cells) + " |")
    print()
    for count in sorted({c for _, c in results}):
        old, new = results.get(("old", count), []), results.get(("new", count), [])
        for part, _title in PARTS if old and new else ():
            ratios = [
                statistics.median(r[f"{part}_{unit}"] for r in old)
                / statistics.median(r[f"{part}_{unit}"] for r in new)
                for unit in ("s", "cpu")
            ]
            print(f"{count} co-workers {part}: old/new {ratios[0]:.1f}× wall, {ratios[1]:.1f}× CPU")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--coworkers", type=int, nargs="+", default=[300, 3000, 10000])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--database-url", help="PostgreSQL (asyncpg); SQLite files if not given")
    parser.add_argument("--base", type=Path, help="a tree with the code to compare against")
    parser.add_argument(
        "--base-max", type=int, default=10**9, help="run the base code only up to this N"
    )
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        print(json.dumps(asyncio.run(child(args.child, args.database_url))))
        return
    results: dict[tuple[str, int], list[dict[str, Any]]] = {}
    for count in args.coworkers:
        trees = [("new", HERE)]
        if args.base is not None and count <= args.base_max:
            trees.append(("old", args.base.resolve()))
        for round_ in range(args.rounds):
            # Old and new take turns, and which goes first alternates from round to round.
            for code, tree in trees if round_ % 2 == 0 else trees[::-1]:
                result = run_once(tree, count, args.database_url)
                results.setdefault((code, count), []).append(result)
                print(
                    f"{code} N={count} round {round_ + 1}: draft {result['draft_s']:.2f} s, "
                    f"queue {result['queue_s']:.2f} s, remind {result['remind_s']:.2f} s",
                    file=sys.stderr,
                    flush=True,
                )
    report(results, "PostgreSQL" if args.database_url else "SQLite")


if __name__ == "__main__":
    main()
