"""The silent baseline: a story created while matching entries are stored takes their facts
without alerting; facts seen afterwards alert."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from storage.records import Entry, Facts, Figure, Story
from tests.outbox_world import World
from watchers.baseline import baseline_story


def match_deir(entry: Entry, stories: list[Story]) -> list[str]:
    return [story.slug for story in stories if "Deir" in entry.text]


def extract_numbers(text: str, story: Story | None, published: datetime | None) -> Facts:
    values = [int(word) for word in text.split() if word.isdigit()]
    return Facts(tuple(Figure("killed", value) for value in values))


def test_baseline_is_silent_and_later_facts_alert(tmp_path: Path) -> None:
    world = World.build(tmp_path / "sw.db")
    world.follow(1)
    for key, text, hours in (("a", "Deir 80", 0), ("b", "elsewhere 5", 1), ("c", "Deir 62", 2)):
        entry = world.entry(key, hours=hours, text=text)
        world.store.commit_entry(entry, [], lambda *_: [], entry.published)

    changes = baseline_story(world.store, world.story, match_deir, extract_numbers, world.now)

    assert [(c.figure.value, c.silent) for c in changes if c.figure] == [(80, True), (62, True)]
    assert changes[1].previous is not None and changes[1].previous.figure.value == 80
    assert world.outbox() == []
    assert baseline_story(world.store, world.story, match_deir, extract_numbers, world.now) == ()

    result = world.commit(
        world.entry("d", hours=3, text="Deir 62 then 70"),
        (Figure("killed", 62), Figure("killed", 70)),
    )
    assert [c.figure.value for c in result.changes if c.figure] == [70]
    assert world.outbox() == [(1, "alert", (3,))]
