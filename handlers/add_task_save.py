"""The last step of ``/add`` (and of ➕ in a review): the task stored on the co-worker's
day or on repeat, the answer shown, and from a review the review shown again."""

from __future__ import annotations

from datetime import date, time

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update
from telegram.ext import ConversationHandler

from bot.context import Services
from bot.i18n import Texts
from bot.rules.recurrence import Preset
from bot.services import access
from bot.services.access import ReviewError
from bot.services.errors import OrganisationError
from bot.services.planning import add_task, review
from bot.telegram.rendered import Rendered
from bot.telegram.reply import reply, say
from bot.views import add_task as views
from bot.views import review as review_views
from handlers.common import Context, services_of, who_is_staff
from handlers.conversation import draft_of
from storage.models import Person


async def refused(update: Update, t: Texts, key: str) -> int:
    if update.callback_query is not None:
        await update.callback_query.answer(t(key), show_alert=True)
    elif update.effective_message is not None:
        await update.effective_message.reply_text(t(key))
    return ConversationHandler.END


async def save(update: Update, context: Context, at: time | None) -> int:
    staff = await who_is_staff(update, context)
    if staff is None:
        return ConversationHandler.END
    t = Texts(staff.language)
    draft = dict(draft_of(context))
    draft_of(context).clear()
    services = services_of(context)
    try:
        async with services.sessions.begin() as session:
            rendered = await store(services, session, staff, t, draft, at)
    except ReviewError as error:
        return await refused(update, t, f"review.refused.{error.refused.value}")
    except OrganisationError as error:
        await say(update, Rendered(error.text(t)))
        return ConversationHandler.END
    await reply(update, rendered)
    if draft.get("from_review"):
        day, coworker_id = draft["day"], draft["coworker_id"]
        assert isinstance(day, date) and isinstance(coworker_id, int)
        async with services.sessions.begin() as session:
            shown = await review.review(services, session, staff, coworker_id, day)
        await say(update, review_views.review_view(t, shown))
    return ConversationHandler.END


async def store(
    services: Services,
    session: AsyncSession,
    staff: Person,
    t: Texts,
    draft: dict[str, object],
    at: time | None,
) -> Rendered:
    coworker_id, template_id = draft.get("coworker_id"), draft.get("template_id")
    title, day, preset = draft.get("title"), draft.get("day"), draft.get("preset")
    if not isinstance(coworker_id, int) or not isinstance(template_id, int):
        raise ReviewError(access.Refused.NO_TASK)  # the conversation lost its way (timeout)
    assert isinstance(title, str)
    coworker = await access.coworker_for(session, staff, coworker_id)
    if isinstance(day, date):
        added = await add_task.add_for(
            services,
            session,
            staff,
            coworker_id=coworker_id,
            template_id=template_id,
            day=day,
            at=at,
        )
        return views.added_once(t, coworker, title, day, at, added.told_coworker)
    assert isinstance(preset, Preset)
    weekdays = draft.get("weekdays") or []
    assert isinstance(weekdays, list)
    await add_task.repeat_for(
        services,
        session,
        staff,
        coworker_id=coworker_id,
        template_id=template_id,
        preset=preset,
        weekdays=weekdays,
        at=at,
    )
    return views.added_repeat(t, coworker, title, preset, weekdays, at)
