"""From a loopback feed to outbox rows with the real stages: the poll tick, the matcher, the rule
extractor and the change decisions, as `storywatch run` wires them (DESIGN "Change")."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from storage.records import Chat, Feed, Story
from storage.store import Store
from tests.fakes.clock import FakeClock
from tests.fakes.feeds import FeedItem, FeedServer, rss
from watchers.changes import decide_changes
from watchers.extract import RuleExtractor
from watchers.match import Matcher
from watchers.pipeline import Stages
from watchers.tick import Poller, PollSettings

REAL_STAGES = Stages(match=Matcher(), extract=RuleExtractor(), decide=decide_changes)
PUBLISHED = datetime(2016, 9, 17, 10, 0, tzinfo=UTC)
TOLL = "At least 83 people were killed in the ridge strike, officials said."
QUIET = FeedItem(
    title="Ridge strike: what we know",
    link="http://127.0.0.1/explainer",
    summary="Questions remain about the ridge strike.",
    guid="explainer",
    published=PUBLISHED,
)


def toll_item(outlet: int) -> FeedItem:
    return FeedItem(
        title="Ridge strike toll rises",
        link=f"http://127.0.0.1/{outlet}/toll",
        summary=TOLL,
        guid=f"toll-{outlet}",
        published=PUBLISHED + timedelta(minutes=outlet),
    )


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store.open(tmp_path / "alerts.db")


@pytest.fixture
async def poller(store: Store) -> AsyncIterator[Poller]:
    poller = Poller(store, REAL_STAGES, PollSettings(fetch_timeout_s=2.0, default_interval_s=60))
    yield poller
    await poller.close()


def ridge_story(store: Store, clock: FakeClock, followers: dict[int, bool]) -> Story:
    """The story, followed by each chat in `followers` (False: that subscription is muted)."""
    story = store.add_story(Story("ridge-strike", "Ridge strike", ("ridge",)), clock.now())
    for chat_id, unmuted in followers.items():
        kind = "private" if chat_id > 0 else "supergroup"
        store.save_chat(Chat(chat_id, kind=kind), clock.now())
        store.subscribe(chat_id, story.id or 0, clock.now())
        if not unmuted:
            store.set_muted_until(chat_id, story.id or 0, clock.now() + timedelta(days=1))
    return story


def add_feeds(store: Store, feed_server: FeedServer, clock: FakeClock, count: int) -> None:
    for outlet in range(count):
        url = feed_server.publish(f"/wire{outlet}.xml", rss(f"Wire {outlet}", [QUIET]))
        store.add_feed(Feed(url, title=f"Wire {outlet}", allow_private=True), clock.now())


def republish(feed_server: FeedServer, outlet: int, *items: FeedItem) -> None:
    feed_server.publish(f"/wire{outlet}.xml", rss(f"Wire {outlet}", [QUIET, *items]))


async def next_tick(poller: Poller, clock: FakeClock) -> None:
    clock.advance(timedelta(minutes=5))
    await poller.tick(clock.now())


def alert_rows(store: Store) -> list[tuple[int, int]]:
    """(chat, entry) of every alert row, in the order written."""
    rows = store.db.execute(
        "SELECT chat_id, entry_id FROM outbox WHERE kind = 'alert' ORDER BY id"
    ).fetchall()
    return [(chat, entry) for chat, entry in rows]


def transaction_of(statements: list[str], needle: str) -> int:
    """The index of the BEGIN IMMEDIATE whose transaction ran the first statement holding
    `needle`; fails when that statement ran outside a transaction."""
    begin: int | None = None
    for index, statement in enumerate(statements):
        if statement.startswith("BEGIN IMMEDIATE"):
            begin = index
        elif statement.startswith(("COMMIT", "ROLLBACK")):
            begin = None
        elif needle in statement:
            assert begin is not None, f"{statement!r} ran outside a transaction"
            return begin
    raise AssertionError(f"no statement holds {needle!r}")


async def test_a_new_figure_gives_one_row_per_subscriber_in_the_entrys_transaction(
    feed_server: FeedServer, store: Store, poller: Poller, clock: FakeClock
) -> None:
    story = ridge_story(store, clock, {101: True, 102: True, -1003: True, 104: False})
    add_feeds(store, feed_server, clock, 1)
    await poller.tick(clock.now())  # the first poll: an explainer, no fact
    assert alert_rows(store) == []

    republish(feed_server, 0, toll_item(0))
    statements: list[str] = []
    store.db.conn.set_trace_callback(statements.append)
    await next_tick(poller, clock)
    store.db.conn.set_trace_callback(None)

    entry = store.find_entry(store.list_feeds()[0].id or 0, "toll-0")
    assert entry is not None
    assert alert_rows(store) == [(-1003, entry.id), (101, entry.id), (102, entry.id)]
    (change,) = store.db.execute("SELECT metric, value, qualifier FROM changes").fetchall()
    assert tuple(change) == ("killed", 83, "at_least")
    assert store.story_facts(story.id or 0).figures[0].figure.value == 83
    entry_written = transaction_of(statements, 'INSERT INTO "entries"')
    assert transaction_of(statements, "INSERT INTO outbox") == entry_written


@pytest.mark.parametrize("first", [0, 1, 2], ids=["first-feed-first", "middle", "last"])
async def test_three_feeds_with_the_same_new_figure_in_one_tick_give_one_alert(
    feed_server: FeedServer, store: Store, poller: Poller, clock: FakeClock, first: int
) -> None:
    ridge_story(store, clock, {101: True, -1002: True})
    add_feeds(store, feed_server, clock, 3)
    await poller.tick(clock.now())
    for outlet in range(3):
        republish(feed_server, outlet, toll_item((outlet - first) % 3))
    await next_tick(poller, clock)

    assert store.db.execute("SELECT COUNT(*) FROM entries WHERE title != ''").fetchone()[0] == 6
    assert store.db.execute("SELECT COUNT(*) FROM figures").fetchone()[0] == 3
    assert store.db.execute("SELECT COUNT(*) FROM changes").fetchone()[0] == 1
    rows = alert_rows(store)
    assert sorted(chat for chat, _ in rows) == [-1002, 101]
    assert len({entry for _, entry in rows}) == 1
