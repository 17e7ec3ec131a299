"""The background work of `storywatch run` (`bot.app.Runtime`), on a fake clock: the outbox
sender survives its own crashes, so alerts never wait behind a dead task."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import Callable

import pytest

from bot.app import Runtime
from tests.fakes.clock import FakeClock


class CrashingSender:
    """Fails `crashes` times as a real sender could, then sends until asked to stop."""

    def __init__(self, crashes: int) -> None:
        self.crashes = crashes
        self.runs = 0
        self.serving = asyncio.Event()
        self.released = asyncio.Event()
        self.stopped_cleanly = False

    async def run(self, idle_s: float = 1.0, stop: Callable[[], bool] = lambda: False) -> None:
        self.runs += 1
        if self.runs <= self.crashes:
            raise sqlite3.OperationalError("database is locked")
        self.serving.set()
        await self.released.wait()
        self.stopped_cleanly = stop()


async def test_a_crashed_sender_is_logged_and_started_again(
    clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    sender = CrashingSender(crashes=2)
    runtime = Runtime(clock=clock, sender=sender)
    with caplog.at_level(logging.ERROR, logger="bot.app"):
        runtime.start_sender()
        await asyncio.wait_for(sender.serving.wait(), 5)
        stopping = asyncio.create_task(runtime.stop_sender())
        await asyncio.sleep(0)  # let stop_sender raise the flag before the sender returns
        sender.released.set()
        await asyncio.wait_for(stopping, 5)
    assert sender.runs == 3
    assert sender.stopped_cleanly
    assert clock.sleeps == [2.0, 4.0]
    assert caplog.text.count("the outbox sender failed") == 2
    assert "database is locked" in caplog.text
