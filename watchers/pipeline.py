"""The pipeline (I/O: the Store): new and updated entries of a feed are matched against the
active stories, their facts extracted, and each stored with its changes in one transaction.

The stages are injected (`watchers/contracts.py`), so extraction and delivery plug in here and
tests use stand-ins. Entries seen before with the same content hash cost one indexed lookup.
Matching and extraction may run ahead in a parse worker (`read_entries`), against a snapshot of
the stories; the tick hands those findings in only while the stories are still that snapshot.
"""

from __future__ import annotations

import pickle
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from storage.records import Entry, Facts, Feed, Story
from storage.store import Store
from watchers.actors import load_aliases
from watchers.changes import decide_changes
from watchers.contracts import ChangeDecider, FactExtractor, StoryMatcher
from watchers.extract import RuleExtractor
from watchers.match import Matcher
from watchers.parse import ParsedEntry

Findings = tuple[tuple[str, Facts], ...]
"""What one entry says: (story slug, facts) for each story it matches, in the stories' order."""


@dataclass(frozen=True, slots=True)
class AliasRecord:
    """One extra alias of the config, as `watchers.actors.load_aliases` reads it."""

    name: str
    aliases: tuple[str, ...]
    kind: str


@dataclass(frozen=True, slots=True)
class StageRecipe:
    """How to build the real stages, also in another process: the config's extra aliases.

    Plain and hashable, so a parse worker receives it with each body and builds the matcher
    and extractor from it once, not per call.
    """

    aliases: tuple[AliasRecord, ...] = ()

    def build(self) -> Stages:
        """The real matcher, rule extractor (packaged aliases plus these) and change decider."""
        records = [
            {"name": a.name, "aliases": list(a.aliases), "kind": a.kind} for a in self.aliases
        ]
        table = load_aliases(records) if records else None
        return Stages(
            match=Matcher(), extract=RuleExtractor(table), decide=decide_changes, recipe=self
        )


@dataclass(frozen=True, slots=True)
class Stages:
    """The three pure stages the pipeline runs, in order.

    `recipe` is set when the stages are the real ones built from it: only then can a parse
    worker match and extract ahead (stand-ins stay in this process).
    """

    match: StoryMatcher
    extract: FactExtractor
    decide: ChangeDecider
    recipe: StageRecipe | None = None


@dataclass(frozen=True, slots=True)
class ReadRequest:
    """What a parse worker needs to match and extract a feed's new and updated entries.

    `known` maps the feed's latest stored keys to their content hashes, a hint: entries found
    there unchanged are skipped (the pipeline checks against the store again). `stories` is the
    pickled tuple of active stories, pickled once per stories version, so each call ships
    bytes the worker unpickles only when they differ.
    """

    recipe: StageRecipe
    known: Mapping[str, str]
    stories_version: int
    stories: bytes


@dataclass(frozen=True, slots=True)
class Reading:
    """A worker's findings for the entries it took as new or updated, by entry key."""

    stories_version: int
    findings: Mapping[str, Findings] = field(default_factory=dict)


def pickled_stories(stories: Sequence[Story]) -> bytes:
    return pickle.dumps(tuple(stories), protocol=pickle.HIGHEST_PROTOCOL)


class EntryReader:
    """Matches and extracts in a parse worker, keeping the stages built from each recipe and
    the last stories unpickled (the Matcher compiles them once)."""

    def __init__(self) -> None:
        self._stages: dict[StageRecipe, Stages] = {}
        self._stories_blob = b""
        self._stories: tuple[Story, ...] = ()

    def read(self, request: ReadRequest, entries: Sequence[ParsedEntry]) -> Reading:
        stages = self._stages.get(request.recipe)
        if stages is None:
            stages = self._stages[request.recipe] = request.recipe.build()
        if request.stories != self._stories_blob:
            self._stories = pickle.loads(request.stories)
            self._stories_blob = request.stories
        stories = self._stories
        by_slug = {story.slug: story for story in stories}
        findings: dict[str, Findings] = {}
        for parsed in entries:
            if request.known.get(parsed.key) == parsed.content_hash:
                continue
            entry = entry_from_parsed(0, parsed)
            slugs = stages.match(entry, stories) if stories else []
            findings[parsed.key] = tuple(
                (slug, stages.extract(entry.text, by_slug[slug], entry.published)) for slug in slugs
            )
        return Reading(request.stories_version, findings)


def entry_from_parsed(
    feed_id: int, parsed: ParsedEntry, first_seen: datetime | None = None
) -> Entry:
    return Entry(
        feed_id=feed_id,
        key=parsed.key,
        title=parsed.title,
        summary=parsed.summary,
        content=parsed.content,
        link=parsed.link,
        published=parsed.published,
        content_hash=parsed.content_hash,
        first_seen=first_seen,
    )


@dataclass(frozen=True, slots=True)
class PipelineReport:
    """What one feed's entries came to: counts of new, updated and matched entries, and the
    outbox rows (alerts) written for them."""

    new: int = 0
    updated: int = 0
    matched: int = 0
    changes: int = 0
    outbox_rows: int = 0


def split_seen(
    entries: Sequence[Entry], known: Mapping[str, str]
) -> tuple[list[Entry], list[Entry]]:
    """Pure: the entries never seen (`known` maps key to content hash) and those updated in
    place (known key, new content hash); unchanged entries are in neither."""
    new: list[Entry] = []
    updated: list[Entry] = []
    for entry in entries:
        stored_hash = known.get(entry.key)
        if stored_hash is None:
            new.append(entry)
        elif stored_hash != entry.content_hash:
            updated.append(entry)
    return new, updated


def process_entries(
    store: Store,
    feed: Feed,
    entries: Sequence[Entry],
    now: datetime,
    stages: Stages,
    stories: Sequence[Story] | None = None,
    *,
    findings: Mapping[str, Findings] | None = None,
) -> PipelineReport:
    """Run new and updated entries of `feed` through match, extract and decide, and store them.

    Each entry that matches a story (or is an update, whose old facts must be replaced) is
    stored by `Store.commit_entry` in its own transaction, where the changes are decided
    against what the story knows at that moment. New entries that match nothing are stored in
    one batch. `stories` defaults to the enabled stories in the store. `findings` are what a
    worker matched and extracted against these same `stories`; an entry without any is read
    here.
    """
    if feed.id is None:
        raise ValueError("the feed must be stored before its entries")
    active = list(store.list_stories(enabled=True) if stories is None else stories)
    known = store.entry_hashes(feed.id, [entry.key for entry in entries])
    new, updated = split_seen(entries, known)
    by_slug = {story.slug: story for story in active}
    new_keys = {entry.key for entry in new}
    unmatched: list[Entry] = []
    matched = changes = outbox_rows = 0
    for entry in [*new, *updated]:
        found = None if findings is None else findings.get(entry.key)
        if found is None:
            slugs = stages.match(entry, active) if active else []
            found = tuple(
                (slug, stages.extract(entry.text, by_slug[slug], entry.published)) for slug in slugs
            )
        if not found and entry.key in new_keys:
            unmatched.append(entry)
            continue
        result = store.commit_entry(
            entry, [(by_slug[slug], facts) for slug, facts in found], stages.decide, now
        )
        matched += bool(found)
        changes += len(result.changes)
        outbox_rows += result.outbox_rows
    store.add_entries(unmatched, now)
    return PipelineReport(
        new=len(new),
        updated=len(updated),
        matched=matched,
        changes=changes,
        outbox_rows=outbox_rows,
    )
