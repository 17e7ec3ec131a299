"""`storywatch poll --once` against the shared loopback feed server (run in its own thread)."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

from bot.cli import build_parser, dispatch
from bot.settings import Settings
from storage.store import Store
from tests.fakes.clock import FakeClock
from tests.fakes.feeds import FeedItem, FeedServer, rss


def test_poll_once_prints_a_summary_and_waiting_alerts(
    feed_server_thread: FeedServer, tmp_path: Path
) -> None:
    published = datetime(2016, 9, 17, 9, 0, tzinfo=UTC)
    url = feed_server_thread.publish(
        "/wire.xml",
        rss(
            "Wire",
            [
                FeedItem(
                    title="Strike near Deir ez-Zor",
                    link="http://127.0.0.1/a",
                    guid="a",
                    published=published,
                )
            ],
        ),
    )
    config = tmp_path / "storywatch.toml"
    config.write_text(f'[[feeds]]\nurl = "{url}"\nallow_private = true\n')
    settings = Settings(db_path=str(tmp_path / "poll.db"), config_path=str(config))
    out = io.StringIO()
    args = build_parser().parse_args(["poll", "--once"])
    assert dispatch(args, settings, FakeClock(), out) == 0
    text = out.getvalue()
    assert "polled 1: 0 not modified (304), 0 unchanged, 1 new entries" in text
    assert "0 messages wait in the outbox" in text
    with Store.open(settings.db_path) as store:
        assert store.heartbeat() is not None
        assert store.list_feeds()[0].last_status == 200
