"""`storywatch poll --once` against the shared loopback feed server (run in its own thread)."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.cli import build_parser, dispatch
from bot.settings import Settings
from storage.records import Chat
from storage.store import Store
from tests.fakes.bot_api import FakeBotAPI
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


RIDGE_TOLL = FeedItem(
    title="Ridge strike toll rises",
    link="http://127.0.0.1/toll",
    summary="At least 83 people were killed in the ridge strike, officials said.",
    guid="toll",
    published=datetime(2016, 9, 17, 10, 0, tzinfo=UTC),
)


def poll(settings: Settings, clock: FakeClock, *flags: str) -> tuple[int, str]:
    out = io.StringIO()
    args = build_parser().parse_args(["poll", "--once", *flags])
    return dispatch(args, settings, clock, out), out.getvalue()


def test_poll_once_send_delivers_the_waiting_alerts(
    feed_server_thread: FeedServer, bot_api_thread: FakeBotAPI, tmp_path: Path
) -> None:
    url = feed_server_thread.publish("/ridge.xml", rss("Ridge Wire", []))
    config = tmp_path / "storywatch.toml"
    config.write_text(
        f'[[stories]]\ntitle = "Ridge strike"\nkeywords = ["ridge"]\n'
        f'[[feeds]]\nurl = "{url}"\nallow_private = true\n'
    )
    api = bot_api_thread
    settings = Settings(
        db_path=str(tmp_path / "poll.db"),
        config_path=str(config),
        token=api.token,
        api_url=api.base_url,
    )
    clock = FakeClock()
    assert poll(settings, clock)[0] == 0  # creates the story; the feed holds nothing yet
    with Store.open(settings.db_path) as store:
        store.save_chat(Chat(1001, kind="private"), clock.now())
        store.subscribe(1001, store.get_story("ridge-strike").id or 0, clock.now())
    feed_server_thread.publish("/ridge.xml", rss("Ridge Wire", [RIDGE_TOLL]))
    clock.advance(timedelta(hours=1))

    code, text = poll(settings, clock, "--send")

    assert code == 0
    assert "1 alerts queued" in text
    assert "sent 1 message; 0 still wait" in text
    (alert,) = api.sent(1001)
    assert alert.text.startswith("Ridge strike — killed: first report → at least 83")
    assert alert.text.endswith("http://127.0.0.1/toll")


def test_poll_once_send_without_a_token_exits_2_and_says_why(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = Settings(db_path=str(tmp_path / "poll.db"))
    code, text = poll(settings, FakeClock(), "--send")
    assert code == 2
    assert text == ""
    assert "TELEGRAM_BOT_TOKEN" in capsys.readouterr().err
    assert not (tmp_path / "poll.db").exists()  # refused before anything was opened


def test_poll_once_send_with_a_rejected_token_exits_2_and_says_why(
    bot_api_thread: FakeBotAPI, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = Settings(
        db_path=str(tmp_path / "poll.db"), token="999:rejected", api_url=bot_api_thread.base_url
    )
    code, _ = poll(settings, FakeClock(), "--send")
    assert code == 2
    assert "Telegram rejected the bot token" in capsys.readouterr().err
