"""Poll-time arithmetic, pure: when a feed is next due after an outcome, and start-up spreading.

The next poll time is data in the database; these functions compute it from plain values so the
tick stays a thin shell and the rules are tested without clock or network.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

MAX_DELAY_S = 24 * 3600
"""No feed waits longer than a day, however often it failed or whatever Retry-After said."""

MAX_JITTER = 0.10
"""Jitter adds at most 10% of the delay, so feeds polled together drift apart."""

MAX_AGE_CEILING_S = 3600
"""`Cache-Control: max-age` may stretch a feed's interval up to an hour, never beyond."""

START_SPREAD_S = 60.0


def next_poll(
    now: datetime,
    interval: float,
    failures: int = 0,
    retry_after: float | None = None,
    max_age: float | None = None,
    jitter: float = 0.0,
) -> datetime:
    """Return when a feed polled at `now` is due again.

    `interval` is the feed's own interval in seconds; `failures` the consecutive failures so
    far, including this poll (the delay doubles per failure); `retry_after` and `max_age` come
    from the response; `jitter` is a number in [0, 1) that adds up to 10% of the delay. The
    result is never more than 24 hours (plus jitter) after `now`.
    """
    interval = max(float(interval), 1.0)
    delay = interval
    if max_age is not None and max_age > interval:
        delay = min(max_age, max(interval, MAX_AGE_CEILING_S))
    if failures > 0:
        # 2**failures overflows float for absurd counts; the cap applies long before.
        delay = interval * 2.0 ** min(failures, 32)
    if retry_after is not None and retry_after > delay:
        delay = retry_after
    delay = min(delay, MAX_DELAY_S)
    delay += delay * MAX_JITTER * min(max(jitter, 0.0), 1.0)
    return now + timedelta(seconds=delay)


def spread_start(
    feed_ids: Sequence[int],
    now: datetime,
    interval: float,
    intervals: Mapping[int, float] | None = None,
) -> dict[int, datetime]:
    """Spread overdue feeds over `min(interval, 60 s)` from `now`, in the order given.

    Returns the next poll time for each feed id; the first is due at once. A feed with its own
    interval in `intervals` is spread over at most that, so a feed polled every few seconds is
    never pushed a minute away. Used once at start-up so a bot that was down does not poll
    every feed in the same second.
    """
    count = len(feed_ids)
    if count == 0:
        return {}
    own = intervals or {}
    times: dict[int, datetime] = {}
    for index, feed_id in enumerate(feed_ids):
        window = min(float(own.get(feed_id, interval)), START_SPREAD_S)
        times[feed_id] = now + timedelta(seconds=index * window / count)
    return times


def retry_after_seconds(value: str | None, now: datetime) -> float | None:
    """A Retry-After header (delta seconds or an HTTP date) as seconds from `now`, or None."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max((moment - now).total_seconds(), 0.0)
