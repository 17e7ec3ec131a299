"""The (actor, stance) pairs `extract_facts` reads from a text: what position specs compare."""

from __future__ import annotations

from datetime import datetime

from storage.records import Story
from watchers.extract import extract_facts


def stances_in(text: str, published: datetime, story: Story | None = None) -> set[tuple[str, str]]:
    """The (actor, stance) pairs of `text`, published at `published`, about `story`."""
    return {(p.actor, p.stance) for p in extract_facts(text, story, published).positions}
