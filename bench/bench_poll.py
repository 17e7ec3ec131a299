"""Side by side on one loopback corpus: storywatch's tick (real pipeline, or `--stages
stand-in`), naive sequential `feedparser.parse(url)`, and reader's `update_feeds`.

Rounds: cold (every feed answers 200), all 304, then 10% of feeds changed. storywatch also runs
with the accelerated parser behind its gate (`--no-fast` skips it), adding a cold round for
feeds whose verdict is known. Each contender runs in its own process; CPU counts the process
and, for storywatch, its parse workers. Default 200 feeds so `make bench` stays short;
`python -m bench.bench_poll --feeds 1000` (or 6000, `--only storywatch`) for the full runs.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.feedcorpus import RARE, CorpusServer, warm

ROUNDS = ("cold", "all-304", "10%-changed")
CONTENDERS = ("storywatch", "feedparser", "reader")
STORIES = 100
KEYWORDS_PER_STORY = 5
_TICKS = os.sysconf("SC_CLK_TCK")


def _proc_cpu(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / _TICKS


def _proc_kb(pid: int, field: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _self_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


# -- contenders (each runs in its own process) ------------------------------------------------


def _stand_in_stages() -> Any:
    from storage.records import Change, Entry, Facts, Figure, Story, StoryFacts
    from watchers.pipeline import Stages

    word = re.compile(r"\w+")
    killed = re.compile(r"(\d+) killed")

    def match(entry: Entry, stories: Sequence[Story]) -> list[str]:
        words = set(word.findall(entry.title.lower()))
        return [s.slug for s in stories if any(k in words for k in s.keywords)]

    def extract(text: str, story: Story | None, published: datetime | None) -> Facts:
        found = killed.search(text)
        if found is None:
            return Facts()
        return Facts(figures=(Figure(metric="killed", value=int(found.group(1))),))

    def decide(known: StoryFacts, facts: Facts, entry: Entry) -> list[Change]:
        seen = {(k.figure.metric, k.figure.value) for k in known.figures}
        return [
            Change(story_id=known.story_id, entry_id=entry.id or 0, figure=figure)
            for figure in facts.figures
            if (figure.metric, figure.value) not in seen
        ]

    return Stages(match=match, extract=extract, decide=decide)


def _real_stages() -> Any:
    from watchers.pipeline import StageRecipe

    return StageRecipe().build()


def _new_store(urls: list[str], start: datetime, verdicts: dict[str, Any] | None = None) -> Any:
    from storage.records import Feed, Story
    from storage.store import Store

    store = Store.open(Path(tempfile.mkdtemp()) / "bench.db")
    for url in urls:
        feed = Feed(url=url, allow_private=True, interval_s=1, source="cli")
        if verdicts is not None:
            feed = replace(
                feed,
                fast_parse=verdicts[url].fast_parse,
                parser_checked_at=verdicts[url].parser_checked_at,
            )
        store.add_feed(feed, start)
    for number in range(STORIES):
        keywords = tuple(RARE[number * KEYWORDS_PER_STORY + k] for k in range(KEYWORDS_PER_STORY))
        store.add_story(
            Story(slug=f"story-{number}", title=f"Story {number}", keywords=keywords), start
        )
    return store


def run_storywatch(
    urls: list[str], advance: Callable[[], None], workers: int, stages: str, fast: bool
) -> list[dict]:
    from watchers.tick import Poller, PollSettings

    start = datetime(2026, 2, 1, tzinfo=UTC)
    store = _new_store(urls, start)
    settings = PollSettings(
        max_per_tick=len(urls),
        concurrency=20,
        per_host=20,
        parse_workers=workers,
        fast_parser=fast,
    )
    pipeline = _real_stages() if stages == "real" else _stand_in_stages()
    poller = Poller(store, pipeline, settings)
    results = []
    peak_workers_kb = 0

    async def sample(stop: asyncio.Event) -> None:
        nonlocal peak_workers_kb
        while not stop.is_set():
            pids = poller.parser.worker_pids()
            peak_workers_kb = max(peak_workers_kb, sum(_proc_kb(p, "VmRSS") for p in pids))
            await asyncio.sleep(0.2)

    async def measured(name: str, when: datetime) -> None:
        entries_before = store._scalar("SELECT COUNT(*) FROM entries")
        main0 = _self_cpu()
        workers0 = poller.parser.worker_cpu_s()
        wall0 = time.perf_counter()
        stop = asyncio.Event()
        sampler = asyncio.create_task(sample(stop))
        report = await poller.tick(when)
        wall = time.perf_counter() - wall0
        stop.set()
        await sampler
        cpu_main = _self_cpu() - main0
        cpu_workers = poller.parser.worker_cpu_s() - workers0
        entries = store._scalar("SELECT COUNT(*) FROM entries") - entries_before
        results.append(
            {
                "round": name,
                "feeds": report.polled,
                "wall": wall,
                "cpu": cpu_main + cpu_workers,
                "entries": entries + report.updated,
                "errors": report.errors,
                "alerts": report.alerts,
                "matched": report.matched,
                "cpu_main": cpu_main,
                "cpu_workers": cpu_workers,
            }
        )

    async def rounds() -> None:
        nonlocal store, poller
        for number, name in enumerate(ROUNDS):
            if name == "10%-changed":
                advance()
            await measured(name, start + timedelta(seconds=10 * (number + 1)))
        if fast:
            # The same work as the cold round, but for feeds whose verdict is known: a fresh
            # database whose feeds carry the verdicts the cold round reached.
            verdicts = {feed.url: feed for feed in store.list_feeds()}
            store = _new_store(urls, start, verdicts)
            poller = Poller(store, pipeline, settings, parser=poller.parser)
            await measured("cold-known", start + timedelta(seconds=100))
            fast_feeds = sum(1 for feed in store.list_feeds() if feed.fast_parse)
            results[-1]["fast_feeds"] = fast_feeds
        await poller.close()

    asyncio.run(rounds())
    main_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for row in results:
        row["rss_main_mb"] = main_kb / 1024
        row["rss_workers_mb"] = peak_workers_kb / 1024
    lost = store._scalar("SELECT COUNT(*) FROM feeds WHERE last_success_at IS NULL")
    results[0]["lost"] = lost
    return results


def run_feedparser(urls: list[str], advance: Callable[[], None]) -> list[dict]:
    import feedparser

    validators: dict[str, tuple[Any, Any]] = {}
    results = []
    lost = set(urls)
    for name in ROUNDS:
        if name == "10%-changed":
            advance()
        cpu0, wall0, entries, errors = _self_cpu(), time.perf_counter(), 0, 0
        for url in urls:
            etag, modified = validators.get(url, (None, None))
            parsed = feedparser.parse(url, etag=etag, modified=modified)
            status = parsed.get("status")
            if status == 200:
                entries += len(parsed.entries)
                lost.discard(url)
            elif status != 304:
                errors += 1
            validators[url] = (parsed.get("etag"), parsed.get("modified"))
        results.append(
            {
                "round": name,
                "feeds": len(urls),
                "wall": time.perf_counter() - wall0,
                "cpu": _self_cpu() - cpu0,
                "entries": entries,
                "errors": errors,
            }
        )
    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for row in results:
        row["rss_main_mb"] = kb / 1024
    results[0]["lost"] = len(lost)
    return results


def run_reader(urls: list[str], advance: Callable[[], None]) -> list[dict]:
    from reader import make_reader

    tmp = tempfile.mkdtemp()
    reader = make_reader(str(Path(tmp) / "reader.sqlite"))
    for url in urls:
        reader.add_feed(url)
    results = []
    for name in ROUNDS:
        if name == "10%-changed":
            advance()
        before = reader.get_entry_counts().total
        cpu0, wall0 = _self_cpu(), time.perf_counter()
        reader.update_feeds(scheduled=False)
        results.append(
            {
                "round": name,
                "feeds": len(urls),
                "wall": time.perf_counter() - wall0,
                "cpu": _self_cpu() - cpu0,
                "entries": reader.get_entry_counts().total - before,
                "errors": sum(1 for _ in reader.get_feeds(broken=True)),
            }
        )
    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for row in results:
        row["rss_main_mb"] = kb / 1024
    results[0]["lost"] = sum(1 for _ in reader.get_feeds(broken=True))
    reader.close()
    return results


# -- driver -----------------------------------------------------------------------------------


def _fast_installed() -> bool:
    from watchers.parse import fast_parser_available

    if not fast_parser_available():
        print("feedparser-rs is not installed (the `fast` extra): no storywatch+fast run")
        return False
    return True


def _contender_process(name: str, port: int, args: argparse.Namespace, fast: bool) -> list[dict]:
    command = [
        sys.executable, "-m", "bench.bench_poll", "--contender", name,
        "--port", str(port), "--feeds", str(args.feeds), "--workers", str(args.workers),
        "--stages", args.stages, "--fast" if fast else "--no-fast",
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        print(done.stderr[-3000:], file=sys.stderr)
        return []
    return list(json.loads(done.stdout.strip().splitlines()[-1]))


def _print(name: str, rows: list[dict]) -> None:
    for row in rows:
        workers = f"{row['rss_workers_mb']:.0f}" if "rss_workers_mb" in row else "-"
        split = (
            f"  (main {row['cpu_main']:.2f} + workers {row['cpu_workers']:.2f} cpu s)"
            if "cpu_workers" in row
            else ""
        )
        if "fast_feeds" in row:
            split += f"  [{row['fast_feeds']} feeds approved for the fast parser]"
        print(
            f"{name:<15} {row['round']:<12} {row['feeds']:>6} "
            f"{row['feeds'] / row['wall']:>9.1f} {row['entries'] / row['wall']:>10.0f} "
            f"{row['wall']:>7.2f} {row['cpu']:>7.2f} {1000 * row['cpu'] / row['feeds']:>9.2f} "
            f"{row['rss_main_mb']:>8.0f} {workers:>8} {row['errors']:>6} "
            f"{row.get('lost', ''):>5}{split}",
            flush=True,
        )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="bench_poll")
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2, help="storywatch parse processes")
    parser.add_argument("--only", choices=CONTENDERS, action="append")
    parser.add_argument(
        "--stages",
        choices=("real", "stand-in"),
        default="real",
        help="storywatch's matcher, extractor and decider, or the cheap stand-ins",
    )
    parser.add_argument(
        "--fast",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also run storywatch with the accelerated parser (the `fast` extra) behind the "
        "gate (default; --no-fast skips it, and it is skipped when feedparser-rs is missing)",
    )
    parser.add_argument("--contender", choices=CONTENDERS, help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args([] if argv is None else argv)
    if args.contender:
        base = f"http://127.0.0.1:{args.port}"
        urls = [f"{base}/f/{index}" for index in range(args.feeds)]

        def advance() -> None:
            import urllib.request

            request = urllib.request.Request(f"{base}/advance?every=10", method="POST")
            urllib.request.urlopen(request, timeout=30).close()

        runners: dict[str, Callable[[], list[dict]]] = {
            "storywatch": lambda: run_storywatch(
                urls, advance, args.workers, args.stages, args.fast
            ),
            "feedparser": lambda: run_feedparser(urls, advance),
            "reader": lambda: run_reader(urls, advance),
        }
        print(json.dumps(runners[args.contender]()))
        return
    print(f"generating/finding the corpus of {args.feeds} feeds ...", flush=True)
    warm(args.feeds)
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    print(
        f"{os.cpu_count()} CPUs, load average {load}; {args.workers} parse workers, "
        f"{args.stages} stages"
    )
    print(
        f"{'contender':<15} {'round':<12} {'feeds':>6} {'feeds/s':>9} {'entries/s':>10} "
        f"{'wall s':>7} {'cpu s':>7} {'cpu ms/f':>9} {'rss MB':>8} {'wkr MB':>8} "
        f"{'errors':>6} {'lost':>5}"
    )
    runs = [(name, False) for name in args.only or CONTENDERS]
    if args.fast and "storywatch" in (args.only or CONTENDERS) and _fast_installed():
        runs.insert(1, ("storywatch", True))
    for name, fast in runs:
        server = CorpusServer(args.feeds)
        try:
            label = f"{name}+fast" if fast else name
            _print(label, _contender_process(name, server.port, args, fast))
        finally:
            server.close()
    print(f"load average after: {', '.join(f'{value:.2f}' for value in os.getloadavg())}")


if __name__ == "__main__":
    main(sys.argv[1:])
