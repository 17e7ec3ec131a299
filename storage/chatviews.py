"""Read models for the chat: what /stories, /status, /history, /stats and /feeds show.

Queries only; each returns records (or small frozen summaries) ready for `bot/views.py`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from storage.core import StoreCore, from_db_required
from storage.facts import change_from_db
from storage.records import (
    Change,
    Sighting,
)


@dataclass(frozen=True, slots=True)
class StoreStats:
    """Counts an admin's /stats shows."""

    feeds: int
    feeds_enabled: int
    feeds_failing: int
    entries: int
    stories: int
    stories_enabled: int
    chats: int
    chats_active: int
    subscriptions: int
    outbox_backlog: int


def _sighting(row: dict[str, Any]) -> Sighting:
    return Sighting(
        entry_id=row["entry_id"],
        published=from_db_required(row["published"]),
        outlet=row["outlet"],
        link=row["link"],
    )


_OUTLET = "COALESCE(feeds.title, feeds.url) AS outlet"


class ChatViewQueries(StoreCore):
    def count_owned(self, chat_id: int) -> int:
        """How many enabled stories were created by this chat with /track."""
        return int(
            self._scalar(
                "SELECT COUNT(*) FROM stories WHERE owner_chat_id = ? AND enabled = 1",
                (chat_id,),
            )
        )

    def follower_counts(self, story_ids: Iterable[int]) -> dict[int, int]:
        """Active chats following each story (a chat following in two topics counts once)."""
        ids = list(story_ids)
        if not ids:
            return {}
        marks = ", ".join("?" for _ in ids)
        rows = self._rows(
            "SELECT story_id, COUNT(DISTINCT chat_id) AS n FROM subscriptions "
            "JOIN chats ON chats.id = chat_id "
            f"WHERE subscriptions.active = 1 AND chats.active = 1 AND story_id IN ({marks}) "
            "GROUP BY story_id",
            tuple(ids),
        )
        counts = dict.fromkeys(ids, 0)
        counts.update({row["story_id"]: row["n"] for row in rows})
        return counts

    def matched_entry_count(self, story_id: int) -> int:
        """How many stored entries match a story."""
        return int(self._scalar("SELECT COUNT(*) FROM matches WHERE story_id = ?", (story_id,)))

    def source_count(self, story_id: int) -> int:
        """How many feeds have published an entry matching a story."""
        return int(
            self._scalar(
                "SELECT COUNT(DISTINCT entries.feed_id) FROM matches "
                "JOIN entries ON entries.id = entry_id WHERE story_id = ?",
                (story_id,),
            )
        )

    def story_history(
        self, story_id: int, offset: int, limit: int
    ) -> tuple[list[tuple[Change, Sighting]], int]:
        """A page of a story's changes by publication time of their entry (ties by detection
        time), each with where it was seen, and the total number of changes."""
        total = int(self._scalar("SELECT COUNT(*) FROM changes WHERE story_id = ?", (story_id,)))
        rows = self._rows(
            "SELECT changes.*, entries.published, entries.link, "
            f"{_OUTLET} FROM changes JOIN entries ON entries.id = entry_id "
            "JOIN feeds ON feeds.id = entries.feed_id WHERE story_id = ? "
            "ORDER BY entries.published, changes.detected_at, changes.id LIMIT ? OFFSET ?",
            (story_id, limit, offset),
        )
        return [(change_from_db(row), _sighting(row)) for row in rows], total

    def store_stats(self) -> StoreStats:
        """Counts of feeds, entries, stories, chats and undelivered outbox rows."""
        row = self._row(
            "SELECT "
            "(SELECT COUNT(*) FROM feeds) AS feeds, "
            "(SELECT COUNT(*) FROM feeds WHERE enabled = 1) AS feeds_enabled, "
            "(SELECT COUNT(*) FROM feeds WHERE failures > 0) AS feeds_failing, "
            "(SELECT COUNT(*) FROM entries) AS entries, "
            "(SELECT COUNT(*) FROM stories) AS stories, "
            "(SELECT COUNT(*) FROM stories WHERE enabled = 1) AS stories_enabled, "
            "(SELECT COUNT(*) FROM chats) AS chats, "
            "(SELECT COUNT(*) FROM chats WHERE active = 1) AS chats_active, "
            "(SELECT COUNT(*) FROM subscriptions WHERE active = 1) AS subscriptions, "
            "(SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL) AS outbox_backlog"
        )
        assert row is not None
        return StoreStats(**row)
