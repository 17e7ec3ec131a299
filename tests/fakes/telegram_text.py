"""How Telegram reads message text (pure): its HTML subset, its UTF-16 lengths, command entities.

The fake Bot API uses these to reject what Telegram rejects (malformed HTML in
`parse_mode=HTML`, texts over 4096 characters after entity parsing) and to mark commands in
queued messages as Telegram does.
"""

from __future__ import annotations

import re
from typing import Any

MAX_MESSAGE_LENGTH = 4096

# https://core.telegram.org/bots/api#html-style
SUPPORTED_TAGS = frozenset(
    {
        "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler",
        "a", "code", "pre", "blockquote", "tg-emoji",
    }
)  # fmt: skip
# Telegram knows only these named entities; every numeric one is fine.
_ENTITY = re.compile(r"&(?:(lt|gt|amp|quot)|#([0-9]{1,7})|#[xX]([0-9a-fA-F]{1,6}));")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_START_TAG = re.compile(r"<([A-Za-z][A-Za-z0-9-]*)")
_ATTRIBUTE = re.compile(
    r"""\s+([A-Za-z_:-][A-Za-z0-9_:.-]*)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>"']+))?"""
)
_TAG_CLOSE = re.compile(r"\s*/?>")
_END_TAG = re.compile(r"</([A-Za-z][A-Za-z0-9-]*)\s*>")
# Telegram marks a command anywhere it starts a word: "/follow", "/follow@somebot".
_COMMAND = re.compile(r"(?<![\w/@])/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?![\w/@])")


class EntityParseError(ValueError):
    """The text is not valid Telegram HTML; the message is Telegram's wording after
    "can't parse entities: "."""


def utf16_length(text: str) -> int:
    """The length Telegram counts: UTF-16 code units (an emoji outside the BMP counts 2)."""
    return len(text.encode("utf-16-le")) // 2


def parse_html(text: str) -> str:
    """Return the text a user sees for `text` sent with `parse_mode=HTML`.

    Raises EntityParseError where Telegram answers "can't parse entities": an unsupported or
    unclosed tag, a mismatched end tag, a raw `<` that starts no tag, a span without the
    spoiler class. A bare `&` or `>` is kept as text, as Telegram does.
    """
    seen: list[str] = []
    open_tags: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char == "&":
            match = _ENTITY.match(text, i)
            if match is None:
                seen.append("&")
                i += 1
                continue
            named, decimal, hexadecimal = match.groups()
            code = int(decimal) if decimal else int(hexadecimal, 16) if hexadecimal else None
            seen.append(_NAMED[named] if named else _code_point(code))
            i = match.end()
        elif char == "<" and text.startswith("</", i):
            i = _close_tag(text, i, open_tags)
        elif char == "<":
            i = _open_tag(text, i, open_tags)
        else:
            seen.append(char)
            i += 1
    if open_tags:
        raise EntityParseError(f'Can\'t find end tag corresponding to start tag "{open_tags[-1]}"')
    return "".join(seen)


def _code_point(code: int | None) -> str:
    if code is None or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return "\ufffd"
    return chr(code)


def _open_tag(text: str, start: int, open_tags: list[str]) -> int:
    offset = _byte_offset(text, start)
    match = _START_TAG.match(text, start)
    if match is None:
        raise EntityParseError(f'Unsupported start tag "" at byte offset {offset}')
    name = match.group(1).lower()
    if name not in SUPPORTED_TAGS:
        raise EntityParseError(f'Unsupported start tag "{name}" at byte offset {offset}')
    attributes: dict[str, str] = {}
    position = match.end()
    while (attribute := _ATTRIBUTE.match(text, position)) is not None:
        value = attribute.group(2) or ""
        attributes[attribute.group(1).lower()] = value.strip("\"'")
        position = attribute.end()
    closing = _TAG_CLOSE.match(text, position)
    if closing is None:
        raise EntityParseError(f"Unclosed start tag at byte offset {offset}")
    if name == "span" and attributes.get("class") != "tg-spoiler":
        raise EntityParseError('Tag "span" must have class "tg-spoiler"')
    if name == "tg-emoji" and "emoji-id" not in attributes:
        raise EntityParseError('Tag "tg-emoji" must have attribute "emoji-id"')
    open_tags.append(name)
    return closing.end()


def _close_tag(text: str, start: int, open_tags: list[str]) -> int:
    offset = _byte_offset(text, start)
    match = _END_TAG.match(text, start)
    if match is None:
        raise EntityParseError(f"Unclosed end tag at byte offset {offset}")
    name = match.group(1).lower()
    if not open_tags:
        raise EntityParseError(f"Unexpected end tag at byte offset {offset}")
    if open_tags[-1] != name:
        raise EntityParseError(
            f'Unmatched end tag at byte offset {offset}, expected "</{open_tags[-1]}>", '
            f'found "</{name}>"'
        )
    open_tags.pop()
    return match.end()


def _byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode())


def command_entities(text: str) -> list[dict[str, Any]]:
    """The `bot_command` entities Telegram attaches to `text` (offsets in UTF-16 units)."""
    return [
        {
            "type": "bot_command",
            "offset": utf16_length(text[: match.start()]),
            "length": utf16_length(match.group()),
        }
        for match in _COMMAND.finditer(text)
    ]
