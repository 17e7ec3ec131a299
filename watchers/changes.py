"""Change decisions (pure): which of an entry's facts are new to a story, and what they replace.

`decide_changes` implements the `ChangeDecider` seam of `watchers/contracts.py`: no I/O, no
clock, no database; the Store calls it inside the transaction that stores the entry.
"""

from __future__ import annotations

from collections.abc import Iterable

from storage.records import (
    Change,
    Entry,
    Facts,
    Figure,
    KnownFigure,
    KnownPosition,
    Stance,
    StoryFacts,
)


def _fold(text: str | None) -> str | None:
    return None if text is None else " ".join(text.casefold().split())


def figure_key(figure: Figure) -> tuple[str, int]:
    """What makes a figure news: its (metric, value) pair, whoever states it."""
    return (figure.metric, figure.value)


def position_key(actor: str, stance: Stance) -> tuple[str, str]:
    """What makes a position news: its (actor, stance) pair; actor names compare casefolded."""
    return (_fold(actor) or "", stance)


def previous_figure(
    known: Iterable[KnownFigure], figure: Figure, entry: Entry
) -> KnownFigure | None:
    """The value `figure` replaces, or None for "first report".

    That is the known figure of the same metric (and the same group when `figure` states one)
    with the latest publication time before `entry.published`. Ties on time go to the higher
    entry id, then to the later figure in `known`, so the answer does not depend on set order.
    """
    group = _fold(figure.group)
    best: KnownFigure | None = None
    best_rank: tuple[object, ...] | None = None
    for index, candidate in enumerate(known):
        if candidate.figure.metric != figure.metric:
            continue
        if group is not None and _fold(candidate.figure.group) != group:
            continue
        if candidate.seen.published >= entry.published:
            continue
        rank = (candidate.seen.published, candidate.seen.entry_id, index)
        if best_rank is None or rank > best_rank:
            best, best_rank = candidate, rank
    return best


def earlier_stances(known: Iterable[KnownPosition], actor: str, entry: Entry) -> tuple[Stance, ...]:
    """The stances `actor` was seen taking before `entry.published`, oldest first, each once."""
    folded = _fold(actor)
    seen = sorted(
        (
            (item.seen.published, item.seen.entry_id, item.position.stance)
            for item in known
            if _fold(item.position.actor) == folded and item.seen.published < entry.published
        ),
    )
    return tuple(dict.fromkeys(stance for _, _, stance in seen))


def decide_changes(known: StoryFacts, facts: Facts, entry: Entry) -> list[Change]:
    """Return the changes `facts` (read from `entry`) make to a story that knows `known`.

    A figure change for each (metric, value) pair the story has not seen, a position change for
    each (actor, stance) pair it has not seen, in the order of `facts`; a pair stated twice in
    one entry changes once (its first statement). Figure changes carry `previous_figure`,
    position changes `earlier_stances`. Which pairs change over a story's entries does not
    depend on the order the entries arrive in: each pair changes exactly once, on whichever
    entry brings it first. `known` must exclude `entry`'s own facts. Raises ValueError for an
    entry that has not been stored (no id).
    """
    if entry.id is None:
        raise ValueError("decide_changes needs a stored entry (with an id)")
    seen_figures = {figure_key(item.figure) for item in known.figures}
    seen_positions = {
        position_key(item.position.actor, item.position.stance) for item in known.positions
    }
    changes: list[Change] = []
    for figure in facts.figures:
        pair = figure_key(figure)
        if pair in seen_figures:
            continue
        seen_figures.add(pair)
        changes.append(
            Change(
                story_id=known.story_id,
                entry_id=entry.id,
                figure=figure,
                previous=previous_figure(known.figures, figure, entry),
            )
        )
    for position in facts.positions:
        key = position_key(position.actor, position.stance)
        if key in seen_positions:
            continue
        seen_positions.add(key)
        changes.append(
            Change(
                story_id=known.story_id,
                entry_id=entry.id,
                position=position,
                earlier_stances=earlier_stances(known.positions, position.actor, entry),
            )
        )
    return changes
