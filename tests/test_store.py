"""The Store on a real SQLite file: migrations, round trips, constraints and concurrency."""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlite_utils import Database

from storage.core import Conflict, NotFound, connect
from storage.migrations import MIGRATIONS
from storage.records import (
    Change,
    Chat,
    Entry,
    Facts,
    Feed,
    Figure,
    Position,
    Story,
    StoryFacts,
    Subscription,
)
from storage.store import Store

NOW = datetime(2016, 9, 17, 14, 5, tzinfo=UTC)


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "storywatch.db") as opened:
        yield opened


def schema(db: Database) -> list[tuple[str, str]]:
    return sorted(
        (row[0], row[1])
        for row in db.execute(
            "SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL "
            "AND name != '_sqlite_migrations'"
        ).fetchall()
    )


def test_migrations_from_empty_are_current_and_recorded(tmp_path):
    with Store.open(tmp_path / "a.db") as store:
        assert store.schema_current()
    applied = [m.name for m in MIGRATIONS.applied(Database(connect(tmp_path / "a.db")))]
    assert applied == [m.name for m in MIGRATIONS.pending(Database(memory=True))]


@pytest.mark.parametrize("stop", range(len(MIGRATIONS.pending(Database(memory=True)))))
def test_migrating_from_each_earlier_version_gives_the_same_schema(tmp_path, stop):
    names = [m.name for m in MIGRATIONS.pending(Database(memory=True))]
    partial = Database(connect(tmp_path / "old.db"))
    MIGRATIONS.apply(partial, stop_before=names[stop])
    partial.close()
    with Store.open(tmp_path / "old.db") as upgraded, Store.open(tmp_path / "new.db") as fresh:
        assert schema(upgraded.db) == schema(fresh.db)
        assert upgraded.schema_current()


