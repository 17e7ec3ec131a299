"""`storywatch demo`: a timeline replayed end to end, offline, through the real pipeline.

The replay's feeds are served on 127.0.0.1 with real ETag / Last-Modified; at each step's time
a virtual clock calls `tick(now)` (fetch, parse, match, extract, decide, outbox) and the sender
delivers through the `ConsoleChannel`, so the alerts print as a subscriber would read them.
"""

from __future__ import annotations

import asyncio
import tempfile
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TextIO

from bot.channels import ConsoleChannel
from bot.replay import ReplayItem, ReplayServer, Timeline, load_timeline, render_feed
from bot.sender import Sender
from bot.slugs import slugify
from bot.wiring import pipeline_stages
from storage.records import Chat, Feed, Story
from storage.store import Store
from watchers.tick import Poller, PollSettings, TickReport

DEMO_CHAT_ID = 1001
DEMO_READER = "demo reader"
POLL_INTERVAL_S = 60


class ReplayClock:
    """Virtual time: set to each step's time; the sender's waits advance it, never the wall."""

    def __init__(self, start: datetime) -> None:
        self.moment = start

    def now(self) -> datetime:
        return self.moment

    async def sleep(self, seconds: float) -> None:
        self.moment += timedelta(seconds=max(0.0, seconds))


def alert_key(change_kind: str, fact: Mapping[str, Any]) -> tuple[str, ...]:
    """An alert as the timeline's `expect_alerts` names it, comparable as a tuple."""
    if change_kind == "figure":
        return ("figure", str(fact["metric"]), str(fact["value"]))
    return ("position", str(fact["actor"]), str(fact["stance"]))


@dataclass
class StepResult:
    """What one replayed step produced."""

    at: datetime
    report: TickReport
    alerts: list[tuple[str, ...]] = field(default_factory=list)
    expected: list[tuple[str, ...]] = field(default_factory=list)

    @property
    def as_expected(self) -> bool:
        return Counter(self.alerts) == Counter(self.expected)


@dataclass
class DemoResult:
    """Every step's result and the database the replay wrote."""

    db_path: str
    steps: list[StepResult] = field(default_factory=list)
    facts: int = 0


def _current_items(timeline: Timeline, outlet: str, upto: int) -> list[ReplayItem]:
    """The outlet's items published by step `upto`; a later item with the same guid replaces
    the earlier one (an article updated in place)."""
    items: dict[str, ReplayItem] = {}
    for step in timeline.steps[: upto + 1]:
        for item in step.feeds.get(outlet, ()):
            items[item.guid] = item
    return list(items.values())


def _prepare(store: Store, timeline: Timeline, server: ReplayServer, now: datetime) -> Story:
    """Register the replay's feeds, its story and one subscriber; on a kept database, point the
    feeds at this run's server (a new port) and make them due again."""
    stored = {feed.title: feed for feed in store.list_feeds()}
    for outlet in timeline.outlets.values():
        url = server.url(outlet.name)
        feed = stored.get(outlet.title)
        if feed is None:
            store.add_feed(
                Feed(
                    url=url,
                    title=outlet.title,
                    source="cli",
                    allow_private=True,
                    interval_s=POLL_INTERVAL_S,
                ),
                now,
            )
        else:
            store.save_feed(replace(feed, url=url, next_poll_at=None))
    slug = timeline.slug or slugify(timeline.title)
    story = store.find_story(slug)
    if story is None:
        story = Story(slug=slug, title=timeline.title, keywords=timeline.keywords, source="cli")
        story = store.add_story(story, now)
    assert story.id is not None
    store.save_chat(Chat(id=DEMO_CHAT_ID, kind="private", title=DEMO_READER), now)
    store.subscribe(DEMO_CHAT_ID, story.id, now)
    return story


def _waiting_alerts(store: Store, now: datetime) -> list[tuple[str, ...]]:
    """The alerts queued for the demo reader and not yet sent, as `expect_alerts` keys."""
    keys: list[tuple[str, ...]] = []
    for row in store.pending_outbox(now):
        if row.kind != "alert" or row.chat_id != DEMO_CHAT_ID:
            continue
        for change in store.load_alert(row).changes:
            if change.figure is not None:
                keys.append(
                    alert_key(
                        "figure", {"metric": change.figure.metric, "value": change.figure.value}
                    )
                )
            elif change.position is not None:
                keys.append(
                    alert_key(
                        "position",
                        {"actor": change.position.actor, "stance": change.position.stance},
                    )
                )
    return keys


