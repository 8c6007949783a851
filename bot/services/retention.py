"""Retention: personal data is kept for ``retention_months`` (check-ins, messages, calls
for help, sent lists, delivered outbox rows), the audit trail for
``audit_retention_months``; older rows are deleted. Run by the housekeeping job."""

from __future__ import annotations

import logging

from dateutil.relativedelta import relativedelta

from bot.services.context import Services
from bot.timeutil import local_date
from storage.repos import retention as retention_repo

log = logging.getLogger(__name__)


async def apply(services: Services) -> dict[str, int]:
    now = services.now()
    settings = services.settings
    before = now - relativedelta(months=settings.retention_months)
    audit_before = now - relativedelta(months=settings.audit_retention_months)
    before_day = local_date(before, services.zone)
    async with services.sessions.begin() as session:
        counts = await retention_repo.delete_before(session, before, before_day, audit_before)
    if any(counts.values()):
        log.info("retention deleted %s", ", ".join(f"{k}={v}" for k, v in counts.items()))
    return counts
