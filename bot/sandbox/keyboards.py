"""``reply_markup``: parsed and checked as the Bot API does, kept in a canonical form.

The canonical form is the JSON Telegram would echo: ``{"inline_keyboard": [[button...]]}``,
``{"keyboard": [[{"text": ...}]], ...}``, ``{"remove_keyboard": true}`` or
``{"force_reply": true}``. Only inline keyboards are part of a returned Message.
"""

from __future__ import annotations

from typing import Any

from bot.sandbox.errors import bad_request

Markup = dict[str, Any]

MAX_CALLBACK_DATA_BYTES = 64
_INLINE_KINDS = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)
_REPLY_OPTIONS = {
    "resize_keyboard": bool,
    "one_time_keyboard": bool,
    "is_persistent": bool,
    "selective": bool,
    "input_field_placeholder": str,
}


def parse_reply_markup(value: Any) -> Markup | None:
    """Canonical markup, or ``None`` for no markup (also for an empty inline keyboard)."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise bad_request("object expected as reply markup")
    if "keyboard" in value:
        return _reply_keyboard(value)
    if "inline_keyboard" in value:
        return _inline_keyboard(value["inline_keyboard"])
    if value.get("remove_keyboard") is True or value.get("hide_keyboard") is True:
        return _with_options({"remove_keyboard": True}, value, ("selective",))
    if value.get("force_reply") is True:
        markup = {"force_reply": True}
        return _with_options(markup, value, ("selective", "input_field_placeholder"))
    return None


def check_buttons(markup: Markup | None) -> None:
    """What Telegram's servers reject after the Bot API has accepted the markup."""
    if markup is None:
        return
    for row in markup.get("inline_keyboard", []):
        for button in row:
            data = button.get("callback_data")
            if data is not None and len(str(data).encode("utf-8")) > MAX_CALLBACK_DATA_BYTES:
                raise bad_request("BUTTON_DATA_INVALID")


def inline_rows(markup: Markup | None) -> list[list[dict[str, Any]]]:
    if markup is None:
        return []
    rows = markup.get("inline_keyboard", [])
    return [list(row) for row in rows]


def message_markup(markup: Markup | None) -> Markup | None:
    """The part of a markup a Message shows: only inline keyboards."""
    if markup is None or "inline_keyboard" not in markup:
        return None
    return markup


def _inline_keyboard(rows: Any) -> Markup | None:
    where = 'field "inline_keyboard" of the InlineKeyboardMarkup'
    if not isinstance(rows, list):
        raise bad_request(f"{where} must be an Array")
    result: list[list[dict[str, Any]]] = []
    for row in rows:
        if not isinstance(row, list):
            raise bad_request(f"{where} must be an Array of Arrays")
        result.append([_inline_button(button) for button in row])
    if not result:
        return None
    return {"inline_keyboard": result}


def _inline_button(button: Any) -> dict[str, Any]:
    prefix = "can't parse inline keyboard button"
    if not isinstance(button, dict):
        raise bad_request(f"{prefix}: InlineKeyboardButton must be an Object")
    text = button.get("text")
    if text is None:
        raise bad_request(f'{prefix}: Can\'t find field "text"')
    if not isinstance(text, str):
        raise bad_request(f'{prefix}: Field "text" must be of type String')
    for kind in _INLINE_KINDS:
        value = button.get(kind)
        if value is None or value == "":
            continue
        if kind in ("url", "callback_data") and not isinstance(value, str):
            raise bad_request(f'{prefix}: Field "{kind}" must be of type String')
        return {"text": text, kind: value}
    raise bad_request(f"{prefix}: Text buttons are unallowed in the inline keyboard")


def _reply_keyboard(value: dict[str, Any]) -> Markup | None:
    rows = value["keyboard"]
    where = 'field "keyboard" of the ReplyKeyboardMarkup'
    if not isinstance(rows, list):
        raise bad_request(f"{where} must be an Array")
    result: list[list[dict[str, Any]]] = []
    for row in rows:
        if not isinstance(row, list):
            raise bad_request(f"{where} must be an Array of Arrays")
        new_row: list[dict[str, Any]] = []
        for button in row:
            if isinstance(button, str):
                new_row.append({"text": button})
            elif isinstance(button, dict) and isinstance(button.get("text"), str):
                new_row.append(dict(button))
            else:
                raise bad_request(
                    "can't parse keyboard button: KeyboardButton must be a String or an Object"
                )
        result.append(new_row)
    if not result:
        return None
    return _with_options({"keyboard": result}, value, tuple(_REPLY_OPTIONS))


def _with_options(markup: Markup, value: dict[str, Any], names: tuple[str, ...]) -> Markup:
    for name in names:
        if name not in value or value[name] is None:
            continue
        expected = _REPLY_OPTIONS.get(name, bool)
        if not isinstance(value[name], expected):
            kind = "Boolean" if expected is bool else "String"
            raise bad_request(f'field "{name}" of the reply markup must be of the type {kind}')
        markup[name] = value[name]
    return markup
