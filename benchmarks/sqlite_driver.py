"""The SQLite driver alone: the database work of a "Done" press, through this checkout's
engine (storage/db.py) and, with ``--compare DIR``, through another checkout's (say,
65053d6, where SQLite ran in the event loop's own thread instead of aiosqlite's).

    .venv/bin/python benchmarks/sqlite_driver.py --presses 2000 --rounds 6 --compare DIR

A "press" here is what a "Done" asks of the database (tests/e2e/test_press_statements.py),
through an ``AsyncSession`` as the repositories use it: a transaction that stores the
update (one INSERT), one that reads who is asking, marks the task done (UPDATE ...
RETURNING) and looks at its list (SELECT), and one that marks the update handled (one
UPDATE). Presses run one after another on a file database of a few thousand rows. No
Telegram, no sandbox, no handlers: the driver and what SQLAlchemy does around it.

Each checkout runs in a process of its own (``PYTHONPATH``), the two taking turns in every
round, which goes first alternating. CPU is the process's (every thread: aiosqlite's
too), per press; medians with min-max over the rounds, and the ratio within each round.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent.parent
ROWS = 5_000
WARM_UP = 200

SCHEMA = (
    "CREATE TABLE updates (id INTEGER PRIMARY KEY, chat INTEGER, body TEXT, state TEXT)",
    "CREATE TABLE people (id INTEGER PRIMARY KEY, chat INTEGER UNIQUE, name TEXT)",
    "CREATE TABLE tasks (id INTEGER PRIMARY KEY, person INTEGER, title TEXT, done INTEGER)",
    "CREATE INDEX tasks_person ON tasks (person)",
)


async def child(presses: int) -> dict[str, Any]:
    from sqlalchemy import text

    from storage.db import create_engine, session_factory

    with tempfile.TemporaryDirectory() as folder:
        engine = create_engine(f"sqlite+aiosqlite:///{folder}/driver.sqlite")
        sessions = session_factory(engine)
        async with sessions.begin() as session:
            for statement in SCHEMA:
                await session.execute(text(statement))
            await session.execute(
                text("INSERT INTO people (id, chat, name) VALUES (:i, :i, 'Anna')"),
                [{"i": i} for i in range(1, ROWS + 1)],
            )
            await session.execute(
                text("INSERT INTO tasks (person, title, done) VALUES (:p, 'Vattna', 0)"),
                [{"p": 1 + i % ROWS} for i in range(ROWS * 2)],
            )

        async def press(n: int) -> None:
            chat = 1 + n % ROWS
            async with sessions.begin() as session:
                await session.execute(
                    text("INSERT INTO updates (chat, body, state) VALUES (:c, :b, 'taken')"),
                    {"c": chat, "b": '{"callback_query": {"data": "done"}}'},
                )
            async with sessions.begin() as session:
                person = await session.scalar(
                    text("SELECT id FROM people WHERE chat = :c"), {"c": chat}
                )
                await session.execute(
                    text("UPDATE tasks SET done = 1 WHERE person = :p RETURNING id, title"),
                    {"p": person},
                )
                (
                    await session.execute(
                        text("SELECT id, title, done FROM tasks WHERE person = :p"), {"p": person}
                    )
                ).all()
            async with sessions.begin() as session:
                await session.execute(
                    text("UPDATE updates SET state = 'done' WHERE chat = :c AND state = 'taken'"),
                    {"c": chat},
                )

        for n in range(WARM_UP):
            await press(n)
        started, cpu = time.perf_counter(), time.process_time()
        for n in range(presses):
            await press(WARM_UP + n)
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
        await engine.dispose()
    return {"cpu_ms": cpu / presses * 1000, "wall_ms": wall / presses * 1000}


def run_once(tree: Path, presses: int) -> dict[str, Any]:
    command = [sys.executable, str(Path(__file__).resolve()), "--child", str(presses)]
    env = os.environ | {"PYTHONPATH": str(tree)}
    done = subprocess.run(command, env=env, cwd=tree, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"the run on {tree} failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def spread(values: list[float]) -> str:
    return f"{statistics.median(values):.3f} ({min(values):.3f}-{max(values):.3f})"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--presses", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--compare", type=Path, help="another checkout, in the same rounds")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        print(json.dumps(asyncio.run(child(args.child))))
        return
    trees = [("this checkout", HERE)]
    if args.compare is not None:
        trees.append((str(args.compare), args.compare.resolve()))
    runs: dict[str, list[dict[str, Any]]] = {name: [] for name, _ in trees}
    for round_ in range(args.rounds):
        for name, tree in trees if round_ % 2 == 0 else trees[::-1]:
            runs[name].append(run_once(tree, args.presses))
            print(f"round {round_ + 1}, {name}: {runs[name][-1]}", file=sys.stderr, flush=True)
    print(f"\n{args.rounds} rounds of {args.presses} presses; median (min-max)\n")
    print("| driver | CPU ms per press | wall ms per press |")
    print("|---|---:|---:|")
    for name, results in runs.items():
        cpu = [r["cpu_ms"] for r in results]
        wall = [r["wall_ms"] for r in results]
        print(f"| {name} | {spread(cpu)} | {spread(wall)} |")
    if args.compare is not None:
        (_, this), (_, other) = runs.items()
        for unit in ("cpu_ms", "wall_ms"):
            ratios = [a[unit] / b[unit] for a, b in zip(this, other, strict=True)]
            print(f"| this / compared, {unit[:-3]}, per round | {spread(ratios)} | |")


if __name__ == "__main__":
    main()
