"""The sandbox's pieces without HTTP: HTML parsing, buckets, faults, the update queue."""

from __future__ import annotations

import pytest

from bot.sandbox.entities import parse_formatted, utf16_len, with_bot_commands
from bot.sandbox.errors import ApiError
from bot.sandbox.keyboards import check_buttons, parse_reply_markup
from bot.sandbox.limits import FaultConfig, FaultInjector, LimitConfig, RateLimiter
from bot.sandbox.state import SandboxState


def html(text: str) -> tuple[str, list[tuple[str, int, int]]]:
    parsed = parse_formatted(text, "HTML", allow_empty=False)
    return parsed.text, [(e["type"], e["offset"], e["length"]) for e in parsed.entities]


def html_error(text: str) -> str:
    with pytest.raises(ApiError) as error:
        parse_formatted(text, "HTML", allow_empty=False)
    assert error.value.error_code == 400
    return error.value.description.removeprefix("Bad Request: can't parse entities: ")


def test_html_entities_and_tags() -> None:
    assert html("<b>fet</b> <i>kursiv</i> <u>u</u> <s>s</s>") == (
        "fet kursiv u s",
        [("bold", 0, 3), ("italic", 4, 6), ("underline", 11, 1), ("strikethrough", 13, 1)],
    )
    assert html("&lt;b&gt; &amp; &quot; &#65;&#x42; &nbsp; &") == ('<b> & " AB &nbsp; &', [])
    assert html("<B>STOR</B>") == ("STOR", [("bold", 0, 4)])
    assert html('<tg-spoiler>x</tg-spoiler><span class="tg-spoiler">y</span>') == (
        "xy",
        [("spoiler", 0, 1), ("spoiler", 1, 1)],
    )
    assert html("<blockquote expandable>citat</blockquote>") == (
        "citat",
        [("expandable_blockquote", 0, 5)],
    )


def test_html_links_and_code() -> None:
    parsed = parse_formatted(
        '<a href="https://x.se/?a=1&amp;b=2">länk</a> '
        '<pre><code class="language-python">x = 1</code></pre> <code>y</code>',
        "html",
        allow_empty=False,
    )
    assert parsed.text == "länk x = 1 y"
    assert parsed.entities == [
        {"type": "text_link", "offset": 0, "length": 4, "url": "https://x.se/?a=1&b=2"},
        {"type": "pre", "offset": 5, "length": 5, "language": "python"},
        {"type": "code", "offset": 11, "length": 1},
    ]


def test_html_offsets_are_utf16_and_errors_are_utf8_bytes() -> None:
    assert html("😀 <b>ok</b>") == ("😀 ok", [("bold", 3, 2)])
    assert utf16_len("😀") == 2
    assert html_error("åäö <p>") == 'Unsupported start tag "p" at byte offset 7'


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("<foo>x</foo>", 'Unsupported start tag "foo" at byte offset 0'),
        ("<b>x", "Can't find end tag corresponding to start tag b"),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("<b", "Unclosed start tag at byte offset 0"),
        ("<b>x</b", "Unclosed end tag at byte offset 4"),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ('<a href"x">y</a>', 'Expected equal sign in declaration of an attribute of the tag "a" '
                             "at byte offset 0"),
    ],
)  # fmt: skip
def test_html_errors(text: str, message: str) -> None:
    assert html_error(text) == message


def test_text_is_trimmed_and_must_not_be_empty() -> None:
    assert html("  \n<b>hej</b>  \n") == ("hej", [("bold", 0, 3)])
    assert parse_formatted("a\r\nb", None, allow_empty=False).text == "a\nb"
    with pytest.raises(ApiError, match="message must be non-empty"):
        parse_formatted("<b> </b>", "HTML", allow_empty=False)
    with pytest.raises(ApiError, match="unsupported parse_mode"):
        parse_formatted("x", "bbcode", allow_empty=False)
    assert parse_formatted("", "HTML", allow_empty=True).text == ""


def test_bot_commands_are_found() -> None:
    def commands(text: str) -> list[tuple[int, int]]:
        found = with_bot_commands(parse_formatted(text, None, allow_empty=False))
        return [(e["offset"], e["length"]) for e in found.entities]

    assert commands("/start abc /help@VardagBot") == [(0, 6), (11, 15)]
    assert commands("a/b and 1/2") == []


