"""The Store's foundation: opening the SQLite file, connection pragmas, transactions, timestamps.

Every query module in `storage/` builds on `StoreCore`; nothing outside `storage/` sees SQL.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from storage.records import utc

BUSY_TIMEOUT_MS = 10_000
MAX_ROW_ID = 2**63 - 1
"""SQLite's largest INTEGER: a larger id cannot be stored, and binding one raises."""


class StorageError(Exception):
    """A storage operation failed for a reason the caller can report."""


class NotFound(StorageError):
    """The record asked for does not exist."""


class Conflict(StorageError):
    """The record would break a uniqueness rule (a slug or a feed URL already in use)."""


def to_db(moment: datetime | None) -> str | None:
    """An aware datetime as the sortable UTC text the database stores."""
    if moment is None:
        return None
    return utc(moment).isoformat(timespec="microseconds")


def from_db(text: str | None) -> datetime | None:
    """The stored UTC text back as an aware datetime."""
    if text is None:
        return None
    return utc(datetime.fromisoformat(text))


def from_db_required(text: str) -> datetime:
    moment = from_db(text)
    assert moment is not None
    return moment


def connect(path: str | Path) -> sqlite3.Connection:
    """Open `path` with the pragmas every storywatch connection uses.

    `isolation_level=None` hands transaction control to us: the stdlib's implicit BEGIN would
    otherwise leave a deferred transaction open after a lone write, and a deferred transaction
    that later needs to write can fail to upgrade under concurrency.
    """
    conn = sqlite3.connect(str(path), isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    if str(path) != ":memory:":
        conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


class StoreCore:
    """One connection, used from the event-loop thread, and the transactions on it."""

    def __init__(self, db: Database, path: str) -> None:
        self.db = db
        self.path = path

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """A write transaction opened with BEGIN IMMEDIATE; nested calls become savepoints.

        Taking the write lock up front means a read-then-write never fails to upgrade, and two
        writers queue on the busy timeout instead of one getting SQLITE_BUSY mid-transaction.
        Never `await` inside one.
        """
        conn = self.db.conn
        if conn.in_transaction:
            with self.db.atomic():
                yield
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def _rows(
        self, sql: str, params: tuple[Any, ...] | dict[str, Any] = ()
    ) -> list[dict[str, Any]]:
        cursor = self.db.execute(sql, params)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def _row(
        self, sql: str, params: tuple[Any, ...] | dict[str, Any] = ()
    ) -> dict[str, Any] | None:
        rows = self._rows(sql, params)
        return rows[0] if rows else None

    def _insert(self, table: str, values: dict[str, Any]) -> int:
        """Insert one row of plain values and return its id.

        Plain SQL, not sqlite-utils' `insert`, which inspects the table on every call: an
        entry's commit inserts several rows, and that inspection was most of their cost.
        """
        columns = ", ".join(f'"{name}"' for name in values)
        marks = ", ".join("?" * len(values))
        cursor = self.db.conn.execute(
            f'INSERT INTO "{table}" ({columns}) VALUES ({marks})', tuple(values.values())
        )
        row_id = cursor.lastrowid
        if row_id is None:
            raise StorageError(f"inserting into {table} returned no row id")
        return int(row_id)

    def _scalar(self, sql: str, params: tuple[Any, ...] = ()) -> Any:
        row = self.db.execute(sql, params).fetchone()
        return None if row is None else row[0]

    # -- meta: schema version, heartbeat, stories version ------------------------------------

    def get_meta(self, key: str) -> str | None:
        value = self._scalar("SELECT value FROM meta WHERE key = ?", (key,))
        return None if value is None else str(value)

    def set_meta(self, key: str, value: str) -> None:
        self.db.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    def write_heartbeat(self, now: datetime) -> None:
        """Record that a tick ran at `now`; `storywatch health` reads it."""
        self.set_meta("heartbeat", to_db(now) or "")

    def heartbeat(self) -> datetime | None:
        """When the last tick ran, or None if none has."""
        return from_db(self.get_meta("heartbeat"))

    def stories_version(self) -> int:
        """A counter bumped by every change to stories or keywords: matchers rebuild on it."""
        return int(self.get_meta("stories_version") or 0)

    def _bump_stories_version(self) -> None:
        self.db.execute(
            "INSERT INTO meta (key, value) VALUES ('stories_version', '1') "
            "ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1"
        )
