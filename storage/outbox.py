"""Queries on the outbox: the rows the sender drains, their delivery state and retention.

Rows are written by `commit_entry` (alerts, articles) and by the watchers (admin notices); the
sender reads what is due, and records each outcome here in one short transaction.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from storage.core import NotFound, StoreCore, from_db, from_db_required, to_db
from storage.facts import change_from_db, entry_from_row
from storage.records import (
    NO_THREAD,
    Alert,
    Change,
    OutboxKind,
    OutboxRow,
)

RETENTION_DAYS = 30


def outbox_row_from_db(row: dict[str, Any]) -> OutboxRow:
    return OutboxRow(
        id=row["id"],
        chat_id=row["chat_id"],
        thread_id=row["thread_id"],
        kind=row["kind"],
        story_id=row["story_id"],
        entry_id=row["entry_id"],
        change_ids=tuple(json.loads(row["change_ids"])),
        text=row["text"],
        created_at=from_db_required(row["created_at"]),
        attempts=row["attempts"],
        next_attempt_at=from_db(row["next_attempt_at"]),
        sent_at=from_db(row["sent_at"]),
        telegram_message_id=row["telegram_message_id"],
        last_error=row["last_error"],
    )


class OutboxQueries(StoreCore):
    def enqueue_notice(
        self, chat_id: int, text: str, now: datetime, kind: OutboxKind = "admin_notice"
    ) -> OutboxRow:
        """Queue a plain-text message (an admin notice) for `chat_id`."""
        with self.transaction():
            row_id = self.db.execute(
                "INSERT INTO outbox (chat_id, thread_id, kind, text, created_at, "
                "next_attempt_at) VALUES (?, ?, ?, ?, ?, ?)",
                (chat_id, NO_THREAD, kind, text, to_db(now), to_db(now)),
            ).lastrowid
        return self.outbox_row(int(row_id or 0))

    def outbox_row(self, row_id: int) -> OutboxRow:
        row = self._row("SELECT * FROM outbox WHERE id = ?", (row_id,))
        if row is None:
            raise NotFound(f"no outbox row {row_id}")
        return outbox_row_from_db(row)

    def pending_outbox(self, now: datetime, limit: int = 500) -> list[OutboxRow]:
        """Unsent rows due by `now`, oldest first, for chats that are not deactivated.

        Rows of a chat that blocked the bot stay pending (not failed) and are sent if it comes
        back with /start; a chat we never stored (an admin's private chat) counts as active.
        """
        rows = self._rows(
            "SELECT outbox.* FROM outbox LEFT JOIN chats ON chats.id = outbox.chat_id "
            "WHERE outbox.sent_at IS NULL AND outbox.failed_at IS NULL "
            "AND outbox.next_attempt_at <= ? AND COALESCE(chats.active, 1) = 1 "
            "ORDER BY outbox.next_attempt_at, outbox.id LIMIT ?",
            (to_db(now), limit),
        )
        return [outbox_row_from_db(row) for row in rows]

    def next_outbox_due(self) -> datetime | None:
        """When the earliest pending row (of an active chat) becomes due, or None if none is."""
        return from_db(
            self._scalar(
                "SELECT MIN(outbox.next_attempt_at) FROM outbox "
                "LEFT JOIN chats ON chats.id = outbox.chat_id "
                "WHERE outbox.sent_at IS NULL AND outbox.failed_at IS NULL "
                "AND COALESCE(chats.active, 1) = 1"
            )
        )

    def unsent_count(self) -> int:
        """Rows not yet delivered, failed ones and those of deactivated chats included."""
        return int(self._scalar("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL"))

    def thread_root(self, chat_id: int, thread_id: int, story_id: int) -> int | None:
        """The message id a story's alerts reply to in a chat (or topic), if one was sent."""
        value = self._scalar(
            "SELECT root_message_id FROM subscriptions "
            "WHERE chat_id = ? AND thread_id = ? AND story_id = ?",
            (chat_id, thread_id, story_id),
        )
        return None if value is None else int(value)

    def mark_sent(self, row: OutboxRow, message_id: int, now: datetime) -> None:
        """Record that Telegram accepted `row` as `message_id`; its story's first message in the
        chat becomes the thread root, in the same commit."""
        with self.transaction():
            self.db.execute(
                "UPDATE outbox SET sent_at = ?, telegram_message_id = ?, attempts = attempts + 1, "
                "last_error = NULL WHERE id = ?",
                (to_db(now), message_id, row.id),
            )
            if row.story_id is not None and row.kind in ("alert", "article"):
                self.db.execute(
                    "UPDATE subscriptions SET root_message_id = ? WHERE chat_id = ? "
                    "AND thread_id = ? AND story_id = ? AND root_message_id IS NULL",
                    (message_id, row.chat_id, row.thread_id, row.story_id),
                )

    def defer(self, row: OutboxRow, until: datetime, error: str) -> None:
        """Count a failed attempt and keep the row pending until `until`."""
        with self.transaction():
            self.db.execute(
                "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? "
                "WHERE id = ? AND sent_at IS NULL",
                (to_db(until), error, row.id),
            )

    def mark_failed(self, row: OutboxRow, error: str, now: datetime) -> None:
        """Set aside a row Telegram refuses for good; it stays in the outbox with its error."""
        with self.transaction():
            self.db.execute(
                "UPDATE outbox SET attempts = attempts + 1, failed_at = ?, last_error = ? "
                "WHERE id = ? AND sent_at IS NULL",
                (to_db(now), error, row.id),
            )

    def failed_outbox(self) -> list[OutboxRow]:
        rows = self._rows("SELECT * FROM outbox WHERE failed_at IS NOT NULL ORDER BY id")
        return [outbox_row_from_db(row) for row in rows]

    def deactivate_chat(self, chat_id: int, reason: str) -> None:
        """Stop sending to a chat that blocked or removed the bot, until it sends /start.

        Its subscriptions are kept (a returning chat gets them back); while it is inactive no
        outbox rows are written for it and its pending rows wait, marked with `reason`.
        """
        with self.transaction():
            self.db.execute("UPDATE chats SET active = 0 WHERE id = ?", (chat_id,))
            self.db.execute(
                "UPDATE outbox SET last_error = ? WHERE chat_id = ? AND sent_at IS NULL",
                (reason, chat_id),
            )

    def migrate_chat(self, old_id: int, new_id: int) -> None:
        """Move a group that became a supergroup: subscriptions, settings and pending rows go to
        `new_id`, and each story starts a new thread there (old message ids mean nothing)."""
        with self.transaction():
            if self._scalar("SELECT 1 FROM chats WHERE id = ?", (new_id,)) is None:
                # ON UPDATE CASCADE carries the subscriptions along.
                self.db.execute(
                    "UPDATE chats SET id = ?, kind = 'supergroup' WHERE id = ?", (new_id, old_id)
                )
            else:
                self.db.execute(
                    "INSERT OR IGNORE INTO subscriptions (chat_id, thread_id, story_id, active, "
                    "muted_until, created_at) SELECT ?, thread_id, story_id, active, "
                    "muted_until, created_at FROM subscriptions WHERE chat_id = ?",
                    (new_id, old_id),
                )
                self.db.execute("DELETE FROM chats WHERE id = ?", (old_id,))
            self.db.execute(
                "UPDATE subscriptions SET root_message_id = NULL WHERE chat_id = ?", (new_id,)
            )
            self.db.execute(
                "UPDATE outbox SET chat_id = ? WHERE chat_id = ? AND sent_at IS NULL",
                (new_id, old_id),
            )

    def delete_sent_before(self, cutoff: datetime) -> int:
        """Retention: delete rows delivered before `cutoff`; returns how many went."""
        with self.transaction():
            cursor = self.db.execute(
                "DELETE FROM outbox WHERE sent_at IS NOT NULL AND sent_at < ?", (to_db(cutoff),)
            )
        return int(cursor.rowcount)

    def load_alert(self, row: OutboxRow) -> Alert:
        """The story, entry, outlet and changes an alert or article row reports."""
        if row.story_id is None or row.entry_id is None:
            raise NotFound(f"outbox row {row.id} names no story and entry")
        story = self.story_by_id(row.story_id)  # type: ignore[attr-defined]
        entry_row = self._row(
            "SELECT entries.*, COALESCE(feeds.title, feeds.url) AS outlet FROM entries "
            "JOIN feeds ON feeds.id = entries.feed_id WHERE entries.id = ?",
            (row.entry_id,),
        )
        if entry_row is None:
            raise NotFound(f"outbox row {row.id}: entry {row.entry_id} is gone")
        outlet = str(entry_row.pop("outlet"))
        return Alert(
            story=story,
            entry=entry_from_row(entry_row),
            outlet=outlet,
            changes=self.changes_by_id(row.change_ids),
        )

    def changes_by_id(self, change_ids: Sequence[int]) -> tuple[Change, ...]:
        """The stored changes with these ids, in the order given."""
        if not change_ids:
            return ()
        marks = ", ".join("?" for _ in change_ids)
        rows = self._rows(f"SELECT * FROM changes WHERE id IN ({marks})", tuple(change_ids))
        by_id = {row["id"]: change_from_db(row) for row in rows}
        return tuple(by_id[change_id] for change_id in change_ids if change_id in by_id)
