"""The poll tick on the shared loopback feed server: every outcome ends in the right recorded
state, and the other feeds of the same tick are polled normally. The fake clock drives ticks."""

from __future__ import annotations

import asyncio
import gzip
from collections.abc import AsyncIterator, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from storage.records import Change, Entry, Facts, Feed, Figure, Story, StoryFacts
from storage.store import Store
from tests.fakes.clock import FakeClock
from tests.fakes.feeds import FeedItem, FeedServer, Reply, rss
from watchers.fetch import Fetcher, FetchResult
from watchers.pipeline import Stages
from watchers.tick import Poller, PollSettings, TickReport

FEEDS = Path(__file__).parent / "data" / "feeds"
ADMIN = 4242
PUBLISHED = datetime(2016, 9, 17, 9, 0, tzinfo=UTC)


def _match(entry: Entry, stories: Sequence[Story]) -> list[str]:
    text = entry.text.lower()
    return [s.slug for s in stories if any(k.lower() in text for k in s.keywords)]


def _extract(text: str, story: Story | None, published: datetime | None) -> Facts:
    figures = tuple(
        Figure(metric="killed", value=int(word))
        for word in text.replace(",", " ").split()
        if word.isdigit()
    )
    return Facts(figures=figures)


def _decide(known: StoryFacts, facts: Facts, entry: Entry) -> list[Change]:
    seen = {k.figure.value for k in known.figures}
    return [
        Change(story_id=known.story_id, entry_id=entry.id or 0, figure=f)
        for f in facts.figures
        if f.value not in seen
    ]


STAND_INS = Stages(match=_match, extract=_extract, decide=_decide)


def feed_doc(*items: tuple[str, str]) -> bytes:
    return rss(
        "Test Wire",
        [
            FeedItem(title=title, link=f"http://127.0.0.1/{guid}", guid=guid, published=PUBLISHED)
            for guid, title in items
        ],
    )


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store.open(tmp_path / "tick.db")


@pytest.fixture
async def poller(store: Store) -> AsyncIterator[Poller]:
    settings = PollSettings(
        max_per_tick=100,
        fetch_timeout_s=1.0,
        max_body_bytes=200_000,
        default_interval_s=60,
        admin_ids=frozenset({ADMIN}),
        disable_after_days=2,
    )
    poller = Poller(store, STAND_INS, settings)
    yield poller
    await poller.close()


def add(store: Store, url: str, clock: FakeClock, *, private: bool = True) -> Feed:
    feed = Feed(url=url, config_url=url, allow_private=private, source="config")
    return store.add_feed(feed, clock.now())


async def tick_later(poller: Poller, clock: FakeClock, hours: float = 25) -> TickReport:
    clock.advance(timedelta(hours=hours))
    return await poller.tick(clock.now())


def notices(store: Store) -> list[str]:
    rows = store.db.execute(
        "SELECT chat_id, text FROM outbox WHERE kind = 'admin_notice' ORDER BY id"
    ).fetchall()
    assert all(chat == ADMIN for chat, _ in rows)
    return [text for _, text in rows]


async def test_normal_feed_then_304_then_same_body(
    feed_server: FeedServer, store: Store, poller: Poller, clock: FakeClock
) -> None:
    url = feed_server.publish("/wire.xml", feed_doc(("a", "First"), ("b", "Second")))
    feed = add(store, url, clock)
    first = await poller.tick(clock.now())
    assert (first.polled, first.new, first.errors) == (1, 2, 0)
    assert store.heartbeat() == clock.now()
    stored = store.get_feed(feed.id or 0)
    assert stored.etag and stored.last_status == 200 and stored.title == "Test Wire"
    assert stored.next_poll_at is not None and stored.next_poll_at > clock.now()

    second = await tick_later(poller, clock, 0.1)
    assert (second.not_modified, second.new) == (1, 0)
    assert feed_server.requests("/wire.xml")[-1].headers.get("If-None-Match") == stored.etag

    # A server that ignores validators: the same body again is not parsed.
    feed_server.publish(
        "/wire.xml", feed_doc(("a", "First"), ("b", "Second")), etag=False, last_modified=False
    )
    store.record_polls(
        [replace(store.get_feed(feed.id or 0), etag=None, last_modified=None)], (), (), clock.now()
    )
    third = await tick_later(poller, clock, 0.1)
    assert (third.same_body, third.new, third.parsed) == (1, 0, 0)


