"""`/track` and `/watch` with the real baseline of `storywatch run` (DESIGN "Baseline"): facts
in entries stored before take no alert but show in /status; a fact polled afterwards alerts."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.wiring import baseline_for, pipeline_stages
from storage.records import Feed
from tests.chat_harness import ChatHarness
from tests.fakes.bot_api import FakeBotAPI
from tests.fakes.clock import FakeClock
from tests.fakes.feeds import FeedItem, FeedServer, rss
from watchers.tick import Poller, PollSettings

USER = 1001
PUBLISHED = datetime(2016, 9, 17, 10, 0, tzinfo=UTC)
EARLIER = [
    FeedItem(
        title="Ridge strike toll rises",
        link="http://127.0.0.1/toll-83",
        summary="At least 83 people were killed in the ridge strike, officials said.",
        guid="toll-83",
        published=PUBLISHED,
    ),
    FeedItem(
        title="Ridge strike: United States expresses regret",
        link="http://127.0.0.1/regret",
        summary="The United States expressed regret over the ridge strike on Saturday.",
        guid="regret",
        published=PUBLISHED + timedelta(minutes=5),
    ),
]
LATER = FeedItem(
    title="Ridge strike: toll revised",
    link="http://127.0.0.1/toll-90",
    summary="At least 90 people were killed in the ridge strike, officials said.",
    guid="toll-90",
    published=PUBLISHED + timedelta(hours=2),
)


@pytest.fixture
async def world(
    bot_api: FakeBotAPI, feed_server: FeedServer, clock: FakeClock, tmp_path: Path
) -> AsyncIterator[tuple[ChatHarness, Poller]]:
    """The chat with the real baseline, and a poller with the real stages on the same store,
    whose one feed already holds two entries with facts (stored before any story matched)."""
    stages = pipeline_stages()
    async with ChatHarness(
        bot_api, clock, tmp_path / "storywatch.db", baseline=baseline_for(stages)
    ) as chat:
        url = feed_server.publish("/wire.xml", rss("Wire", EARLIER))
        chat.store.add_feed(Feed(url, title="Wire", allow_private=True), clock.now())
        poller = Poller(chat.store, stages, PollSettings(fetch_timeout_s=2, default_interval_s=60))
        try:
            await poller.tick(clock.now())
            yield chat, poller
        finally:
            await poller.close()


def outbox(chat: ChatHarness) -> list[tuple[int, str]]:
    rows = chat.store.db.execute("SELECT chat_id, kind FROM outbox ORDER BY id").fetchall()
    return [(chat_id, kind) for chat_id, kind in rows]


@pytest.mark.parametrize(
    "commands",
    [
        pytest.param(["/track Ridge strike: ridge"], id="track"),
        pytest.param(["/track Ridge strike: canyon", "/watch ridge-strike ridge"], id="watch"),
    ],
)
async def test_a_story_takes_stored_facts_silently_and_alerts_on_new_ones(
    world: tuple[ChatHarness, Poller],
    feed_server: FeedServer,
    clock: FakeClock,
    commands: list[str],
) -> None:
    chat, poller = world
    for command in commands:
        (answer,) = await chat.say(USER, command)
    assert "2 stored articles" in answer.text, answer.text
    assert outbox(chat) == []
    assert chat.store.db.execute("SELECT COUNT(*), SUM(silent) FROM changes").fetchone() == (2, 2)

    (status,) = await chat.say(USER, "/status ridge-strike")
    assert "killed: at least 83 (via Wire" in status.text, status.text
    assert "United States: regrets" in status.text, status.text

    feed_server.publish("/wire.xml", rss("Wire", [*EARLIER, LATER]))
    clock.advance(timedelta(minutes=5))
    await poller.tick(clock.now())
    assert outbox(chat) == [(USER, "alert")]
    (value, silent) = chat.store.db.execute(
        "SELECT value, silent FROM changes ORDER BY id DESC LIMIT 1"
    ).fetchone()
    assert (value, silent) == (90, 0)
