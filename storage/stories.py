"""Queries on stories and their keywords; every change bumps the stories version."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from storage.core import Conflict, NotFound, StoreCore, from_db, to_db
from storage.records import Story


class StoryQueries(StoreCore):
    def _story_from_row(self, row: dict[str, Any]) -> Story:
        keywords = tuple(
            str(keyword)
            for (keyword,) in self.db.execute(
                "SELECT keyword FROM keywords WHERE story_id = ? ORDER BY position", (row["id"],)
            ).fetchall()
        )
        return Story(
            id=row["id"],
            slug=row["slug"],
            title=row["title"],
            keywords=keywords,
            source=row["source"],
            owner_chat_id=row["owner_chat_id"],
            enabled=bool(row["enabled"]),
            created_at=from_db(row["created_at"]),
        )

    def add_story(self, story: Story, now: datetime) -> Story:
        """Store a new story with its keywords; raises Conflict if the slug is taken."""
        try:
            with self.transaction():
                story_id = self._insert(
                    "stories",
                    {
                        "slug": story.slug,
                        "title": story.title,
                        "source": story.source,
                        "owner_chat_id": story.owner_chat_id,
                        "enabled": int(story.enabled),
                        "created_at": to_db(story.created_at or now),
                    },
                )
                self._write_keywords(story_id, story.keywords)
                self._bump_stories_version()
        except sqlite3.IntegrityError as error:
            raise Conflict(f"the story slug {story.slug!r} is already taken") from error
        return self.story_by_id(story_id)

    def story_by_id(self, story_id: int) -> Story:
        row = self._row("SELECT * FROM stories WHERE id = ?", (story_id,))
        if row is None:
            raise NotFound(f"no story with id {story_id}")
        return self._story_from_row(row)

    def find_story(self, slug: str) -> Story | None:
        row = self._row("SELECT * FROM stories WHERE slug = ?", (slug,))
        return None if row is None else self._story_from_row(row)

    def get_story(self, slug: str) -> Story:
        story = self.find_story(slug)
        if story is None:
            raise NotFound(f"no story with the slug {slug!r}")
        return story

    def list_stories(self, *, enabled: bool | None = None) -> list[Story]:
        if enabled is None:
            rows = self._rows("SELECT * FROM stories ORDER BY id")
        else:
            rows = self._rows(
                "SELECT * FROM stories WHERE enabled = ? ORDER BY id", (int(enabled),)
            )
        return [self._story_from_row(row) for row in rows]

    def slug_taken(self, slug: str) -> bool:
        return self._scalar("SELECT 1 FROM stories WHERE slug = ?", (slug,)) is not None

    def set_keywords(self, story_id: int, keywords: Iterable[str]) -> Story:
        """Replace a story's keywords (order kept, duplicates dropped)."""
        with self.transaction():
            self.db.execute("DELETE FROM keywords WHERE story_id = ?", (story_id,))
            self._write_keywords(story_id, keywords)
            self._bump_stories_version()
        return self.story_by_id(story_id)

    def add_keywords(self, story_id: int, keywords: Iterable[str]) -> Story:
        story = self.story_by_id(story_id)
        return self.set_keywords(story_id, (*story.keywords, *keywords))

    def remove_keywords(self, story_id: int, keywords: Iterable[str]) -> Story:
        gone = set(keywords)
        story = self.story_by_id(story_id)
        return self.set_keywords(story_id, (k for k in story.keywords if k not in gone))

    def set_story_enabled(self, story_id: int, enabled: bool) -> Story:
        """Enable or disable a story; disabling also deactivates its subscriptions."""
        with self.transaction():
            self.db.execute("UPDATE stories SET enabled = ? WHERE id = ?", (int(enabled), story_id))
            if not enabled:
                self.db.execute(
                    "UPDATE subscriptions SET active = 0 WHERE story_id = ?", (story_id,)
                )
            self._bump_stories_version()
        return self.story_by_id(story_id)

    def update_story_title(self, story_id: int, title: str) -> None:
        with self.transaction():
            self.db.execute("UPDATE stories SET title = ? WHERE id = ?", (title, story_id))
            self._bump_stories_version()

    def _write_keywords(self, story_id: int, keywords: Iterable[str]) -> None:
        unique = list(dict.fromkeys(keyword.strip() for keyword in keywords if keyword.strip()))
        for position, keyword in enumerate(unique):
            self.db.execute(
                "INSERT INTO keywords (story_id, keyword, position) VALUES (?, ?, ?)",
                (story_id, keyword, position),
            )
