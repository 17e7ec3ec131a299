"""The sender's logic in virtual time, through a scripted `Channel`: pacing, threads, and the
state every delivery outcome leaves behind. (`test_delivery_telegram.py` runs the same cases
through python-telegram-bot against the fake Bot API.)"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bot.channels import (
    BadEntities,
    ChatGone,
    ChatMoved,
    DeliveryError,
    OutgoingMessage,
    Refused,
    RetryLater,
    Unreachable,
)
from bot.sender import Sender
from storage.records import Chat, Facts, Figure
from tests.fakes.clock import FakeClock
from tests.outbox_world import T0, World
from watchers.changes import decide_changes


@dataclass
class Delivered:
    at: float
    message: OutgoingMessage
    message_id: int


@dataclass
class ScriptedChannel:
    """A Channel that accepts everything except the failures scripted per (chat, try)."""

    clock: FakeClock
    script: dict[tuple[int, int], DeliveryError] = field(default_factory=dict)
    delivered: list[Delivered] = field(default_factory=list)
    tries: dict[int, int] = field(default_factory=dict)

    async def send(self, message: OutgoingMessage) -> int:
        n = self.tries[message.chat_id] = self.tries.get(message.chat_id, 0) + 1
        failure = self.script.get((message.chat_id, n))
        if failure is not None:
            raise failure
        message_id = 1000 + len(self.delivered)
        self.delivered.append(Delivered(self.clock.monotonic(), message, message_id))
        return message_id

    def to(self, chat_id: int) -> list[Delivered]:
        return [d for d in self.delivered if d.message.chat_id == chat_id]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(T0)


@pytest.fixture
def world(tmp_path: Path) -> World:
    return World.build(tmp_path / "sw.db")


def sender_for(world: World, channel: ScriptedChannel, clock: FakeClock) -> Sender:
    return Sender(world.store, channel, clock.now, clock.sleep)


def alert(world: World, n: int, clock: FakeClock) -> None:
    """Commit an entry with a new figure (value n) at the clock's time."""
    entry = world.entry(f"e{n}", hours=n / 3600)
    world.store.commit_entry(
        entry,
        [(world.story, Facts((Figure("killed", n, sentence=f"{n} killed"),)))],
        decide_changes,
        clock.now(),
    )


async def test_first_alert_starts_a_thread_later_ones_reply(world, clock) -> None:
    world.follow(1)
    world.follow(-100, thread_id=7)
    for n in (1, 2, 3):
        alert(world, n, clock)
    channel = ScriptedChannel(clock)
    assert await sender_for(world, channel, clock).drain() == 6
    for chat, thread in ((1, 0), (-100, 7)):
        got = channel.to(chat)
        assert [d.message.thread_id for d in got] == [thread] * 3
        assert got[0].message.reply_to is None
        assert [d.message.reply_to for d in got[1:]] == [got[0].message_id] * 2
        assert world.store.thread_root(chat, thread, world.story.id or 0) == got[0].message_id
    assert world.store.unsent_count() == 0
    assert "62" not in channel.delivered[0].message.text
    assert "killed: first report → 1" in channel.delivered[0].message.text


async def test_pacing_per_chat_and_per_group(world, clock) -> None:
    world.follow(1)
    world.follow(-100)
    for n in (1, 2, 3, 4):
        alert(world, n, clock)
    channel = ScriptedChannel(clock)
    await sender_for(world, channel, clock).drain()
    private = [d.at for d in channel.to(1)]
    group = [d.at for d in channel.to(-100)]
    assert [round(b - a, 3) for a, b in itertools.pairwise(private)] == [1.0] * 3
    assert [round(b - a, 3) for a, b in itertools.pairwise(group)] == [3.0] * 3


async def test_overall_pace_stays_under_30_per_second(world, clock) -> None:
    for chat in range(1, 121):
        world.follow(chat)
    alert(world, 1, clock)
    channel = ScriptedChannel(clock)
    await sender_for(world, channel, clock).drain()
    times = [d.at for d in channel.delivered]
    assert len(times) == 120
    for i in range(len(times) - 30):
        assert times[i + 30] - times[i] >= 1.0  # never 31 sends inside one second
    assert 4.0 <= times[-1] - times[0] <= 4.2


async def test_retry_after_waits_for_that_chat_only(world, clock) -> None:
    world.follow(1)
    world.follow(2)
    alert(world, 1, clock)
    channel = ScriptedChannel(clock, {(1, 1): RetryLater(30)})
    sender = sender_for(world, channel, clock)
    await sender.drain()
    assert len(channel.to(2)) == 1 and channel.to(2)[0].at < 0.1
    assert channel.to(1) == []
    (row,) = world.store._rows("SELECT attempts, last_error FROM outbox WHERE chat_id = 1")
    assert row["attempts"] == 1 and "retry after 30" in row["last_error"]
    await sender.run(stop=lambda: bool(channel.to(1)))
    assert 30.0 <= channel.to(1)[0].at < 31.5
    assert world.store.unsent_count() == 0


