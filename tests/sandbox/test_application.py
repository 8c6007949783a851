"""A real python-telegram-bot Application, polling the sandbox, driven by SandboxClient."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.sandbox import SandboxClient, SandboxServer
from tests.sandbox.conftest import TOKEN

App = Application[Any, Any, Any, Any, Any, Any]


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.message is not None
    await update.message.reply_text(f"Välkommen! Kod: {' '.join(context.args or [])}")


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.message is not None and update.message.text is not None
    again = InlineKeyboardButton("Igen", callback_data=f"again:{update.message.message_id}")
    await update.message.reply_text(
        f"<i>Eko:</i> {update.message.text}",
        parse_mode="HTML",
        reply_markup=InlineKeyboardMarkup([[again]]),
    )


async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None
    await query.answer(f"Tryckte {query.data}")
    await query.edit_message_text(f"Tryckt: {query.data}")


@pytest.fixture
async def application(sandbox: SandboxServer) -> AsyncIterator[App]:
    app: App = ApplicationBuilder().token(TOKEN).base_url(sandbox.bot_base_url).build()
    app.add_handler(CommandHandler("start", start))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    app.add_handler(CallbackQueryHandler(pressed))
    await app.initialize()
    await app.start()
    assert app.updater is not None
    await app.updater.start_polling(poll_interval=0, timeout=1)
    try:
        yield app
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()


async def test_echo_and_button_through_a_polling_application(
    application: App, people: SandboxClient
) -> None:
    await people.add_user(1001, "Alva", language_code="sv")

    await people.send_text(1001, "/start abc123")
    welcome = await people.wait_for(1001, lambda m: m.from_bot, timeout=5)
    assert welcome.text == "Välkommen! Kod: abc123"

    sent = await people.send_text(1001, "hej på dig")
    reply = await people.wait_for(1001, lambda m: m.from_bot, timeout=5, after=sent)
    assert reply.text == "Eko: hej på dig" and reply.html == "<i>Eko:</i> hej på dig"
    assert reply.buttons() == ["Igen"] and reply.button_data("Igen") == f"again:{sent}"

    query_id = await people.press(1001, reply.message_id, text="Igen")
    answer = await people.wait_for_answer(query_id, timeout=5)
    assert answer["text"] == f"Tryckte again:{sent}"
    edited = await people.wait_for(
        1001, lambda m: m.message_id == reply.message_id and m.edited == 1, timeout=5
    )
    assert edited.text == f"Tryckt: again:{sent}" and edited.buttons() == []

    # The Application confirmed what it fetched: nothing is left for the next start.
    stats = await people.stats()
    assert stats["calls"]["getUpdates"] >= 1 and stats["calls"]["deleteWebhook"] == 1


async def test_application_shuts_down_without_leaving_tasks(
    sandbox: SandboxServer, people: SandboxClient
) -> None:
    before = set(asyncio.all_tasks())
    app: App = ApplicationBuilder().token(TOKEN).base_url(sandbox.bot_base_url).build()
    await app.initialize()
    await app.start()
    assert app.updater is not None
    await app.updater.start_polling(poll_interval=0, timeout=1)
    await asyncio.sleep(0.2)
    await app.updater.stop()
    await app.stop()
    await app.shutdown()
    leftovers = {
        t.get_name()
        for t in asyncio.all_tasks() - before
        # The sandbox's own keep-alive connection handlers end when the server stops.
        if not t.done() and getattr(t.get_coro(), "__qualname__", "") != "RequestHandler.start"
    }
    assert leftovers == set()
    assert (await people.stats())["pending_updates"] == 0
