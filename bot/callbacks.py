"""Inline-button payloads (pure): what a button does, packed into Telegram's `callback_data`.

Telegram limits `callback_data` to 64 bytes; every payload here is an action code and at most
two integers, so it stays far below. Anything a client sends back is decoded defensively:
unknown or malformed data decodes to None.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from storage.core import MAX_ROW_ID

MAX_CALLBACK_BYTES = 64

Action = Literal["follow", "unfollow", "stories", "history", "setting", "noop"]
_CODES: dict[Action, str] = {
    "follow": "f",
    "unfollow": "u",
    "stories": "s",
    "history": "h",
    "setting": "k",
    "noop": "n",
}
_ACTIONS: dict[str, Action] = {code: action for action, code in _CODES.items()}
SETTING_NAMES = ("figures", "positions", "articles")


@dataclass(frozen=True, slots=True)
class Button:
    """A button's meaning: an action on a story (id), a page, or a setting (index)."""

    action: Action
    story_id: int = 0
    page: int = 0

    def encode(self) -> str:
        """The `callback_data` for this button; always under 64 bytes."""
        data = f"{_CODES[self.action]}:{self.story_id}:{self.page}"
        if len(data.encode()) > MAX_CALLBACK_BYTES:
            raise ValueError(f"callback data {data!r} is over {MAX_CALLBACK_BYTES} bytes")
        return data


def decode(data: object) -> Button | None:
    """The button a `callback_data` string stands for, or None when it is not one of ours."""
    if not isinstance(data, str) or len(data) > MAX_CALLBACK_BYTES:
        return None
    parts = data.split(":")
    if len(parts) != 3 or parts[0] not in _ACTIONS:
        return None
    story, page = parts[1], parts[2]
    if not (story.isdigit() and page.isdigit() and story.isascii() and page.isascii()):
        return None
    if len(story) > 19 or len(page) > 9 or int(story) > MAX_ROW_ID:
        return None
    return Button(_ACTIONS[parts[0]], int(story), int(page))
