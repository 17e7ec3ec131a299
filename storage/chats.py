"""Queries on chats and their subscriptions to stories."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from storage.core import NotFound, StoreCore, from_db, to_db
from storage.records import NO_THREAD, Chat, Subscription

AlertKind = Literal["figures", "positions", "articles"]
ALERT_KINDS: tuple[AlertKind, ...] = ("figures", "positions", "articles")
_ALERT_COLUMNS: dict[AlertKind, str] = {
    "figures": "figures_on",
    "positions": "positions_on",
    "articles": "articles_on",
}


def _chat_from_row(row: dict[str, Any]) -> Chat:
    return Chat(
        id=row["id"],
        kind=row["kind"],
        title=row["title"],
        active=bool(row["active"]),
        figures_on=bool(row["figures_on"]),
        positions_on=bool(row["positions_on"]),
        articles_on=bool(row["articles_on"]),
        created_at=from_db(row["created_at"]),
    )


def _subscription_from_row(row: dict[str, Any]) -> Subscription:
    return Subscription(
        chat_id=row["chat_id"],
        thread_id=row["thread_id"],
        story_id=row["story_id"],
        active=bool(row["active"]),
        muted_until=from_db(row["muted_until"]),
        root_message_id=row["root_message_id"],
        created_at=from_db(row["created_at"]),
    )


class ChatQueries(StoreCore):
    def save_chat(self, chat: Chat, now: datetime) -> Chat:
        """Insert or update a chat (kind, title, active flag and alert kinds)."""
        with self.transaction():
            self.db.execute(
                "INSERT INTO chats (id, kind, title, active, figures_on, positions_on, "
                "articles_on, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, title = excluded.title, "
                "active = excluded.active, figures_on = excluded.figures_on, "
                "positions_on = excluded.positions_on, articles_on = excluded.articles_on",
                (
                    chat.id,
                    chat.kind,
                    chat.title,
                    int(chat.active),
                    int(chat.figures_on),
                    int(chat.positions_on),
                    int(chat.articles_on),
                    to_db(chat.created_at or now),
                ),
            )
        return self.get_chat(chat.id)

    def find_chat(self, chat_id: int) -> Chat | None:
        row = self._row("SELECT * FROM chats WHERE id = ?", (chat_id,))
        return None if row is None else _chat_from_row(row)

    def get_chat(self, chat_id: int) -> Chat:
        chat = self.find_chat(chat_id)
        if chat is None:
            raise NotFound(f"no chat with id {chat_id}")
        return chat

    def subscribe(
        self, chat_id: int, story_id: int, now: datetime, thread_id: int = NO_THREAD
    ) -> Subscription:
        """Follow a story from a chat (or one of its topics); following again reactivates."""
        with self.transaction():
            self.db.execute(
                "INSERT INTO subscriptions (chat_id, thread_id, story_id, active, created_at) "
                "VALUES (?, ?, ?, 1, ?) ON CONFLICT (chat_id, thread_id, story_id) "
                "DO UPDATE SET active = 1",
                (chat_id, thread_id, story_id, to_db(now)),
            )
        return self.get_subscription(chat_id, story_id, thread_id)

    def unsubscribe(self, chat_id: int, story_id: int, thread_id: int = NO_THREAD) -> None:
        with self.transaction():
            self.db.execute(
                "UPDATE subscriptions SET active = 0 "
                "WHERE chat_id = ? AND thread_id = ? AND story_id = ?",
                (chat_id, thread_id, story_id),
            )

    def get_subscription(
        self, chat_id: int, story_id: int, thread_id: int = NO_THREAD
    ) -> Subscription:
        row = self._row(
            "SELECT * FROM subscriptions WHERE chat_id = ? AND thread_id = ? AND story_id = ?",
            (chat_id, thread_id, story_id),
        )
        if row is None:
            raise NotFound(f"chat {chat_id} does not follow story {story_id}")
        return _subscription_from_row(row)

    def subscriptions_for_story(self, story_id: int) -> list[Subscription]:
        """Active subscriptions to a story, in chats that are active."""
        rows = self._rows(
            "SELECT subscriptions.* FROM subscriptions JOIN chats ON chats.id = chat_id "
            "WHERE story_id = ? AND subscriptions.active = 1 AND chats.active = 1 "
            "ORDER BY chat_id, thread_id",
            (story_id,),
        )
        return [_subscription_from_row(row) for row in rows]

    def subscriptions_for_chat(self, chat_id: int) -> list[Subscription]:
        rows = self._rows(
            "SELECT * FROM subscriptions WHERE chat_id = ? AND active = 1 "
            "ORDER BY story_id, thread_id",
            (chat_id,),
        )
        return [_subscription_from_row(row) for row in rows]

    def touch_chat(self, chat_id: int, kind: str, title: str | None, now: datetime) -> Chat:
        """Record a chat that spoke to the bot, keeping its settings and active flag if known."""
        with self.transaction():
            self.db.execute(
                "INSERT INTO chats (id, kind, title, created_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, title = excluded.title",
                (chat_id, kind, title, to_db(now)),
            )
        return self.get_chat(chat_id)

    def set_chat_active(self, chat_id: int, active: bool) -> Chat:
        """Deactivate a chat Telegram refuses (Forbidden), or reactivate it on /start."""
        with self.transaction():
            self.db.execute("UPDATE chats SET active = ? WHERE id = ?", (int(active), chat_id))
        return self.get_chat(chat_id)

    def set_alert_kind(self, chat_id: int, kind: AlertKind, on: bool) -> Chat:
        """Turn one kind of alert (figures, positions, articles) on or off for a chat."""
        column = _ALERT_COLUMNS[kind]
        with self.transaction():
            self.db.execute(f"UPDATE chats SET {column} = ? WHERE id = ?", (int(on), chat_id))
        return self.get_chat(chat_id)

    def find_subscription(
        self, chat_id: int, story_id: int, thread_id: int = NO_THREAD
    ) -> Subscription | None:
        """The chat's subscription to a story in this thread, active or not, or None."""
        row = self._row(
            "SELECT * FROM subscriptions WHERE chat_id = ? AND thread_id = ? AND story_id = ?",
            (chat_id, thread_id, story_id),
        )
        return None if row is None else _subscription_from_row(row)

    def count_followed(self, chat_id: int) -> int:
        """How many enabled stories a chat follows, counted across all its threads."""
        return int(
            self._scalar(
                "SELECT COUNT(*) FROM subscriptions JOIN stories ON stories.id = story_id "
                "WHERE chat_id = ? AND active = 1 AND stories.enabled = 1",
                (chat_id,),
            )
        )

    def set_muted_until(
        self, chat_id: int, story_id: int, until: datetime | None, thread_id: int = NO_THREAD
    ) -> None:
        """Hold a subscription's alerts until `until` (None lifts the mute)."""
        with self.transaction():
            self.db.execute(
                "UPDATE subscriptions SET muted_until = ? "
                "WHERE chat_id = ? AND thread_id = ? AND story_id = ?",
                (to_db(until), chat_id, thread_id, story_id),
            )
