"""The poll tick (I/O shell): fetch the due feeds, parse, run the pipeline, record every outcome.

`Poller.tick(now)` is all a scheduler calls (python-telegram-bot's job queue in `storywatch run`;
tests, the demo and `poll --once` call it directly with their own clock). A failing feed is
recorded on the feed and the tick goes on; the outcomes of one tick are written in one
transaction. Disabling, recovery and URL moves reach the admins as `admin_notice` outbox rows.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Protocol

from storage.entries import AdminNotice
from storage.records import Feed, Story
from storage.store import Store
from watchers.fetch import Fetcher, FetchError, FetchResult
from watchers.parse import (
    ParsedFeed,
    ParseError,
    fast_parser_available,
    parse_mode,
)
from watchers.parsepool import ParsePool
from watchers.pipeline import (
    Findings,
    PipelineReport,
    Reading,
    ReadRequest,
    Stages,
    entry_from_parsed,
    pickled_stories,
    process_entries,
)
from watchers.schedule import next_poll, retry_after_seconds, spread_start

log = logging.getLogger(__name__)

DEFAULT_INTERVAL_S = 300
RECOVERY_NOTICE_AFTER = 3
"""Consecutive failures after which a recovery is worth telling the admins about."""
PRUNE_EVERY = timedelta(hours=1)
GONE = 410
HONOURS_RETRY_AFTER = frozenset((429, 503))


class LimitsLike(Protocol):
    """The poll limits of the config (`bot.config.Limits`), read by attribute name."""

    max_per_tick: int
    fetch_timeout_s: float
    max_body_bytes: int
    concurrency: int
    per_host: int
    retention_days: int
    disable_after_days: int
    fast_parser: bool


@dataclass(frozen=True, slots=True)
class PollSettings:
    """How the poller behaves: the config's limits and intervals as plain values."""

    max_per_tick: int = 50
    fetch_timeout_s: float = 30.0
    max_body_bytes: int = 10_000_000
    concurrency: int = 20
    per_host: int = 2
    retention_days: int = 30
    disable_after_days: int = 14
    default_interval_s: int = DEFAULT_INTERVAL_S
    admin_ids: frozenset[int] = frozenset()
    parse_workers: int = 0
    fast_parser: bool = False
    """Let the accelerated parser (the `fast` extra) parse the feeds the gate approved."""

    @classmethod
    def from_limits(
        cls,
        limits: LimitsLike,
        default_interval_s: int = DEFAULT_INTERVAL_S,
        admin_ids: Iterable[int] = (),
        parse_workers: int = 0,
    ) -> PollSettings:
        return cls(
            max_per_tick=limits.max_per_tick,
            fetch_timeout_s=limits.fetch_timeout_s,
            max_body_bytes=limits.max_body_bytes,
            concurrency=limits.concurrency,
            per_host=limits.per_host,
            retention_days=limits.retention_days,
            disable_after_days=limits.disable_after_days,
            default_interval_s=default_interval_s,
            admin_ids=frozenset(admin_ids),
            parse_workers=parse_workers,
            fast_parser=limits.fast_parser,
        )


@dataclass(frozen=True, slots=True)
class TickReport:
    """What one tick did, in counts (`poll --once` prints it)."""

    polled: int = 0
    not_modified: int = 0
    same_body: int = 0
    parsed: int = 0
    new: int = 0
    updated: int = 0
    matched: int = 0
    alerts: int = 0
    errors: int = 0
    disabled: int = 0
    moved: int = 0
    problems: tuple[str, ...] = field(default_factory=tuple)

    def summary(self) -> str:
        return (
            f"polled {self.polled}: {self.not_modified} not modified (304), "
            f"{self.same_body} unchanged, {self.new} new entries, {self.updated} updated, "
            f"{self.errors} errors, {self.alerts} alerts queued"
        )


@dataclass(frozen=True, slots=True)
class _Outcome:
    feed: Feed
    notices: tuple[AdminNotice, ...] = ()
    status: str = "ok"
    pipeline: PipelineReport = field(default_factory=PipelineReport)
    problem: str | None = None


def body_digest(body: bytes) -> str:
    return hashlib.blake2b(body, digest_size=16).hexdigest()


