"""A small stored world for delivery tests: feeds, one story, chats following it, entries."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from storage.facts import CommitResult
from storage.records import Chat, Entry, Facts, Feed, Figure, Position, Story
from storage.store import Store
from watchers.changes import decide_changes

T0 = datetime(2016, 9, 17, 14, 5, tzinfo=UTC)


@dataclass
class World:
    store: Store
    story: Story
    feeds: list[Feed] = field(default_factory=list)
    now: datetime = T0

    @classmethod
    def build(cls, path: Path | str, outlets: int = 3, title: str = "Deir ez-Zor strike") -> World:
        store = Store.open(path)
        story = store.add_story(Story("deir-ez-zor", title, ("Deir ez-Zor",)), T0)
        feeds = [
            store.add_feed(Feed(f"http://127.0.0.1/feed{i}", title=f"Outlet {i}"), T0)
            for i in range(outlets)
        ]
        return cls(store, story, feeds)

    def follow(self, chat_id: int, thread_id: int = 0, **chat: object) -> None:
        kind = "private" if chat_id > 0 else "supergroup"
        self.store.save_chat(Chat(chat_id, kind=kind, **chat), self.now)  # type: ignore[arg-type]
        self.store.subscribe(chat_id, self.story.id or 0, self.now, thread_id=thread_id)

    def entry(
        self, key: str, outlet: int = 0, hours: float = 0, text: str = "", link: str | None = None
    ) -> Entry:
        body = text or f"report {key}"
        return Entry(
            feed_id=self.feeds[outlet].id or 0,
            key=key,
            title=f"Story {key}",
            summary=body,
            published=T0 + timedelta(hours=hours),
            content_hash=hashlib.sha256(body.encode()).hexdigest(),
            link=link or f"https://news.example/{key}",
        )

    def commit(
        self,
        entry: Entry,
        figures: tuple[Figure, ...] = (),
        positions: tuple[Position, ...] = (),
        at_hours: float | None = None,
    ) -> CommitResult:
        now = entry.published if at_hours is None else T0 + timedelta(hours=at_hours)
        return self.store.commit_entry(
            entry, [(self.story, Facts(figures, positions))], decide_changes, now
        )

    def updated(self, entry: Entry, text: str) -> Entry:
        return replace(entry, summary=text, content_hash=hashlib.sha256(text.encode()).hexdigest())

    def outbox(self) -> list[tuple[int, str, tuple[int, ...]]]:
        rows = self.store._rows("SELECT chat_id, kind, change_ids FROM outbox ORDER BY id")
        return [(r["chat_id"], r["kind"], tuple(json.loads(r["change_ids"]))) for r in rows]
