"""The fake clock: virtual UTC time that sleeping and advancing move, never the wall clock."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from tests.fakes.clock import DEFAULT_START, FakeClock


async def test_sleep_advances_virtual_time_at_once(clock: FakeClock):
    await clock.sleep(30)
    await clock.sleep(0.5)
    assert clock.now() == DEFAULT_START + timedelta(seconds=30.5)
    assert clock.monotonic() == 30.5
    assert clock.sleeps == [30, 0.5]
    assert clock.now().tzinfo is UTC


async def test_without_auto_advance_sleepers_wait_for_advance_past_their_deadline():
    clock = FakeClock(auto_advance=False)
    woke: list[str] = []

    async def sleeper(name: str, seconds: float) -> None:
        await clock.sleep(seconds)
        woke.append(f"{name}@{clock.monotonic():g}")

    tasks = [asyncio.create_task(sleeper("late", 10)), asyncio.create_task(sleeper("early", 5))]
    await asyncio.sleep(0)  # one turn of the loop: both tasks reach sleep(); no time passes
    assert clock.sleepers == 2
    clock.advance(7)
    await asyncio.wait_for(tasks[1], timeout=5)
    assert woke == ["early@7"] and clock.sleepers == 1
    clock.advance(timedelta(seconds=3))
    await asyncio.wait_for(tasks[0], timeout=5)
    assert woke == ["early@7", "late@10"]


@pytest.mark.parametrize(
    ("action", "error"),
    [
        (lambda: FakeClock(datetime(2016, 9, 17)), "timezone-aware"),  # noqa: DTZ001
        (lambda: FakeClock().advance(-1), "backwards"),
    ],
    ids=["naive-start", "negative-advance"],
)
def test_the_clock_refuses_nonsense(action, error: str):
    with pytest.raises(ValueError, match=error):
        action()


def test_set_moves_to_an_instant():
    clock = FakeClock()
    clock.set(datetime(2016, 9, 18, tzinfo=UTC))
    assert clock.now() == datetime(2016, 9, 18, tzinfo=UTC)
