"""Change decisions: which facts alert, what they replace; arrival order does not matter."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storage.records import (
    METRICS,
    STANCES,
    Entry,
    Facts,
    Figure,
    KnownFigure,
    KnownPosition,
    Position,
    Sighting,
    StoryFacts,
)
from watchers.changes import decide_changes
from watchers.contracts import ChangeDecider

T0 = datetime(2016, 9, 17, 12, 0, tzinfo=UTC)


def entry(entry_id: int, hours: float = 0.0) -> Entry:
    return Entry(
        feed_id=1,
        key=f"k{entry_id}",
        title="t",
        summary="",
        published=T0 + timedelta(hours=hours),
        content_hash=f"h{entry_id}",
        id=entry_id,
    )


def known_figure(figure: Figure, entry_id: int, hours: float) -> KnownFigure:
    return KnownFigure(figure, Sighting(entry_id, T0 + timedelta(hours=hours), f"outlet{entry_id}"))


def known_position(actor: str, stance: str, entry_id: int, hours: float) -> KnownPosition:
    return KnownPosition(
        Position(actor, stance),  # type: ignore[arg-type]
        Sighting(entry_id, T0 + timedelta(hours=hours)),
    )


def test_is_a_change_decider() -> None:
    decider: ChangeDecider = decide_changes
    assert decider(StoryFacts(1), Facts(), entry(1)) == []


KILLED_80_UP_TO = Figure("killed", 80, "up_to", "Syria")
KILLED_62 = Figure("killed", 62, "exact", "Russia")
KILLED_62_OTHER_CLAIMANT = Figure("killed", 62, "about", "United States")
INJURED_100 = Figure("injured", 100, "about", "Russia")
SOLDIERS_54 = Figure("killed", 54, group="soldiers")
CIVILIANS_3 = Figure("killed", 3, group="civilians")


@pytest.mark.parametrize(
    ("known", "figures", "hours", "expected"),
    [
        pytest.param((), (KILLED_62,), 5, [(62, None)], id="first-report"),
        pytest.param(
            (known_figure(KILLED_80_UP_TO, 1, 1),),
            (KILLED_62,),
            5,
            [(62, 80)],
            id="new-value-replaces-older",
        ),
        pytest.param(
            (known_figure(KILLED_62, 1, 1),),
            (KILLED_62,),
            5,
            [],
            id="same-figure-again-is-no-change",
        ),
        pytest.param(
            (known_figure(KILLED_62, 1, 1),),
            (KILLED_62_OTHER_CLAIMANT,),
            5,
            [],
            id="same-value-other-claimant-is-no-change",
        ),
        pytest.param(
            (known_figure(KILLED_62, 1, 1),),
            (KILLED_62, KILLED_62_OTHER_CLAIMANT),
            5,
            [],
            id="old-figure-quoted-later-is-none",
        ),
        pytest.param(
            (),
            (KILLED_62, KILLED_62_OTHER_CLAIMANT),
            5,
            [(62, None)],
            id="pair-stated-twice-in-one-entry-changes-once",
        ),
        pytest.param(
            (known_figure(KILLED_80_UP_TO, 1, 1), known_figure(Figure("killed", 70), 2, 3)),
            (KILLED_62,),
            5,
            [(62, 70)],
            id="previous-is-latest-published",
        ),
        pytest.param(
            (known_figure(KILLED_80_UP_TO, 1, 1), known_figure(Figure("killed", 70), 2, 9)),
            (KILLED_62,),
            5,
            [(62, 80)],
            id="later-published-is-not-previous",
        ),
        pytest.param(
            (known_figure(KILLED_80_UP_TO, 1, 9),),
            (KILLED_62,),
            5,
            [(62, None)],
            id="late-arrival-before-everything-is-first-report",
        ),
        pytest.param(
            (known_figure(KILLED_80_UP_TO, 1, 5),),
            (KILLED_62,),
            5,
            [(62, None)],
            id="same-time-is-not-before",
        ),
        pytest.param(
            (known_figure(INJURED_100, 1, 1),),
            (KILLED_62,),
            5,
            [(62, None)],
            id="other-metric-is-not-previous",
        ),
        pytest.param(
            (known_figure(CIVILIANS_3, 1, 3), known_figure(KILLED_80_UP_TO, 2, 1)),
            (SOLDIERS_54,),
            5,
            [(54, None)],
            id="stated-group-needs-same-group",
        ),
        pytest.param(
            (known_figure(Figure("killed", 40, group="Soldiers"), 1, 1),),
            (SOLDIERS_54,),
            5,
            [(54, 40)],
            id="group-compares-casefolded",
        ),
        pytest.param(
            (known_figure(SOLDIERS_54, 1, 3),),
            (KILLED_62,),
            5,
            [(62, 54)],
            id="no-group-stated-takes-any-group",
        ),
        pytest.param(
            (known_figure(KILLED_62, 1, 1),),
            (Figure("killed", 62), Figure("killed", 83)),
            5,
            [(83, 62)],
            id="toll-rose-from-to-alerts-only-the-new-value",
        ),
        pytest.param(
            (known_figure(Figure("killed", 70), 1, 3), known_figure(Figure("killed", 75), 2, 3)),
            (KILLED_62,),
            5,
            [(62, 75)],
            id="tie-on-time-goes-to-higher-entry-id",
        ),
    ],
)
def test_figure_changes(
    known: tuple[KnownFigure, ...],
    figures: tuple[Figure, ...],
    hours: float,
    expected: list[tuple[int, int | None]],
) -> None:
    changes = decide_changes(StoryFacts(7, figures=known), Facts(figures=figures), entry(99, hours))
    got = [
        (c.figure.value, None if c.previous is None else c.previous.figure.value)
        for c in changes
        if c.figure is not None
    ]
    assert got == expected
    assert all(c.story_id == 7 and c.entry_id == 99 and c.id is None for c in changes)
    assert all(not c.silent for c in changes)


@pytest.mark.parametrize(
    ("known", "positions", "hours", "expected"),
    [
        pytest.param(
            (),
            (Position("Russia", "demand"),),
            5,
            [("Russia", "demand", ())],
            id="first-stance",
        ),
        pytest.param(
            (known_position("Russia", "demand", 1, 1),),
            (Position("Russia", "demand"),),
            5,
            [],
            id="same-stance-again-is-no-change",
        ),
        pytest.param(
            (
                known_position("United States", "acknowledge", 2, 3),
                known_position("United States", "deny", 1, 1),
                known_position("Russia", "condemn", 3, 2),
            ),
            (Position("United States", "regret"),),
            5,
            [("United States", "regret", ("deny", "acknowledge"))],
            id="earlier-stances-oldest-first-same-actor-only",
        ),
        pytest.param(
            (known_position("United States", "deny", 1, 9),),
            (Position("United States", "regret"),),
            5,
            [("United States", "regret", ())],
            id="later-stance-is-not-earlier",
        ),
        pytest.param(
            (
                known_position("Syria", "accuse", 1, 1),
                known_position("Syria", "accuse", 2, 2),
            ),
            (Position("Syria", "condemn"),),
            5,
            [("Syria", "condemn", ("accuse",))],
            id="earlier-stance-listed-once",
        ),
        pytest.param(
            (),
            (Position("Russia", "meeting"), Position("Russia", "meeting")),
            5,
            [("Russia", "meeting", ())],
            id="pair-stated-twice-changes-once",
        ),
        pytest.param(
            (known_position("russia", "meeting", 1, 1),),
            (Position("Russia", "meeting"),),
            5,
            [],
            id="actor-compares-casefolded",
        ),
    ],
)
def test_position_changes(
    known: tuple[KnownPosition, ...],
    positions: tuple[Position, ...],
    hours: float,
    expected: list[tuple[str, str, tuple[str, ...]]],
) -> None:
    changes = decide_changes(
        StoryFacts(7, positions=known), Facts(positions=positions), entry(99, hours)
    )
    got = [
        (c.position.actor, c.position.stance, c.earlier_stances)
        for c in changes
        if c.position is not None
    ]
    assert got == expected
    assert all(c.kind == "position" for c in changes)


def test_figures_come_before_positions_in_fact_order() -> None:
    facts = Facts(
        figures=(INJURED_100, KILLED_62),
        positions=(Position("Russia", "demand"), Position("Syria", "accuse")),
    )
    changes = decide_changes(StoryFacts(1), facts, entry(5))
    assert [c.kind for c in changes] == ["figure", "figure", "position", "position"]
    assert [c.figure for c in changes[:2]] == [INJURED_100, KILLED_62]


def test_unstored_entry_is_refused() -> None:
    with pytest.raises(ValueError, match="stored entry"):
        decide_changes(StoryFacts(1), Facts(figures=(KILLED_62,)), Entry(1, "k", "t", "", T0, "h"))


# -- order independence --------------------------------------------------------------------


@dataclass(frozen=True)
class Arrival:
    entry: Entry
    facts: Facts


def _run(arrivals: list[Arrival]) -> list[tuple[int, tuple[object, ...]]]:
    """Feed the arrivals one by one, as the store does; return (entry id, change key) pairs."""
    figures: list[KnownFigure] = []
    positions: list[KnownPosition] = []
    emitted: list[tuple[int, tuple[object, ...]]] = []
    for arrival in arrivals:
        known = StoryFacts(1, tuple(figures), tuple(positions))
        for change in decide_changes(known, arrival.facts, arrival.entry):
            if change.figure is not None:
                emitted.append(
                    (change.entry_id, ("figure", change.figure.metric, change.figure.value))
                )
                if change.previous is not None:
                    assert change.previous.figure.metric == change.figure.metric
                    assert change.previous.seen.published < arrival.entry.published
            else:
                assert change.position is not None
                emitted.append(
                    (change.entry_id, ("position", change.position.actor, change.position.stance))
                )
        sighting = Sighting(arrival.entry.id or 0, arrival.entry.published)
        figures.extend(KnownFigure(f, sighting) for f in arrival.facts.figures)
        positions.extend(KnownPosition(p, sighting) for p in arrival.facts.positions)
    return emitted


figure_st = st.builds(
    Figure,
    metric=st.sampled_from(METRICS[:2]),
    value=st.integers(1, 6),
    group=st.sampled_from([None, "soldiers"]),
)
position_st = st.builds(
    Position, actor=st.sampled_from(["Russia", "Syria"]), stance=st.sampled_from(STANCES[:3])
)
facts_st = st.builds(
    Facts,
    figures=st.lists(figure_st, max_size=3).map(tuple),
    positions=st.lists(position_st, max_size=2).map(tuple),
)


@st.composite
def arrivals_and_order(draw: st.DrawFn) -> tuple[list[Arrival], list[Arrival]]:
    facts = draw(st.lists(facts_st, min_size=1, max_size=8))
    hours = draw(st.lists(st.integers(0, 4), min_size=len(facts), max_size=len(facts)))
    arrivals = [
        Arrival(entry(i + 1, h), f) for i, (f, h) in enumerate(zip(facts, hours, strict=True))
    ]
    shuffled = draw(st.permutations(arrivals))
    return arrivals, list(shuffled)


@settings(max_examples=300, deadline=None)
@given(arrivals_and_order())
def test_arrival_order_does_not_change_which_facts_alert(
    case: tuple[list[Arrival], list[Arrival]],
) -> None:
    in_order, shuffled = case
    expected = {("figure", f.metric, f.value) for a in in_order for f in a.facts.figures} | {
        ("position", p.actor, p.stance) for a in in_order for p in a.facts.positions
    }
    for arrivals in (in_order, shuffled):
        keys = [key for _, key in _run(arrivals)]
        assert sorted(keys, key=repr) == sorted(expected, key=repr)  # each pair exactly once


@settings(max_examples=200, deadline=None)
@given(arrivals_and_order())
def test_previous_in_publication_order_is_the_latest_earlier_value(
    case: tuple[list[Arrival], list[Arrival]],
) -> None:
    arrivals, _ = case
    by_time = sorted(arrivals, key=lambda a: (a.entry.published, a.entry.id))
    known: list[KnownFigure] = []
    for arrival in by_time:
        changes = decide_changes(StoryFacts(1, tuple(known)), arrival.facts, arrival.entry)
        for change in changes:
            if change.figure is None:
                continue
            earlier = [
                k
                for k in known
                if k.figure.metric == change.figure.metric
                and k.seen.published < arrival.entry.published
                and (change.figure.group is None or k.figure.group == change.figure.group)
            ]
            if not earlier:
                assert change.previous is None
            else:
                assert change.previous is not None
                assert change.previous.seen.published == max(k.seen.published for k in earlier)
        sighting = Sighting(arrival.entry.id or 0, arrival.entry.published)
        known.extend(KnownFigure(f, sighting) for f in arrival.facts.figures)
