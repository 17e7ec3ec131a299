"""The HTTP client choice, measured: CPU per conditional request (answered 304) and per full
200 response, for httpx and aiohttp, against the loopback corpus server.

Each client runs in this process with 20 requests in flight; the server is a separate process,
so the CPU counted is the client's alone. `python -m bench.bench_http --feeds 1000 --rounds 3`.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import sys
import time
from collections.abc import Awaitable, Callable, Sequence

from bench.feedcorpus import CorpusServer, warm

CONCURRENCY = 20
Fetch = Callable[[str, dict[str, str]], Awaitable[int]]


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def _round(fetch: Fetch, urls: list[str], conditional: bool) -> tuple[float, float, int]:
    """CPU seconds, wall seconds and the count of expected answers for one pass over `urls`."""
    slots = asyncio.Semaphore(CONCURRENCY)
    expected = 304 if conditional else 200

    async def one(index: int, url: str) -> bool:
        headers = {"If-None-Match": f'"{index}-0"'} if conditional else {}
        async with slots:
            return await fetch(url, headers) == expected

    cpu0, wall0 = _cpu(), time.perf_counter()
    answers = await asyncio.gather(*(one(index, url) for index, url in enumerate(urls)))
    return _cpu() - cpu0, time.perf_counter() - wall0, sum(answers)


async def _with_httpx(urls: list[str], rounds: int) -> dict[str, list[tuple[float, float, int]]]:
    import httpx

    limits = httpx.Limits(max_connections=CONCURRENCY, max_keepalive_connections=CONCURRENCY)
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:

        async def fetch(url: str, headers: dict[str, str]) -> int:
            response = await client.get(url, headers=headers)
            return response.status_code

        return await _measure(fetch, urls, rounds)


async def _with_aiohttp(urls: list[str], rounds: int) -> dict[str, list[tuple[float, float, int]]]:
    import aiohttp

    connector = aiohttp.TCPConnector(limit=CONCURRENCY, limit_per_host=CONCURRENCY)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def fetch(url: str, headers: dict[str, str]) -> int:
            async with session.get(url, headers=headers) as response:
                await response.read()
                return response.status

        return await _measure(fetch, urls, rounds)


async def _measure(
    fetch: Fetch, urls: list[str], rounds: int
) -> dict[str, list[tuple[float, float, int]]]:
    await _round(fetch, urls[: CONCURRENCY * 2], True)  # warm up connections and imports
    results: dict[str, list[tuple[float, float, int]]] = {"304": [], "200": []}
    for _ in range(rounds):
        results["304"].append(await _round(fetch, urls, True))
        results["200"].append(await _round(fetch, urls, False))
    return results


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="bench_http")
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args([] if argv is None else argv)
    warm(args.feeds, versions=1)
    server = CorpusServer(args.feeds)
    urls = [server.url(index) for index in range(args.feeds)]
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    print(f"{args.feeds} loopback URLs, {CONCURRENCY} in flight, load average {load}")
    print(f"{'client':<8} {'answer':<6} {'requests':>8} {'cpu ms/req':>11} {'wall s':>7} {'ok':>6}")
    try:
        for name, run in (("httpx", _with_httpx), ("aiohttp", _with_aiohttp)):
            results = asyncio.run(run(urls, args.rounds))
            for answer, rows in results.items():
                # The best of the rounds: the one least disturbed by the rest of the machine.
                cpu, wall, ok = min(rows)
                print(
                    f"{name:<8} {answer:<6} {len(urls):>8} {1000 * cpu / len(urls):>11.3f} "
                    f"{wall:>7.2f} {ok:>6}",
                    flush=True,
                )
    finally:
        server.close()


if __name__ == "__main__":
    main(sys.argv[1:])
