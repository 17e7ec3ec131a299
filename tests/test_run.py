"""`storywatch run` as a subprocess against the fake Bot API: it answers, and stops cleanly."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

from storage.store import Store
from tests.fakes.bot_api import FakeBotAPI, Fault
from tests.fakes.feeds import FeedItem, FeedServer, rss

STOP_WITHIN_S = 10


RIDGE_CONFIG = 'admins = [4242]\n[[stories]]\ntitle = "Ridge strike"\nkeywords = ["ridge"]\n'


def start_bot(
    tmp_path: Path, token: str, api_url: str, config_text: str = RIDGE_CONFIG
) -> subprocess.Popen[str]:
    config = tmp_path / "storywatch.toml"
    config.write_text(config_text, encoding="utf-8")
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": token,
        "TELEGRAM_API_URL": api_url,
        "STORYWATCH_DB": str(tmp_path / "storywatch.db"),
        "STORYWATCH_CONFIG": str(config),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "run"],
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for_log(process: subprocess.Popen[str], needle: str) -> None:
    assert process.stderr is not None
    for line in process.stderr:
        if needle in line:
            return
    raise AssertionError(f"the bot exited ({process.wait()}) before logging {needle!r}")


def stop(process: subprocess.Popen[str]) -> int:
    process.send_signal(signal.SIGTERM)
    try:
        return process.wait(timeout=STOP_WITHIN_S)
    finally:
        if process.poll() is None:
            process.kill()


def test_run_answers_and_exits_0_on_sigterm(bot_api_thread: FakeBotAPI, tmp_path: Path) -> None:
    api = bot_api_thread
    process = start_bot(tmp_path, api.token, api.url)  # `/bot` is added to the URL
    try:
        api.wait_for_sync(lambda: api.commands(), timeout=20)
        api.queue_message(1001, "/follow ridge strike")
        sent = api.wait_for_sync(lambda: api.sent(1001), timeout=10)
        assert sent[0].text.startswith("Following Ridge strike")
    finally:
        code = stop(process)
    assert code == 0


def test_run_survives_a_failed_set_my_commands(bot_api_thread: FakeBotAPI, tmp_path: Path) -> None:
    api = bot_api_thread
    api.fail(Fault.server_error(), method="setMyCommands")
    process = start_bot(tmp_path, api.token, api.url)
    try:
        api.queue_message(1001, "/follow ridge strike")
        sent = api.wait_for_sync(lambda: api.sent(1001), timeout=20)
        assert sent[0].text.startswith("Following Ridge strike")
    finally:
        code = stop(process)
    assert code == 0


def test_run_retries_an_unreachable_telegram_and_still_stops(tmp_path: Path) -> None:
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    process = start_bot(tmp_path, "123:ABC", f"http://127.0.0.1:{port}/bot")
    wait_for_log(process, "connecting to the Telegram Bot API")
    assert stop(process) == 0


def _ridge_items(prefix: str) -> list[FeedItem]:
    """One entry with a new figure, one with a new official position (extractor-checked)."""
    return [
        FeedItem(
            title="Ridge strike toll rises",
            link=f"http://127.0.0.1/{prefix}/toll",
            summary="At least 83 people were killed in the ridge strike, officials said.",
            guid=f"{prefix}-toll",
        ),
        FeedItem(
            title="Ridge strike: United States expresses regret",
            link=f"http://127.0.0.1/{prefix}/regret",
            summary="The United States expressed regret over the ridge strike on Saturday.",
            guid=f"{prefix}-regret",
        ),
    ]


def _sentinel(prefix: str, toll: int) -> FeedItem:
    """A later entry with yet another new figure: its alert proves the sender got past
    everything queued before it."""
    return FeedItem(
        title="Ridge strike: toll revised",
        link=f"http://127.0.0.1/{prefix}/toll-{toll}",
        summary=f"At least {toll} people were killed in the ridge strike, officials said.",
        guid=f"{prefix}-toll-{toll}",
    )


QUIET = FeedItem(
    title="Ridge strike: what we know",
    link="http://127.0.0.1/explainer",
    summary="Questions remain about the ridge strike.",
    guid="explainer",
)
USER = 1001


def test_run_end_to_end_alerts_once_across_restart(
    bot_api_thread: FakeBotAPI, feed_server_thread: FeedServer, tmp_path: Path
) -> None:
    """A user follows; a feed gains a new figure and a new position: exactly two alerts; the
    same entries in a second feed send nothing; after SIGTERM and a restart nothing is re-sent."""
    api, feeds = bot_api_thread, feed_server_thread
    one = feeds.publish("/one.xml", rss("Wire One", [QUIET]))
    two = feeds.publish("/two.xml", rss("Wire Two", [QUIET]))
    config = (
        "admins = [4242]\n"
        '[[stories]]\ntitle = "Ridge strike"\nkeywords = ["ridge"]\n'
        f'[[feeds]]\nurl = "{one}"\nallow_private = true\ninterval = 1\n'
        f'[[feeds]]\nurl = "{two}"\nallow_private = true\ninterval = 1\n'
    )

    def alerts() -> list[str]:
        return [text for text in api.texts(USER) if text.startswith("Ridge strike —")]

    def summarise(texts: list[str]) -> list[tuple[str, str]]:
        """Each alert as (its first line up to the outlet, the path of its link), sorted."""
        return sorted(
            (text.split(",")[0].split(" — “")[0], text.rsplit("127.0.0.1/", 1)[-1])
            for text in texts
        )

    process = start_bot(tmp_path, api.token, api.url, config)
    try:
        api.wait_for_sync(lambda: api.commands(), timeout=20)
        # Both feeds polled once (their first poll holds no fact), so what comes next is new.
        feeds.wait_for_sync(
            lambda: feeds.request_count("/one.xml") and feeds.request_count("/two.xml"),
            timeout=10,
        )
        api.queue_message(USER, "/follow ridge strike")
        api.wait_for_sync(lambda: api.sent(USER), timeout=10)

        feeds.publish("/one.xml", rss("Wire One", [QUIET, *_ridge_items("one")]))
        first_two = api.wait_for_sync(lambda: len(alerts()) >= 2 and alerts(), timeout=15)
        assert summarise(first_two) == [
            ("Ridge strike — United States: regret", "one/regret"),
            ("Ridge strike — killed: first report → at least 83 (via Wire One", "one/toll"),
        ], first_two

        # The same entries in the second feed, then a new figure: only the new figure alerts.
        feeds.publish(
            "/two.xml", rss("Wire Two", [QUIET, *_ridge_items("two"), _sentinel("two", 90)])
        )
        third = api.wait_for_sync(lambda: alerts()[2:], timeout=15)
        assert summarise(third) == [
            ("Ridge strike — killed: at least 83 → at least 90 (via Wire Two", "two/toll-90")
        ], third
    finally:
        code = stop(process)
    assert code == 0
    assert process.stderr is not None
    assert "Running job" not in process.stderr.read()  # a tick a second is not worth a log line
    assert len(alerts()) == 3, api.texts(USER)
    with Store.open(str(tmp_path / "storywatch.db")) as store:
        rows = store.db.execute(
            "SELECT COUNT(*), COUNT(sent_at) FROM outbox WHERE chat_id = ? AND kind = 'alert'",
            (USER,),
        ).fetchone()
    assert tuple(rows) == (3, 3)  # the second feed's copies queued nothing
    sent_before_restart = len(api.sent(USER))

    process = start_bot(tmp_path, api.token, api.url, config)
    try:
        feeds.publish(
            "/one.xml", rss("Wire One", [QUIET, *_ridge_items("one"), _sentinel("one", 95)])
        )
        api.wait_for_sync(lambda: len(alerts()) >= 4, timeout=20)
    finally:
        code = stop(process)
    assert code == 0
    after_restart = [message.text for message in api.sent(USER)[sent_before_restart:]]
    assert summarise(after_restart) == [
        ("Ridge strike — killed: at least 90 → at least 95 (via Wire One", "one/toll-95")
    ], after_restart
