"""A loopback feed server (I/O) and small RSS 2.0 / Atom builders for test documents.

`FeedServer` serves in-memory documents with real `ETag` and `Last-Modified` headers and
answers conditional requests with 304; tests change a document with `publish()`, script odd
answers per path (a status, headers, a delay, a redirect, a body trickled a few bytes at a time,
a dropped connection) and read how often each path was requested.
"""

from __future__ import annotations

import hashlib
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from xml.sax.saxutils import escape

from aiohttp import web

from tests.fakes.clock import Clock, SystemClock
from tests.fakes.loopback import LoopbackServer

RSS_TYPE = "application/rss+xml; charset=utf-8"
ATOM_TYPE = "application/atom+xml; charset=utf-8"


@dataclass(frozen=True, slots=True)
class Reply:
    """A scripted answer that replaces the published document for one request (or for all)."""

    status: int = 200
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""
    delay: float = 0.0  # seconds before the status line is sent
    chunk_size: int | None = None  # trickle the body this many bytes at a time ...
    chunk_interval: float = 0.0  # ... with this many seconds between chunks
    declare_length: bool = True  # send Content-Length (else the body is chunked)
    drop: bool = False  # close the connection after `delay` without answering

    @classmethod
    def redirect(cls, location: str, status: int = 302) -> Reply:
        """A redirect to `location` (an absolute URL or a path on this server)."""
        return cls(status=status, headers={"Location": location})

    @classmethod
    def trickle(cls, body: bytes, chunk_size: int, interval: float, **kwargs: object) -> Reply:
        """A 200 whose body arrives `chunk_size` bytes every `interval` seconds."""
        return cls(body=body, chunk_size=chunk_size, chunk_interval=interval, **kwargs)  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class Document:
    """A published feed document and the validators served with it."""

    body: bytes
    content_type: str
    etag: str | None
    last_modified: datetime | None


@dataclass(frozen=True, slots=True)
class FeedRequest:
    """One request the server received."""

    method: str
    path: str
    headers: Mapping[str, str]
    at: datetime
    status: int


class FeedServer(LoopbackServer):
    """Serves published feed documents on 127.0.0.1 with ETag/Last-Modified and 304s."""

    def __init__(self, clock: Clock | None = None) -> None:
        super().__init__()
        self._clock: Clock = clock if clock is not None else SystemClock()
        self._documents: dict[str, Document] = {}
        self._scripts: dict[str, deque[Reply]] = {}
        self._overrides: dict[str, Reply] = {}
        self._log: list[FeedRequest] = []
        self._last_stamp: datetime | None = None

    def _build_app(self) -> web.Application:
        app = web.Application()
        app.router.add_route("*", "/{path:.*}", self._handle)
        return app

    # -- test side -------------------------------------------------------------------------

    def url_for(self, path: str) -> str:
        """The absolute URL of `path` on this server."""
        return self.url + _normalise(path)

    def publish(
        self,
        path: str,
        body: bytes | str,
        *,
        content_type: str = RSS_TYPE,
        etag: bool = True,
        last_modified: bool = True,
    ) -> str:
        """Serve `body` at `path` from now on, with fresh validators; return its URL.

        `etag=False` / `last_modified=False` imitate servers that send no such header.
        """
        data = body.encode() if isinstance(body, str) else body
        with self._lock:
            self._documents[_normalise(path)] = Document(
                body=data,
                content_type=content_type,
                etag=f'"{hashlib.sha256(data).hexdigest()[:20]}"' if etag else None,
                last_modified=self._next_stamp() if last_modified else None,
            )
            self._notify()
        return self.url_for(path)

    def unpublish(self, path: str) -> None:
        """Answer 404 at `path` from now on."""
        with self._lock:
            self._documents.pop(_normalise(path), None)

    def document(self, path: str) -> Document:
        """The document currently published at `path`; KeyError when none is."""
        with self._lock:
            return self._documents[_normalise(path)]

    def script(self, path: str, *replies: Reply) -> None:
        """Answer the next requests to `path` with `replies`, one each, then as before."""
        with self._lock:
            self._scripts.setdefault(_normalise(path), deque()).extend(replies)

    def always(self, path: str, reply: Reply | None) -> None:
        """Answer every request to `path` with `reply` (after any scripted ones); None clears."""
        with self._lock:
            if reply is None:
                self._overrides.pop(_normalise(path), None)
            else:
                self._overrides[_normalise(path)] = reply

    def redirect(self, path: str, to: str, status: int = 301) -> None:
        """Redirect every request to `path` to `to` (a path here or an absolute URL)."""
        self.always(path, Reply.redirect(to, status))

    def requests(self, path: str | None = None) -> list[FeedRequest]:
        """Every answered request, or those to `path`, oldest first."""
        with self._lock:
            if path is None:
                return list(self._log)
            wanted = _normalise(path)
            return [r for r in self._log if r.path == wanted]

    def request_count(self, path: str) -> int:
        """How many requests to `path` were answered (or dropped)."""
        return len(self.requests(path))

    # -- server side -----------------------------------------------------------------------

    def _next_stamp(self) -> datetime:
        # HTTP dates have whole seconds: two versions published in the same second would share
        # a Last-Modified and a client sending only If-Modified-Since would miss the second.
        now = self._clock.now().astimezone(UTC).replace(microsecond=0)
        if self._last_stamp is not None and now <= self._last_stamp:
            now = self._last_stamp + timedelta(seconds=1)
        self._last_stamp = now
        return now

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        path = _normalise(request.path)
        with self._lock:
            queue = self._scripts.get(path)
            reply = queue.popleft() if queue else self._overrides.get(path)
            document = self._documents.get(path)
        if reply is not None:
            return await self._answer_scripted(request, path, reply)
        if document is None:
            self._record(request, path, 404)
            return web.Response(status=404, text="not found")
        status, headers, body = _answer_document(document, request.headers)
        self._record(request, path, status)
        return web.Response(status=status, headers=headers, body=body if status == 200 else None)

    async def _answer_scripted(
        self, request: web.Request, path: str, reply: Reply
    ) -> web.StreamResponse:
        if reply.delay:
            await self._pause(reply.delay)
        self._record(request, path, 0 if reply.drop else reply.status)
        if reply.drop:
            return _drop(request)
        headers = dict(reply.headers)
        location = headers.get("Location")
        if location is not None and location.startswith("/"):
            headers["Location"] = self.url + location
        response = web.StreamResponse(status=reply.status, headers=headers)
        if reply.declare_length:
            response.content_length = len(reply.body)
        await response.prepare(request)
        if reply.chunk_size:
            for start in range(0, len(reply.body), reply.chunk_size):
                await response.write(reply.body[start : start + reply.chunk_size])
                await self._pause(reply.chunk_interval)
        elif reply.body:
            await response.write(reply.body)
        await response.write_eof()
        return response

    def _record(self, request: web.Request, path: str, status: int) -> None:
        with self._lock:
            self._log.append(
                FeedRequest(
                    method=request.method,
                    path=path,
                    headers=dict(request.headers),
                    at=self._clock.now(),
                    status=status,
                )
            )
            self._notify()

    def _describe(self) -> str:
        with self._lock:
            recent = [f"{r.method} {r.path} -> {r.status}" for r in self._log[-5:]]
        return f"FeedServer, last requests: {recent}"