async def test_entry_updated_in_place_goes_through_the_pipeline_again(
    feed_server: FeedServer, store: Store, poller: Poller, clock: FakeClock
) -> None:
    story = store.add_story(Story(slug="strike", title="Strike", keywords=("strike",)), clock.now())
    url = feed_server.publish("/w.xml", feed_doc(("s1", "Strike toll 62"), ("x", "Other news")))
    add(store, url, clock)
    first = await poller.tick(clock.now())
    assert (first.new, first.matched) == (2, 1)
    feed_server.publish("/w.xml", feed_doc(("s1", "Strike toll 83"), ("x", "Other news")))
    second = await tick_later(poller, clock, 0.1)
    assert (second.new, second.updated, second.matched) == (0, 1, 1)
    values = {k.figure.value for k in store.story_facts(story.id or 0).figures}
    assert values == {83}
    third = await tick_later(poller, clock, 0.1)
    assert (third.new, third.updated) == (0, 0)


async def test_permanent_redirect_chain_moves_the_feed_and_tells_admins(
    feed_server: FeedServer, store: Store, poller: Poller, clock: FakeClock
) -> None:
    final = feed_server.publish("/new.xml", feed_doc(("a", "A")))
    feed_server.redirect("/old.xml", "/mid.xml", 301)
    feed_server.redirect("/mid.xml", "/new.xml", 308)
    feed = add(store, feed_server.url_for("/old.xml"), clock)
    report = await poller.tick(clock.now())
    assert (report.moved, report.new) == (1, 1)
    moved = store.get_feed(feed.id or 0)
    assert moved.url == final and moved.config_url == feed.url
    assert notices(store) == [f"Feed {feed.url} moved permanently to {final}."]


async def test_temporary_hop_keeps_the_url(
    feed_server: FeedServer, store: Store, poller: Poller, clock: FakeClock
) -> None:
    feed_server.publish("/final.xml", feed_doc(("a", "A")))
    feed_server.redirect("/perm.xml", "/temp.xml", 301)
    feed_server.redirect("/temp.xml", "/final.xml", 302)
    feed = add(store, feed_server.url_for("/perm.xml"), clock)
    report = await poller.tick(clock.now())
    assert (report.moved, report.new, report.errors) == (0, 1, 0)
    assert store.get_feed(feed.id or 0).url == feed.url


def _gzip_bomb() -> bytes:
    return gzip.compress(b"<" + b" " * 5_000_000, compresslevel=9)


# (path, reply, expected status recorded, text in last_error)
FAILURES = [
    pytest.param("/404.xml", Reply(status=404), 404, "404", id="not-found"),
    pytest.param("/500.xml", Reply(status=500), 500, "500", id="server-error"),
    pytest.param("/loop.xml", Reply.redirect("/loop.xml", 301), 301, "loop", id="redirect-loop"),
    pytest.param(
        "/big.xml", Reply(body=b"<rss>" + b" " * 1_000_000), 200, "cap", id="body-over-cap"
    ),
    pytest.param(
        "/big-chunked.xml",
        Reply(body=b" " * 1_000_000, declare_length=False),
        200,
        "cap",
        id="chunked-body-over-cap",
    ),
    pytest.param(
        "/bomb.xml",
        Reply(body=_gzip_bomb(), headers={"Content-Encoding": "gzip"}),
        200,
        "decompression bomb",
        id="gzip-bomb",
    ),
    pytest.param(
        "/slow.xml",
        Reply.trickle(feed_doc(("a", "A")), 40, 0.2),
        None,
        "timed out",
        id="trickling-body-total-timeout",
    ),
    pytest.param(
        "/page.html",
        Reply(body=(FEEDS / "page.html").read_bytes(), headers={"Content-Type": "text/html"}),
        200,
        "not a feed",
        id="html-page",
    ),
    pytest.param("/empty.xml", Reply(body=b""), 200, "empty body", id="empty-body"),
]


@pytest.mark.parametrize(("path", "reply", "status", "error"), FAILURES)
async def test_failures_are_recorded_and_other_feeds_still_polled(
    feed_server: FeedServer,
    store: Store,
    poller: Poller,
    clock: FakeClock,
    path: str,
    reply: Reply,
    status: int | None,
    error: str,
) -> None:
    feed_server.always(path, reply)
    bad = add(store, feed_server.url_for(path), clock)
    good = add(store, feed_server.publish("/good.xml", feed_doc(("g", "Good"))), clock)
    report = await poller.tick(clock.now())
    assert (report.polled, report.errors, report.new) == (2, 1, 1)
    failed = store.get_feed(bad.id or 0)
    assert failed.last_status == status
    assert failed.last_error is not None and error in failed.last_error
    assert failed.failures == 1 and failed.failing_since == clock.now()
    assert failed.next_poll_at is not None
    assert failed.next_poll_at >= clock.now() + timedelta(seconds=120)  # doubled interval
    assert store.get_feed(good.id or 0).failures == 0


