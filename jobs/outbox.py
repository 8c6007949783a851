"""The sender's heartbeat: send what is due in the outbox (new rows and retries)."""

from __future__ import annotations

from jobs.common import Context, sender_of


async def drain_outbox(context: Context) -> None:
    await sender_of(context).drain()
