"""A deterministic corpus of realistic news feeds for the poll benchmark, and the loopback server
that serves it with real ETag / Last-Modified and advances a share of feeds between rounds.

Every feed is a pure function of (index, version): RSS 2.0 or Atom, 20-100 entries, 20-200 KB,
HTML in descriptions, several encodings, a few malformed or with a 0000-00-00 date. Bodies are
cached under `bench/.corpus/` so a second run does not generate them again.
"""

from __future__ import annotations

import asyncio
import email.utils
import multiprocessing
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path
from xml.sax.saxutils import escape

CACHE = Path(__file__).parent / ".corpus"
EPOCH = datetime(2026, 1, 5, 6, 0, tzinfo=UTC)
NEW_PER_ADVANCE = 3

_COMMON = [
    "the",
    "a",
    "of",
    "to",
    "in",
    "and",
    "on",
    "for",
    "with",
    "at",
    "by",
    "from",
    "after",
    "before",
    "over",
    "under",
    "officials",
    "said",
    "report",
    "city",
    "region",
    "government",
    "minister",
    "police",
    "army",
    "council",
    "residents",
    "people",
    "village",
    "bridge",
    "road",
    "port",
    "river",
    "market",
    "school",
    "hospital",
    "station",
    "airport",
    "border",
    "talks",
    "meeting",
    "statement",
    "week",
    "day",
    "morning",
    "night",
    "early",
    "late",
    "new",
    "old",
    "local",
    "national",
    "foreign",
    "emergency",
    "rescue",
    "teams",
    "water",
    "power",
    "storm",
    "flood",
    "fire",
    "strike",
    "protest",
    "vote",
    "court",
    "trial",
    "election",
    "budget",
    "tax",
    "plan",
    "deal",
    "aid",
    "supply",
    "convoy",
    "ceasefire",
    "forces",
    "troops",
    "district",
    "province",
    "capital",
    "coast",
    "valley",
    "north",
    "south",
    "east",
    "west",
    "spokesperson",
    "agency",
    "press",
    "conference",
    "announced",
    "confirmed",
    "denied",
    "reported",
    "warned",
    "called",
    "urged",
    "expected",
    "continued",
    "remained",
    "began",
    "ended",
    "opened",
    "closed",
    "moved",
]
_SYLLABLES = "ka ver lo mir tan se dor ul bra ze nik os tar fel ri gon ash pel vu "


def rare_words(count: int = 5000) -> list[str]:
    """Place-like names that appear in few entries: what stories' keywords are drawn from."""
    rng = random.Random("rare")
    syllables = _SYLLABLES.split()
    words: set[str] = set()
    while len(words) < count:
        words.add("".join(rng.choice(syllables) for _ in range(rng.randint(3, 4))))
    return sorted(words)


RARE = rare_words()


def _encoding(index: int) -> str:
    if index % 41 == 7:
        return "utf-16"
    if index % 17 == 3:
        return "windows-1252"
    if index % 23 == 5:
        return "iso-8859-1"
    return "utf-8"


def _entry(index: int, number: int, kind: str, size: int, zero_date: bool) -> str:
    rng = random.Random(f"{index}:{number}")
    place = rng.choice(RARE).capitalize()
    title = f"{place}: " + " ".join(rng.choices(_COMMON, k=rng.randint(5, 10)))
    if rng.random() < 0.3:
        title += f" — {rng.randint(2, 300)} killed"
    paragraphs = []
    remaining = size
    while remaining > 0:
        words = " ".join(rng.choices(_COMMON, k=rng.randint(30, 80)))
        paragraphs.append(f"<p>{words.capitalize()} in <b>{place}</b>. Caf\u00e9 &amp; more.</p>")
        remaining -= len(paragraphs[-1])
    html = "".join(paragraphs)
    published = EPOCH + timedelta(minutes=7 * number)
    link = f"https://news{index % 50}.example/{index}/{number}?utm_source=rss#c"
    if kind == "atom":
        return (
            f"<entry><title>{escape(title)}</title><id>tag:corpus,{index}:{number}</id>"
            f'<link href="{escape(link)}"/><updated>{published.isoformat()}</updated>'
            f'<summary type="html">{escape(html)}</summary></entry>'
        )
    date = "0000-00-00 00:00:00" if zero_date else email.utils.format_datetime(published)
    guid = "" if number % 9 == 0 else f'<guid isPermaLink="false">{index}-{number}</guid>'
    return (
        f"<item><title>{escape(title)}</title><link>{escape(link)}</link>{guid}"
        f"<pubDate>{date}</pubDate><description><![CDATA[{html}]]></description></item>"
    )