@pytest.mark.parametrize(
    ("body", "new", "problem"),
    [
        pytest.param((FEEDS / "windows1252.xml").read_bytes(), 1, None, id="windows-1252"),
        pytest.param((FEEDS / "utf16.xml").read_bytes(), 1, None, id="utf-16"),
        pytest.param((FEEDS / "malformed.xml").read_bytes(), 2, "not well-formed", id="malformed"),
        pytest.param((FEEDS / "empty_valid.xml").read_bytes(), 0, None, id="empty-valid"),
        pytest.param((FEEDS / "zero_date.xml").read_bytes(), 1, None, id="zero-date"),
        pytest.param((FEEDS / "no_guid.xml").read_bytes(), 2, None, id="no-guid-no-date"),
        pytest.param(
            (FEEDS / "rss20.xml")
            .read_bytes()
            .replace(
                b'<rss version="2.0">',
                b'<!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
                b'<rss version="2.0">',
            ),
            2,
            "entity declarations removed",
            id="entity-attack-neutralised",
        ),
    ],
)
async def test_odd_but_readable_feeds_succeed(
    feed_server: FeedServer,
    store: Store,
    poller: Poller,
    clock: FakeClock,
    body: bytes,
    new: int,
    problem: str | None,
) -> None:
    feed = add(store, feed_server.publish("/odd.xml", body, content_type="application/xml"), clock)
    report = await poller.tick(clock.now())
    assert (report.errors, report.new) == (0, new)
    stored = store.get_feed(feed.id or 0)
    assert stored.failures == 0 and stored.last_status == 200
    if problem is None:
        assert stored.last_error is None
    else:
        assert stored.last_error is not None and problem in stored.last_error


async def test_wrong_declared_charset_is_read(
    feed_server: FeedServer, store: Store, poller: Poller, clock: FakeClock
) -> None:
    body = (FEEDS / "windows1252.xml").read_bytes()
    add(store, feed_server.publish("/cs.xml", body, content_type="text/xml; charset=utf-8"), clock)
    report = await poller.tick(clock.now())
    assert (report.errors, report.new) == (0, 1)


async def test_gone_disables_and_tells_admins(
    feed_server: FeedServer, store: Store, poller: Poller, clock: FakeClock
) -> None:
    feed_server.always("/gone.xml", Reply(status=410))
    feed = add(store, feed_server.url_for("/gone.xml"), clock)
    report = await poller.tick(clock.now())
    assert report.disabled == 1
    gone = store.get_feed(feed.id or 0)
    assert not gone.enabled and gone.disabled_reason and "410" in gone.disabled_reason
    assert notices(store) == [f"Feed {feed.url} disabled: {gone.disabled_reason}"]
    assert (await tick_later(poller, clock)).polled == 0


async def test_500_then_recovery_is_told(
    feed_server: FeedServer, store: Store, poller: Poller, clock: FakeClock
) -> None:
    feed_server.always("/flaky.xml", Reply(status=500))
    feed = add(store, feed_server.url_for("/flaky.xml"), clock)
    await poller.tick(clock.now())
    for _ in range(2):
        await tick_later(poller, clock, 1)
    flaky = store.get_feed(feed.id or 0)
    assert flaky.failures == 3 and flaky.enabled
    assert notices(store) == []
    feed_server.always("/flaky.xml", None)
    feed_server.publish("/flaky.xml", feed_doc(("a", "Back")))
    report = await tick_later(poller, clock, 1)
    assert (report.errors, report.new) == (0, 1)
    recovered = store.get_feed(feed.id or 0)
    assert recovered.failures == 0 and recovered.failing_since is None
    assert notices(store) == [f"Feed {feed.url} recovered after 3 failed polls."]


async def test_failing_past_the_limit_disables(
    feed_server: FeedServer, store: Store, poller: Poller, clock: FakeClock
) -> None:
    feed_server.always("/dead.xml", Reply(status=503))
    feed = add(store, feed_server.url_for("/dead.xml"), clock)
    await poller.tick(clock.now())
    await tick_later(poller, clock, 30)
    report = await tick_later(poller, clock, 30)
    assert report.disabled == 1
    dead = store.get_feed(feed.id or 0)
    assert (
        not dead.enabled and dead.disabled_reason and "failing for 2 days" in dead.disabled_reason
    )


async def test_429_honours_retry_after(
    feed_server: FeedServer, store: Store, poller: Poller, clock: FakeClock
) -> None:
    feed_server.always("/busy.xml", Reply(status=429, headers={"Retry-After": "7200"}))
    feed = add(store, feed_server.url_for("/busy.xml"), clock)
    await poller.tick(clock.now())
    busy = store.get_feed(feed.id or 0)
    assert busy.last_status == 429
    assert busy.next_poll_at is not None
    assert (
        clock.now() + timedelta(hours=2) <= busy.next_poll_at <= clock.now() + timedelta(hours=2.2)
    )