def test_connection_uses_wal_foreign_keys_and_a_busy_timeout(store):
    pragma = store.db.execute
    assert pragma("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert pragma("PRAGMA foreign_keys").fetchone()[0] == 1
    assert pragma("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
    assert pragma("PRAGMA busy_timeout").fetchone()[0] >= 1000


def test_feed_round_trip_keeps_every_field(store):
    feed = Feed(
        url="https://news.example/world.rss",
        config_url="https://news.example/world.rss",
        title="World",
        source="config",
        allow_private=True,
        interval_s=60,
        etag='"abc"',
        last_modified="Sat, 17 Sep 2016 14:05:00 GMT",
        body_hash="f00",
        next_poll_at=NOW + timedelta(minutes=5),
        last_polled_at=NOW,
        last_success_at=NOW,
        last_status=200,
        last_error=None,
        failures=0,
        created_at=NOW,
    )
    stored = store.add_feed(feed, NOW)
    assert stored.id is not None
    assert stored == replace(feed, id=stored.id)
    moved = replace(stored, url="https://news.example/moved.rss", failures=3, last_error="boom")
    store.save_feed(moved)
    assert store.get_feed(stored.id) == moved
    assert store.find_feed("https://news.example/world.rss") == moved  # by config URL
    assert store.find_feed(str(stored.id)) == moved


def test_duplicate_feed_url_and_story_slug_are_conflicts(store):
    store.add_feed(Feed(url="https://a.example/rss"), NOW)
    with pytest.raises(Conflict):
        store.add_feed(Feed(url="https://a.example/rss"), NOW)
    store.add_story(Story(slug="deir-ez-zor", title="Deir ez-Zor", keywords=("strike",)), NOW)
    with pytest.raises(Conflict):
        store.add_story(Story(slug="deir-ez-zor", title="Other", keywords=("x",)), NOW)


def test_story_round_trip_and_keyword_edits_bump_the_stories_version(store):
    story = store.add_story(
        Story(slug="deir-ez-zor", title="Deir ez-Zor strike", keywords=("Deir ez-Zor", "+Syria")),
        NOW,
    )
    assert store.get_story("deir-ez-zor") == story
    assert story.keywords == ("Deir ez-Zor", "+Syria")
    version = store.stories_version()
    story = store.add_keywords(story.id, ["coalition", "Deir ez-Zor"])
    assert story.keywords == ("Deir ez-Zor", "+Syria", "coalition")
    story = store.remove_keywords(story.id, ["+Syria"])
    assert story.keywords == ("Deir ez-Zor", "coalition")
    assert store.stories_version() == version + 2
    with pytest.raises(NotFound):
        store.get_story("nope")


def test_chat_and_subscription_round_trip(store):
    story = store.add_story(Story(slug="s", title="S", keywords=("x",)), NOW)
    chat = Chat(id=-1001, kind="supergroup", title="Desk", articles_on=True, created_at=NOW)
    assert store.save_chat(chat, NOW) == chat
    sub = store.subscribe(chat.id, story.id, NOW, thread_id=7)
    assert sub == Subscription(chat_id=-1001, story_id=story.id, thread_id=7, created_at=NOW)
    assert store.subscriptions_for_story(story.id) == [sub]
    store.unsubscribe(chat.id, story.id, thread_id=7)
    assert store.subscriptions_for_story(story.id) == []


def test_disabling_a_story_deactivates_its_subscriptions(store):
    story = store.add_story(Story(slug="s", title="S", keywords=("x",)), NOW)
    store.save_chat(Chat(id=1), NOW)
    store.subscribe(1, story.id, NOW)
    store.set_story_enabled(story.id, False)
    assert store.subscriptions_for_chat(1) == []
    assert not store.get_story("s").enabled


def test_foreign_keys_are_enforced(store):
    with pytest.raises(sqlite3.IntegrityError):
        store.subscribe(chat_id=42, story_id=999, now=NOW)


def first_report(known: StoryFacts, facts: Facts, entry: Entry) -> list[Change]:
    """A stand-in decision: every (metric, value) and (actor, stance) not yet known."""
    figures = {(k.figure.metric, k.figure.value) for k in known.figures}
    positions = {(k.position.actor, k.position.stance) for k in known.positions}
    return [
        Change(story_id=0, entry_id=0, figure=f)
        for f in facts.figures
        if (f.metric, f.value) not in figures
    ] + [
        Change(story_id=0, entry_id=0, position=p)
        for p in facts.positions
        if (p.actor, p.stance) not in positions
    ]


def test_commit_entry_round_trips_facts_and_writes_one_outbox_row_per_subscriber(store):
    feed = store.add_feed(Feed(url="https://g.example/rss", title="The Guardian"), NOW)
    story = store.add_story(Story(slug="s", title="S", keywords=("strike",)), NOW)
    for chat_id in (1, 2):
        store.save_chat(Chat(id=chat_id), NOW)
        store.subscribe(chat_id, story.id, NOW)
    figure = Figure("killed", 62, "exact", "Russia", "soldiers", "Russia said 62 died.")
    position = Position("Russia", "meeting", "Russia called a meeting.")
    entry = Entry(
        feed_id=feed.id,
        key="guid-1",
        title="62 killed",
        summary="Russia said 62 died.",
        published=NOW,
        content_hash="h1",
        link="https://g.example/a",
    )
    result = store.commit_entry(entry, [(story, Facts((figure,), (position,)))], first_report, NOW)
    assert result.status == "new"
    assert [c.kind for c in result.changes] == ["figure", "position"]
    assert result.outbox_rows == 2
    known = store.story_facts(story.id)
    assert [k.figure for k in known.figures] == [figure]
    assert [k.position for k in known.positions] == [position]
    assert known.figures[0].seen.outlet == "The Guardian"
    assert known.figures[0].seen.link == "https://g.example/a"
    assert store.story_facts(story.id, exclude_entry_id=result.entry.id).figures == ()


def test_commit_entry_is_a_no_op_for_an_unchanged_entry_and_rereads_an_updated_one(store):
    feed = store.add_feed(Feed(url="https://g.example/rss"), NOW)
    story = store.add_story(Story(slug="s", title="S", keywords=("strike",)), NOW)
    entry = Entry(feed_id=feed.id, key="k", title="t", summary="", published=NOW, content_hash="1")
    facts = Facts((Figure("killed", 62),))
    assert store.commit_entry(entry, [(story, facts)], first_report, NOW).status == "new"
    again = store.commit_entry(entry, [(story, facts)], first_report, NOW)
    assert (again.status, again.changes) == ("unchanged", ())
    updated = replace(entry, content_hash="2")
    newer = Facts((Figure("killed", 83),))
    result = store.commit_entry(updated, [(story, newer)], first_report, NOW)
    assert result.status == "updated"
    assert [c.figure.value for c in result.changes] == [83]
    assert [k.figure.value for k in store.story_facts(story.id).figures] == [83]


def test_a_reader_sees_the_last_commit_while_a_writer_holds_its_transaction(tmp_path):
    path = tmp_path / "wal.db"
    with Store.open(path) as writer, Store.open(path) as reader:
        writer.add_story(Story(slug="one", title="One", keywords=("a",)), NOW)
        with writer.transaction():
            writer.db.execute(
                "INSERT INTO stories (slug, title, source, created_at) "
                "VALUES ('two', 'Two', 'cli', '2016-09-17T14:05:00.000000+00:00')"
            )
            assert [s.slug for s in reader.list_stories()] == ["one"]
        assert [s.slug for s in reader.list_stories()] == ["one", "two"]


def test_two_immediate_writers_serialise_instead_of_failing(tmp_path):
    path = tmp_path / "two.db"
    Store.open(path).close()
    first_holds_lock = threading.Event()
    release = threading.Event()
    errors: list[BaseException] = []

    def first_writer() -> None:
        with Store.open(path) as store, store.transaction():
            store.set_meta("writer", "first")
            first_holds_lock.set()
            release.wait(timeout=10)

    def second_writer() -> None:
        try:
            with Store.open(path) as store, store.transaction():
                value = store.get_meta("writer")
                store.set_meta("writer", f"second after {value}")
        except BaseException as error:  # surfaced to the test thread below
            errors.append(error)

    one = threading.Thread(target=first_writer)
    one.start()
    assert first_holds_lock.wait(timeout=10)
    two = threading.Thread(target=second_writer)
    two.start()
    two.join(timeout=0.2)
    assert two.is_alive(), "the second writer should be waiting for the lock"
    release.set()
    one.join(timeout=10)
    two.join(timeout=10)
    assert errors == []
    with Store.open(path) as store:
        assert store.get_meta("writer") == "second after first"


def test_due_feeds_puts_never_polled_first_and_skips_future_and_disabled(store):
    later = store.add_feed(Feed(url="https://a.example/1", next_poll_at=NOW + timedelta(1)), NOW)
    due = store.add_feed(Feed(url="https://a.example/2", next_poll_at=NOW - timedelta(1)), NOW)
    fresh = store.add_feed(Feed(url="https://a.example/3"), NOW)
    off = store.add_feed(Feed(url="https://a.example/4"), NOW)
    store.set_feed_enabled(off.id, False, "by hand")
    assert [f.id for f in store.due_feeds(NOW, 10)] == [fresh.id, due.id]
    assert later.id not in [f.id for f in store.due_feeds(NOW, 10)]
    assert [f.id for f in store.due_feeds(NOW, 1)] == [fresh.id]


def test_heartbeat_round_trip(store):
    assert store.heartbeat() is None
    store.write_heartbeat(NOW)
    assert store.heartbeat() == NOW


def test_change_and_outbox_row_round_trip(store):
    feed = store.add_feed(Feed(url="https://g.example/rss", title="Globe"), NOW)
    story = store.add_story(Story(slug="s", title="S", keywords=("strike",)), NOW)
    store.save_chat(Chat(id=7), NOW)
    store.subscribe(7, story.id, NOW, thread_id=3)
    first = Entry(feed_id=feed.id, key="a", title="t", summary="", published=NOW, content_hash="1")
    store.commit_entry(
        first, [(story, Facts((Figure("killed", 80, "up_to", "Syria"),)))], first_report, NOW
    )

    def with_previous(known: StoryFacts, facts: Facts, entry: Entry) -> list[Change]:
        return [
            Change(story_id=0, entry_id=0, figure=facts.figures[0], previous=known.figures[0]),
            Change(
                story_id=0,
                entry_id=0,
                position=facts.positions[0],
                earlier_stances=("meeting",),
            ),
        ]

    later = NOW + timedelta(hours=4)
    second = Entry(
        feed_id=feed.id, key="b", title="t", summary="", published=later, content_hash="2"
    )
    facts = Facts(
        (Figure("killed", 62, "exact", "Russia", "soldiers", "62 died."),),
        (Position("Russia", "deny", "Russia denied it."),),
    )
    result = store.commit_entry(second, [(story, facts)], with_previous, later)
    assert store.changes_by_id([c.id for c in result.changes]) == result.changes
    (row,) = [r for r in store.pending_outbox(later) if r.entry_id == result.entry.id]
    assert row == store.outbox_row(row.id)
    assert (row.chat_id, row.thread_id, row.kind, row.story_id) == (7, 3, "alert", story.id)
    assert row.change_ids == tuple(c.id for c in result.changes)
