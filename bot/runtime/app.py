"""Wiring: the python-telegram-bot ``Application`` with Vardag's services, doors and jobs."""

from __future__ import annotations

from typing import Any

from telegram import BotCommand
from telegram.constants import ParseMode
from telegram.ext import Application, ApplicationBuilder, ContextTypes, Defaults

import handlers
import jobs
from bot.context import Services
from bot.i18n import LANGUAGES, Texts
from bot.logs import UpdateIdForLogs
from bot.outbox.outcome import OnSent
from bot.outbox.pace import Pace, PacedLimiter
from bot.outbox.sender import OutboxSender
from bot.runtime.background import now_or_later
from bot.runtime.intake import Intake
from bot.services.day import escalation, help_alerts, morning
from bot.services.messages import relay
from bot.services.people import reachability
from bot.telegram.answering import VardagBot
from bot.telegram.context import SENDER, SERVICES, VardagContext
from handlers import dedupe, private_only

VardagApp = Application[Any, Any, Any, Any, Any, Any]


ON_SENT: dict[str, OnSent] = {
    morning.KIND: morning.remember_list_message,
    relay.COPY: relay.remember_copy,
    escalation.NOTICE: help_alerts.after_alert_sent,
}

# A person's own press is answered even when Telegram asks us to slow down (429):
# wait retry_after and try again, a few times.
MAX_RETRIES = 3


def build_application(services: Services, token: str) -> VardagApp:
    api = services.settings.bot_api_url
    # One pace for the bot token (bot/outbox/pace.py): the sender's broadcast and people's own
    # calls share Telegram's 30 a second, people's first.
    pace = Pace(services.settings.telegram_rate)
    application: VardagApp = (
        ApplicationBuilder()
        .bot(
            VardagBot(
                token,
                api,
                PacedLimiter(pace, max_retries=MAX_RETRIES),
                # Every text is sent as HTML, built as Markup (bot/i18n.Texts), so values
                # are escaped.
                Defaults(parse_mode=ParseMode.HTML),
            )
        )
        # Updates come through the inbox (bot/runtime/intake.py), which processes chats
        # concurrently and each chat in order; this is only for any put on the queue.
        .concurrent_updates(UpdateIdForLogs(1))
        .context_types(ContextTypes(context=VardagContext))
        .updater(None)  # polling is Vardag's own (bot/runtime/polling.py): store, then confirm
        .post_init(_post_init)
        .build()
    )
    application.bot_data[SERVICES] = services
    application.bot_data["intake"] = Intake(application, services)
    application.bot_data[SENDER] = OutboxSender(
        services, application.bot, ON_SENT, pace, on_blocked=reachability.blocked_the_bot
    )
    application.add_handler(private_only.handler(), group=private_only.GROUP)
    application.add_handler(dedupe.handler(), group=dedupe.GROUP)
    handlers.register(application)
    assert application.job_queue is not None, "install python-telegram-bot[job-queue]"
    jobs.register(application.job_queue, services.settings)
    return application


async def _post_init(application: VardagApp) -> None:
    await now_or_later(application, "setting the command menus", lambda: set_commands(application))


async def set_commands(application: VardagApp) -> None:
    for language in LANGUAGES:
        t = Texts(language)
        await application.bot.set_my_commands(
            [BotCommand("today", t("command.today"))],
            language_code=None if language == services_language(application) else language,
        )


def services_language(application: VardagApp) -> str:
    services: Services = application.bot_data["services"]
    return services.settings.language
