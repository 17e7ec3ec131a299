"""The accelerated-parser gate: the pure verdict and mode decisions, the gate on the golden
feeds, and a tick that remembers the verdict on the feed and then uses it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from storage.records import Feed
from storage.store import Store
from tests.fakes.clock import FakeClock
from tests.fakes.feeds import FeedItem, FeedServer, rss
from tests.test_tick import STAND_INS
from watchers.parse import (
    ParsedEntry,
    ParsedFeed,
    fast_parser_available,
    gate_verdict,
    parse_checked,
    parse_feed,
    parse_mode,
)
from watchers.tick import Poller, PollSettings

FEEDS = Path(__file__).parent / "data" / "feeds"
NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
needs_fast = pytest.mark.skipif(
    not fast_parser_available(), reason="feedparser-rs (the `fast` extra) is not installed"
)

ENTRY = ParsedEntry(
    key="k1",
    title="Bridge closed",
    summary="The river rose.",
    published=datetime(2026, 2, 1, 8, 0, tzinfo=UTC),
    content_hash="h1",
    link="https://wire.example/1",
)
SECOND = replace(ENTRY, key="k2", link="https://wire.example/2", content_hash="h2")
REFERENCE = ParsedFeed(entries=(ENTRY, SECOND), title="Wire")


def fast_with(**changes: object) -> ParsedFeed:
    return ParsedFeed(entries=(replace(ENTRY, **changes), SECOND), title="Wire")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("fast", "bozo", "allowed", "reason"),
    [
        pytest.param(REFERENCE, False, True, "same entries", id="identical"),
        pytest.param(
            ParsedFeed(entries=(ENTRY, SECOND), title="Other title", problem="x"),
            False,
            True,
            "same entries",
            id="feed-title-and-problem-do-not-count",
        ),
        pytest.param(REFERENCE, True, False, "bozo", id="bozo"),
        pytest.param(None, False, False, "failed", id="fast-parser-failed"),
        pytest.param(ParsedFeed(entries=(ENTRY,)), False, False, "fewer entries", id="fewer"),
        pytest.param(
            ParsedFeed(entries=(ENTRY, SECOND, replace(SECOND, key="k3"))),
            False,
            False,
            "more entries",
            id="more",
        ),
        pytest.param(
            ParsedFeed(entries=(SECOND, ENTRY)), False, False, "keys differ", id="other-order"
        ),
        pytest.param(fast_with(key="other"), False, False, "keys differ", id="key"),
        pytest.param(fast_with(link=None), False, False, "links differ", id="link-missing"),
        pytest.param(
            fast_with(published=datetime(2026, 2, 1, 9, 0, tzinfo=UTC)),
            False,
            False,
            "dates differ",
            id="date",
        ),
        pytest.param(fast_with(title="Bridge &amp; closed"), False, False, "titles", id="title"),
        pytest.param(fast_with(summary="The river"), False, False, "summaries", id="summary"),
        pytest.param(fast_with(content_hash="h9"), False, False, "contents", id="content"),
    ],
)
def test_gate_verdict(fast: ParsedFeed | None, bozo: bool, allowed: bool, reason: str) -> None:
    verdict = gate_verdict(REFERENCE, fast, bozo)
    assert verdict.fast is allowed
    assert reason in verdict.reason


@pytest.mark.parametrize(
    ("enabled", "fast_parse", "checked_at", "mode"),
    [
        pytest.param(False, True, NOW, "feedparser", id="disabled"),
        pytest.param(True, False, None, "verify", id="never-checked"),
        pytest.param(True, True, NOW - timedelta(days=1), "fast", id="approved"),
        pytest.param(True, False, NOW - timedelta(days=1), "feedparser", id="refused"),
        pytest.param(True, True, NOW - timedelta(days=7), "verify", id="approval-expired"),
        pytest.param(True, False, NOW - timedelta(days=8), "verify", id="refusal-expired"),
    ],
)
def test_parse_mode(
    enabled: bool, fast_parse: bool, checked_at: datetime | None, mode: str
) -> None:
    assert parse_mode(enabled, fast_parse, checked_at, NOW) == mode


# What the gate says of each golden feed. feedparser-rs takes a guid for a permalink (and builds
# a link from it) where feedparser keeps it a plain id, and it gives up on malformed XML.
GOLDEN_VERDICTS = [
    ("rss20.xml", True, "same entries"),
    ("atom.xml", True, "same entries"),
    ("rss_html.xml", True, "same entries"),
    ("no_guid.xml", True, "same entries"),
    ("empty_valid.xml", True, "same entries"),
    ("malformed.xml", False, "bozo"),
    ("utf16.xml", False, "links differ"),
    ("windows1252.xml", False, "links differ"),
    ("zero_date.xml", False, "links differ"),
]


@needs_fast
@pytest.mark.parametrize(("name", "allowed", "reason"), GOLDEN_VERDICTS, ids=lambda v: str(v))
def test_gate_on_golden_feeds(name: str, allowed: bool, reason: str) -> None:
    body = (FEEDS / name).read_bytes()
    url = f"https://feeds.example/{name}"
    checked = parse_checked(body, {}, url, NOW, "verify")
    # Checking never changes the result: feedparser's is the one returned.
    assert checked.parsed == parse_feed(body, {}, url, NOW)
    assert checked.verdict is not None
    assert (checked.verdict.fast, reason in checked.verdict.reason) == (allowed, True)


@needs_fast
def test_fast_mode_falls_back_to_feedparser_on_bozo() -> None:
    body = (FEEDS / "malformed.xml").read_bytes()
    checked = parse_checked(body, {}, "https://feeds.example/m.xml", NOW, "fast")
    assert checked.parsed == parse_feed(body, {}, "https://feeds.example/m.xml", NOW)
    assert checked.parsed.entries
    assert checked.verdict is not None and not checked.verdict.fast


def test_feedparser_mode_gives_no_verdict() -> None:
    body = (FEEDS / "rss20.xml").read_bytes()
    checked = parse_checked(body, {}, "https://feeds.example/r.xml", NOW, "feedparser")
    assert checked.verdict is None


@pytest.fixture
async def fast_poller(tmp_path: Path) -> AsyncIterator[Poller]:
    settings = PollSettings(max_per_tick=10, fetch_timeout_s=1.0, fast_parser=True)
    poller = Poller(Store.open(tmp_path / "gate.db"), STAND_INS, settings)
    yield poller
    await poller.close()


def wire(titles: list[str], host: str = "wire.example") -> bytes:
    # The links are only text in the body (nothing connects to them).
    items = [
        FeedItem(title=title, link=f"https://{host}/{n}", guid=f"g{n}", published=NOW)
        for n, title in enumerate(titles)
    ]
    return rss("Gate Wire", items)


@needs_fast
async def test_tick_remembers_the_verdict_and_uses_it(
    feed_server: FeedServer, fast_poller: Poller, clock: FakeClock
) -> None:
    store = fast_poller.store
    url = feed_server.publish("/gate.xml", wire(["One"]))
    feed = store.add_feed(Feed(url=url, allow_private=True, interval_s=60), clock.now())
    assert feed.id is not None and feed.parser_checked_at is None

    await fast_poller.tick(clock.now())
    checked = store.get_feed(feed.id)
    assert (checked.fast_parse, checked.parser_checked_at) == (True, clock.now())

    clock.advance(timedelta(minutes=5))
    feed_server.publish("/gate.xml", wire(["One", "Two"]))
    report = await fast_poller.tick(clock.now())
    assert report.new == 1
    again = store.get_feed(feed.id)
    # Parsed by the approved accelerated parser: the verdict was not checked again.
    assert again.parser_checked_at == checked.parser_checked_at


@needs_fast
def test_gate_refuses_a_feed_whose_links_the_fast_parser_drops() -> None:
    # feedparser-rs blanks links to loopback hosts; feedparser keeps them.
    checked = parse_checked(wire(["One"], "127.0.0.1"), {}, "https://w.example/", NOW, "verify")
    assert checked.verdict is not None
    assert (checked.verdict.fast, checked.verdict.reason) == (False, "links differ (entry 0)")
