"""Next-poll arithmetic: intervals, backoff, Retry-After, max-age, jitter and start-up spreading."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from watchers.schedule import MAX_DELAY_S, next_poll, retry_after_seconds, spread_start

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("kwargs", "seconds"),
    [
        pytest.param({"interval": 300}, 300, id="plain-interval"),
        pytest.param({"interval": 1}, 1, id="one-second-for-loopback-tests"),
        pytest.param({"interval": 300, "failures": 1}, 600, id="first-failure-doubles"),
        pytest.param({"interval": 300, "failures": 3}, 2400, id="third-failure"),
        pytest.param({"interval": 300, "failures": 40}, MAX_DELAY_S, id="backoff-capped-24h"),
        pytest.param(
            {"interval": 300, "failures": 1, "retry_after": 7200},
            7200,
            id="retry-after-longer-than-backoff",
        ),
        pytest.param(
            {"interval": 300, "failures": 1, "retry_after": 5},
            600,
            id="retry-after-never-shortens-backoff",
        ),
        pytest.param(
            {"interval": 300, "retry_after": 10**9}, MAX_DELAY_S, id="retry-after-capped-24h"
        ),
        pytest.param({"interval": 300, "max_age": 900}, 900, id="max-age-raises-interval"),
        pytest.param({"interval": 300, "max_age": 60}, 300, id="max-age-never-lowers"),
        pytest.param({"interval": 300, "max_age": 86400 * 7}, 3600, id="max-age-bounded"),
        pytest.param({"interval": 300, "jitter": 0.999999}, 330, id="jitter-at-most-10-percent"),
    ],
)
def test_next_poll(kwargs: dict[str, float], seconds: float) -> None:
    delay = (next_poll(NOW, **kwargs) - NOW).total_seconds()
    assert delay == pytest.approx(seconds, abs=0.01)


@given(
    interval=st.integers(1, 10**6),
    failures=st.integers(0, 10**4),
    retry_after=st.none() | st.floats(0, 1e12),
    max_age=st.none() | st.floats(0, 1e12),
    jitter=st.floats(0, 1),
)
def test_next_poll_is_always_within_a_day_plus_jitter(
    interval: int, failures: int, retry_after: float | None, max_age: float | None, jitter: float
) -> None:
    due = next_poll(NOW, interval, failures, retry_after, max_age, jitter)
    assert NOW < due <= NOW + timedelta(seconds=MAX_DELAY_S * 1.1)


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        pytest.param("120", 120.0, id="delta-seconds"),
        pytest.param("Sun, 01 Mar 2026 12:10:00 GMT", 600.0, id="http-date"),
        pytest.param("Sun, 01 Mar 2026 11:00:00 GMT", 0.0, id="date-in-the-past"),
        pytest.param("soon", None, id="garbage"),
        pytest.param(None, None, id="absent"),
    ],
)
def test_retry_after_seconds(value: str | None, seconds: float | None) -> None:
    assert retry_after_seconds(value, NOW) == seconds


def test_spread_start_uses_at_most_a_minute() -> None:
    times = spread_start(list(range(1, 121)), NOW, 300)
    assert times[1] == NOW
    assert max(times.values()) < NOW + timedelta(seconds=60)
    assert len(set(times.values())) == 120


def test_spread_start_within_a_short_interval() -> None:
    times = spread_start([1, 2, 3, 4], NOW, 2)
    assert max(times.values()) < NOW + timedelta(seconds=2)


def test_spread_start_keeps_a_feed_within_its_own_interval() -> None:
    times = spread_start([1, 2, 3, 4], NOW, 300, {2: 1, 4: 1})
    assert times[2] < NOW + timedelta(seconds=1)
    assert times[4] < NOW + timedelta(seconds=1)
    assert times[3] == NOW + timedelta(seconds=30)  # the default interval's 60 s window
