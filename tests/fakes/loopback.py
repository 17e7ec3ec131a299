"""The common base of the loopback test servers (I/O): an aiohttp app on 127.0.0.1, port 0.

A server runs in the test's event loop (`async with server:`) or in a thread with a loop of its
own (`with server.threaded():`) so that a subprocess can talk to it while the test blocks. Its
recorded state is guarded by one lock, and `wait_for` wakes on every change instead of polling.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable, Iterator
from types import TracebackType
from typing import Self, TypeVar

from aiohttp import web

T = TypeVar("T")

HOST = "127.0.0.1"
# How long start/stop may take in a background thread before the test gives up on it.
_THREAD_STEP_TIMEOUT = 10.0


class LoopbackServer:
    """An aiohttp server on 127.0.0.1 with a port chosen by the OS; subclasses build the app."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._changed = threading.Condition(self._lock)
        self._async_waiters: set[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = set()
        self._runner: web.AppRunner | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._port: int | None = None
        self._closed = False

    def _build_app(self) -> web.Application:
        raise NotImplementedError

    @property
    def port(self) -> int:
        """The port the OS gave the server; raises RuntimeError before `start()`."""
        if self._port is None:
            raise RuntimeError(f"{type(self).__name__} is not started")
        return self._port

    @property
    def url(self) -> str:
        """`http://127.0.0.1:PORT`, without a trailing slash."""
        return f"http://{HOST}:{self.port}"

    async def start(self) -> None:
        """Bind 127.0.0.1 on port 0 and serve in the running loop."""
        self._loop = asyncio.get_running_loop()
        self._closed = False
        # handler_cancellation: a client that hangs up (PTB stopping its long poll) ends the
        # handler instead of leaving it to hold the connection until its timeout.
        runner = web.AppRunner(
            self._build_app(), access_log=None, handler_cancellation=True, shutdown_timeout=1.0
        )
        await runner.setup()
        site = web.TCPSite(runner, HOST, 0)
        await site.start()
        self._runner = runner
        self._port = runner.addresses[0][1]

    async def stop(self) -> None:
        """Wake every held request, close the listening socket and every connection."""
        with self._lock:
            self._closed = True
            self._notify()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    @contextlib.contextmanager
    def threaded(self) -> Iterator[Self]:
        """Serve from a daemon thread with its own event loop; stop it and join it on exit.

        For tests that block (a subprocess talking to the server): use `wait_for_sync` there.
        """
        loop = asyncio.new_event_loop()
        thread = threading.Thread(
            target=loop.run_forever, name=f"{type(self).__name__}-loop", daemon=True
        )
        thread.start()
        try:
            asyncio.run_coroutine_threadsafe(self.start(), loop).result(_THREAD_STEP_TIMEOUT)
            yield self
        finally:
            try:
                asyncio.run_coroutine_threadsafe(self.stop(), loop).result(_THREAD_STEP_TIMEOUT)
            finally:
                loop.call_soon_threadsafe(loop.stop)
                thread.join(_THREAD_STEP_TIMEOUT)
                loop.close()

    def _notify(self) -> None:
        """Wake every waiter; call with the lock held after changing recorded state."""
        self._changed.notify_all()
        for loop, event in self._async_waiters:
            with contextlib.suppress(RuntimeError):  # that waiter's loop has closed
                loop.call_soon_threadsafe(event.set)

    async def _wait_until(self, condition: Callable[[], T], seconds: float) -> T | None:
        """Return `condition()` once truthy (evaluated under the lock), or None at the deadline
        or when the server stops."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        event = asyncio.Event()
        waiter = (loop, event)
        with self._lock:
            self._async_waiters.add(waiter)
        try:
            while True:
                event.clear()
                with self._lock:
                    result = condition()
                    if result or self._closed:
                        return result or None
                remaining = deadline - loop.time()
                if remaining <= 0:
                    return None
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(event.wait(), remaining)
        finally:
            with self._lock:
                self._async_waiters.discard(waiter)

    # The deadline is part of the question asked, as in threading.Condition.wait_for.
    async def wait_for(self, condition: Callable[[], T], timeout: float = 5.0) -> T:  # noqa: ASYNC109
        """Return `condition()`'s first truthy value; raise TimeoutError after `timeout` seconds.

        The condition runs under the server's lock whenever its state changes, so it may read
        the server's accessors but must not block.
        """
        result = await self._wait_until(condition, timeout)
        if not result:
            raise TimeoutError(f"condition not met within {timeout} s: {self._describe()}")
        return result

    def wait_for_sync(self, condition: Callable[[], T], timeout: float = 5.0) -> T:
        """`wait_for` for a blocking test that runs the server with `threaded()`."""
        if self._loop is not None and self._loop.is_running() and _in_loop_thread(self._loop):
            raise RuntimeError("wait_for_sync would block the server's own loop; use wait_for")
        with self._changed:
            result = self._changed.wait_for(condition, timeout)
        if not result:
            raise TimeoutError(f"condition not met within {timeout} s: {self._describe()}")
        return result

    async def _pause(self, seconds: float) -> None:
        """Hold a request for `seconds` of real time, ending early when the server stops."""
        await self._wait_until(lambda: self._closed, seconds)

    def _describe(self) -> str:
        """A short account of the recorded state, for timeout messages."""
        return type(self).__name__


def _in_loop_thread(loop: asyncio.AbstractEventLoop) -> bool:
    try:
        return asyncio.get_running_loop() is loop
    except RuntimeError:
        return False
