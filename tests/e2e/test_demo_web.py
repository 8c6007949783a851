"""The demo page in a real browser: the morning list, a task, a step, a call for help, and
the contact person's "I'm on it", all through the page and the sandbox's client side.

Needs a Chromium on the machine (``apt-get install chromium``; ``.ci/run`` installs it) or
its path in ``VARDAG_CHROMIUM``. On failure a screenshot is kept in ``test-artifacts/``.
"""

from __future__ import annotations

import base64
import os
import re
import shutil
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot.demo.run import demo_world
from bot.sandbox.client import SandboxClient

playwright_api = pytest.importorskip("playwright.async_api", reason="playwright is not installed")
Page = playwright_api.Page
expect = playwright_api.expect

ARTIFACTS = Path(os.environ.get("VARDAG_TEST_ARTIFACTS", "test-artifacts"))
WAIT_MS = 20_000
KIM = 1001


def chromium_path() -> str | None:
    chosen = os.environ.get("VARDAG_CHROMIUM")
    if chosen:
        return chosen if Path(chosen).exists() else None
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture
async def page(request: pytest.FixtureRequest) -> AsyncIterator[Page]:
    executable = chromium_path()
    if executable is None:
        pytest.skip(
            "no Chromium found: install it (apt-get install chromium) or set VARDAG_CHROMIUM"
        )
    async with playwright_api.async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=executable, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            opened = await browser.new_page(viewport={"width": 1300, "height": 900})
            yield opened
        finally:
            await browser.close()


def phone(page: Page, key: str) -> playwright_api.Locator:
    return page.locator(f'.phone[data-person="{key}"]')


def button(page: Page, key: str, label: str) -> playwright_api.Locator:
    return phone(page, key).get_by_role("button", name=label, exact=True).last


async def test_a_morning_and_a_call_for_help_through_the_page(tmp_path: Path, page: Page) -> None:
    database = str(tmp_path / "demo.sqlite")
    async with demo_world(port=0, database=database, lead=timedelta(minutes=10)) as (sandbox, _):
        try:
            await walk_through_the_morning(page, f"{sandbox.url}/demo/")
            await page.screenshot(path=str(ARTIFACTS / "demo-web.png"))
            await phones_stack_on_a_narrow_window(page)
        except BaseException:
            print(f"screenshot of the failure: {await keep_screenshot(page)}")
            raise


async def keep_screenshot(page: Page) -> Path:
    shot = (ARTIFACTS / "demo-web-failure.png").resolve()
    await page.screenshot(path=str(shot), full_page=True)  # Playwright makes the folder
    return shot


async def walk_through_the_morning(page: Page, url: str) -> None:
    await page.goto(url)
    await expect(page.locator("#clock-label")).to_have_text(re.compile(r"07:5\d"))
    await expect(page.locator("#clock-next")).to_contain_text("Morgonlistan kl 08:00")
    for key, role in (("kim", "medarbetare"), ("anna", "stödperson"), ("johan", "stödperson")):
        await expect(phone(page, key).locator(".role")).to_have_text(role)

    await page.locator("#jump-morning").click()
    await expect(page.locator("#clock-label")).to_have_text(re.compile(r"08:0\d"))
    kim = phone(page, "kim")
    await expect(kim.locator(".message.from-bot").first).to_contain_text(
        "God morgon Kim!", timeout=WAIT_MS
    )
    await expect(kim).to_contain_text("Hur mår du idag?", timeout=WAIT_MS)

    await button(page, "kim", "1. Vattna blommorna").click()
    card = kim.locator(".message", has_text="Så här gör du:")
    await expect(card).to_have_count(1, timeout=WAIT_MS)
    card_id = await card.get_attribute("data-message-id")

    await card.get_by_role("button", name="☐ 1. Hämta vattenkannan i förrådet.").click()
    await expect(
        card.get_by_role("button", name="☑ 1. Hämta vattenkannan i förrådet.")
    ).to_be_visible(timeout=WAIT_MS)
    await expect(card).to_contain_text("Du har gjort 1 av 4 steg.")
    await expect(card.locator(".meta")).to_contain_text("ändrat")
    # Edited, not re-sent: still one card, the same message. (Counting all messages would
    # race with the task's picture, which arrives after the card.)
    await expect(kim.locator(".message", has_text="Så här gör du:")).to_have_count(1)
    assert await card.get_attribute("data-message-id") == card_id

    await card.get_by_role("button", name="🙋 Jag behöver hjälp").click()
    await expect(kim).to_contain_text(
        "Jag har sagt till Anna att du behöver hjälp", timeout=WAIT_MS
    )
    anna = phone(page, "anna")
    alert = anna.locator(".message", has_text="Kim behöver hjälp med Vattna blommorna")
    await expect(alert).to_have_count(1, timeout=WAIT_MS)
    await expect(alert).to_contain_text("Grupp: Rutt 1 – Caféet")

    await alert.get_by_role("button", name="✋ Jag tar det").click()
    await expect(kim).to_contain_text("Anna har sett det och hör av sig.", timeout=WAIT_MS)
    await expect(anna).to_contain_text("Tack! Kim får veta att du hör av dig.", timeout=WAIT_MS)
    await expect(phone(page, "johan").locator(".message")).to_have_count(0)