def _answer_document(
    document: Document, request_headers: Mapping[str, str]
) -> tuple[int, dict[str, str], bytes]:
    """Status, headers and body for a request of `document` (RFC 9110 conditional GET)."""
    headers = {"Content-Type": document.content_type}
    if document.etag:
        headers["ETag"] = document.etag
    if document.last_modified:
        headers["Last-Modified"] = format_datetime(document.last_modified, usegmt=True)
    if_none_match = request_headers.get("If-None-Match")
    if_modified_since = request_headers.get("If-Modified-Since")
    if if_none_match is not None:
        # If-None-Match wins over If-Modified-Since when both are sent.
        if document.etag and _etag_matches(if_none_match, document.etag):
            return 304, headers, b""
    elif if_modified_since and document.last_modified:
        since = _parse_http_date(if_modified_since)
        if since is not None and document.last_modified <= since:
            return 304, headers, b""
    return 200, headers, document.body


def _etag_matches(header: str, etag: str) -> bool:
    """Weak comparison, as If-None-Match uses."""
    if header.strip() == "*":
        return True
    candidates = [tag.strip().removeprefix("W/") for tag in header.split(",")]
    return etag.removeprefix("W/") in candidates


def _parse_http_date(value: str) -> datetime | None:
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _drop(request: web.Request) -> web.StreamResponse:
    """Close the connection without a status line; the client sees a disconnect."""
    if request.transport is not None:
        request.transport.close()
    return web.Response(status=500)


def _normalise(path: str) -> str:
    return path if path.startswith("/") else "/" + path


# -- documents -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FeedItem:
    """One item of a test feed; `guid` falls back to nothing (feeds without guids exist)."""

    title: str
    link: str
    summary: str = ""
    guid: str | None = None
    published: datetime | None = None
    updated: datetime | None = None


def rss(title: str, items: Sequence[FeedItem], link: str = "http://127.0.0.1/") -> bytes:
    """An RSS 2.0 document holding `items`, UTF-8 encoded."""
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<rss version="2.0"><channel>',
        f"<title>{escape(title)}</title><link>{escape(link)}</link>",
        f"<description>{escape(title)}</description>",
    ]
    for item in items:
        parts.append("<item>")
        parts.append(f"<title>{escape(item.title)}</title><link>{escape(item.link)}</link>")
        if item.summary:
            parts.append(f"<description>{escape(item.summary)}</description>")
        if item.guid is not None:
            parts.append(f'<guid isPermaLink="false">{escape(item.guid)}</guid>')
        if item.published is not None:
            parts.append(f"<pubDate>{format_datetime(item.published.astimezone(UTC))}</pubDate>")
        parts.append("</item>")
    parts.append("</channel></rss>")
    return "\n".join(parts).encode()


def atom(
    title: str,
    items: Sequence[FeedItem],
    feed_id: str = "urn:storywatch:test-feed",
    updated: datetime | None = None,
) -> bytes:
    """An Atom 1.0 document holding `items`, UTF-8 encoded."""
    stamps = [stamp for i in items if (stamp := i.updated or i.published) is not None]
    feed_updated = updated or max(stamps, default=datetime(2016, 9, 17, tzinfo=UTC))
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom">',
        f"<title>{escape(title)}</title><id>{escape(feed_id)}</id>",
        f"<updated>{feed_updated.astimezone(UTC).isoformat()}</updated>",
    ]
    for item in items:
        entry_updated = item.updated or item.published or feed_updated
        parts.append("<entry>")
        parts.append(f"<title>{escape(item.title)}</title>")
        parts.append(f'<link href="{escape(item.link, {chr(34): "&quot;"})}"/>')
        parts.append(f"<id>{escape(item.guid or item.link)}</id>")
        parts.append(f"<updated>{entry_updated.astimezone(UTC).isoformat()}</updated>")
        if item.published is not None:
            parts.append(f"<published>{item.published.astimezone(UTC).isoformat()}</published>")
        if item.summary:
            parts.append(f"<summary>{escape(item.summary)}</summary>")
        parts.append("</entry>")
    parts.append("</feed>")
    return "\n".join(parts).encode()
