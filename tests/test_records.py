"""Records are frozen, slotted and UTC-aware."""

import dataclasses
from datetime import UTC, datetime, timedelta, timezone

import pytest

from storage.records import Change, Figure, Position, utc


def test_records_are_frozen():
    figure = Figure(metric="killed", value=62)
    with pytest.raises(dataclasses.FrozenInstanceError):
        figure.value = 63  # type: ignore[misc]


def test_utc_converts_offsets_and_assumes_naive_is_utc():
    cest = timezone(timedelta(hours=2))
    assert utc(datetime(2016, 9, 17, 16, 5, tzinfo=cest)) == datetime(
        2016, 9, 17, 14, 5, tzinfo=UTC
    )
    assert utc(datetime(2016, 9, 17, 14, 5)).tzinfo is UTC  # noqa: DTZ001


def test_change_kind_follows_the_fact_it_carries():
    figure_change = Change(story_id=1, entry_id=2, figure=Figure(metric="killed", value=62))
    position_change = Change(story_id=1, entry_id=2, position=Position("Russia", "meeting"))
    assert (figure_change.kind, position_change.kind) == ("figure", "position")