def _publish(server: ReplayServer, timeline: Timeline, index: int) -> None:
    """Serve every outlet's feed as it stands at step `index` (an empty feed before its first
    item, as a real outlet's feed would be)."""
    moment = timeline.steps[index].at
    for name, outlet in timeline.outlets.items():
        items = _current_items(timeline, name, index)
        server.publish(name, render_feed(outlet, items, server.base_url), moment)


def _describe(kind_key: tuple[str, ...]) -> str:
    kind, first, second = kind_key
    return f"{first} {second}" if kind == "figure" else f"{first}: {second}"


async def replay(
    timeline: Timeline,
    store: Store,
    out: TextIO,
    *,
    speed: float = 0.0,
    steps: int | None = None,
    color: bool = False,
) -> DemoResult:
    """Replay `timeline` into `store`, printing a progress line and the alerts of every step."""
    result = DemoResult(db_path=store.path)
    server = ReplayServer()
    await server.start()
    clock = ReplayClock(timeline.steps[0].at)
    poller = Poller(store, pipeline_stages(), PollSettings(default_interval_s=POLL_INTERVAL_S))
    channel = ConsoleChannel(out, color=color, names={DEMO_CHAT_ID: DEMO_READER})
    sender = Sender(store, channel, clock.now, clock.sleep)
    chosen = timeline.steps[:steps] if steps is not None else timeline.steps
    try:
        story = _prepare(store, timeline, server, clock.now())
        print(
            f"Replaying “{timeline.title}”: {len(chosen)} steps, {len(timeline.outlets)} "
            f"outlets served at {server.base_url}, keywords: {', '.join(story.keywords)}\n",
            file=out,
        )
        for index, step in enumerate(chosen):
            clock.moment = max(clock.moment, step.at)
            _publish(server, timeline, index)
            report = await poller.tick(clock.now())
            alerts = _waiting_alerts(store, clock.now())
            expected = [alert_key(str(a["kind"]), a) for a in step.expect_alerts]
            outcome = StepResult(at=step.at, report=report, alerts=alerts, expected=expected)
            result.steps.append(outcome)
            print(_progress(index, len(chosen), step.note, outcome), file=out, flush=True)
            await sender.drain()
            if speed > 0:
                await asyncio.sleep(speed)
        known = store.story_facts(story.id or 0)
        result.facts = len(known.figures) + len(known.positions)
    finally:
        await poller.close()
        await server.stop()
    return result


def _progress(index: int, total: int, note: str, step: StepResult) -> str:
    report = step.report
    line = (
        f"[{index + 1}/{total}] {step.at:%d %b %Y %H:%M} UTC · polled {report.polled} "
        f"({report.not_modified} not modified) · {report.new} new, {report.updated} updated "
        f"· {len(step.alerts)} alert{'s' if len(step.alerts) != 1 else ''}"
    )
    if note:
        line += f" — {note}"
    if step.expected != [] or step.alerts != []:
        line += "\n"
    if not step.as_expected:
        missing = Counter(step.expected) - Counter(step.alerts)
        extra = Counter(step.alerts) - Counter(step.expected)
        line += "  ! differs from the timeline's expect_alerts:"
        line += "".join(f" missing {_describe(k)};" for k in missing.elements())
        line += "".join(f" unexpected {_describe(k)};" for k in extra.elements())
        line += "\n"
    return line


def summary(result: DemoResult) -> str:
    """The closing lines: what the replay did and where its database is."""
    polled = sum(step.report.polled for step in result.steps)
    not_modified = sum(step.report.not_modified for step in result.steps)
    entries = sum(step.report.new + step.report.updated for step in result.steps)
    alerts = sum(len(step.alerts) for step in result.steps)
    matching = sum(step.as_expected for step in result.steps)
    return (
        f"Replayed {len(result.steps)} steps: {polled} polls ({not_modified} not modified), "
        f"{entries} entries seen, {result.facts} facts, {alerts} alerts; "
        f"{matching}/{len(result.steps)} steps as the timeline expects.\n"
        f"Database: {result.db_path}  (browse it: sqlite-utils tables {result.db_path} --counts)"
    )


def run_demo(
    out: TextIO,
    *,
    timeline_path: str | None = None,
    db_path: str | None = None,
    speed: float = 0.0,
    steps: int | None = None,
) -> int:
    """`storywatch demo`: replay a timeline (the bundled one by default); exit status 0."""
    timeline = load_timeline(timeline_path)
    if db_path is None:
        db_path = str(Path(tempfile.mkdtemp(prefix="storywatch-demo-")) / "storywatch.db")
    with Store.open(db_path) as store:
        result = asyncio.run(
            replay(timeline, store, out, speed=speed, steps=steps, color=out.isatty())
        )
    print(summary(result), file=out)
    return 0
