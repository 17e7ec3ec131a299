"""The `storywatch` command line: flags anywhere, precedence, admin subcommands, exit codes."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest

from bot import cli
from bot.cli import build_parser, dispatch, health
from bot.settings import DEFAULT_API_URL, Settings, bot_api_base_url, resolve_settings
from storage.store import Store

NOW = datetime(2016, 9, 17, 14, 5, tzinfo=UTC)


class FixedClock:
    def __init__(self, now: datetime) -> None:
        self.moment = now

    def now(self) -> datetime:
        return self.moment

    async def sleep(self, seconds: float) -> None:
        self.moment += timedelta(seconds=seconds)


def run(argv: list[str], db) -> tuple[int, str]:
    args = build_parser().parse_args([*argv, "--db", str(db)])
    out = io.StringIO()
    status = dispatch(args, Settings(db_path=str(db)), FixedClock(NOW), out)
    return status, out.getvalue()


@pytest.mark.parametrize(
    "argv",
    [
        pytest.param(["--db", "x.db", "--config", "c.toml", "feeds", "list"], id="before"),
        pytest.param(["feeds", "--db", "x.db", "list", "--config", "c.toml"], id="between"),
        pytest.param(["feeds", "list", "--db", "x.db", "--config", "c.toml"], id="after"),
    ],
)
def test_db_and_config_are_accepted_before_or_after_the_subcommand(argv):
    args = build_parser().parse_args(argv)
    assert (args.db, args.config) == ("x.db", "c.toml")


def test_flag_beats_environment_beats_default():
    env = {"STORYWATCH_DB": "env.db", "STORYWATCH_CONFIG": "env.toml"}
    assert resolve_settings("flag.db", None, env).db_path == "flag.db"
    assert resolve_settings(None, None, env).config_path == "env.toml"
    assert resolve_settings(None, None, {}).db_path == "./storywatch.db"
    assert resolve_settings(None, None, {}).config_path is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param(None, DEFAULT_API_URL, id="default"),
        pytest.param("http://127.0.0.1:8081/bot", "http://127.0.0.1:8081/bot", id="ends-in-bot"),
        pytest.param("http://127.0.0.1:8081", "http://127.0.0.1:8081/bot", id="bot-added"),
        pytest.param("http://127.0.0.1:8081/", "http://127.0.0.1:8081/bot", id="trailing-slash"),
        pytest.param("http://127.0.0.1:8081/bot/", "http://127.0.0.1:8081/bot", id="bot-slash"),
    ],
)
def test_telegram_api_url_becomes_ptb_base_url(value, expected):
    assert bot_api_base_url(value) == expected


def test_version_and_help_open_no_database(tmp_path):
    for flag in ("--version", "--help"):
        done = subprocess.run(
            [sys.executable, "-m", "bot.cli", flag],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        assert "storywatch" in done.stdout
    assert list(tmp_path.iterdir()) == []


def test_run_without_a_token_exits_2_and_points_to_the_demo(capsys, monkeypatch):
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    assert cli.main(["run", "--db", "unused.db"]) == 2
    message = capsys.readouterr().err
    assert "BotFather" in message and "storywatch demo" in message


def test_feeds_add_list_disable_enable_remove(tmp_path):
    db = tmp_path / "cli.db"
    assert run(["feeds", "add", "https://news.example/rss", "--title", "News"], db)[0] == 0
    status, listing = run(["feeds", "list"], db)
    assert status == 0 and "https://news.example/rss\tNews\tenabled" in listing
    assert run(["feeds", "disable", "1"], db)[0] == 0
    assert "disabled (disabled by hand)" in run(["feeds", "list"], db)[1]
    assert run(["feeds", "enable", "https://news.example/rss"], db)[0] == 0
    assert "\tenabled" in run(["feeds", "list"], db)[1]
    assert run(["feeds", "remove", "1"], db)[0] == 0
    assert run(["feeds", "list"], db)[1] == ""


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        pytest.param(["feeds", "add", "file:///etc/passwd"], "not an http", id="file-url"),
        pytest.param(["feeds", "remove", "99"], "no feed", id="unknown-feed"),
        pytest.param(["stories", "remove", "nope"], "no story", id="unknown-story"),
        pytest.param(["stories", "add", "T", "x", "--slug", "Bad Slug"], "not a slug", id="slug"),
        pytest.param(["stories", "add", "T", " "], "at least one keyword", id="no-keywords"),
    ],
)
def test_bad_admin_commands_exit_2_with_a_reason(tmp_path, capsys, argv, message):
    assert cli.main([*argv, "--db", str(tmp_path / "cli.db")]) == 2
    assert message in capsys.readouterr().err


def test_adding_the_same_feed_twice_is_refused(tmp_path, capsys):
    db = str(tmp_path / "cli.db")
    assert cli.main(["feeds", "add", "https://a.example/rss", "--db", db]) == 0
    assert cli.main(["feeds", "add", "https://a.example/rss", "--db", db]) == 2
    assert "already exists" in capsys.readouterr().err


def test_stories_add_list_keywords_remove(tmp_path):
    db = tmp_path / "cli.db"
    status, out = run(["stories", "add", "Deir ez-Zor air strike", "Deir ez-Zor", "+Syria"], db)
    assert status == 0 and "tracking deir-ez-zor-air-strike" in out
    status, out = run(["stories", "add", "Deir ez-Zor air strike", "coalition"], db)
    assert "tracking deir-ez-zor-air-strike-2" in out
    status, out = run(
        ["stories", "keywords", "deir-ez-zor-air-strike", "--add", "coalition air strike"], db
    )
    assert out.splitlines() == ["Deir ez-Zor", "+Syria", "coalition air strike"]
    status, out = run(["stories", "keywords", "deir-ez-zor-air-strike", "--remove", "+Syria"], db)
    assert out.splitlines() == ["Deir ez-Zor", "coalition air strike"]
    assert run(["stories", "remove", "deir-ez-zor-air-strike"], db)[0] == 0
    listing = run(["stories", "list"], db)[1].splitlines()
    assert listing[0].endswith("(disabled)") and not listing[1].endswith("(disabled)")


def test_health_reports_missing_database_no_tick_stale_tick_and_healthy(tmp_path):
    db = tmp_path / "health.db"
    settings = Settings(db_path=str(db))
    out = io.StringIO()
    assert health(settings, FixedClock(NOW), out) == 1 and "no database" in out.getvalue()
    with Store.open(db) as store:
        pass
    assert health(settings, FixedClock(NOW), io.StringIO()) == 1
    with Store.open(db) as store:
        store.write_heartbeat(NOW)
    assert health(settings, FixedClock(NOW + timedelta(minutes=4)), io.StringIO()) == 0
    stale = io.StringIO()
    assert health(settings, FixedClock(NOW + timedelta(minutes=6)), stale) == 1
    assert "360 s ago" in stale.getvalue()


def test_health_on_a_file_that_is_not_a_database_is_unhealthy(tmp_path):
    db = tmp_path / "junk.db"
    db.write_bytes(b"this is not sqlite" * 100)
    out = io.StringIO()
    assert health(Settings(db_path=str(db)), FixedClock(NOW), out) == 1
    assert "cannot open the database" in out.getvalue()


def test_extract_reads_json_lines_and_opens_no_database(tmp_path):
    lines = (
        '{"id": "a", "title": "Ferry sinks", "summary": "At least 12 people were killed."}\n'
        "not json\n"
    )
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "extract"],
        input=lines,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    first, second = (json.loads(line) for line in done.stdout.splitlines())
    assert first["id"] == "a"
    assert ("killed", 12) in {(f["metric"], f["value"]) for f in first["figures"]}
    assert "error" in second
    assert list(tmp_path.iterdir()) == []
