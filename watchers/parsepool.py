"""Parsing off the event loop (I/O: processes and threads): small bodies in a thread, large ones
in a process pool started with `forkserver`, because forking a process that already runs
threads (the event loop's resolver and executor threads) can deadlock the child. A worker can
also match and extract the new entries of what it parsed, so the main process only stores them.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import time
from collections.abc import Mapping
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import datetime

from watchers.parse import CheckedParse, ParseError, ParseMode, parse_checked
from watchers.pipeline import EntryReader, Reading, ReadRequest

INLINE_BELOW_BYTES = 16_384
"""Bodies smaller than this are parsed in a thread: shipping them to a worker costs more."""

TASKS_PER_WORKER = 500
"""A worker is replaced after this many parses, so a leak in a parser cannot grow forever."""


_reader = EntryReader()
"""The worker's matcher and extractor, built on its first request and kept for the next."""


def _parse_in_worker(
    body: bytes,
    headers: dict[str, str],
    url: str,
    first_seen: datetime,
    mode: ParseMode,
    read: ReadRequest | None = None,
) -> tuple[CheckedParse | ParseError, Reading | None, int, float]:
    """`parse_checked` in a worker (and with `read`, the new entries matched and extracted),
    with the worker's pid and CPU seconds so far.

    A ParseError is returned, not raised, so the CPU it cost is still reported.
    """
    result: CheckedParse | ParseError
    reading = None
    try:
        result = parse_checked(body, headers, url, first_seen, mode)
    except ParseError as error:
        result = error
    else:
        if read is not None:
            reading = _reader.read(read, result.parsed.entries)
    return result, reading, os.getpid(), time.process_time()


class ParsePool:
    """Where `parse_checked` runs: `workers=0` keeps everything in threads of this process."""

    def __init__(self, workers: int = 0, inline_below: int = INLINE_BELOW_BYTES) -> None:
        self.workers = workers
        self.inline_below = inline_below
        self._executor: ProcessPoolExecutor | None = None
        # CPU seconds each worker process reported after its latest parse. Workers are
        # replaced every TASKS_PER_WORKER parses; what the replaced ones spent stays counted.
        self._worker_cpu: dict[int, float] = {}
        if workers > 0:
            self._executor = self._start()

    def _start(self) -> ProcessPoolExecutor:
        context = multiprocessing.get_context("forkserver")
        # Workers fork from a server that has feedparser and the extractor imported already:
        # fast to start, and the imported modules' pages are shared between them.
        context.set_forkserver_preload(["watchers.parsepool"])
        return ProcessPoolExecutor(
            max_workers=self.workers, mp_context=context, max_tasks_per_child=TASKS_PER_WORKER
        )

    async def parse_and_read(
        self,
        body: bytes,
        headers: Mapping[str, str],
        url: str,
        first_seen: datetime,
        mode: ParseMode = "feedparser",
        read: ReadRequest | None = None,
    ) -> tuple[CheckedParse, Reading | None]:
        """`parse_checked`, and on a worker with `read`, the new entries' findings too.

        A body parsed in a thread comes back without a Reading: matching it there would take
        the main process's CPU all the same, so the pipeline does it. Raises ParseError.
        """
        plain_headers = dict(headers)
        executor = self._executor
        if executor is None or not self.in_worker(len(body)):
            checked = await asyncio.to_thread(
                parse_checked, body, plain_headers, url, first_seen, mode
            )
            return checked, None
        loop = asyncio.get_running_loop()
        try:
            result, reading, pid, cpu = await loop.run_in_executor(
                executor, _parse_in_worker, body, plain_headers, url, first_seen, mode, read
            )
        except BrokenProcessPool:
            # A worker died (killed for memory, a crash in C code): this body is the suspect,
            # so it is recorded as the feed's error, and the next parse gets a fresh pool.
            if self._executor is executor:
                executor.shutdown(wait=False, cancel_futures=True)
                self._executor = self._start()
            raise ParseError("the parser process died on this body") from None
        self._worker_cpu[pid] = max(cpu, self._worker_cpu.get(pid, 0.0))
        if isinstance(result, ParseError):
            raise result
        return result, reading

    def in_worker(self, size: int) -> bool:
        """Whether a body of `size` bytes is parsed in a worker process (else in a thread)."""
        return self._executor is not None and size >= self.inline_below

    def worker_cpu_s(self) -> float:
        """CPU seconds spent by every worker process so far, replaced ones included, as of
        each one's latest parse."""
        return sum(self._worker_cpu.values())

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None

    def worker_pids(self) -> list[int]:
        """The worker processes' ids (for measuring their memory)."""
        if self._executor is None:
            return []
        processes = getattr(self._executor, "_processes", None) or {}
        return list(processes)
