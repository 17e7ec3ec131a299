"""The seams between the pipeline's stages, as Protocols: matching, extraction, change decisions.

The pipeline (`watchers/pipeline.py`) is written against these, so each stage is built, tested
and replaced on its own. Every implementation is a pure function of plain values: no I/O, no
clock, no database.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from storage.records import Change, Entry, Facts, Story, StoryFacts


class StoryMatcher(Protocol):
    """Which stories an entry belongs to."""

    def __call__(self, entry: Entry, stories: Sequence[Story]) -> list[str]:
        """Return the slugs of the `stories` that `entry` matches, in the order of `stories`.

        The entry's `text` (title, summary, content) is matched against each story's keywords
        by the grammar of DESIGN "Story": a keyword is a word or a phrase; `+term` is required,
        `-term` excludes; an entry matches when it holds no excluded term, every required term
        and at least one plain term (or the story has no plain terms). Text and terms are
        compared after NFKD normalisation with combining marks removed and casefolding; every
        non-alphanumeric character is a word break; terms match whole words, without stemming.
        Keywords are never compiled as user regexes. Disabled stories never match. Never raises.
        """
        ...


class FactExtractor(Protocol):
    """The figures and official positions a text states about a story."""

    def __call__(self, text: str, story: Story | None, published: datetime | None) -> Facts:
        """Return the figures and positions in `text` that belong to `story`.

        `text` is an entry's title, summary and content separated by blank lines (`Entry.text`).
        With `story`, facts about another incident or subject are dropped; with None, the text's
        headline event is the story. `published` (UTC) resolves people to the role they held
        then. Figures follow DESIGN "Figure" (metric, integer value, qualifier, canonical
        claimant or None, group when stated, the source sentence); positions follow DESIGN
        "Position" (canonical actor, stance, the source sentence). Each (metric, value,
        qualifier, claimant) and each (actor, stance) appears at most once. Never raises; runs
        in time linear in the length of `text`.
        """
        ...


class ChangeDecider(Protocol):
    """What is new in an entry's facts, given what a story already knows."""

    def __call__(self, known: StoryFacts, facts: Facts, entry: Entry) -> list[Change]:
        """Return the changes `facts` (read from `entry`) make to a story that knows `known`.

        A figure change the first time a (metric, value) pair is seen for the story; a position
        change the first time an (actor, stance) pair is seen. `known` must not include the
        facts of `entry` itself (the caller removes them when an updated entry is read again).
        Each figure change carries as `previous` the same metric's known value (same group when
        one is stated) with the latest publication time before `entry.published`, or None; each
        position change carries the actor's earlier stances. The set of changes over a story's
        entries does not depend on the order they arrive in. Returned changes have no id.
        """
        ...
