"""Queries on feeds: adding, listing, enabling, and the poll state the tick keeps per feed."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import Any

from storage.core import MAX_ROW_ID, Conflict, NotFound, StoreCore, from_db, to_db
from storage.records import Feed

_TIMES = (
    "next_poll_at",
    "last_polled_at",
    "last_success_at",
    "failing_since",
    "created_at",
    "parser_checked_at",
)
_FLAGS = ("enabled", "allow_private", "fast_parse")


def feed_from_row(row: dict[str, Any]) -> Feed:
    values = dict(row)
    for name in _TIMES:
        values[name] = from_db(values[name])
    for name in _FLAGS:
        values[name] = bool(values[name])
    return Feed(**values)


def feed_to_row(feed: Feed) -> dict[str, Any]:
    row: dict[str, Any] = {name: getattr(feed, name) for name in Feed.__slots__}
    for name in _TIMES:
        row[name] = to_db(row[name])
    for name in _FLAGS:
        row[name] = int(row[name])
    return row


class FeedQueries(StoreCore):
    def add_feed(self, feed: Feed, now: datetime) -> Feed:
        """Store a new feed and return it with its id; raises Conflict if the URL is known."""
        row = feed_to_row(feed)
        row.pop("id")
        row["created_at"] = to_db(feed.created_at or now)
        try:
            with self.transaction():
                feed_id = self._insert("feeds", row)
        except sqlite3.IntegrityError as error:
            raise Conflict(f"a feed with the URL {feed.url} already exists") from error
        return self.get_feed(feed_id)

    def get_feed(self, feed_id: int) -> Feed:
        row = self._row("SELECT * FROM feeds WHERE id = ?", (feed_id,))
        if row is None:
            raise NotFound(f"no feed with id {feed_id}")
        return feed_from_row(row)

    def find_feed(self, url_or_id: str) -> Feed | None:
        """The feed with this id, URL or config URL, or None."""
        if url_or_id.isascii() and url_or_id.isdigit():
            # isdigit() alone admits "²", which int() refuses; an id past SQLite's range
            # cannot be bound, and no feed has it.
            feed_id = int(url_or_id)
            if feed_id > MAX_ROW_ID:
                return None
            row = self._row("SELECT * FROM feeds WHERE id = ?", (feed_id,))
        else:
            row = self._row(
                "SELECT * FROM feeds WHERE url = ? OR config_url = ? ORDER BY id LIMIT 1",
                (url_or_id, url_or_id),
            )
        return None if row is None else feed_from_row(row)

    def list_feeds(self, *, enabled: bool | None = None) -> list[Feed]:
        if enabled is None:
            rows = self._rows("SELECT * FROM feeds ORDER BY id")
        else:
            rows = self._rows("SELECT * FROM feeds WHERE enabled = ? ORDER BY id", (int(enabled),))
        return [feed_from_row(row) for row in rows]

    def save_feed(self, feed: Feed) -> None:
        """Write every field of a stored feed back (the poll outcome, a new URL, a title)."""
        if feed.id is None:
            raise NotFound("a feed without an id has not been stored")
        row = feed_to_row(feed)
        with self.transaction():
            self.db.table("feeds").update(feed.id, row)

    def set_feed_enabled(self, feed_id: int, enabled: bool, reason: str | None = None) -> Feed:
        """Enable (clearing failures) or disable a feed, with the reason it was disabled."""
        with self.transaction():
            if enabled:
                self.db.execute(
                    "UPDATE feeds SET enabled = 1, disabled_reason = NULL, failures = 0, "
                    "failing_since = NULL, next_poll_at = NULL WHERE id = ?",
                    (feed_id,),
                )
            else:
                self.db.execute(
                    "UPDATE feeds SET enabled = 0, disabled_reason = ? WHERE id = ?",
                    (reason, feed_id),
                )
        return self.get_feed(feed_id)

    def remove_feed(self, feed_id: int) -> None:
        """Delete a feed and everything read from it."""
        with self.transaction():
            self.db.execute("DELETE FROM feeds WHERE id = ?", (feed_id,))

    def due_feeds(self, now: datetime, limit: int) -> list[Feed]:
        """Enabled feeds whose next poll time has come (never-polled ones first), oldest first."""
        rows = self._rows(
            "SELECT * FROM feeds WHERE enabled = 1 AND (next_poll_at IS NULL OR next_poll_at <= ?) "
            "ORDER BY next_poll_at IS NOT NULL, next_poll_at, id LIMIT ?",
            (to_db(now), limit),
        )
        return [feed_from_row(row) for row in rows]