async def phones_stack_on_a_narrow_window(page: Page) -> None:
    await page.set_viewport_size({"width": 380, "height": 800})
    kim = await phone(page, "kim").bounding_box()
    anna = await phone(page, "anna").bounding_box()
    assert kim is not None and anna is not None
    assert kim["width"] <= 380 and anna["y"] >= kim["y"] + kim["height"], (kim, anna)
    assert await page.evaluate("document.documentElement.scrollWidth") <= 380
    alert = phone(page, "anna").locator(".message", has_text="Kim behöver hjälp")
    await alert.scroll_into_view_if_needed()
    await expect(alert).to_be_in_viewport()


PNG_1X1 = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


async def test_writing_a_picture_a_place_a_reply_and_a_command_from_the_page(
    tmp_path: Path, page: Page
) -> None:
    database = str(tmp_path / "demo.sqlite")
    async with demo_world(port=0, database=database, lead=timedelta(seconds=1)) as (sandbox, _):
        try:
            await write_from_the_page(page, f"{sandbox.url}/demo/")
            await media_from_a_real_phone_are_labelled(page, str(sandbox.url))
        except BaseException:
            print(f"screenshot of the failure: {await keep_screenshot(page)}")
            raise


async def write_from_the_page(page: Page, url: str) -> None:
    await page.goto(url)
    kim, anna = phone(page, "kim"), phone(page, "anna")
    await expect(kim).to_contain_text("God morgon Kim!", timeout=WAIT_MS)

    await button(page, "kim", "1. Vattna blommorna").click()
    picture = kim.locator("img.photo")
    await expect(picture).to_have_count(1, timeout=WAIT_MS)
    await expect(kim).to_contain_text("Vattenkannan står på hyllan i förrådet.")
    await page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=await picture.element_handle()
    )
    assert await picture.evaluate("img => img.naturalWidth") == 640

    await kim.locator(".text-input").fill("Jag är lite sen idag")
    await kim.locator(".text-input").press("Enter")
    await expect(kim).to_contain_text("Skickat till Anna.", timeout=WAIT_MS)
    await expect(anna).to_contain_text("✉️ Från Kim (Rutt 1 – Caféet).", timeout=WAIT_MS)
    relayed = anna.locator(".message", has_text="Jag är lite sen idag")
    await expect(relayed).to_have_count(1)

    await relayed.locator(".reply-button").click()
    # One message for staff: the header and Kim's words (issue 17); the bar quotes its start.
    await expect(anna.locator(".replying")).to_contain_text("Svarar på: ✉️ Från Kim")
    await anna.locator(".text-input").fill("Ingen fara, vi ses snart!")
    await anna.locator(".send").click()
    await expect(kim).to_contain_text("💬 Anna (stödperson) skriver:", timeout=WAIT_MS)
    await expect(kim.locator(".message", has_text="Ingen fara, vi ses snart!")).to_have_count(1)
    await expect(anna.locator(".replying")).to_be_hidden()

    await kim.locator(".location-button").click()
    await expect(anna.locator(".map-card")).to_contain_text("59.33258, 18.06490", timeout=WAIT_MS)

    await kim.locator(".photo-input").set_input_files(
        files=[{"name": "bild.png", "mimeType": "image/png", "buffer": PNG_1X1}]
    )
    sent = anna.locator("img.photo")
    await expect(sent).to_have_count(1, timeout=WAIT_MS)
    await page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=await sent.element_handle()
    )
    assert await sent.evaluate("img => img.naturalWidth") == 1

    lists_before = await kim.locator(".message", has_text="1. Vattna blommorna").count()
    await kim.locator(".commands-toggle").click()
    await kim.locator(".command", has_text="/today").click()
    await expect(kim.locator(".message", has_text="1. Vattna blommorna")).to_have_count(
        lists_before + 1, timeout=WAIT_MS
    )


async def media_from_a_real_phone_are_labelled(page: Page, url: str) -> None:
    """What the page cannot send (a voice note, a document, a sticker) still shows."""
    anna = phone(page, "anna")
    async with SandboxClient(url) as people:
        await people.send_voice(KIM, duration=7)
        await people.send_document(KIM, "schema.pdf", mime_type="application/pdf")
        await people.send_sticker(KIM, emoji="🌻")
    await expect(anna.locator(".media-voice")).to_have_text(
        "🎤 Röstmeddelande, 7 s", timeout=WAIT_MS
    )
    await expect(anna.locator(".document")).to_have_text("📄 schema.pdf", timeout=WAIT_MS)
    await expect(anna.locator(".media-sticker")).to_have_text("🌻", timeout=WAIT_MS)