def feed_body(index: int, version: int) -> bytes:
    """The bytes of feed `index` at `version` (each version adds three entries)."""
    rng = random.Random(f"feed:{index}")
    kind = "atom" if index % 3 == 0 else "rss"
    count = rng.randint(20, 100)
    entry_size = rng.randint(10_000, 90_000) // count
    malformed = index % 53 == 11
    zero_date = index % 61 == 13
    newest = count + version * NEW_PER_ADVANCE
    entries = "".join(
        _entry(index, number, kind, entry_size, zero_date)
        for number in range(newest, newest - count, -1)
    )
    if malformed:
        entries = entries.replace("&amp;", "&", 3)
    encoding = _encoding(index)
    title = f"Corpus Courier {index}"
    if kind == "atom":
        text = (
            f'<?xml version="1.0" encoding="{encoding}"?>'
            f'<feed xmlns="http://www.w3.org/2005/Atom"><title>{title}</title>'
            f"<id>tag:corpus,{index}</id><updated>{EPOCH.isoformat()}</updated>{entries}</feed>"
        )
    else:
        text = (
            f'<?xml version="1.0" encoding="{encoding}"?><rss version="2.0"><channel>'
            f"<title>{title}</title><link>https://news.example/{index}</link>"
            f"<description>Generated</description>{entries}</channel></rss>"
        )
    return text.encode(encoding, errors="xmlcharrefreplace")


def cached_body(index: int, version: int) -> bytes:
    path = CACHE / f"{index}-{version}.xml"
    try:
        return path.read_bytes()
    except FileNotFoundError:
        body = feed_body(index, version)
        CACHE.mkdir(exist_ok=True)
        path.write_bytes(body)
        return body


def _serve(feeds: int, ready: multiprocessing.Queue[int]) -> None:  # pragma: no cover
    from aiohttp import web

    versions = [0] * feeds

    def validators(index: int) -> tuple[str, str]:
        etag = f'"{index}-{versions[index]}"'
        moment = EPOCH + timedelta(hours=versions[index])
        return etag, email.utils.format_datetime(moment, usegmt=True)

    async def feed(request: web.Request) -> web.StreamResponse:
        index = int(request.match_info["index"])
        if not 0 <= index < feeds:
            raise web.HTTPNotFound()
        etag, modified = validators(index)
        headers = {"ETag": etag, "Last-Modified": modified}
        if request.headers.get("If-None-Match") == etag:
            return web.Response(status=304, headers=headers)
        body = cached_body(index, versions[index])
        return web.Response(body=body, headers=headers, content_type="application/xml")

    async def advance(request: web.Request) -> web.Response:
        share = int(request.query.get("every", "10"))
        moved = 0
        for index in range(feeds):
            if index % share == 0:
                versions[index] += 1
                moved += 1
        return web.Response(text=str(moved))

    async def main() -> None:
        app = web.Application()
        app.add_routes([web.get("/f/{index}", feed), web.post("/advance", advance)])
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0, backlog=1024)
        await site.start()
        server = site._server
        assert server is not None and server.sockets
        ready.put(server.sockets[0].getsockname()[1])
        await asyncio.Event().wait()

    asyncio.run(main())


class CorpusServer:
    """The corpus on 127.0.0.1 in its own process, so its CPU is not counted as the client's."""

    def __init__(self, feeds: int) -> None:
        self.feeds = feeds
        context = multiprocessing.get_context("spawn")
        queue: multiprocessing.Queue[int] = context.Queue()
        self.process = context.Process(target=_serve, args=(feeds, queue), daemon=True)
        self.process.start()
        self.port = queue.get(timeout=60)

    def url(self, index: int) -> str:
        return f"http://127.0.0.1:{self.port}/f/{index}"

    def advance(self, every: int = 10) -> int:
        import urllib.request

        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}/advance?every={every}", method="POST"
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            return int(response.read())

    def close(self) -> None:
        self.process.terminate()
        self.process.join(10)


def warm(feeds: int, versions: int = 2) -> None:
    """Generate (or find cached) the first `versions` versions of every feed."""
    for index in range(feeds):
        for version in range(versions):
            cached_body(index, version)
