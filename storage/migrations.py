"""The schema, as ordered and named migrations applied at start-up (sqlite-utils `Migrations`).

To change the schema, append a new function decorated with `@MIGRATIONS()`; never edit one
that has shipped. Each runs in its own transaction together with the record of it.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

MIGRATIONS = Migrations("storywatch")


def _run(db: Database, *statements: str) -> None:
    # One statement per execute: executescript() would commit the migration's transaction.
    for statement in statements:
        db.execute(statement)


@MIGRATIONS()
def m001_initial(db: Database) -> None:
    _run(
        db,
        """CREATE TABLE meta (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        )""",
        """CREATE TABLE feeds (
            id INTEGER PRIMARY KEY,
            url TEXT NOT NULL UNIQUE,
            config_url TEXT UNIQUE,
            title TEXT,
            source TEXT NOT NULL CHECK (source IN ('config', 'cli', 'chat')),
            enabled INTEGER NOT NULL DEFAULT 1,
            allow_private INTEGER NOT NULL DEFAULT 0,
            interval_s INTEGER,
            etag TEXT,
            last_modified TEXT,
            body_hash TEXT,
            next_poll_at TEXT,
            last_polled_at TEXT,
            last_success_at TEXT,
            last_status INTEGER,
            last_error TEXT,
            failures INTEGER NOT NULL DEFAULT 0,
            failing_since TEXT,
            disabled_reason TEXT,
            created_at TEXT NOT NULL
        )""",
        "CREATE INDEX feeds_due ON feeds (next_poll_at) WHERE enabled = 1",
        """CREATE TABLE entries (
            id INTEGER PRIMARY KEY,
            feed_id INTEGER NOT NULL REFERENCES feeds (id) ON DELETE CASCADE,
            key TEXT NOT NULL,
            link TEXT,
            title TEXT NOT NULL DEFAULT '',
            summary TEXT NOT NULL DEFAULT '',
            content TEXT NOT NULL DEFAULT '',
            published TEXT NOT NULL,
            first_seen TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            UNIQUE (feed_id, key)
        )""",
        "CREATE INDEX entries_first_seen ON entries (first_seen)",
        """CREATE TABLE stories (
            id INTEGER PRIMARY KEY,
            slug TEXT NOT NULL UNIQUE,
            title TEXT NOT NULL,
            source TEXT NOT NULL CHECK (source IN ('config', 'cli', 'chat')),
            owner_chat_id INTEGER,
            enabled INTEGER NOT NULL DEFAULT 1,
            created_at TEXT NOT NULL
        )""",
        """CREATE TABLE keywords (
            story_id INTEGER NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
            keyword TEXT NOT NULL,
            position INTEGER NOT NULL,
            PRIMARY KEY (story_id, keyword)
        )""",
        """CREATE TABLE matches (
            story_id INTEGER NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
            entry_id INTEGER NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
            matched_at TEXT NOT NULL,
            PRIMARY KEY (story_id, entry_id)
        )""",
        "CREATE INDEX matches_entry ON matches (entry_id)",
        """CREATE TABLE figures (
            id INTEGER PRIMARY KEY,
            story_id INTEGER NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
            entry_id INTEGER NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
            metric TEXT NOT NULL
                CHECK (metric IN ('killed', 'injured', 'missing', 'displaced', 'arrested')),
            value INTEGER NOT NULL,
            qualifier TEXT NOT NULL CHECK (qualifier IN ('exact', 'at_least', 'up_to', 'about')),
            claimant TEXT,
            grp TEXT,
            sentence TEXT NOT NULL DEFAULT ''
        )""",
        "CREATE INDEX figures_story ON figures (story_id, metric, value)",
        "CREATE INDEX figures_entry ON figures (entry_id)",
        """CREATE TABLE positions (
            id INTEGER PRIMARY KEY,
            story_id INTEGER NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
            entry_id INTEGER NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
            actor TEXT NOT NULL,
            stance TEXT NOT NULL CHECK (stance IN ('accuse', 'deny', 'acknowledge', 'regret',
                'condemn', 'demand', 'investigate', 'meeting')),
            sentence TEXT NOT NULL DEFAULT ''
        )""",
        "CREATE INDEX positions_story ON positions (story_id, actor, stance)",
        "CREATE INDEX positions_entry ON positions (entry_id)",
        """CREATE TABLE changes (
            id INTEGER PRIMARY KEY,
            story_id INTEGER NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
            entry_id INTEGER NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
            kind TEXT NOT NULL CHECK (kind IN ('figure', 'position')),
            metric TEXT,
            value INTEGER,
            qualifier TEXT,
            claimant TEXT,
            grp TEXT,
            actor TEXT,
            stance TEXT,
            sentence TEXT NOT NULL DEFAULT '',
            previous_entry_id INTEGER REFERENCES entries (id) ON DELETE SET NULL,
            previous_value INTEGER,
            previous_qualifier TEXT,
            previous_claimant TEXT,
            previous_grp TEXT,
            previous_sentence TEXT,
            previous_published TEXT,
            previous_outlet TEXT,
            previous_link TEXT,
            earlier_stances TEXT NOT NULL DEFAULT '[]',
            silent INTEGER NOT NULL DEFAULT 0,
            detected_at TEXT NOT NULL
        )""",
        "CREATE INDEX changes_story ON changes (story_id, detected_at)",
        "CREATE INDEX changes_entry ON changes (entry_id)",
        """CREATE TABLE chats (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL DEFAULT 'private'
                CHECK (kind IN ('private', 'group', 'supergroup', 'channel')),
            title TEXT,
            active INTEGER NOT NULL DEFAULT 1,
            figures_on INTEGER NOT NULL DEFAULT 1,
            positions_on INTEGER NOT NULL DEFAULT 1,
            articles_on INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL
        )""",
        """CREATE TABLE subscriptions (
            chat_id INTEGER NOT NULL REFERENCES chats (id) ON DELETE CASCADE ON UPDATE CASCADE,
            thread_id INTEGER NOT NULL DEFAULT 0,
            story_id INTEGER NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
            active INTEGER NOT NULL DEFAULT 1,
            muted_until TEXT,
            root_message_id INTEGER,
            created_at TEXT NOT NULL,
            PRIMARY KEY (chat_id, thread_id, story_id)
        )""",
        "CREATE INDEX subscriptions_story ON subscriptions (story_id) WHERE active = 1",
        """CREATE TABLE outbox (
            id INTEGER PRIMARY KEY,
            chat_id INTEGER NOT NULL,
            thread_id INTEGER NOT NULL DEFAULT 0,
            kind TEXT NOT NULL CHECK (kind IN ('alert', 'article', 'admin_notice')),
            story_id INTEGER REFERENCES stories (id) ON DELETE CASCADE,
            entry_id INTEGER REFERENCES entries (id) ON DELETE CASCADE,
            change_ids TEXT NOT NULL DEFAULT '[]',
            text TEXT,
            created_at TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at TEXT,
            sent_at TEXT,
            telegram_message_id INTEGER,
            last_error TEXT
        )""",
        "CREATE INDEX outbox_pending ON outbox (next_attempt_at, id) WHERE sent_at IS NULL",
        "CREATE INDEX outbox_sent ON outbox (sent_at) WHERE sent_at IS NOT NULL",
    )


@MIGRATIONS()
def m002_outbox_failed(db: Database) -> None:
    # A row Telegram refuses for good (not a block, a move or a flood wait) is set aside with
    # its error instead of being retried forever; it is never deleted unseen.
    _run(db, "ALTER TABLE outbox ADD COLUMN failed_at TEXT")


@MIGRATIONS()
def m003_feed_parser_verdict(db: Database) -> None:
    # The accelerated-parser gate's verdict per feed (watchers/parse.py: gate_verdict), so a
    # restart does not parse every feed twice again to re-check it.
    _run(
        db,
        "ALTER TABLE feeds ADD COLUMN fast_parse INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE feeds ADD COLUMN parser_checked_at TEXT",
    )
