"""Where the sender's messages go (I/O): Telegram through python-telegram-bot, or a terminal.

A `Channel` sends one message and returns its message id, or raises one of the
`DeliveryError`s below; the sender decides what each means for the outbox row. Nothing of
python-telegram-bot leaks past `TelegramChannel`.
"""

from __future__ import annotations

import html
import re
import warnings
from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol, TextIO

from telegram import Bot, ReplyParameters
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
)
from telegram.warnings import PTBDeprecationWarning

from storage.records import NO_THREAD


@dataclass(frozen=True, slots=True)
class OutgoingMessage:
    """One message for one chat: HTML (or plain) text, its topic, the message it replies to."""

    chat_id: int
    text: str
    html: bool = True
    thread_id: int = NO_THREAD
    reply_to: int | None = None


class DeliveryError(Exception):
    """A message was not delivered; the subclass says why and what to do."""


class RetryLater(DeliveryError):
    """Flood control: try this chat again after `seconds`."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"flood control: retry after {seconds:g} s")
        self.seconds = seconds


class ChatGone(DeliveryError):
    """The bot was blocked by the user or removed from the chat (403)."""


class ChatMoved(DeliveryError):
    """The group became a supergroup with another id; send there instead."""

    def __init__(self, new_chat_id: int) -> None:
        super().__init__(f"chat migrated to {new_chat_id}")
        self.new_chat_id = new_chat_id


class BadEntities(DeliveryError):
    """Telegram could not parse the message's HTML; the plain text may still go through."""


class Refused(DeliveryError):
    """Telegram refused the message for good (a 400 that sending again will not change)."""


class Unreachable(DeliveryError):
    """Network trouble or a server error: the message may go through later."""


class Channel(Protocol):
    """Sends messages to chats."""

    async def send(self, message: OutgoingMessage) -> int:
        """Deliver `message`; return the message id it got. Raises `DeliveryError`."""
        ...


_ENTITY_ERROR = re.compile(r"can.t parse entities|can.t find end of the entity", re.I)


def retry_after_seconds(value: int | float | timedelta) -> float:
    """`RetryAfter.retry_after` in seconds: PTB gives an int, or a timedelta with PTB_TIMEDELTA."""
    if isinstance(value, timedelta):
        return value.total_seconds()
    return float(value)


class TelegramChannel:
    """Sends through a python-telegram-bot `Bot`, mapping its errors onto `DeliveryError`s."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def send(self, message: OutgoingMessage) -> int:
        reply = None
        if message.reply_to is not None:
            # The root may have been deleted; a reply must not then bounce the alert.
            reply = ReplyParameters(message.reply_to, allow_sending_without_reply=True)
        try:
            sent = await self.bot.send_message(
                chat_id=message.chat_id,
                text=message.text,
                parse_mode=ParseMode.HTML if message.html else None,
                message_thread_id=message.thread_id or None,
                reply_parameters=reply,
            )
        except RetryAfter as error:
            with warnings.catch_warnings():
                # Both forms are handled, so PTB's notice of the int -> timedelta switch is moot.
                warnings.simplefilter("ignore", PTBDeprecationWarning)
                seconds = retry_after_seconds(error.retry_after)
            raise RetryLater(seconds) from error
        except Forbidden as error:
            raise ChatGone(error.message) from error
        except ChatMigrated as error:
            raise ChatMoved(int(error.new_chat_id)) from error
        except BadRequest as error:  # before NetworkError: BadRequest is one
            if _ENTITY_ERROR.search(error.message):
                raise BadEntities(error.message) from error
            raise Refused(error.message) from error
        except InvalidToken:
            raise  # a wrong token is not one message's problem: stop the sender
        except NetworkError as error:
            raise Unreachable(error.message) from error
        except TelegramError as error:
            raise Unreachable(error.message) from error
        return sent.message_id


_BOLD = re.compile(r"<b>(.*?)</b>", re.S)
_ITALIC = re.compile(r"<i>(.*?)</i>", re.S)
_TAG = re.compile(r"</?[a-z]+[^>]*>")


def html_for_terminal(text: str, color: bool) -> str:
    """Telegram HTML as a terminal shows it: bold and italic as ANSI styles (or nothing)."""
    if color:
        text = _BOLD.sub("\x1b[1m\\1\x1b[0m", text)
        text = _ITALIC.sub("\x1b[3m\\1\x1b[0m", text)
    return html.unescape(_TAG.sub("", text))


class ConsoleChannel:
    """Prints each message as a person would read it in Telegram; the demo uses it."""

    def __init__(self, out: TextIO, *, color: bool = False, names: dict[int, str] | None = None):
        self.out = out
        self.color = color
        self.names = names or {}
        self._last_id: dict[int, int] = {}

    async def send(self, message: OutgoingMessage) -> int:
        message_id = self._last_id.get(message.chat_id, 0) + 1
        self._last_id[message.chat_id] = message_id
        who = self.names.get(message.chat_id, f"chat {message.chat_id}")
        if message.thread_id:
            who += f", topic {message.thread_id}"
        header = f"── to {who}"
        if message.reply_to is not None:
            header += f" (reply to #{message.reply_to})"
        body = html_for_terminal(message.text, self.color) if message.html else message.text
        self.out.write(f"{header}\n{body}\n\n")
        self.out.flush()
        return message_id
