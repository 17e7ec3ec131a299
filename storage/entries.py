"""Queries the watchers need around entries: what a feed's keys hashed to, storing unmatched
entries in bulk, a tick's poll outcomes in one transaction, admin notices, and retention.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from storage.core import StoreCore, to_db
from storage.feeds import feed_to_row
from storage.records import Entry, Feed

_IN_CHUNK = 500
"""Keys per `IN (...)` query: below SQLite's default limit of bound parameters."""


@dataclass(frozen=True, slots=True)
class AdminNotice:
    """A message for the admins (a feed disabled, recovered or moved), one outbox row each."""

    text: str


@dataclass(frozen=True, slots=True)
class Pruned:
    """What retention removed: entries emptied down to key and hash, sent outbox rows deleted."""

    entries: int = 0
    outbox: int = 0


def _chunks(items: Sequence[str], size: int) -> Iterable[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class EntryQueries(StoreCore):
    def entry_hashes(self, feed_id: int, keys: Sequence[str]) -> dict[str, str]:
        """The stored content hash of each of `keys` already known for the feed."""
        found: dict[str, str] = {}
        for chunk in _chunks(list(keys), _IN_CHUNK):
            marks = ", ".join("?" * len(chunk))
            rows = self.db.execute(
                f"SELECT key, content_hash FROM entries WHERE feed_id = ? AND key IN ({marks})",
                (feed_id, *chunk),
            ).fetchall()
            found.update((str(key), str(digest)) for key, digest in rows)
        return found

    def latest_entry_hashes(self, feed_id: int, limit: int = 1_000) -> dict[str, str]:
        """The content hash of the feed's `limit` most recently stored keys."""
        rows = self.db.execute(
            "SELECT key, content_hash FROM entries WHERE feed_id = ? ORDER BY id DESC LIMIT ?",
            (feed_id, limit),
        ).fetchall()
        return {str(key): str(digest) for key, digest in rows}

    def add_entries(self, entries: Sequence[Entry], now: datetime) -> int:
        """Store new entries that matched no story, in one transaction; returns how many.

        An entry whose (feed, key) is already stored is left alone: its update goes through
        `commit_entry`, which also replaces what the old version said.
        """
        if not entries:
            return 0
        seen_now = to_db(now)
        rows = [
            (
                entry.feed_id,
                entry.key,
                entry.link,
                entry.title,
                entry.summary,
                entry.content,
                to_db(entry.published),
                seen_now if entry.first_seen in (None, now) else to_db(entry.first_seen),
                entry.content_hash,
            )
            for entry in entries
        ]
        with self.transaction():
            before = self.db.conn.total_changes
            self.db.conn.executemany(
                "INSERT OR IGNORE INTO entries (feed_id, key, link, title, summary, content, "
                "published, first_seen, content_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
            return self.db.conn.total_changes - before

    def feed_url_taken(self, url: str, feed_id: int) -> bool:
        """True when another feed already has `url` as its URL or config URL."""
        row = self._row(
            "SELECT id FROM feeds WHERE (url = ? OR config_url = ?) AND id != ? LIMIT 1",
            (url, url, feed_id),
        )
        return row is not None

    def record_polls(
        self,
        feeds: Sequence[Feed],
        notices: Sequence[AdminNotice],
        admin_ids: Iterable[int],
        now: datetime,
    ) -> None:
        """Write a tick's poll outcomes, its admin notices and the heartbeat in ONE transaction.

        Each feed is written back whole (its poll state, a new URL, a title, enabled or not);
        each notice becomes one `admin_notice` outbox row per admin id.
        """
        admins = sorted(set(admin_ids))
        columns = [name for name in Feed.__slots__ if name != "id"]
        assignments = ", ".join(f"{name} = ?" for name in columns)
        rows = []
        for feed in feeds:
            row = feed_to_row(feed)
            rows.append((*(row[name] for name in columns), feed.id))
        created = to_db(now)
        with self.transaction():
            if rows:
                self.db.conn.executemany(f"UPDATE feeds SET {assignments} WHERE id = ?", rows)
            if admins and notices:
                self.db.conn.executemany(
                    "INSERT INTO outbox (chat_id, kind, text, created_at, next_attempt_at) "
                    "VALUES (?, 'admin_notice', ?, ?, ?)",
                    [
                        (admin, notice.text, created, created)
                        for notice in notices
                        for admin in admins
                    ],
                )
            self.write_heartbeat(now)

    def waiting_outbox_rows(self) -> int:
        """How many outbox rows wait for delivery."""
        return int(self._scalar("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL") or 0)

    def prune(self, before: datetime) -> Pruned:
        """Retention: entries first seen before `before` that matched no story keep only key
        and content hash; outbox rows sent before `before` are deleted."""
        cutoff = to_db(before)
        with self.transaction():
            entries = self.db.execute(
                "UPDATE entries SET title = '', summary = '', content = '', link = NULL "
                "WHERE first_seen < ? AND (title != '' OR summary != '' OR content != '' "
                "OR link IS NOT NULL) "
                "AND NOT EXISTS (SELECT 1 FROM matches WHERE matches.entry_id = entries.id)",
                (cutoff,),
            ).rowcount
            outbox = self.db.execute(
                "DELETE FROM outbox WHERE sent_at IS NOT NULL AND sent_at < ?", (cutoff,)
            ).rowcount
        return Pruned(entries=entries, outbox=outbox)