class Poller:
    """Polls feeds into the store: build once, `await tick(now)` repeatedly, `await close()`."""

    def __init__(
        self,
        store: Store,
        stages: Stages,
        settings: PollSettings | None = None,
        *,
        fetcher: Fetcher | None = None,
        parser: ParsePool | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self.store = store
        self.stages = stages
        self.settings = settings or PollSettings()
        self.fetcher = fetcher or Fetcher(
            timeout_s=self.settings.fetch_timeout_s,
            max_body_bytes=self.settings.max_body_bytes,
            concurrency=self.settings.concurrency,
            per_host=self.settings.per_host,
        )
        self.parser = parser or ParsePool(self.settings.parse_workers)
        self.rng = rng or random.Random()
        self._stories: tuple[Story, ...] = ()
        self._stories_version = -1
        self._stories_pickled = b""
        self._pruned_at: datetime | None = None
        # Fetch, parse and pipeline of one feed hold one slot, so at most `concurrency` bodies
        # are in memory at once however many feeds are due.
        self._slots = asyncio.Semaphore(self.settings.concurrency)

    def spread_start(self, now: datetime) -> int:
        """Spread the overdue feeds over `min(interval, 60 s)`; call once at start-up.

        Returns how many feeds were rescheduled. Without it a bot that was down polls every
        feed in its first tick.
        """
        due = self.store.due_feeds(now, 1_000_000)
        ids = [feed.id for feed in due if feed.id is not None]
        own = {feed.id: self._interval(feed) for feed in due if feed.id is not None}
        times = spread_start(ids, now, self.settings.default_interval_s, own)
        spread = [replace(feed, next_poll_at=times[feed.id]) for feed in due if feed.id is not None]
        self.store.record_polls(spread, (), (), now)
        return len(spread)

    def _active_stories(self) -> tuple[Story, ...]:
        version = self.store.stories_version()
        if version != self._stories_version:
            self._stories = tuple(self.store.list_stories(enabled=True))
            self._stories_version = version
            self._stories_pickled = b""
        return self._stories

    def _read_request(self, feed: Feed, body: bytes) -> ReadRequest | None:
        """What a parse worker needs to match and extract this feed's new entries ahead, or
        None when the stages are stand-ins a worker cannot rebuild or no worker parses it."""
        recipe = self.stages.recipe
        if recipe is None or not self.parser.in_worker(len(body)) or feed.id is None:
            return None
        stories = self._active_stories()
        if not self._stories_pickled:
            self._stories_pickled = pickled_stories(stories)
        return ReadRequest(
            recipe=recipe,
            # A hint only (the pipeline reads the stored hashes again when it stores): a feed
            # never parsed has none, and the latest keys are the ones a body still carries.
            known={} if feed.body_hash is None else self.store.latest_entry_hashes(feed.id),
            stories_version=self._stories_version,
            stories=self._stories_pickled,
        )

    async def tick(self, now: datetime) -> TickReport:
        """Poll the feeds due at `now` (at most `max_per_tick`) and record every outcome."""
        feeds = self.store.due_feeds(now, self.settings.max_per_tick)
        outcomes = await asyncio.gather(*(self._poll(feed, now) for feed in feeds))
        notices = [notice for outcome in outcomes for notice in outcome.notices]
        self.store.record_polls(
            [outcome.feed for outcome in outcomes], notices, self.settings.admin_ids, now
        )
        if self._pruned_at is None or now - self._pruned_at >= PRUNE_EVERY:
            self.store.prune(now - timedelta(days=self.settings.retention_days))
            self._pruned_at = now
        return _report(outcomes)

    async def _poll(self, feed: Feed, now: datetime) -> _Outcome:
        try:
            async with self._slots:
                return await self._poll_feed(feed, now)
        except Exception as error:  # one feed's bug must not lose the whole tick
            log.exception("polling %s failed", feed.url)
            return self._failed(feed, now, None, f"internal error: {error!r}", None)

    async def _poll_feed(self, feed: Feed, now: datetime) -> _Outcome:
        try:
            result = await self.fetcher.fetch(feed)
        except FetchError as error:
            return self._failed(feed, now, error.status, str(error), error.retry_after)
        if result.status == 304 or result.body is None:
            return _Outcome(self._succeeded(feed, now, result), status="not_modified")
        digest = body_digest(result.body)
        if digest == feed.body_hash:
            return _Outcome(self._succeeded(feed, now, result), status="same_body")
        mode = parse_mode(
            self.settings.fast_parser and fast_parser_available(),
            feed.fast_parse,
            feed.parser_checked_at,
            now,
        )
        read = self._read_request(feed, result.body)
        try:
            checked, reading = await self.parser.parse_and_read(
                result.body, result.headers, result.url, now, mode, read
            )
        except ParseError as error:
            return self._failed(feed, now, result.status, f"parse error: {error}", None)
        parsed = checked.parsed
        polled = replace(self._succeeded(feed, now, result, parsed), body_hash=digest)
        if checked.verdict is not None:
            polled = replace(polled, fast_parse=checked.verdict.fast, parser_checked_at=now)
        notices: list[AdminNotice] = []
        if feed.failures >= RECOVERY_NOTICE_AFTER:
            notices.append(
                AdminNotice(f"Feed {feed.url} recovered after {feed.failures} failed polls.")
            )
        if result.moved_to is not None and polled.id is not None:
            if self.store.feed_url_taken(result.moved_to, polled.id):
                polled = replace(
                    polled,
                    last_error=f"moved permanently to {result.moved_to}, a URL another feed has",
                )
            else:
                polled = replace(polled, url=result.moved_to)
                notices.append(
                    AdminNotice(f"Feed {feed.url} moved permanently to {result.moved_to}.")
                )
        assert polled.id is not None
        entries = [entry_from_parsed(polled.id, p, now) for p in parsed.entries]
        # The stories as they are now, with no await before the entries are stored: a story
        # added while this fetch or parse was in flight could not baseline entries not yet
        # stored. The worker's findings count only if they were read against these stories.
        stories = self._active_stories()
        pipeline = process_entries(
            self.store,
            polled,
            entries,
            now,
            self.stages,
            stories,
            findings=_ahead(reading, self._stories_version),
        )
        return _Outcome(
            polled,
            tuple(notices),
            status="moved" if polled.url != feed.url else "parsed",
            pipeline=pipeline,
            problem=parsed.problem,
        )

    def _interval(self, feed: Feed) -> int:
        return feed.interval_s or self.settings.default_interval_s

    def _succeeded(
        self, feed: Feed, now: datetime, result: FetchResult, parsed: ParsedFeed | None = None
    ) -> Feed:
        return replace(
            feed,
            etag=result.etag,
            last_modified=result.last_modified,
            next_poll_at=next_poll(
                now, self._interval(feed), max_age=result.max_age, jitter=self.rng.random()
            ),
            last_polled_at=now,
            last_success_at=now,
            last_status=result.status,
            last_error=parsed.problem if parsed is not None else feed.last_error,
            failures=0,
            failing_since=None,
            title=feed.title or (parsed.title if parsed is not None else None),
        )

    def _failed(
        self,
        feed: Feed,
        now: datetime,
        status: int | None,
        error: str,
        retry_after: str | None,
    ) -> _Outcome:
        failures = feed.failures + 1
        failing_since = feed.failing_since or now
        wait = retry_after_seconds(retry_after, now) if status in HONOURS_RETRY_AFTER else None
        failed = replace(
            feed,
            next_poll_at=next_poll(
                now, self._interval(feed), failures, retry_after=wait, jitter=self.rng.random()
            ),
            last_polled_at=now,
            last_status=status,
            last_error=error[:500],
            failures=failures,
            failing_since=failing_since,
        )
        reason = None
        if status == GONE:
            reason = "410 Gone: the publisher removed the feed"
        elif now - failing_since >= timedelta(days=self.settings.disable_after_days):
            reason = f"failing for {self.settings.disable_after_days} days: {error[:200]}"
        if reason is None:
            return _Outcome(failed, status="error", problem=error)
        disabled = replace(failed, enabled=False, disabled_reason=reason)
        notice = AdminNotice(f"Feed {feed.url} disabled: {reason}")
        return _Outcome(disabled, (notice,), status="disabled", problem=error)

    async def close(self) -> None:
        """Close the HTTP client and stop the parse workers."""
        await self.fetcher.close()
        self.parser.close()


def _ahead(reading: Reading | None, stories_version: int) -> Mapping[str, Findings] | None:
    """The findings a worker read ahead, if they still hold: the stories unchanged since the
    snapshot it was given (else the pipeline matches and extracts here)."""
    if reading is None or reading.stories_version != stories_version:
        return None
    return reading.findings


def _report(outcomes: Sequence[_Outcome]) -> TickReport:
    counts = {status: 0 for status in ("not_modified", "same_body", "error", "disabled", "moved")}
    for outcome in outcomes:
        if outcome.status in counts:
            counts[outcome.status] += 1
    return TickReport(
        polled=len(outcomes),
        not_modified=counts["not_modified"],
        same_body=counts["same_body"],
        parsed=sum(1 for o in outcomes if o.status in ("parsed", "moved")),
        new=sum(o.pipeline.new for o in outcomes),
        updated=sum(o.pipeline.updated for o in outcomes),
        matched=sum(o.pipeline.matched for o in outcomes),
        alerts=sum(o.pipeline.outbox_rows for o in outcomes),
        errors=counts["error"] + counts["disabled"],
        disabled=counts["disabled"],
        moved=counts["moved"],
        problems=tuple(
            f"{o.feed.url}: {o.problem}" for o in outcomes if o.problem and o.status != "parsed"
        ),
    )
