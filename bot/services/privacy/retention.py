"""Retention: personal data is kept for ``retention_months`` (check-ins, messages, calls
for help, sent lists, delivered outbox rows), the audit trail for
``audit_retention_months``, strangers' failed joins for :data:`JOIN_ATTEMPTS_KEPT`; older
rows are deleted. Run by the housekeeping job (see docs/privacy.md)."""

from __future__ import annotations

import logging
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from bot.context import Services
from bot.rules.localtime import local_date
from storage.repos import retention as retention_repo

log = logging.getLogger(__name__)

# A failed join serves only the limit on guessing (5 in 15 minutes, bot/services/people/invites.py);
# a day is far more than that needs, and short enough to forget a stranger soon.
JOIN_ATTEMPTS_KEPT = timedelta(hours=24)


async def apply(services: Services) -> dict[str, int]:
    now = services.now()
    settings = services.settings
    before = now - relativedelta(months=settings.retention_months)
    audit_before = now - relativedelta(months=settings.audit_retention_months)
    before_day = local_date(before, services.zone)
    async with services.sessions.begin() as session:
        counts = await retention_repo.delete_before(session, before, before_day, audit_before)
        counts["join_attempts"] = await retention_repo.delete_join_attempts_before(
            session, now - JOIN_ATTEMPTS_KEPT
        )
    if any(counts.values()):
        log.info("retention deleted %s", ", ".join(f"{k}={v}" for k, v in counts.items()))
    return counts
