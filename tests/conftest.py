"""Fixtures for the shared fakes in tests/fakes/: each server runs in the test's event loop
on 127.0.0.1, port 0, and stops at teardown."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.fakes.bot_api import FakeBotAPI
from tests.fakes.clock import FakeClock
from tests.fakes.feeds import FeedServer


@pytest.fixture
def clock() -> FakeClock:
    """Virtual time starting 2016-09-17 12:00 UTC; `sleep()` advances it at once."""
    return FakeClock()


@pytest.fixture
async def bot_api() -> AsyncIterator[FakeBotAPI]:
    """A fake Bot API server; give PTB `bot_api.base_url` and `bot_api.token`."""
    async with FakeBotAPI() as server:
        yield server


@pytest.fixture
async def feed_server() -> AsyncIterator[FeedServer]:
    """A loopback feed server; `publish(path, body)` returns the document's URL."""
    async with FeedServer() as server:
        yield server
