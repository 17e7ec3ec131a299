"""A fake clock: `now()` reads virtual UTC time and `await sleep()` advances it without waiting.

Code under test takes a clock (anything with `now()` and `async sleep()`); tests pass a
`FakeClock` and read back what was slept. With `auto_advance=False` a sleeper instead waits
until the test moves time past its deadline with `advance()`, for tests that interleave tasks.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
from datetime import UTC, datetime, timedelta
from typing import Protocol

# The day the story this project started from broke; any fixed instant would do.
DEFAULT_START = datetime(2016, 9, 17, 12, 0, tzinfo=UTC)


class Clock(Protocol):
    """What code under test needs of a clock."""

    def now(self) -> datetime: ...

    async def sleep(self, seconds: float) -> None: ...


class FakeClock:
    """Virtual UTC time that moves only when slept through or advanced."""

    def __init__(self, start: datetime = DEFAULT_START, *, auto_advance: bool = True) -> None:
        if start.tzinfo is None:
            raise ValueError("start must be timezone-aware")
        self._now = start.astimezone(UTC)
        self._start = self._now
        self.auto_advance = auto_advance
        self.sleeps: list[float] = []
        self._sleepers: list[tuple[datetime, int, asyncio.Future[None]]] = []
        self._order = itertools.count()

    def now(self) -> datetime:
        """The current virtual time, timezone-aware UTC."""
        return self._now

    def monotonic(self) -> float:
        """Seconds of virtual time since the clock was created."""
        return (self._now - self._start).total_seconds()

    async def sleep(self, seconds: float) -> None:
        """Record the sleep and let `seconds` of virtual time pass.

        Auto-advancing: time jumps forward at once and the caller yields to the loop once.
        Otherwise: the caller waits until `advance()` reaches its deadline.
        """
        seconds = max(0.0, float(seconds))
        self.sleeps.append(seconds)
        if self.auto_advance:
            self._now += timedelta(seconds=seconds)
            await asyncio.sleep(0)
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        deadline = self._now + timedelta(seconds=seconds)
        heapq.heappush(self._sleepers, (deadline, next(self._order), future))
        await future

    @property
    def sleepers(self) -> int:
        """How many tasks are waiting in `sleep()` (only without auto-advance)."""
        return sum(1 for _, _, future in self._sleepers if not future.done())

    def advance(self, by: float | timedelta) -> None:
        """Move time forward, waking each sleeper whose deadline is reached, earliest first.

        Woken tasks run after this returns, so they read the new time, not their deadline.
        """
        step = by if isinstance(by, timedelta) else timedelta(seconds=by)
        if step < timedelta(0):
            raise ValueError("time does not go backwards")
        target = self._now + step
        while self._sleepers and self._sleepers[0][0] <= target:
            deadline, _, future = heapq.heappop(self._sleepers)
            self._now = max(self._now, deadline)
            if not future.done():
                future.set_result(None)
        self._now = target

    def set(self, when: datetime) -> None:
        """Move time forward to `when` (timezone-aware), as `advance()` does."""
        self.advance(when.astimezone(UTC) - self._now)


class SystemClock:
    """The real clock behind the same interface, for fakes that default to real time."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)