async def test_forbidden_deactivates_until_start(world, clock) -> None:
    world.follow(1)
    world.follow(2)
    alert(world, 1, clock)
    channel = ScriptedChannel(clock, {(1, 1): ChatGone("bot was blocked by the user")})
    sender = sender_for(world, channel, clock)
    await sender.drain()
    assert not world.store.get_chat(1).active
    assert len(channel.to(2)) == 1
    alert(world, 2, clock)  # while blocked, no new row for chat 1
    assert world.store._scalar("SELECT COUNT(*) FROM outbox WHERE chat_id = 1") == 1
    await sender.drain()
    assert channel.to(1) == []
    world.store.save_chat(Chat(1, active=True), clock.now())  # /start
    await sender.drain()
    assert len(channel.to(1)) == 1
    assert world.store.unsent_count() == 0


async def test_migrated_group_keeps_subscriptions_and_starts_a_new_thread(world, clock) -> None:
    world.follow(-5)
    alert(world, 1, clock)
    channel = ScriptedChannel(clock, {(-5, 2): ChatMoved(-1005)})
    sender = sender_for(world, channel, clock)
    await sender.drain()
    alert(world, 2, clock)
    await sender.drain()
    assert [d.message.chat_id for d in channel.delivered] == [-5, -1005]
    assert channel.delivered[1].message.reply_to is None  # a new thread in the new chat
    story_id = world.story.id or 0
    assert [s.chat_id for s in world.store.subscriptions_for_story(story_id)] == [-1005]
    assert world.store.thread_root(-1005, 0, story_id) == channel.delivered[1].message_id
    alert(world, 3, clock)
    await sender.drain()
    assert channel.delivered[2].message.reply_to == channel.delivered[1].message_id


async def test_bad_entities_resend_once_as_plain_text(world, clock) -> None:
    world.follow(1)
    alert(world, 1, clock)
    channel = ScriptedChannel(clock, {(1, 1): BadEntities("can't parse entities")})
    await sender_for(world, channel, clock).drain()
    (delivered,) = channel.delivered
    assert not delivered.message.html
    assert delivered.message.text.startswith("Deir ez-Zor strike — killed")
    assert world.store.unsent_count() == 0


async def test_refused_twice_is_set_aside_not_dropped(world, clock) -> None:
    world.follow(1)
    world.follow(2)
    alert(world, 1, clock)
    channel = ScriptedChannel(
        clock, {(1, 1): BadEntities("can't parse"), (1, 2): BadEntities("can't parse")}
    )
    await sender_for(world, channel, clock).drain()
    (failed,) = world.store.failed_outbox()
    assert failed.chat_id == 1 and failed.sent_at is None and "refused" in (failed.last_error or "")
    assert len(channel.to(2)) == 1


@pytest.mark.parametrize(
    "failure",
    [
        pytest.param(Unreachable("Internal Server Error"), id="server-error"),
        pytest.param(Unreachable("connection reset"), id="network-error"),
    ],
)
async def test_transient_failures_back_off_and_keep_the_row(world, clock, failure) -> None:
    world.follow(1)
    alert(world, 1, clock)
    channel = ScriptedChannel(clock, {(1, 1): failure, (1, 2): failure})
    sender = sender_for(world, channel, clock)
    await sender.drain()
    assert world.store.unsent_count() == 1
    await sender.run(stop=lambda: bool(channel.delivered))
    assert 6.0 <= channel.delivered[0].at <= 7.5  # 2 s then 4 s of backoff
    assert world.store._scalar("SELECT attempts FROM outbox") == 3


async def test_refused_message_for_good(world, clock) -> None:
    world.follow(1)
    alert(world, 1, clock)
    channel = ScriptedChannel(clock, {(1, 1): Refused("chat not found")})
    await sender_for(world, channel, clock).drain()
    assert len(world.store.failed_outbox()) == 1
    assert world.store.pending_outbox(clock.now()) == []


async def test_pending_rows_are_sent_on_start_up(world, clock) -> None:
    world.follow(1)
    alert(world, 1, clock)
    alert(world, 2, clock)
    first = ScriptedChannel(clock)
    sender = sender_for(world, first, clock)
    row = world.store.pending_outbox(clock.now())[0]
    await sender.deliver(row)
    # a new process: a new Sender over the same database
    second = ScriptedChannel(clock)
    await sender_for(world, second, clock).drain()
    assert len(first.delivered) == 1 and len(second.delivered) == 1
    assert second.delivered[0].message.reply_to == first.delivered[0].message_id


async def test_admin_notice_is_escaped_text(world, clock) -> None:
    world.store.enqueue_notice(42, "feed <x> & friends failing", clock.now())
    channel = ScriptedChannel(clock)
    await sender_for(world, channel, clock).drain()
    assert channel.delivered[0].message.text == "feed &lt;x&gt; &amp; friends failing"


async def test_retention_deletes_sent_rows_after_30_days(world, clock) -> None:
    world.follow(1)
    alert(world, 1, clock)
    channel = ScriptedChannel(clock)
    sender = sender_for(world, channel, clock)
    await sender.drain()
    clock.advance(29 * 86400)
    assert world.store.delete_sent_before(clock.now() - timedelta(days=30)) == 0
    clock.advance(2 * 86400)
    assert world.store.delete_sent_before(clock.now() - timedelta(days=30)) == 1


def test_virtual_time_started_at_t0(clock: FakeClock) -> None:
    assert clock.now() == T0 and isinstance(clock.now(), datetime)
