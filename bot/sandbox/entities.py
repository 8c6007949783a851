"""Message text and entities: Telegram's HTML parse mode, trimming, bot commands.

The HTML parser follows TDLib's ``parse_html`` (the code behind the Bot API's
``parse_mode=HTML``): the same supported tags, the same treatment of ``&lt;``, ``&gt;``,
``&amp;``, ``&quot;`` and numeric character references (any other ``&name;`` stays as it
is), and the same error messages with UTF-8 byte offsets, which the Bot API reports as
``Bad Request: can't parse entities: <message>``.

Entity offsets and lengths are in UTF-16 code units, as in the Bot API.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from bot.sandbox.errors import bad_request

Entity = dict[str, Any]

SUPPORTED_TAGS = frozenset(
    {
        "a", "b", "strong", "i", "em", "s", "strike", "del", "u", "ins",
        "tg-spoiler", "tg-emoji", "span", "pre", "code", "blockquote",
    }
)  # fmt: skip
_SIMPLE = {
    "i": "italic",
    "em": "italic",
    "b": "bold",
    "strong": "bold",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "u": "underline",
    "ins": "underline",
    "tg-spoiler": "spoiler",
}
# Entities that carry data of their own and survive even when they cover only spaces.
_HIDDEN_DATA = frozenset({"text_link", "text_mention", "custom_emoji"})
_SPACES = frozenset(" \t\r\n\0\v")
_ASCII_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
_COMMAND = re.compile(
    r"(?<![A-Za-z0-9_/@])/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?(?![A-Za-z0-9_/])"
)


@dataclass(frozen=True)
class FormattedText:
    """Plain text as a person sees it, with its entities."""

    text: str
    entities: list[Entity] = field(default_factory=list)


class _ParseError(Exception):
    pass


def utf16_len(text: str) -> int:
    return sum(2 if ord(ch) > 0xFFFF else 1 for ch in text)


def parse_formatted(
    text: str,
    parse_mode: str | None,
    entities: Any = None,
    *,
    allow_empty: bool,
) -> FormattedText:
    """Parse ``text`` as the Bot API would for ``text``/``caption`` with ``parse_mode``.

    Raises ``ApiError`` (400) for unsupported parse modes and HTML that doesn't parse, and
    ``message must be non-empty`` when nothing but spaces is left and that isn't allowed.
    """
    mode = (parse_mode or "").strip().lower()
    if text and mode not in ("", "none"):
        if mode == "html":
            try:
                plain, found = _parse_html(text)
            except _ParseError as exc:
                raise bad_request(f"can't parse entities: {exc}") from None
        elif mode in ("markdown", "markdownv2"):
            # Not parsed by the sandbox: the text is kept as written.
            plain, found = text, []
        else:
            raise bad_request("unsupported parse_mode")
    else:
        plain, found = text, _given_entities(entities)
    fixed = _fix(plain, found)
    if not fixed.text and not allow_empty and text:
        raise bad_request("message must be non-empty")
    return fixed


def with_bot_commands(formatted: FormattedText) -> FormattedText:
    """Add the ``bot_command`` entities Telegram detects in a text (``/start payload``)."""
    found: list[Entity] = []
    blocked = [e for e in formatted.entities if e["type"] in ("code", "pre", "text_link")]
    for match in _COMMAND.finditer(formatted.text):
        offset = utf16_len(formatted.text[: match.start()])
        length = utf16_len(match.group(0))
        overlaps = any(
            e["offset"] < offset + length and offset < e["offset"] + e["length"] for e in blocked
        )
        if not overlaps:
            found.append({"type": "bot_command", "offset": offset, "length": length})
    if not found:
        return formatted
    return FormattedText(formatted.text, _sorted(formatted.entities + found))


def _given_entities(entities: Any) -> list[Entity]:
    if not isinstance(entities, list):
        return []
    result: list[Entity] = []
    for item in entities:
        if not isinstance(item, dict):
            raise bad_request("can't parse entities JSON object")
        offset, length, kind = item.get("offset"), item.get("length"), item.get("type")
        if not isinstance(offset, int) or not isinstance(length, int) or not isinstance(kind, str):
            raise bad_request('can\'t parse MessageEntity: Field "type" must be of type String')
        result.append(dict(item))
    return result


def _sorted(entities: list[Entity]) -> list[Entity]:
    return sorted(entities, key=lambda e: (e["offset"], -e["length"]))


# --- HTML ------------------------------------------------------------------------------


def _decode_entity(text: str, pos: int) -> tuple[int, int]:
    """Decode ``&...;`` at ``pos``; returns (code point or 0, position after it)."""
    end = pos + 1
    code = 0
    if text[pos + 1] == "#":
        end += 1
        if text[pos + 2] == "x":
            end += 1
            while text[end] in "0123456789abcdefABCDEF" and text[end] != "\0":
                code = code * 16 + int(text[end], 16)
                end += 1
        else:
            while text[end] in "0123456789" and text[end] != "\0":
                code = code * 10 + int(text[end])
                end += 1
        if code == 0 or code >= 0x10FFFF or end - pos >= 10:
            return 0, pos
    else:
        while text[end].isascii() and text[end].isalpha():
            end += 1
        name = text[pos + 1 : end]
        named = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}.get(name)
        if named is None:
            return 0, pos
        code = ord(named)
    if text[end] == ";":
        end += 1
    return code, end


@dataclass
class _Open:
    tag: str
    argument: str
    offset: int
    out_index: int
    expandable: bool = False


def _parse_html(source: str) -> tuple[str, list[Entity]]:
    text = source + "\0"
    byte_at = [0]
    for ch in source:
        byte_at.append(byte_at[-1] + len(ch.encode("utf-8", "surrogatepass")))
    byte_at.append(byte_at[-1])
    out: list[str] = []
    entities: list[Entity] = []
    nested: list[_Open] = []
    utf16 = 0
    i = 0
    size = len(source)
    while i < size:
        ch = text[i]
        if ch == "&":
            code, after = _decode_entity(text, i)
            if code:
                if 0xD800 <= code <= 0xDFFF:
                    raise _ParseError(
                        "Text contains invalid Unicode characters after decoding HTML entities, "
                        "check for unmatched surrogate code units"
                    )
                out.append(chr(code))
                utf16 += 2 if code > 0xFFFF else 1
                i = after
                continue
        if ch != "<":
            out.append(ch)
            utf16 += 2 if ord(ch) > 0xFFFF else 1
            i += 1
            continue
        begin = i
        i += 1
        if text[i] != "/":
            i = _start_tag(text, i, begin, byte_at, out, nested, utf16)
        else:
            i = _end_tag(text, i, begin, byte_at, out, nested, entities, utf16)
        i += 1  # past '>'
    if nested:
        raise _ParseError(f"Can't find end tag corresponding to start tag {nested[-1].tag}")
    for entity in entities:
        if entity["type"] == "code":
            entity.pop("language", None)
    return "".join(out), _sorted(entities)


def _start_tag(
    text: str,
    i: int,
    begin: int,
    byte_at: list[int],
    out: list[str],
    nested: list[_Open],
    utf16: int,
) -> int:
    at = byte_at[begin]
    while text[i] not in _SPACES and text[i] != ">":
        i += 1
    if text[i] == "\0":
        raise _ParseError(f"Unclosed start tag at byte offset {at}")
    tag = text[begin + 1 : i].lower()
    if tag not in SUPPORTED_TAGS:
        raise _ParseError(f'Unsupported start tag "{tag}" at byte offset {at}')
    argument = ""
    expandable = False
    while text[i] != ">":
        while text[i] != "\0" and text[i] in _SPACES:
            i += 1
        if text[i] == ">":
            break
        name_begin = i
        while text[i] not in _SPACES and text[i] not in "=>":
            i += 1
        name = text[name_begin:i]
        if not name:
            raise _ParseError(f'Empty attribute name in the tag "{tag}" at byte offset {at}')
        while text[i] != "\0" and text[i] in _SPACES:
            i += 1
        if text[i] != "=":
            if tag == "blockquote" and name.lower() == "expandable" and text[i] != "\0":
                expandable = True
                continue
            raise _ParseError(
                "Expected equal sign in declaration of an attribute of the tag "
                f'"{tag}" at byte offset {at}'
            )
        i += 1
        while text[i] != "\0" and text[i] in _SPACES:
            i += 1
        if text[i] == "\0":
            raise _ParseError(f'Unclosed start tag "{tag}" at byte offset {at}')
        if text[i] not in "'\"":
            token_begin = i
            while text[i] in _ASCII_ALNUM or text[i] in ".-":
                i += 1
            value = text[token_begin:i].lower()
            if text[i] not in _SPACES and text[i] != ">":
                raise _ParseError(
                    f"Unexpected end of name token at byte offset {byte_at[token_begin]}"
                )
        else:
            quote = text[i]
            i += 1
            chars: list[str] = []
            while text[i] != quote and text[i] != "\0":
                if text[i] == "&":
                    code, after = _decode_entity(text, i)
                    if code:
                        chars.append(chr(code))
                        i = after
                        continue
                chars.append(text[i])
                i += 1
            if text[i] == quote:
                i += 1
            value = "".join(chars)
        if text[i] == "\0":
            raise _ParseError(f"Unclosed start tag at byte offset {at}")
        if tag == "a" and name == "href":
            argument = value
        elif tag == "code" and name == "class" and value.startswith("language-"):
            argument = value[len("language-") :]
        elif tag == "span" and name == "class" and value.startswith("tg-"):
            argument = value[len("tg-") :]
        elif tag == "tg-emoji" and name == "emoji-id":
            argument = value
    if tag == "span" and argument != "spoiler":
        raise _ParseError(f'Tag "span" must have class "tg-spoiler" at byte offset {at}')
    nested.append(_Open(tag, argument, utf16, len(out), expandable))
    return i


def _end_tag(
    text: str,
    i: int,
    begin: int,
    byte_at: list[int],
    out: list[str],
    nested: list[_Open],
    entities: list[Entity],
    utf16: int,
) -> int:
    at = byte_at[begin]
    if not nested:
        raise _ParseError(f"Unexpected end tag at byte offset {at}")
    while text[i] not in _SPACES and text[i] != ">":
        i += 1
    end_name = text[begin + 2 : i].lower()
    while text[i] in _SPACES and text[i] != "\0":
        i += 1
    if text[i] != ">":
        raise _ParseError(f"Unclosed end tag at byte offset {at}")
    top = nested[-1]
    if end_name and end_name != top.tag:
        raise _ParseError(
            f'Unmatched end tag at byte offset {at}, expected "</{top.tag}>", found "</{end_name}>"'
        )
    if utf16 > top.offset:
        entity = _entity_for(top, utf16 - top.offset, "".join(out[top.out_index :]), entities)
        if entity is not None:
            entities.append(entity)
    nested.pop()
    return i


def _entity_for(top: _Open, length: int, inner: str, entities: list[Entity]) -> Entity | None:
    base: Entity = {"offset": top.offset, "length": length}
    simple = _SIMPLE.get(top.tag)
    if simple is not None or (top.tag == "span" and top.argument == "spoiler"):
        return {"type": simple or "spoiler", **base}
    if top.tag == "tg-emoji":
        if not top.argument.isdigit() or int(top.argument) == 0:
            raise _ParseError("Invalid custom emoji identifier specified")
        return {"type": "custom_emoji", **base, "custom_emoji_id": top.argument}
    if top.tag == "a":
        url = (top.argument or inner).strip()
        if not url or any(ch in _SPACES for ch in url):
            return None
        return {"type": "text_link", **base, "url": url}
    last = entities[-1] if entities else None
    same_span = last is not None and last["offset"] == top.offset and last["length"] == length
    if top.tag == "pre":
        if last is not None and same_span and last["type"] == "code" and last.get("language"):
            last["type"] = "pre"
            return None
        return {"type": "pre", **base}
    if top.tag == "code":
        if last is not None and same_span and last["type"] == "pre" and top.argument:
            last["language"] = top.argument
            return None
        code: Entity = {"type": "code", **base}
        if top.argument:
            code["language"] = top.argument
        return code
    kind = "expandable_blockquote" if top.expandable else "blockquote"
    return {"type": kind, **base}


# --- what Telegram does to every text after parsing -------------------------------------


def _fix(text: str, entities: list[Entity]) -> FormattedText:
    """Drop ``\\r``, turn control characters into spaces, trim, drop blank entities."""
    kept: list[str] = []
    new_pos: list[int] = []  # utf16 position in the new text of each old utf16 position
    cursor = 0
    for ch in text:
        units = 2 if ord(ch) > 0xFFFF else 1
        new_pos.extend([cursor] * units)
        if ch == "\r":
            continue
        kept.append(" " if (ord(ch) < 32 and ch != "\n") else ch)
        cursor += units
    new_pos.append(cursor)
    cleaned = "".join(kept)
    moved: list[Entity] = []
    for entity in entities:
        start = min(max(entity["offset"], 0), len(new_pos) - 1)
        end = min(max(entity["offset"] + entity["length"], 0), len(new_pos) - 1)
        moved.append({**entity, "offset": new_pos[start], "length": new_pos[end] - new_pos[start]})
    stripped_right = cleaned.rstrip(" \n")
    right = utf16_len(stripped_right)
    first_entity = min((e["offset"] for e in moved if e["length"] > 0), default=right)
    lead = len(stripped_right) - len(stripped_right.lstrip(" \n"))
    lead_units = min(utf16_len(stripped_right[:lead]), first_entity)
    # lead_units only counts spaces and newlines, so it equals their number of characters
    final = stripped_right[lead_units:]
    result: list[Entity] = []
    for entity in moved:
        start = max(entity["offset"] - lead_units, 0)
        end = min(entity["offset"] + entity["length"], right) - lead_units
        if end <= start:
            continue
        covered = _slice_utf16(final, start, end)
        if covered.strip(" \n") == "" and entity["type"] not in _HIDDEN_DATA:
            continue
        result.append({**entity, "offset": start, "length": end - start})
    return FormattedText(final, _sorted(result))


def _slice_utf16(text: str, start: int, end: int) -> str:
    out: list[str] = []
    pos = 0
    for ch in text:
        if start <= pos < end:
            out.append(ch)
        pos += 2 if ord(ch) > 0xFFFF else 1
        if pos >= end:
            break
    return "".join(out)
