"""The sender's heartbeat: send what is due in the outbox (new rows and retries)."""

from __future__ import annotations

from jobs.common import Context, sender_of

# Each run stays inside its interval, so runs never overlap; the rest waits a second.
BUDGET_SHARE = 0.8


async def drain_outbox(context: Context) -> None:
    interval = context.job.data if context.job and isinstance(context.job.data, float) else 1.0
    await sender_of(context).drain(budget_seconds=interval * BUDGET_SHARE)
