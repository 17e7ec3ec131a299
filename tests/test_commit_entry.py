"""The one transaction that stores an entry: exactly the alerts DESIGN "Change" calls for."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from storage.records import Facts, Figure, Position
from tests.outbox_world import T0, World
from watchers.changes import decide_changes

KILLED_62 = Figure("killed", 62, claimant="Russia", sentence="Russia said 62 were killed.")
KILLED_80 = Figure("killed", 80, "up_to", "Syria", sentence="Up to 80 soldiers died.")
REGRET = Position("United States", "regret", "Washington regretted the strike.")


@pytest.fixture
def world(tmp_path: Path) -> World:
    world = World.build(tmp_path / "sw.db")
    world.follow(101)
    world.follow(-1002)
    return world


def alerts(world: World) -> list[int]:
    return [chat for chat, kind, _ in world.outbox() if kind == "alert"]


@pytest.mark.parametrize(
    "order",
    [pytest.param((0, 1, 2), id="in-order"), pytest.param((2, 0, 1), id="shuffled")],
)
def test_three_outlets_one_tick_one_alert(world: World, order: tuple[int, ...]) -> None:
    for outlet in order:
        world.commit(world.entry(f"e{outlet}", outlet=outlet, hours=outlet * 0.1), (KILLED_62,))
    assert sorted(alerts(world)) == [-1002, 101]
    assert world.store._scalar("SELECT COUNT(*) FROM changes") == 1


@pytest.mark.parametrize(
    ("first_hours", "second_hours"),
    [
        pytest.param(0, 24, id="old-figure-a-day-later"),
        pytest.param(24, 0, id="old-article-arrives-a-day-late"),
    ],
)
def test_old_figure_repeated_is_no_alert(
    world: World, first_hours: float, second_hours: float
) -> None:
    world.commit(world.entry("a", hours=first_hours), (KILLED_62,))
    world.commit(world.entry("b", outlet=1, hours=second_hours), (KILLED_62,), at_hours=30)
    assert len(alerts(world)) == 2


def test_new_value_alerts_with_previous(world: World) -> None:
    world.commit(world.entry("a"), (KILLED_80,))
    result = world.commit(world.entry("b", outlet=1, hours=2), (KILLED_62,))
    (change,) = result.changes
    assert change.previous is not None
    assert change.previous.figure.value == 80
    assert change.previous.seen.outlet == "Outlet 0"
    assert result.outbox_rows == 2


def test_unchanged_entry_is_a_no_op(world: World) -> None:
    entry = world.entry("a")
    world.commit(entry, (KILLED_62,))
    again = world.commit(entry, (KILLED_62, Figure("killed", 99)))
    assert again.status == "unchanged"
    assert again.changes == ()
    assert len(alerts(world)) == 2


def test_updated_entry_alerts_only_on_what_is_new(world: World) -> None:
    entry = world.entry("a")
    world.commit(entry, (KILLED_62,))
    result = world.commit(world.updated(entry, "now 70"), (KILLED_62, Figure("killed", 70)))
    assert result.status == "updated"
    assert [c.figure.value for c in result.changes if c.figure] == [70]
    facts = world.store.story_facts(world.story.id or 0)
    assert sorted(k.figure.value for k in facts.figures) == [62, 70]


def test_fact_dropped_by_an_update_does_not_alert_again(world: World) -> None:
    entry = world.entry("a")
    world.commit(entry, (KILLED_62,))
    world.commit(world.updated(entry, "corrected"), ())
    world.commit(world.entry("b", outlet=1, hours=1), (KILLED_62,))
    assert len(alerts(world)) == 2


def test_muted_and_switched_off_chats_get_no_row(tmp_path: Path) -> None:
    world = World.build(tmp_path / "sw.db")
    world.follow(1)
    world.follow(2, figures_on=False)
    world.follow(3, positions_on=False)
    world.follow(4, active=False)
    world.follow(5)
    world.store.db.execute(
        "UPDATE subscriptions SET muted_until = ? WHERE chat_id = 5",
        ((T0 + timedelta(days=1)).isoformat(),),
    )
    world.follow(6)
    world.store.unsubscribe(6, world.story.id or 0)
    world.commit(world.entry("a"), (KILLED_62,))
    world.commit(world.entry("b", hours=1), (), (REGRET,))
    assert world.outbox() == [
        (1, "alert", (1,)),
        (3, "alert", (1,)),
        (1, "alert", (2,)),
        (2, "alert", (2,)),
    ]


def test_mute_that_has_ended_no_longer_silences(tmp_path: Path) -> None:
    world = World.build(tmp_path / "sw.db")
    world.follow(1)
    world.store.db.execute(
        "UPDATE subscriptions SET muted_until = ? WHERE chat_id = 1",
        ((T0 - timedelta(minutes=1)).isoformat(),),
    )
    world.commit(world.entry("a"), (KILLED_62,))
    assert alerts(world) == [1]


def test_one_alert_row_holds_every_change_of_the_entry(world: World) -> None:
    world.commit(world.entry("a"), (KILLED_62, Figure("injured", 100)), (REGRET,))
    assert [ids for chat, _, ids in world.outbox() if chat == 101] == [(1, 2, 3)]


def test_article_rows_for_chats_that_ask_and_only_for_new_entries(tmp_path: Path) -> None:
    world = World.build(tmp_path / "sw.db")
    world.follow(1, articles_on=True)
    world.follow(2)
    entry = world.entry("a")
    world.commit(entry, ())
    world.commit(world.updated(entry, "edited"), ())
    world.commit(world.entry("b", hours=1), (KILLED_62,))
    assert world.outbox() == [(1, "article", ()), (1, "alert", (1,)), (2, "alert", (1,))]


def test_silent_commit_stores_changes_without_rows(world: World) -> None:
    result = world.store.commit_entry(
        world.entry("a"),
        [(world.story, Facts((KILLED_62,)))],
        decide_changes,
        T0,
        silent=True,
    )
    assert [c.silent for c in result.changes] == [True]
    assert world.outbox() == []
