"""Morning burst: co-workers' morning lists (and the morning question after each) queued
and delivered through the real sender and python-telegram-bot, against the sandbox
enforcing Telegram's limits (30 messages/s overall, 1/s a chat with a burst of 3).

Each round runs in two fresh processes: the sandbox (``python -m bot.sandbox``) and the
bot (benchmarks/morning_round.py), so the CPU and memory figures are the bot's alone.

    .venv/bin/python benchmarks/morning_burst.py                      # everything, small
    .venv/bin/python benchmarks/morning_burst.py --ab-rounds 3 --ab-coworkers 150 \\
        --growth 300,1000,3000 --memory 10000,100000 --drain-seconds 60

Tables:
1. A/B, interleaved rounds (fixed 24/s, one in flight, as before ↔ adaptive), at the
   sandbox's own latency and with every send answered 100 ms late (a real round trip):
   messages/s against Telegram's 30/s, the first second of the burst (≤ 30 wanted),
   429s, lost, doubled. Medians and their range.
2. Growth (adaptive): messages/s, bot CPU per message, the bot's RSS peak while sending,
   over co-worker counts: flat per message = linear in co-workers.
3. Memory at scale: rows put straight into the outbox and drained for a bounded time
   with the sandbox's limits off and a ceiling of 1,000/s: the bot's RSS before and at
   its peak while draining.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "424242:benchmark-token"
TELEGRAM = 30.0


@contextmanager
def sandbox(*, limits: bool = True, delay: float = 0.0) -> Iterator[str]:
    command = [sys.executable, "-m", "bot.sandbox", "--token", TOKEN, "--delay", str(delay)]
    if not limits:
        command.append("--no-limits")
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        yield process.stdout.readline().strip()
    finally:
        process.terminate()
        process.wait(timeout=30)


def one_round(coworkers: int, *, sender: str = "adaptive", delay: float = 0.0,
              limits: bool = True, kind: str = "morning", rate: float = TELEGRAM,
              drain_seconds: float = 0.0) -> dict[str, Any]:  # fmt: skip
    with tempfile.TemporaryDirectory() as folder, sandbox(limits=limits, delay=delay) as url:
        command = [
            sys.executable, str(ROOT / "benchmarks" / "morning_round.py"),
            "--url", url, "--database", str(Path(folder) / "bench.sqlite"),
            "--coworkers", str(coworkers), "--round", kind, "--sender", sender,
            "--rate", str(rate), "--drain-seconds", str(drain_seconds),
        ]  # fmt: skip
        output = subprocess.run(
            command,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
            env=os.environ | {"PYTHONPATH": str(ROOT)},
        ).stdout
    result: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    return result


def median(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} ({min(values):.2f}–{max(values):.2f})"


def ab_table(rounds: int, coworkers: int) -> None:
    print(f"\n### A/B: {coworkers} co-workers, {rounds} interleaved rounds, medians (range)\n")
    print("| latency | sender | messages/s | of 30/s | first second | busiest second "
          "| in flight (peak) | 429s | lost | doubled |")  # fmt: skip
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    results: dict[tuple[float, str], list[dict[str, Any]]] = {}
    for _ in range(rounds):
        for delay in (0.0, 0.1):
            for sender in ("fixed", "adaptive"):
                row = one_round(coworkers, sender=sender, delay=delay)
                results.setdefault((delay, sender), []).append(row)
    for (delay, sender), rows in results.items():
        rates = [r["rate"] for r in rows]
        print(
            f"| {delay * 1000:.0f} ms | {sender} | {median(rates)} "
            f"| {median([r / TELEGRAM for r in rates])} "
            f"| {median([r['sandbox']['first_second'] for r in rows])} "
            f"| {median([r['sandbox']['busiest_second'] for r in rows])} "
            f"| {max(r['peak_in_flight'] for r in rows)} "
            f"| {sum(r['rate_limited'] for r in rows)} | {sum(r['lost'] for r in rows)} "
            f"| {sum(r['doubled'] for r in rows)} |"
        )
    for delay in (0.0, 0.1):
        ratios = [
            a["rate"] / f["rate"]
            for a, f in zip(results[(delay, "adaptive")], results[(delay, "fixed")], strict=True)
        ]
        print(f"\nadaptive ÷ fixed at {delay * 1000:.0f} ms, per round: {median(ratios)}")


def growth_table(sizes: list[int], delay: float) -> float:
    """Prints the table; returns the rate measured at the largest size."""
    print(f"\n### Growth (adaptive, {delay * 1000:.0f} ms latency, one round each)\n")
    print(
        "| co-workers | messages | messages/s | of 30/s | bot CPU ms/message | bot RSS "
        "before sending (MiB) | bot RSS peak sending (MiB) | 429s | lost | doubled |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for size in sizes:
        r = one_round(size, delay=delay)
        print(
            f"| {size} | {r['sent']} | {r['rate']:.1f} | {r['rate'] / TELEGRAM:.2f} "
            f"| {r['cpu_ms_per_message']:.2f} | {r['rss_before_send_mib']:.0f} "
            f"| {r['rss_peak_send_mib']:.0f} | {r['rate_limited']} | {r['lost']} "
            f"| {r['doubled']} |"
        )
    return float(r["rate"])


def spread_table(coworkers: int, rate: float) -> None:
    """The last message's delay when the morning times of ``coworkers`` are spread evenly
    over some minutes, at the measured ``rate`` (two messages a co-worker)."""
    print(f"\n### Spread morning times: {coworkers} co-workers at {rate:.1f} messages/s\n")
    print("| spread (minutes) | arriving (messages/s) | last message after its time (s) |")
    print("|---:|---:|---:|")
    messages = 2 * coworkers
    for minutes in (0, 1, 2, 5, 10, 15):
        window = 60.0 * minutes
        arriving = messages / window if window else float("inf")
        late = max(0.0, messages / rate - window)
        shown = "all at once" if not window else f"{arriving:.1f}"
        print(f"| {minutes} | {shown} | {late:.0f} |")


def tokens_table(tokens: int, coworkers: int, delay: float) -> None:
    """``tokens`` bots (each its own sandbox, i.e. its own Telegram limit, and its own
    bot process and database) sending their mornings at once on this machine."""
    print(f"\n### {tokens} bot tokens at once, {coworkers} co-workers each, "
          f"{delay * 1000:.0f} ms latency\n")  # fmt: skip
    print("| token | messages/s | of 30/s | bot CPU ms/message | 429s | lost | doubled |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    with ThreadPoolExecutor(tokens) as pool:
        rows = list(pool.map(lambda _: one_round(coworkers, delay=delay), range(tokens)))
    for n, r in enumerate(rows, 1):
        print(
            f"| {n} | {r['rate']:.1f} | {r['rate'] / TELEGRAM:.2f} "
            f"| {r['cpu_ms_per_message']:.2f} | {r['rate_limited']} | {r['lost']} "
            f"| {r['doubled']} |"
        )
    total = sum(r["rate"] for r in rows)
    print(f"\ntogether: {total:.1f} messages/s = {total / TELEGRAM:.2f} × one token's 30/s")


def memory_table(sizes: list[int], seconds: float) -> None:
    print(f"\n### Memory: rows queued straight, drained {seconds:.0f} s, sandbox limits off\n")
    print("| co-workers | rows queued | rows sent | messages/s | bot RSS before (MiB) "
          "| bot RSS peak draining (MiB) | growth (MiB) |")  # fmt: skip
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for size in sizes:
        r = one_round(size, kind="drain", limits=False, rate=1000.0, drain_seconds=seconds)
        print(
            f"| {size} | {r['queued']} | {r['sent']} | {r['rate']:.0f} "
            f"| {r['rss_before_send_mib']:.0f} | {r['rss_peak_send_mib']:.0f} "
            f"| {r['rss_peak_send_mib'] - r['rss_before_send_mib']:.1f} |"
        )


def sizes(text: str) -> list[int]:
    return [int(part) for part in text.split(",") if part]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--ab-rounds", type=int, default=3)
    parser.add_argument("--ab-coworkers", type=int, default=150)
    parser.add_argument("--growth", type=sizes, default=sizes("300,1000"))
    parser.add_argument("--growth-latency", type=float, default=0.05)
    parser.add_argument("--memory", type=sizes, default=sizes("10000"))
    parser.add_argument("--drain-seconds", type=float, default=30.0)
    parser.add_argument("--tokens", type=int, default=2, help="bots at once (0: skip)")
    parser.add_argument("--tokens-coworkers", type=int, default=300)
    parser.add_argument("--spread-coworkers", type=int, default=10_000)
    args = parser.parse_args()
    if args.ab_rounds:
        ab_table(args.ab_rounds, args.ab_coworkers)
    if args.growth:
        rate = growth_table(args.growth, args.growth_latency)
        spread_table(args.spread_coworkers, rate)
    if args.tokens:
        tokens_table(args.tokens, args.tokens_coworkers, args.growth_latency)
    if args.memory:
        memory_table(args.memory, args.drain_seconds)


if __name__ == "__main__":
    main()
