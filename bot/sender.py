"""The sender (I/O): an asyncio task that drains the outbox into a `Channel` within Telegram's
limits, and records each outcome so that no alert is lost.

A row is marked sent only after the channel accepted it, so a crash between the two sends it
again (at least once; the only duplicate is that instant). Pacing is token buckets on the
injected clock, every wait goes through the injected sleep: tests run in virtual time.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.channels import (
    BadEntities,
    Channel,
    ChatGone,
    ChatMoved,
    OutgoingMessage,
    Refused,
    RetryLater,
    Unreachable,
)
from bot.render import Rendered, render_alert, render_article, render_notice
from storage.core import NotFound
from storage.outbox import RETENTION_DAYS
from storage.records import OutboxRow
from storage.store import Store

log = logging.getLogger(__name__)

Now = Callable[[], datetime]
Sleep = Callable[[float], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class Limits:
    """Telegram's sending limits, a little under so network jitter never crosses them."""

    overall_per_second: float = 29.5
    private_interval_s: float = 1.0
    group_interval_s: float = 3.0  # 20 messages a minute in a group
    backoff_base_s: float = 2.0
    backoff_cap_s: float = 600.0
    pause_cap_s: float = 60.0
    batch: int = 2000


class TokenBucket:
    """A token bucket (as GCRA): `rate` per second with bursts of `burst`, on any clock."""

    def __init__(self, rate: float, burst: int = 1) -> None:
        self.interval = 1.0 / rate
        self.burst = burst
        self._tat = float("-inf")  # theoretical arrival time of the next conforming send

    def ready_at(self) -> float:
        """The earliest time (in clock seconds) a token is available."""
        return self._tat - (self.burst - 1) * self.interval

    def take(self, now: float) -> None:
        self._tat = max(now, self._tat) + self.interval

    def pause_until(self, moment: float) -> None:
        self._tat = max(self._tat, moment + (self.burst - 1) * self.interval)


@dataclass
class SenderStats:
    """What the sender did since it started; the bench and the logs read it."""

    sent: int = 0
    plain_fallbacks: int = 0
    retried: int = 0
    failed: int = 0
    chats_deactivated: int = 0
    chats_migrated: int = 0
    by_chat: dict[int, int] = field(default_factory=dict)


def is_group(chat_id: int) -> bool:
    """Groups, supergroups and channels have negative ids in the Bot API."""
    return chat_id < 0


def backoff_seconds(attempts: int, limits: Limits) -> float:
    """Capped exponential backoff after `attempts` failed tries (1, 2, ...)."""
    return min(limits.backoff_cap_s, limits.backoff_base_s * 2 ** max(0, attempts - 1))


