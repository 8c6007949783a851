"""The press benchmark's tables (benchmarks/button_press.py): CPU per press for each bot
with the ratio per round, and the latencies of presses made during a burst."""

from __future__ import annotations

import argparse
import statistics


def spread(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} ({min(values):.2f}-{max(values):.2f})"


def print_tables(
    args: argparse.Namespace,
    costs_and_idle: tuple[dict[str, list[float]], dict[str, float]],
    burst: tuple[list[float], float] | None,
) -> None:
    costs, idle = costs_and_idle
    ratios = [e / v for v, e in zip(costs["vardag"], costs["echo"], strict=True)]
    limiter = ", the echo bot with Vardag's rate limiter" if args.echo_limiter else ""
    if args.echo_aiohttp:
        limiter += ", the echo bot over Vardag's aiohttp transport"
    pace = f"{args.rate:g} a second" if args.rate > 0 else "all at once"
    print(f"{args.rounds} rounds of {args.presses} presses, {pace}{limiter}; median (min-max)")
    print()
    if args.instructions:  # counted by callgrind: no CPU time, no per-second rate
        print("| bot | thousand instructions per press |")
        print("|---|---:|")
    else:
        print("| bot | CPU ms per press | presses per CPU-second |")
        print("|---|---:|---:|")
    for label, name in (('Vardag "Done" (+ list edit)', "vardag"), ("bare PTB echo", "echo")):
        per_second = "" if args.instructions else f" {spread([1000 / c for c in costs[name]])} |"
        print(f"| {label} | {spread(costs[name])} |{per_second}")
    what = "instructions" if args.instructions else "CPU"
    print(f"| ratio (echo {what} / Vardag {what}), per round | {spread(ratios)} | |")
    print("| rounds, Vardag | " + " ".join(f"{c:.2f}" for c in costs["vardag"]) + " | |")
    print("| rounds, echo | " + " ".join(f"{c:.2f}" for c in costs["echo"]) + " | |")
    if "compared" in costs:
        _compared(args, costs)
    print()
    late = idle.pop("late")
    print(f"Idle before the rounds, CPU ms a second: {idle}")
    print(f"Vardag's presses answered by the 2-second fallback clock: {late:.0f}")
    print(
        "Share of the CPU outside the main thread (SQLite's threads, Vardag): "
        + spread(costs["vardag threads"])
    )
    if burst is None:
        return
    latencies, during = burst
    print()
    cut = statistics.quantiles(latencies, n=20, method="inclusive")
    print("| burst lists | presses | p50 (ms) | p95 (ms) | max (ms) | lists sent meanwhile |")
    print("|---:|---:|---:|---:|---:|---:|")
    print(
        f"| {args.burst} | {len(latencies)} | {statistics.median(latencies) * 1000:.0f} | "
        f"{cut[18] * 1000:.0f} | {max(latencies) * 1000:.0f} | {during:.0f} |"
    )


def _compared(args: argparse.Namespace, costs: dict[str, list[float]]) -> None:
    """Vardag from ``--compare`` in the same rounds, and this checkout's CPU against it."""
    compared = costs["compared"]
    ratios = [e / c for c, e in zip(compared, costs["echo"], strict=True)]
    gains = [v / c for v, c in zip(costs["vardag"], compared, strict=True)]
    print(f"| Vardag from {args.compare} | {spread(compared)} | |")
    print(f"| ratio against the echo, {args.compare}, per round | {spread(ratios)} | |")
    what = "instructions" if args.instructions else "CPU"
    print(f"| this checkout's {what} / {args.compare}'s, per round | {spread(gains)} | |")
    print(f"| rounds, {args.compare} | " + " ".join(f"{c:.2f}" for c in compared) + " | |")
