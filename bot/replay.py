"""Replay timelines for the demo: the timeline format, feed documents built from its items, and
a loopback HTTP server that serves them with real ETag / Last-Modified / 304 answers.

The format is the corpus timeline's (`story`, `steps[].at`, `steps[].feeds`,
`steps[].expect_alerts`), plus an optional `outlets` table naming each outlet and its feed
format (`rss`, `atom`, or `rss-html` for HTML in descriptions).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import format_datetime, parsedate_to_datetime
from importlib import resources
from typing import Any, Literal
from xml.sax.saxutils import escape

from aiohttp import web

from storage.records import utc

FeedFormat = Literal["rss", "atom", "rss-html"]
FORMATS: tuple[FeedFormat, ...] = ("rss", "atom", "rss-html")
BUNDLED = "demo-deir-ez-zor.json"


class TimelineError(Exception):
    """The timeline file cannot be replayed; the message says why."""


@dataclass(frozen=True, slots=True)
class ReplayItem:
    guid: str
    title: str
    summary: str
    link: str
    published: datetime


@dataclass(frozen=True, slots=True)
class Outlet:
    name: str
    title: str
    format: FeedFormat


@dataclass(frozen=True, slots=True)
class Step:
    at: datetime
    feeds: Mapping[str, tuple[ReplayItem, ...]]
    expect_alerts: tuple[Mapping[str, Any], ...] = ()
    note: str = ""


@dataclass(frozen=True, slots=True)
class Timeline:
    title: str
    keywords: tuple[str, ...]
    steps: tuple[Step, ...]
    outlets: Mapping[str, Outlet] = field(default_factory=dict)
    slug: str | None = None


def load_timeline(path: str | None = None) -> Timeline:
    """Read a timeline file, or the bundled Deir ez-Zor replay; raises TimelineError."""
    try:
        if path is None:
            text = resources.files("bot").joinpath("data", BUNDLED).read_text(encoding="utf-8")
        else:
            with open(path, encoding="utf-8") as file:
                text = file.read()
        return parse_timeline(json.loads(text))
    except OSError as error:
        raise TimelineError(f"cannot read {path}: {error.strerror}") from None
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise TimelineError(f"{path or BUNDLED} is not a timeline: {error!r}") from None


def _time(text: str) -> datetime:
    return utc(datetime.fromisoformat(text.replace("Z", "+00:00")))


def parse_timeline(data: Mapping[str, Any]) -> Timeline:
    """A timeline from its JSON; KeyError/TypeError/ValueError for anything malformed."""
    story = data["story"]
    steps = tuple(
        Step(
            at=_time(step["at"]),
            feeds={
                outlet: tuple(
                    ReplayItem(
                        guid=str(item["guid"]),
                        title=str(item.get("title", "")),
                        summary=str(item.get("summary", "")),
                        link=str(item["link"]),
                        published=_time(item["published"]),
                    )
                    for item in items
                )
                for outlet, items in step.get("feeds", {}).items()
            },
            expect_alerts=tuple(step.get("expect_alerts", ())),
            note=str(step.get("note", "")),
        )
        for step in data["steps"]
    )
    names = sorted({outlet for step in steps for outlet in step.feeds})
    declared = data.get("outlets", {})
    outlets = {}
    for index, name in enumerate(names):
        spec = declared.get(name, {})
        fmt = spec.get("format", FORMATS[index % len(FORMATS)])
        if fmt not in FORMATS:
            raise ValueError(f"outlet {name}: unknown format {fmt!r}")
        outlets[name] = Outlet(name=name, title=str(spec.get("title", name)), format=fmt)
    return Timeline(
        title=str(story["title"]),
        keywords=tuple(str(k) for k in story["keywords"]),
        steps=steps,
        outlets=outlets,
        slug=story.get("slug"),
    )


def render_feed(outlet: Outlet, items: list[ReplayItem], base_url: str) -> bytes:
    """The outlet's feed document holding `items`, newest first, in the outlet's format."""
    ordered = sorted(items, key=lambda item: item.published, reverse=True)
    if outlet.format == "atom":
        return _atom(outlet, ordered, base_url)
    return _rss(outlet, ordered, base_url, html=outlet.format == "rss-html")


def _rss(outlet: Outlet, items: list[ReplayItem], base_url: str, html: bool) -> bytes:
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<rss version="2.0"><channel>',
        f"<title>{escape(outlet.title)}</title><link>{escape(base_url)}</link>",
        f"<description>{escape(outlet.title)} world news</description>",
    ]
    for item in items:
        # Outlets that put HTML in descriptions mostly wrap it in CDATA.
        summary = _cdata(item.summary) if html else escape(item.summary)
        parts.append(
            "<item>"
            f'<guid isPermaLink="false">{escape(item.guid)}</guid>'
            f"<title>{escape(item.title)}</title><link>{escape(item.link)}</link>"
            f"<description>{summary}</description>"
            f"<pubDate>{format_datetime(item.published, usegmt=True)}</pubDate>"
            "</item>"
        )
    parts.append("</channel></rss>")
    return "\n".join(parts).encode("utf-8")


def _cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _atom(outlet: Outlet, items: list[ReplayItem], base_url: str) -> bytes:
    updated = items[0].published.isoformat() if items else "2000-01-01T00:00:00+00:00"
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom">',
        f"<title>{escape(outlet.title)}</title><id>{escape(base_url)}</id>",
        f"<updated>{updated}</updated>",
    ]
    for item in items:
        parts.append(
            "<entry>"
            f"<id>{escape(item.guid)}</id><title>{escape(item.title)}</title>"
            f'<link rel="alternate" href="{escape(item.link, {chr(34): "&quot;"})}"/>'
            f"<published>{item.published.isoformat()}</published>"
            f"<updated>{item.published.isoformat()}</updated>"
            f'<summary type="text">{escape(item.summary)}</summary>'
            "</entry>"
        )
    parts.append("</feed>")
    return "\n".join(parts).encode("utf-8")


@dataclass
class _Document:
    body: bytes
    etag: str
    last_modified: datetime


class ReplayServer:
    """Serves each outlet's current feed at `/<outlet>.xml` on 127.0.0.1, port chosen by the OS.

    Conditional GET works as on a real news site: a matching `If-None-Match` or an unchanged
    `If-Modified-Since` answers 304 with no body.
    """

    def __init__(self) -> None:
        self._documents: dict[str, _Document] = {}
        self._runner: web.AppRunner | None = None
        self.port = 0
        self.requests = 0
        self.not_modified = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, outlet: str) -> str:
        return f"{self.base_url}/{outlet}.xml"

    def publish(self, outlet: str, body: bytes, modified: datetime) -> None:
        current = self._documents.get(outlet)
        if current is not None and current.body == body:
            return
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        self._documents[outlet] = _Document(body=body, etag=etag, last_modified=modified)

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/{outlet}.xml", self._serve)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = int(self._runner.addresses[0][1])

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _serve(self, request: web.Request) -> web.Response:
        self.requests += 1
        document = self._documents.get(request.match_info["outlet"])
        if document is None:
            return web.Response(status=404, text="no such feed")
        headers = {
            "ETag": document.etag,
            "Last-Modified": format_datetime(document.last_modified, usegmt=True),
            "Content-Type": "application/xml; charset=utf-8",
        }
        if self._not_modified(request, document):
            self.not_modified += 1
            return web.Response(status=304, headers=headers)
        return web.Response(body=document.body, headers=headers)

    @staticmethod
    def _not_modified(request: web.Request, document: _Document) -> bool:
        if_none_match = request.headers.get("If-None-Match")
        if if_none_match is not None:
            return document.etag in {tag.strip() for tag in if_none_match.split(",")}
        since = request.headers.get("If-Modified-Since")
        if since is None:
            return False
        try:
            return document.last_modified.replace(microsecond=0) <= parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False
