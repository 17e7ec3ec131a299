"""Who may do what in a chat: bot admins, group administrators, story owners.

The rules are pure functions; `ChatAdminCache` remembers Telegram's `getChatMember` answers for
five minutes (by an injected clock) so a busy group costs one lookup per user, not per command.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from storage.records import Story

ADMIN_CACHE_TTL = timedelta(minutes=5)
ADMIN_STATUSES = frozenset({"creator", "administrator"})


@dataclass(frozen=True, slots=True)
class Sender:
    """Who sent a command, as far as permissions go.

    `chat_kind` is the chat's type; `user_id` is None for a channel post or an anonymous
    admin; `as_chat_itself` is True when the message was sent on behalf of the chat (a
    group's anonymous administrator, or a channel's post).
    """

    chat_id: int
    chat_kind: str
    user_id: int | None
    as_chat_itself: bool
    bot_admin: bool


def may_see(story: Story, chat_id: int, bot_admin: bool) -> bool:
    """Config and CLI stories are public; a chat's own story is seen by it and by bot admins."""
    return story.source != "chat" or story.owner_chat_id == chat_id or bot_admin


def may_edit(story: Story, chat_id: int, bot_admin: bool) -> bool:
    """Only the owner chat or a bot admin may change a story's keywords or untrack it."""
    return bot_admin or (story.source == "chat" and story.owner_chat_id == chat_id)


def trusted_without_lookup(sender: Sender) -> bool:
    """Private chats, channel posts (only admins post), anonymous admins and bot admins."""
    return sender.bot_admin or sender.chat_kind in ("private", "channel") or sender.as_chat_itself


MemberStatus = Callable[[int, int], Awaitable[str]]


class ChatAdminCache:
    """`getChatMember` answers per (chat, user), kept for `ttl`."""

    def __init__(
        self, lookup: MemberStatus, now: Callable[[], datetime], ttl: timedelta = ADMIN_CACHE_TTL
    ) -> None:
        self._lookup = lookup
        self._now = now
        self._ttl = ttl
        self._answers: dict[tuple[int, int], tuple[bool, datetime]] = {}

    async def is_admin(self, chat_id: int, user_id: int) -> bool:
        """Whether `user_id` administers `chat_id`; asks Telegram at most once per `ttl`."""
        now = self._now()
        cached = self._answers.get((chat_id, user_id))
        if cached is not None and now - cached[1] < self._ttl:
            return cached[0]
        answer = (await self._lookup(chat_id, user_id)) in ADMIN_STATUSES
        self._answers[(chat_id, user_id)] = (answer, now)
        if len(self._answers) > 10_000:
            self._forget_expired(now)
        return answer

    def _forget_expired(self, now: datetime) -> None:
        self._answers = {
            key: value for key, value in self._answers.items() if now - value[1] < self._ttl
        }

    async def may_manage(self, sender: Sender) -> bool:
        """Whether the sender may change this chat's subscriptions, settings or stories."""
        if trusted_without_lookup(sender):
            return True
        if sender.user_id is None:
            return False
        return await self.is_admin(sender.chat_id, sender.user_id)