def test_reply_markup_parsing() -> None:
    assert parse_reply_markup({"inline_keyboard": []}) is None
    assert parse_reply_markup({"remove_keyboard": True}) == {"remove_keyboard": True}
    assert parse_reply_markup({"keyboard": [["Ja", {"text": "Nej"}]], "resize_keyboard": True}) == {
        "keyboard": [[{"text": "Ja"}, {"text": "Nej"}]],
        "resize_keyboard": True,
    }
    with pytest.raises(ApiError, match="Text buttons are unallowed in the inline keyboard"):
        parse_reply_markup({"inline_keyboard": [[{"text": "x"}]]})
    with pytest.raises(ApiError, match="must be an Array of Arrays"):
        parse_reply_markup({"inline_keyboard": [{"text": "x"}]})
    with pytest.raises(ApiError, match="BUTTON_DATA_INVALID"):
        long_data = {"inline_keyboard": [[{"text": "x", "callback_data": "x" * 65}]]}
        check_buttons(parse_reply_markup(long_data))


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_chat_bucket_bursts_then_refills() -> None:
    clock = FakeClock()
    limiter = RateLimiter(LimitConfig(chat_per_second=1.0, chat_burst=3), clock=clock)
    assert [limiter.acquire(1) for _ in range(3)] == [None, None, None]
    assert limiter.acquire(1) == 1
    assert limiter.acquire(2) is None  # another chat has its own bucket
    clock.now += 0.5
    assert limiter.acquire(1) == 1  # half a token: wait the rest, rounded up
    clock.now += 0.5
    assert limiter.acquire(1) is None


def test_global_bucket_and_switching_off() -> None:
    clock = FakeClock()
    limiter = RateLimiter(LimitConfig(global_per_second=2.0, chat_burst=5), clock=clock)
    assert [limiter.acquire(chat) for chat in (1, 2, 3)] == [None, None, 1]
    limiter.configure(LimitConfig(enabled=False))
    assert all(limiter.acquire(1) is None for _ in range(100))
    slow = RateLimiter(LimitConfig(chat_per_second=0.25, chat_burst=1), clock=clock)
    assert slow.acquire(1) is None and slow.acquire(1) == 4


def test_faults_are_seeded_and_limited_to_message_methods() -> None:
    config = FaultConfig(rate_429=0.2, rate_500=0.2, rate_timeout=0.2, seed=42)
    a, b = FaultInjector(config), FaultInjector(config)
    rolls_a = [a.roll("sendMessage") for _ in range(200)]
    assert rolls_a == [b.roll("sendMessage") for _ in range(200)]
    assert {"429", "500", "timeout", None} == set(rolls_a)
    assert 40 <= rolls_a.count(None) <= 120
    assert all(a.roll(m) is None for m in ("getUpdates", "getMe", "answerCallbackQuery"))
    always = FaultInjector(FaultConfig(rate_timeout=1.0))
    assert always.roll("EDITMESSAGETEXT") == "timeout"  # method names in any case
    a.configure(config)  # configuring again restarts the seeded sequence
    assert [a.roll("sendMessage") for _ in range(200)] == rolls_a
    only = FaultInjector(FaultConfig(rate_500=1.0, methods=frozenset({"getUpdates"})))
    assert only.roll("getupdates") == "500" and only.roll("sendMessage") is None


def test_update_queue_offsets() -> None:
    state = SandboxState("1:x")
    state.add_user(5, "Eva")
    for text in ("a", "b", "c"):
        state.post_user_message(5, kind="text", text=text)
    ids = [u.update_id for u in state.pending_updates()]
    assert ids == [1, 2, 3]
    assert [u.update_id for u in state.take_updates(0, 100)] == [1, 2, 3]
    assert [u.update_id for u in state.take_updates(99, 100)] == [1, 2, 3]  # in the future
    assert [u.update_id for u in state.take_updates(2, 1)] == [2]
    assert [u.update_id for u in state.take_updates(-1, 100)] == [3]
    assert state.take_updates(4, 100) == [] and state.pending_updates() == []


def test_allowed_updates_rules() -> None:
    state = SandboxState("1:x")
    state.set_allowed_updates(["callback_query", "nonsense"])
    assert state.allowed_updates == frozenset({"callback_query"})
    state.set_allowed_updates(None)  # absent: keep
    assert state.allowed_updates == frozenset({"callback_query"})
    state.set_allowed_updates(["nonsense"])  # nothing known: back to the default
    assert state.allowed_updates is None
    state.set_allowed_updates(["chat_member"])
    state.add_user(5, "Eva")
    _, update = state.post_user_message(5, kind="text", text="x")
    assert update is None and state.pending_updates() == []
