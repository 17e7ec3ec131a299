"""The pipeline (I/O: the Store): new and updated entries of a feed are matched against the
active stories, their facts extracted, and each stored with its changes in one transaction.

The stages are injected (`watchers/contracts.py`), so extraction and delivery plug in here and
tests use stand-ins. Entries seen before with the same content hash cost one indexed lookup.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from storage.records import Entry, Feed, Story
from storage.store import Store
from watchers.contracts import ChangeDecider, FactExtractor, StoryMatcher


@dataclass(frozen=True, slots=True)
class Stages:
    """The three pure stages the pipeline runs, in order."""

    match: StoryMatcher
    extract: FactExtractor
    decide: ChangeDecider


@dataclass(frozen=True, slots=True)
class PipelineReport:
    """What one feed's entries came to: counts of new, updated and matched entries, and the
    outbox rows (alerts) written for them."""

    new: int = 0
    updated: int = 0
    matched: int = 0
    changes: int = 0
    outbox_rows: int = 0


def split_seen(entries: Sequence[Entry], known: dict[str, str]) -> tuple[list[Entry], list[Entry]]:
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
) -> PipelineReport:
    """Run new and updated entries of `feed` through match, extract and decide, and store them.

    Each entry that matches a story (or is an update, whose old facts must be replaced) is
    stored by `Store.commit_entry` in its own transaction, where the changes are decided
    against what the story knows at that moment. New entries that match nothing are stored in
    one batch. `stories` defaults to the enabled stories in the store.
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
        slugs = stages.match(entry, active) if active else []
        if not slugs and entry.key in new_keys:
            unmatched.append(entry)
            continue
        findings = []
        for slug in slugs:
            story = by_slug[slug]
            findings.append((story, stages.extract(entry.text, story, entry.published)))
        result = store.commit_entry(entry, findings, stages.decide, now)
        matched += bool(slugs)
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
