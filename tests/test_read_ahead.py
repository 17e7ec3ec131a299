"""Matching and extraction read ahead in a parse worker: the worker and the in-process path find
the same facts (golden feeds and a feed with figures and positions, the config's aliases
included), entries the worker was told are unchanged are skipped, and a story added while the
worker parsed sends the tick back to matching in the main process."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path

import pytest

from storage.records import Facts, Feed, Story
from storage.store import Store
from tests.fakes.clock import FakeClock
from tests.fakes.feeds import FeedItem, FeedServer, rss
from watchers.parse import CheckedParse, ParseMode, parse_feed
from watchers.parsepool import ParsePool
from watchers.pipeline import (
    AliasRecord,
    EntryReader,
    Findings,
    Reading,
    ReadRequest,
    StageRecipe,
    entry_from_parsed,
    pickled_stories,
)
from watchers.tick import Poller, PollSettings

FEEDS = Path(__file__).parent / "data" / "feeds"
NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
PUBLISHED = datetime(2026, 2, 27, 8, 0, tzinfo=UTC)
RECIPE = StageRecipe((AliasRecord("Lakeport Harbour Board", ("LHB",), "body"),))
STORIES = (
    Story("ferry-lakeport", "Ferry sinking off Lakeport", ("ferry", "Lakeport", "capsized"), id=1),
    Story("bridge-repairs", "Bridge repairs", ("bridge",), id=2),
    Story("quota-protests", "Quota protests", ("quota", "+protest"), id=3),
)
FERRY_ITEMS = [
    (
        "Ferry capsizes off Lakeport",
        "The LHB said 14 passengers were killed and 30 are missing after the ferry capsized.",
    ),
    (
        "Lakeport ferry toll rises",
        "The Lakeport Harbour Board condemned the delay. Police said at least 19 people died.",
    ),
    ("Market moves indoors", "Stalls open under the old station roof from Monday."),
]


def ferry_feed(items: list[tuple[str, str]] = FERRY_ITEMS) -> bytes:
    return rss(
        "Lakeport Wire",
        [
            FeedItem(
                title=title,
                link=f"https://wire.example/{n}",
                summary=summary,
                guid=f"wire-{n}",
                published=PUBLISHED,
            )
            for n, (title, summary) in enumerate(items)
        ],
    )


BODIES = {
    **{path.name: path.read_bytes() for path in sorted(FEEDS.glob("*.xml"))},
    "ferry": ferry_feed(),
}


def in_process(body: bytes, recipe: StageRecipe) -> dict[str, Findings]:
    """What the pipeline finds without a worker: its own stages, every entry new."""
    stages = recipe.build()
    findings: dict[str, Findings] = {}
    for parsed in parse_feed(body, {}, "https://feeds.example/f.xml", NOW).entries:
        entry = entry_from_parsed(1, parsed)
        slugs = stages.match(entry, STORIES)
        story = {s.slug: s for s in STORIES}
        findings[entry.key] = tuple(
            (slug, stages.extract(entry.text, story[slug], entry.published)) for slug in slugs
        )
    return findings


def request(known: Mapping[str, str] | None = None, recipe: StageRecipe = RECIPE) -> ReadRequest:
    return ReadRequest(recipe, known or {}, 7, pickled_stories(STORIES))


@pytest.fixture(scope="module")
def worker_pool() -> Iterator[ParsePool]:
    pool = ParsePool(workers=1, inline_below=0)
    yield pool
    pool.close()


@pytest.mark.parametrize("name", sorted(BODIES))
@pytest.mark.parametrize("recipe", [RECIPE, StageRecipe()], ids=["config-aliases", "packaged"])
async def test_worker_and_in_process_find_the_same(
    worker_pool: ParsePool, name: str, recipe: StageRecipe
) -> None:
    checked, reading = await worker_pool.parse_and_read(
        BODIES[name], {}, "https://feeds.example/f.xml", NOW, "feedparser", request(None, recipe)
    )
    assert reading is not None and reading.stories_version == 7
    assert set(reading.findings) == {entry.key for entry in checked.parsed.entries}
    assert reading.findings == in_process(BODIES[name], recipe)


def claimants(findings: Mapping[str, Findings]) -> set[str | None]:
    return {
        figure.claimant for found in findings.values() for _, f in found for figure in f.figures
    }


def test_the_ferry_feed_has_facts_and_the_config_alias_names_the_claimant() -> None:
    # Guards the comparison above against agreeing on nothing.
    findings = in_process(BODIES["ferry"], RECIPE)
    assert any(f.positions for found in findings.values() for _, f in found)
    assert "Lakeport Harbour Board" in claimants(findings)
    assert "Lakeport Harbour Board" not in claimants(in_process(BODIES["ferry"], StageRecipe()))


def test_entries_known_unchanged_are_skipped_and_updated_ones_read() -> None:
    entries = parse_feed(BODIES["ferry"], {}, "https://feeds.example/f.xml", NOW).entries
    first, second, third = entries
    known = {first.key: first.content_hash, second.key: "an older hash"}
    reading = EntryReader().read(request(known), entries)
    assert set(reading.findings) == {second.key, third.key}


async def test_a_small_body_is_parsed_in_a_thread_without_reading_ahead() -> None:
    pool = ParsePool(workers=0)
    checked, reading = await pool.parse_and_read(
        BODIES["ferry"], {}, "https://feeds.example/f.xml", NOW, "feedparser", request()
    )
    assert checked.parsed.entries and reading is None


class StoryAddedWhileParsing(ParsePool):
    """A worker pool during whose parse a story is added to the store."""

    def __init__(self, store: Store) -> None:
        super().__init__(workers=1, inline_below=0)
        self.store = store
        self.readings: list[Reading | None] = []

    async def parse_and_read(
        self,
        body: bytes,
        headers: Mapping[str, str],
        url: str,
        first_seen: datetime,
        mode: ParseMode = "feedparser",
        read: ReadRequest | None = None,
    ) -> tuple[CheckedParse, Reading | None]:
        checked, reading = await super().parse_and_read(body, headers, url, first_seen, mode, read)
        self.readings.append(reading)
        self.store.add_story(Story("market", "Market move", ("market",)), first_seen)
        return checked, reading


async def stored_facts(store: Store) -> dict[str, list[tuple[str, Facts]]]:
    facts: dict[str, list[tuple[str, Facts]]] = {}
    for story in store.list_stories():
        assert story.id is not None
        known = store.story_facts(story.id)
        facts[story.slug] = sorted(
            [(str(k.seen.entry_id), Facts(figures=(k.figure,))) for k in known.figures]
            + [(str(k.seen.entry_id), Facts(positions=(k.position,))) for k in known.positions],
            key=repr,
        )
    return facts


@pytest.fixture
async def polled_both_ways(
    tmp_path: Path, feed_server: FeedServer, clock: FakeClock
) -> AsyncIterator[tuple[Store, Store]]:
    url = feed_server.publish("/ferry.xml", BODIES["ferry"])
    stores = []
    for workers in (0, 1):
        store = Store.open(tmp_path / f"w{workers}.db")
        store.add_feed(Feed(url=url, allow_private=True, interval_s=60), clock.now())
        for story in STORIES:
            store.add_story(Story(story.slug, story.title, story.keywords), clock.now())
        parser = ParsePool(workers=workers, inline_below=0)
        poller = Poller(store, RECIPE.build(), PollSettings(fetch_timeout_s=2), parser=parser)
        try:
            await poller.tick(clock.now())
        finally:
            await poller.close()
        stores.append(store)
    yield stores[0], stores[1]


async def test_a_tick_stores_the_same_with_and_without_workers(
    polled_both_ways: tuple[Store, Store],
) -> None:
    in_threads, in_workers = polled_both_ways
    facts = await stored_facts(in_threads)
    assert facts["ferry-lakeport"]
    assert facts == await stored_facts(in_workers)
    changes = (
        "SELECT story_id, entry_id, kind, metric, value, actor, stance FROM changes ORDER BY id"
    )
    assert in_threads.db.execute(changes).fetchall() == in_workers.db.execute(changes).fetchall()


async def test_a_story_added_during_the_parse_is_matched_in_the_main_process(
    tmp_path: Path, feed_server: FeedServer, clock: FakeClock
) -> None:
    store = Store.open(tmp_path / "late.db")
    url = feed_server.publish("/late.xml", BODIES["ferry"])
    store.add_feed(Feed(url=url, allow_private=True, interval_s=60), clock.now())
    store.add_story(Story("ferry-lakeport", "Ferry", ("ferry",)), clock.now())
    parser = StoryAddedWhileParsing(store)
    poller = Poller(store, RECIPE.build(), PollSettings(fetch_timeout_s=2), parser=parser)
    try:
        report = await poller.tick(clock.now())
    finally:
        await poller.close()
    # The worker read ahead against the old stories; the tick saw the new one and read here.
    (reading,) = parser.readings
    assert reading is not None and "market" not in repr(reading.findings)
    market = store.get_story("market")
    assert market.id is not None
    assert report.matched == 3
    matched = store.db.execute("SELECT COUNT(*) FROM matches WHERE story_id = ?", (market.id,))
    assert matched.fetchone()[0] == 1


def test_the_apps_stages_carry_the_configs_aliases_to_the_workers() -> None:
    from bot.config import Config
    from bot.wiring import pipeline_stages

    stages = pipeline_stages(Config(aliases={"Lakeport Harbour Board": ("LHB",)}))
    assert stages.recipe == RECIPE
    assert pipeline_stages().recipe == StageRecipe()
