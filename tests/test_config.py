"""The config file: every kind of bad file is refused with where and why; the sync rules."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot import cli
from bot.config import ConfigError, Limits, load_config, parse_config
from storage.records import Feed, Story
from storage.store import REMOVED_FROM_CONFIG, Store
from watchers.tick import PollSettings

NOW = datetime(2016, 9, 17, 14, 5, tzinfo=UTC)

GOOD = """
poll_interval = 120
admins = [1111, 2222]

[limits]
max_followed = 5
fetch_timeout_s = 12.5

[aliases]
"United States" = ["CENTCOM"]

[[feeds]]
url = "https://news.example/world.rss"
title = "World"
interval = 60

[[feeds]]
url = "http://127.0.0.1:8080/local.xml"
allow_private = true

[[stories]]
title = "Deir ez-Zor air strike"
keywords = ["Deir ez-Zor", "coalition air strike", "+Syria"]

[[stories]]
title = "Aid convoy"
slug = "aleppo-convoy"
keywords = "aid convoy, Urum al-Kubra,  Aleppo"
"""


def write(tmp_path, text: str):
    path = tmp_path / "storywatch.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_good_file_becomes_records_and_limits(tmp_path):
    config = load_config(write(tmp_path, GOOD))
    assert config.poll_interval_s == 120
    assert config.admin_ids == frozenset({1111, 2222})
    assert config.limits == Limits(max_followed=5, fetch_timeout_s=12.5)
    assert config.aliases == {"United States": ("CENTCOM",)}
    assert [(f.url, f.interval_s, f.allow_private) for f in config.feeds] == [
        ("https://news.example/world.rss", 60, False),
        ("http://127.0.0.1:8080/local.xml", None, True),
    ]
    assert [(s.slug, s.keywords) for s in config.stories] == [
        ("deir-ez-zor-air-strike", ("Deir ez-Zor", "coalition air strike", "+Syria")),
        ("aleppo-convoy", ("aid convoy", "Urum al-Kubra", "Aleppo")),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("[[feeds]\nurl = 1", "not valid TOML", id="syntax-error"),
        pytest.param("colour = 'blue'", "colour: unknown key", id="unknown-top-level-key"),
        pytest.param(
            "[[feeds]]\nurl = 'https://a.example'\nrefresh = 5",
            "feeds[0].refresh: unknown key",
            id="unknown-feed-key",
        ),
        pytest.param(
            "[[feeds]]\nurl = 'ftp://a.example/rss'", "feeds[0].url: must be an http", id="ftp-url"
        ),
        pytest.param("[[feeds]]\nurl = 'news.example/rss'", "feeds[0].url", id="no-scheme"),
        pytest.param("[[feeds]]\ntitle = 'x'", "feeds[0].url: is required", id="missing-url"),
        pytest.param(
            "[[feeds]]\nurl = 'https://a.example'\ninterval = '5m'",
            "feeds[0].interval: must be a positive integer",
            id="interval-wrong-type",
        ),
        pytest.param(
            "[[feeds]]\nurl = 'https://a.example'\nallow_private = 'yes'",
            "feeds[0].allow_private: must be true or false",
            id="allow-private-wrong-type",
        ),
        pytest.param("poll_interval = 0", "poll_interval: must be a positive", id="zero-interval"),
        pytest.param("admins = ['@me']", "admins: must be a list of Telegram user ids", id="admin"),
        pytest.param("feeds = 'x'", "feeds: must be an array of tables", id="feeds-not-tables"),
        pytest.param(
            "[[stories]]\ntitle = 'S'\nkeywords = []",
            "stories[0].keywords",
            id="story-without-keywords",
        ),
        pytest.param(
            "[[stories]]\ntitle = 'S'\nslug = 'Not A Slug'\nkeywords = ['x']",
            "stories[0].slug",
            id="bad-slug",
        ),
        pytest.param(
            "[[stories]]\ntitle = 'S'\nkeywords = ['x']\n"
            "[[stories]]\ntitle = 'S'\nkeywords = ['y']",
            "stories[1].slug: the slug 's' is used twice",
            id="duplicate-slug",
        ),
        pytest.param("[limits]\nmax_followed = -1", "limits.max_followed", id="negative-limit"),
        pytest.param("[limits]\nspeed = 3", "limits.speed: unknown key", id="unknown-limit"),
        pytest.param("[limits]\nfast_parser = 1", "limits.fast_parser", id="switch-not-a-bool"),
        pytest.param("[limits]\nmax_owned = true", "limits.max_owned", id="number-given-a-bool"),
        pytest.param("[aliases]\nRussia = 'Moscow'", "aliases.Russia", id="alias-not-a-list"),
    ],
)
def test_a_bad_file_names_the_file_the_key_and_the_problem(tmp_path, text, expected):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as raised:
        load_config(path)
    assert str(path) in str(raised.value)
    assert expected in str(raised.value)


@pytest.mark.parametrize(
    ("text", "fast"),
    [
        pytest.param("", False, id="default-off"),
        pytest.param("[limits]\nfast_parser = true", True, id="on"),
        pytest.param("[limits]\nfast_parser = false", False, id="off"),
    ],
)
def test_the_fast_parser_switch_reaches_the_poll_settings(tmp_path, text, fast):
    config = load_config(write(tmp_path, text))
    assert config.limits.fast_parser is fast
    assert PollSettings.from_limits(config.limits).fast_parser is fast


def test_a_missing_or_binary_file_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="does not exist"):
        load_config(tmp_path / "absent.toml")
    binary = tmp_path / "binary.toml"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(ConfigError):
        load_config(binary)


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "sync.db") as opened:
        yield opened


def test_sync_adds_config_rows_and_is_idempotent(store):
    config = parse_config({"feeds": [{"url": "https://a.example/rss", "title": "A"}]})
    stories = parse_config({"stories": [{"title": "S", "keywords": ["x"]}]}).stories
    first = store.sync_config(config.feeds, stories, NOW)
    assert first.feeds_added == ("https://a.example/rss",)
    assert first.stories_added == ("s",)
    assert len(first.rekeyed) == 1
    second = store.sync_config(config.feeds, stories, NOW)
    assert (second.feeds_added, second.feeds_updated, second.stories_updated) == ((), (), ())
    (feed,) = store.list_feeds()
    assert (feed.source, feed.config_url, feed.title) == ("config", "https://a.example/rss", "A")


def test_a_feed_or_story_removed_from_config_is_disabled_with_history_kept(store):
    feeds = (Feed(url="https://a.example/rss", config_url="https://a.example/rss"),)
    stories = (Story(slug="s", title="S", keywords=("x",)),)
    store.sync_config(feeds, stories, NOW)
    report = store.sync_config((), (), NOW)
    assert report.feeds_disabled == ("https://a.example/rss",)
    assert report.stories_disabled == ("s",)
    (feed,) = store.list_feeds()
    assert (feed.enabled, feed.disabled_reason) == (False, REMOVED_FROM_CONFIG)
    assert not store.get_story("s").enabled
    store.sync_config(feeds, stories, NOW)
    assert store.list_feeds()[0].enabled
    assert store.get_story("s").enabled


def test_rows_added_by_the_cli_or_chat_are_never_touched(store):
    store.add_feed(Feed(url="https://cli.example/rss", source="cli"), NOW)
    store.add_story(Story(slug="mine", title="Mine", keywords=("a",), source="chat"), NOW)
    clash_feed = Feed(url="https://cli.example/rss", config_url="https://cli.example/rss")
    clash_story = Story(slug="mine", title="Config's", keywords=("b",))
    report = store.sync_config((clash_feed,), (clash_story,), NOW)
    assert len(report.skipped) == 2
    report = store.sync_config((), (), NOW)
    assert report.feeds_disabled == () and report.stories_disabled == ()
    assert store.list_feeds()[0].source == "cli"
    assert store.get_story("mine").keywords == ("a",)


def test_a_feed_moved_by_a_permanent_redirect_is_not_added_again(store):
    url = "https://old.example/rss"
    store.sync_config((Feed(url=url, config_url=url),), (), NOW)
    (feed,) = store.list_feeds()
    store.save_feed(replace(feed, url="https://new.example/rss"))
    report = store.sync_config((Feed(url=url, config_url=url),), (), NOW)
    assert report.feeds_added == ()
    assert [f.url for f in store.list_feeds()] == ["https://new.example/rss"]


def test_changed_keywords_in_config_rekey_the_story(store):
    store.sync_config((), (Story(slug="s", title="S", keywords=("x",)),), NOW)
    report = store.sync_config((), (Story(slug="s", title="S", keywords=("x", "y")),), NOW)
    assert report.stories_updated == ("s",)
    assert report.rekeyed == (store.get_story("s").id,)


def test_the_shipped_example_config_is_valid():
    config = load_config(Path(__file__).resolve().parents[1] / "storywatch.example.toml")
    assert len(config.feeds) == 6 and len(config.stories) == 1
    assert all(feed.url.startswith("https://") for feed in config.feeds)


@pytest.mark.parametrize("command", [["poll", "--once"], ["run"]])
def test_a_bad_file_stops_the_start_with_status_2(tmp_path, capsys, monkeypatch, command):
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:abc")
    path = write(tmp_path, "[[feeds]]\nurl = 'ftp://a.example/rss'")
    argv = [*command, "--config", str(path), "--db", str(tmp_path / "x.db")]
    assert cli.main(argv) == 2
    error = capsys.readouterr().err
    assert str(path) in error and "feeds[0].url" in error
