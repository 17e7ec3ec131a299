"""The silent baseline (DESIGN "Baseline"): a story created or re-keyed while matching entries
are already stored takes their facts without alerting, so only facts seen afterwards alert.

I/O at the edge: reads stored entries, matches and extracts them (pure), and writes through
one Store transaction. `/track`, `/watch` and the config sync call it.
"""

from __future__ import annotations

from datetime import datetime

from storage.records import Change, Entry, Facts, Story
from storage.store import Store
from watchers.changes import decide_changes
from watchers.contracts import FactExtractor, StoryMatcher


def baseline_story(
    store: Store,
    story: Story,
    match: StoryMatcher,
    extract: FactExtractor,
    now: datetime,
) -> tuple[Change, ...]:
    """Store, silently, the facts of every stored entry that `story` matches and had not.

    Returns the silent changes recorded (what `/status` will show as known). Matching and
    extraction run before the transaction; the decisions are made inside it, against the facts
    the story has at that moment.
    """
    if story.id is None:
        raise ValueError("baseline_story needs a stored story (with an id)")
    findings: list[tuple[Entry, Facts]] = []
    for entry in store.entries_to_baseline(story.id):
        if story.slug in match(entry, [story]):
            findings.append((entry, extract(entry.text, story, entry.published)))
    return store.commit_baseline(story.id, findings, decide_changes, now)
