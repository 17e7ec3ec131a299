"""Delivery through python-telegram-bot's real HTTP stack against the fake Bot API, in virtual
time: each failure Telegram answers ends in the right state."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from telegram import Bot

from bot.channels import TelegramChannel
from bot.sender import Sender
from storage.records import Facts, Figure
from tests.fakes.bot_api import FakeBotAPI, Fault
from tests.fakes.clock import FakeClock
from tests.outbox_world import T0, World
from watchers.changes import decide_changes


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(T0)


@pytest.fixture
async def api(clock: FakeClock) -> AsyncIterator[FakeBotAPI]:
    async with FakeBotAPI(clock=clock) as server:
        yield server


@pytest.fixture
async def sender(tmp_path: Path, api: FakeBotAPI, clock: FakeClock) -> AsyncIterator[Sender]:
    world = World.build(tmp_path / "sw.db")
    for chat in (1, 2, -5):
        world.follow(chat)
    async with Bot(api.token, base_url=api.base_url) as bot:
        sender = Sender(world.store, TelegramChannel(bot), clock.now, clock.sleep)
        sender.world = world  # type: ignore[attr-defined]
        yield sender


def alert(sender: Sender, value: int, sentence: str = "") -> None:
    world: World = sender.world  # type: ignore[attr-defined]
    entry = world.entry(f"e{value}", hours=value)
    facts = Facts((Figure("killed", value, claimant="Russia", sentence=sentence),))
    world.store.commit_entry(entry, [(world.story, facts)], decide_changes, sender.clock())


async def test_alert_reaches_every_subscriber_as_html(sender: Sender, api: FakeBotAPI) -> None:
    alert(sender, 62, "Russia said 62 <soldiers> & officers died.")
    assert await sender.drain() == 3
    (message,) = api.sent(1)
    assert message.parse_mode == "HTML"
    assert message.text == (
        "Deir ez-Zor strike — killed: first report → 62 (Russia, via Outlet 0, 20 Sep 04:05 UTC)\n"
        "“Russia said 62 <soldiers> & officers died.”\nhttps://news.example/e62"
    )


async def test_later_alerts_reply_to_the_first(sender: Sender, api: FakeBotAPI) -> None:
    alert(sender, 62)
    await sender.drain()
    alert(sender, 83)
    await sender.drain()
    first, second = api.sent(1)
    assert first.reply_parameters is None
    assert second.reply_parameters == {
        "message_id": first.message_id,
        "allow_sending_without_reply": True,
    }


async def test_429_waits_retry_after(sender: Sender, api: FakeBotAPI, clock: FakeClock) -> None:
    api.fail(Fault.retry_after(7), chat_id=1)
    alert(sender, 62)
    await sender.drain()
    assert api.sent(1) == [] and len(api.sent(2)) == 1
    await sender.run(stop=lambda: bool(api.sent(1)))
    assert clock.monotonic() >= 7
    assert sender.store.unsent_count() == 0


async def test_403_deactivates_the_chat(sender: Sender, api: FakeBotAPI) -> None:
    api.block(2)
    alert(sender, 62)
    await sender.drain()
    assert not sender.store.get_chat(2).active
    assert sender.store.unsent_count() == 1  # kept for a /start, not dropped
    assert len(api.sent(1)) == 1


async def test_migrated_group_gets_the_alert_at_its_new_id(sender: Sender, api: FakeBotAPI) -> None:
    api.migrate(-5, -1_000_000_000_005)
    alert(sender, 62)
    await sender.drain()
    assert len(api.sent(-1_000_000_000_005)) == 1
    subscribers = sender.store.subscriptions_for_story(sender.world.story.id)  # type: ignore[attr-defined]
    assert [s.chat_id for s in subscribers] == [-1_000_000_000_005, 1, 2]


async def test_500_backs_off_and_retries(sender: Sender, api: FakeBotAPI, clock: FakeClock) -> None:
    api.fail(Fault.server_error(), chat_id=1, times=2)
    alert(sender, 62)
    await sender.drain()
    assert api.sent(1) == []
    await sender.run(stop=lambda: bool(api.sent(1)))
    assert sender.store.unsent_count() == 0
    assert sender.stats.retried == 2 and clock.monotonic() >= 6


async def test_bad_entities_resent_as_plain_text(sender: Sender, api: FakeBotAPI) -> None:
    api.fail(Fault.bad_entities(), chat_id=1)
    alert(sender, 62, "a <b>bold</b> claim")
    await sender.drain()
    (message,) = api.sent(1)
    assert message.parse_mode is None
    assert "“a <b>bold</b> claim”" in message.text
    assert sender.stats.plain_fallbacks == 1


async def test_chat_not_found_is_set_aside(sender: Sender, api: FakeBotAPI) -> None:
    api.fail(Fault.chat_not_found(), chat_id=1)
    alert(sender, 62)
    await sender.drain()
    (failed,) = sender.store.failed_outbox()
    assert failed.chat_id == 1 and "chat not found" in (failed.last_error or "").lower()
