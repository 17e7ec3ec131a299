"""Fixtures for the shared fakes in tests/fakes/ (each server runs in the test's event loop
on 127.0.0.1, port 0, and stops at teardown), and the hypothesis profile CI uses."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator

import pytest
from hypothesis import settings

from tests.fakes.bot_api import FakeBotAPI
from tests.fakes.clock import FakeClock
from tests.fakes.feeds import FeedServer

settings.register_profile("ci", deadline=None, derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


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


@pytest.fixture
def bot_api_thread() -> Iterator[FakeBotAPI]:
    """A fake Bot API server in a thread of its own, for blocking tests that run a subprocess
    (`storywatch run` with `TELEGRAM_API_URL=bot_api_thread.base_url`); use `wait_for_sync`."""
    server = FakeBotAPI()
    with server.threaded():
        yield server


@pytest.fixture
def feed_server_thread() -> Iterator[FeedServer]:
    """A loopback feed server in a thread of its own, for blocking tests."""
    server = FeedServer()
    with server.threaded():
        yield server