@pytest.mark.parametrize(
    "target",
    [
        pytest.param("http://127.0.0.1:{port}/feed.xml", id="ipv4-loopback"),
        pytest.param("http://localhost:{port}/feed.xml", id="localhost"),
        pytest.param("http://[::1]:{port}/feed.xml", id="ipv6-loopback"),
    ],
)
async def test_ssrf_guard_refuses_loopback_before_connecting(
    feed_server: FeedServer, store: Store, poller: Poller, clock: FakeClock, target: str
) -> None:
    feed_server.publish("/feed.xml", feed_doc(("a", "A")))
    url = target.format(port=feed_server.port)
    feed = add(store, url, clock, private=False)
    report = await poller.tick(clock.now())
    assert report.errors == 1
    refused = store.get_feed(feed.id or 0)
    assert refused.last_error is not None and "refused" in refused.last_error
    assert feed_server.request_count("/feed.xml") == 0


async def test_ssrf_guard_checks_redirect_hops(
    feed_server: FeedServer, store: Store, poller: Poller, clock: FakeClock
) -> None:
    """A feed marked private redirects to loopback: allowed. The same hop from a feed not
    marked private is refused: here the first hop already is loopback, so nothing is fetched."""
    feed_server.publish("/target.xml", feed_doc(("a", "A")))
    feed_server.redirect("/hop.xml", "/target.xml", 302)
    open_feed = add(store, feed_server.url_for("/hop.xml"), clock)
    report = await poller.tick(clock.now())
    assert (report.errors, report.new) == (0, 1)
    assert store.get_feed(open_feed.id or 0).failures == 0
    guarded = add(store, f"http://localhost:{feed_server.port}/hop.xml", clock, private=False)
    before = feed_server.request_count("/hop.xml")
    await tick_later(poller, clock)
    assert store.get_feed(guarded.id or 0).failures == 1
    assert feed_server.request_count("/hop.xml") == before + 1  # only the private feed's poll


class HeldFetcher:
    """The real fetcher, but each result waits for `release` once `fetched` is set."""

    def __init__(self) -> None:
        self.inner = Fetcher(timeout_s=2.0)
        self.fetched = asyncio.Event()
        self.release = asyncio.Event()

    async def fetch(self, feed: Feed) -> FetchResult:
        result = await self.inner.fetch(feed)
        self.fetched.set()
        await self.release.wait()
        return result

    async def close(self) -> None:
        await self.inner.close()


async def test_a_story_added_while_a_fetch_is_in_flight_gets_that_fetchs_entries(
    feed_server: FeedServer, store: Store, clock: FakeClock
) -> None:
    """The story is neither in the tick's first snapshot nor able to baseline entries not yet
    stored: the entries must be matched against the stories as they are when stored."""
    add(store, feed_server.publish("/late.xml", feed_doc(("dam-1", "dam burst, 40 dead"))), clock)
    fetcher = HeldFetcher()
    poller = Poller(store, STAND_INS, fetcher=fetcher)
    try:
        tick = asyncio.create_task(poller.tick(clock.now()))
        await fetcher.fetched.wait()
        story = store.add_story(Story("dam", "Dam burst", ("dam",)), clock.now())
        fetcher.release.set()
        report = await tick
    finally:
        await poller.close()
    assert report.matched == 1
    assert [k.figure.value for k in store.story_facts(story.id or 0).figures] == [40]


async def test_spread_start_keeps_fast_feeds_within_their_interval(
    feed_server: FeedServer, store: Store, poller: Poller, clock: FakeClock
) -> None:
    for number in range(4):
        url = feed_server.publish(f"/fast{number}.xml", feed_doc((f"f{number}", "x")))
        store.add_feed(
            Feed(url=url, config_url=url, allow_private=True, source="config", interval_s=1),
            clock.now(),
        )
    poller.spread_start(clock.now())
    clock.advance(timedelta(seconds=1))
    assert (await poller.tick(clock.now())).polled == 4


async def test_spread_start_and_retention(
    feed_server: FeedServer, store: Store, poller: Poller, clock: FakeClock
) -> None:
    for number in range(6):
        add(store, feed_server.publish(f"/s{number}.xml", feed_doc((f"e{number}", "x"))), clock)
    assert poller.spread_start(clock.now()) == 6
    assert (await poller.tick(clock.now())).polled == 1
    clock.advance(timedelta(seconds=60))
    assert (await poller.tick(clock.now())).polled == 5
    kept = store.db.execute("SELECT COUNT(*) FROM entries WHERE title != ''").fetchone()[0]
    assert kept == 6
    await tick_later(poller, clock, 24 * 31)
    emptied = store.db.execute(
        "SELECT COUNT(*) FROM entries WHERE title = '' AND content_hash != ''"
    ).fetchone()[0]
    assert emptied == 6
