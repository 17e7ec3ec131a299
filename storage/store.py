"""The Store: one SQLite database behind methods that take and return records.

`Store.open(path)` applies pending migrations; the query methods come from one module per
subject (`feeds`, `stories`, `chats`, ...) so each stays short. SQL lives nowhere else.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from sqlite_utils import Database

from storage.chats import ChatQueries
from storage.chatviews import ChatViewQueries
from storage.core import StorageError, connect
from storage.entries import EntryQueries
from storage.facts import FactQueries
from storage.feeds import FeedQueries
from storage.migrations import MIGRATIONS
from storage.outbox import OutboxQueries
from storage.records import Feed, Story
from storage.stories import StoryQueries

REMOVED_FROM_CONFIG = "removed from config"


@dataclass(frozen=True, slots=True)
class SyncReport:
    """What syncing the config changed; `rekeyed` stories need a silent baseline."""

    feeds_added: tuple[str, ...] = ()
    feeds_updated: tuple[str, ...] = ()
    feeds_disabled: tuple[str, ...] = ()
    stories_added: tuple[str, ...] = ()
    stories_updated: tuple[str, ...] = ()
    stories_disabled: tuple[str, ...] = ()
    rekeyed: tuple[int, ...] = ()
    skipped: tuple[str, ...] = field(default_factory=tuple)


class Store(
    FeedQueries,
    StoryQueries,
    ChatQueries,
    FactQueries,
    ChatViewQueries,
    OutboxQueries,
    EntryQueries,
):
    """storywatch's database. Open one per process and use it from the event-loop thread."""

    @classmethod
    def open(cls, path: str | Path, *, migrate: bool = True) -> Store:
        """Open (creating if needed) the database at `path` and apply pending migrations.

        Raises StorageError when the file is not a database this code can use.
        """
        try:
            db = Database(connect(path))
            if migrate:
                MIGRATIONS.apply(db)
        except sqlite3.DatabaseError as error:
            raise StorageError(f"cannot open the database {path}: {error}") from None
        return cls(db, str(path))

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def schema_current(self) -> bool:
        """True when every migration this code knows has been applied."""
        return not MIGRATIONS.pending(self.db)

    def sync_config(
        self, feeds: Sequence[Feed], stories: Sequence[Story], now: datetime
    ) -> SyncReport:
        """Make the config's feeds and stories true in the database, in one transaction.

        Config rows are keyed by config URL and slug and marked `source='config'`. A config row
        that left the config is disabled with its history kept; rows added by the CLI or chat
        are never touched (a config item that collides with one is skipped and reported). A
        feed moved by a permanent redirect keeps its config URL, so it is not added again.
        """
        report: dict[str, list[str]] = {name: [] for name in SyncReport.__slots__}
        rekeyed: list[int] = []
        with self.transaction():
            wanted_urls = {feed.url for feed in feeds}
            for stored in self.list_feeds():
                if (
                    stored.source == "config"
                    and stored.config_url not in wanted_urls
                    and stored.enabled
                ):
                    self.set_feed_enabled(stored.id or 0, False, REMOVED_FROM_CONFIG)
                    report["feeds_disabled"].append(stored.url)
            for feed in feeds:
                self._sync_feed(feed, now, report)
            wanted_slugs = {story.slug for story in stories}
            for stored_story in self.list_stories():
                if (
                    stored_story.source == "config"
                    and stored_story.slug not in wanted_slugs
                    and stored_story.enabled
                ):
                    self.set_story_enabled(stored_story.id or 0, False)
                    report["stories_disabled"].append(stored_story.slug)
            for story in stories:
                self._sync_story(story, now, report, rekeyed)
        return SyncReport(
            **{name: tuple(values) for name, values in report.items() if name != "rekeyed"},
            rekeyed=tuple(rekeyed),
        )

    def _sync_feed(self, feed: Feed, now: datetime, report: dict[str, list[str]]) -> None:
        row = self._row("SELECT id FROM feeds WHERE config_url = ?", (feed.url,))
        if row is None:
            clash = self.find_feed(feed.url)
            if clash is not None:
                report["skipped"].append(f"feed {feed.url}: already added by {clash.source}")
                return
            self.add_feed(replace(feed, source="config", config_url=feed.url), now)
            report["feeds_added"].append(feed.url)
            return
        stored = self.get_feed(row["id"])
        updated = replace(
            stored,
            title=feed.title or stored.title,
            interval_s=feed.interval_s,
            allow_private=feed.allow_private,
        )
        if not stored.enabled and stored.disabled_reason == REMOVED_FROM_CONFIG:
            updated = replace(updated, enabled=True, disabled_reason=None)
        if updated != stored:
            self.save_feed(updated)
            report["feeds_updated"].append(feed.url)

    def _sync_story(
        self, story: Story, now: datetime, report: dict[str, list[str]], rekeyed: list[int]
    ) -> None:
        stored = self.find_story(story.slug)
        if stored is None:
            added = self.add_story(replace(story, source="config"), now)
            report["stories_added"].append(story.slug)
            rekeyed.append(added.id or 0)
            return
        if stored.source != "config":
            report["skipped"].append(f"story {story.slug}: already added by {stored.source}")
            return
        story_id = stored.id or 0
        changed = False
        if stored.title != story.title:
            self.update_story_title(story_id, story.title)
            changed = True
        if stored.keywords != story.keywords:
            self.set_keywords(story_id, story.keywords)
            rekeyed.append(story_id)
            changed = True
        if not stored.enabled:
            self.set_story_enabled(story_id, True)
            changed = True
        if changed:
            report["stories_updated"].append(story.slug)