class Sender:
    """Drains the outbox: paced per chat and overall, outcome recorded per row."""

    def __init__(
        self,
        store: Store,
        channel: Channel,
        clock: Now,
        sleep: Sleep,
        limits: Limits | None = None,
    ) -> None:
        self.store = store
        self.channel = channel
        self.clock = clock
        self.sleep = sleep
        self.limits = limits or Limits()
        self.stats = SenderStats()
        self._overall = TokenBucket(self.limits.overall_per_second)
        self._chats: dict[int, TokenBucket] = {}
        self._transient_failures = 0
        self._last_retention: datetime | None = None

    def _seconds(self) -> float:
        return self.clock().timestamp()

    def _bucket(self, chat_id: int) -> TokenBucket:
        bucket = self._chats.get(chat_id)
        if bucket is None:
            interval = (
                self.limits.group_interval_s
                if is_group(chat_id)
                else self.limits.private_interval_s
            )
            bucket = self._chats[chat_id] = TokenBucket(1.0 / interval)
        return bucket

    async def run(self, idle_s: float = 1.0, stop: Callable[[], bool] = lambda: False) -> None:
        """Send forever (until `stop()`): pending rows first, then whatever the tick enqueues,
        looking again every `idle_s` seconds when there is nothing due."""
        while not stop():
            await self.drain(stop)
            self._apply_retention()
            due = self.store.next_outbox_due()
            wait = idle_s
            if due is not None:
                wait = min(idle_s, max(0.0, (due - self.clock()).total_seconds()))
            await self.sleep(wait if wait > 0 else idle_s / 10)

    async def drain(self, stop: Callable[[], bool] = lambda: False) -> int:
        """Send every row that is due now (pacing as it goes); return how many were sent.

        Rows of one chat go in order, one at a time; a chat waiting for its pace or a flood
        wait never holds up the others.
        """
        sent_before = self.stats.sent
        while not stop():
            rows = self.store.pending_outbox(self.clock(), limit=self.limits.batch)
            if not rows:
                break
            queues: dict[int, deque[OutboxRow]] = {}
            for row in rows:
                queues.setdefault(row.chat_id, deque()).append(row)
            refetch = False
            while queues and not refetch and not stop():
                now = self._seconds()
                ready = [chat for chat in queues if self._bucket(chat).ready_at() <= now]
                if not ready:
                    earliest = min(self._bucket(chat).ready_at() for chat in queues)
                    await self.sleep(max(0.0, earliest - now))
                    continue
                chat = min(ready, key=lambda c: queues[c][0].id or 0)
                wait = self._overall.ready_at() - now
                if wait > 0:
                    await self.sleep(wait)
                row = queues[chat].popleft()
                if not queues[chat]:
                    del queues[chat]
                refetch = await self.deliver(row)
                if refetch:
                    queues.clear()
            if not refetch:
                # Everything fetched was tried; rows deferred meanwhile are not due yet.
                rows_left = self.store.pending_outbox(self.clock(), limit=1)
                if not rows_left:
                    break
        return self.stats.sent - sent_before

    def _render(self, row: OutboxRow) -> Rendered:
        if row.kind == "admin_notice":
            return render_notice(row.text or "")
        alert = self.store.load_alert(row)
        return render_alert(alert) if row.kind == "alert" else render_article(alert)

    async def deliver(self, row: OutboxRow) -> bool:
        """Try to send one row and record what happened; True when the chat's rows moved or
        stopped (a migration or a block), so the caller fetches pending rows again."""
        assert row.id is not None
        try:
            rendered = self._render(row)
        except NotFound as error:
            log.error("outbox row %s cannot be rendered: %s", row.id, error)
            self.store.mark_failed(row, f"cannot render: {error}", self.clock())
            self.stats.failed += 1
            return False
        reply_to = None
        if row.story_id is not None and row.kind != "admin_notice":
            reply_to = self.store.thread_root(row.chat_id, row.thread_id, row.story_id)
        message = OutgoingMessage(row.chat_id, rendered.html, True, row.thread_id, reply_to)
        try:
            message_id = await self._send(message, rendered.plain)
        except RetryLater as error:
            until = self._seconds() + error.seconds
            self._bucket(row.chat_id).pause_until(until)
            self.store.defer(row, self.clock() + timedelta(seconds=error.seconds), str(error))
            self.stats.retried += 1
            return False
        except ChatGone as error:
            log.warning("chat %s blocked or removed the bot: %s", row.chat_id, error)
            self.store.deactivate_chat(row.chat_id, f"forbidden: {error}")
            self.stats.chats_deactivated += 1
            return True
        except ChatMoved as error:
            log.info("chat %s migrated to %s", row.chat_id, error.new_chat_id)
            self.store.migrate_chat(row.chat_id, error.new_chat_id)
            self.stats.chats_migrated += 1
            return True
        except Refused as error:
            log.error("Telegram refused outbox row %s for good: %s", row.id, error)
            self.store.mark_failed(row, f"refused: {error}", self.clock())
            self.stats.failed += 1
            return False
        except Unreachable as error:
            self._transient_failures += 1
            delay = backoff_seconds(row.attempts + 1, self.limits)
            self.store.defer(row, self.clock() + timedelta(seconds=delay), f"unreachable: {error}")
            self.stats.retried += 1
            # The network or Telegram is down for everyone: pause all sending, not one chat.
            pause = min(self.limits.pause_cap_s, 2 ** (self._transient_failures - 1))
            self._overall.pause_until(self._seconds() + pause)
            return False
        self._transient_failures = 0
        self.store.mark_sent(row, message_id, self.clock())
        self.stats.sent += 1
        self.stats.by_chat[row.chat_id] = self.stats.by_chat.get(row.chat_id, 0) + 1
        return False

    async def _send(self, message: OutgoingMessage, plain: str) -> int:
        now = self._seconds()
        self._overall.take(now)
        self._bucket(message.chat_id).take(now)
        try:
            return await self.channel.send(message)
        except BadEntities as error:
            log.warning("HTML refused for chat %s (%s); sending plain text", message.chat_id, error)
            self.stats.plain_fallbacks += 1
            fallback = OutgoingMessage(
                message.chat_id, plain, False, message.thread_id, message.reply_to
            )
            try:
                return await self.channel.send(fallback)
            except BadEntities as again:
                raise Refused(str(again)) from again

    def _apply_retention(self) -> None:
        now = self.clock()
        if self._last_retention is not None and now - self._last_retention < timedelta(hours=1):
            return
        self._last_retention = now
        gone = self.store.delete_sent_before(now - timedelta(days=RETENTION_DAYS))
        if gone:
            log.info("deleted %d outbox rows sent over %d days ago", gone, RETENTION_DAYS)
