"""Fetching feeds (I/O): one shared aiohttp client, conditional GET, limits, redirects by hand.

Every fetch has a total time limit (`asyncio.timeout`, which also covers a body that trickles
in), a streamed size cap on the decompressed body, and the SSRF guard on each redirect hop.
aiohttp was chosen over httpx by measurement (see `bench/bench_http.py`): its CPU cost per
conditional request is a fraction of httpx's, which is what an all-304 round is made of.
"""

from __future__ import annotations

import asyncio
import re
import zlib
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit, urlunsplit

import aiohttp

from storage.records import Feed
from watchers.ssrf import BlockedURL, GuardedResolver, guard_url

USER_AGENT = "storywatch/0.1 (news story watcher; +https://pypi.org/project/storywatch/)"
ACCEPT = (
    "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)
MAX_REDIRECTS = 10
PERMANENT = frozenset((301, 308))
REDIRECTS = frozenset((301, 302, 303, 307, 308))
_KEPT_HEADERS = ("content-type", "content-location", "content-language")
_MAX_AGE = re.compile(r"(?:^|[,\s])max-age\s*=\s*\"?(\d+)", re.IGNORECASE)
_NO_CACHE = re.compile(r"(?:^|[,\s])(no-store|no-cache)\b", re.IGNORECASE)
_CHUNK = 64 * 1024


class FetchError(Exception):
    """A fetch that did not give a feed body or a 304: `status` is the HTTP status, if any."""

    def __init__(
        self, url: str, status: int | None, reason: str, retry_after: str | None = None
    ) -> None:
        super().__init__(f"{reason} ({url})" if status is None else f"HTTP {status}: {reason}")
        self.url = url
        self.status = status
        self.reason = reason
        self.retry_after = retry_after


@dataclass(frozen=True, slots=True)
class FetchResult:
    """A 200 (with `body`) or a 304 (without), and what the response said about caching.

    `moved_to` is set when every hop to the body was a permanent redirect (301/308) and the
    last URL answered 200: the feed's URL should become it.
    """

    url: str
    status: int
    body: bytes | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    etag: str | None = None
    last_modified: str | None = None
    max_age: float | None = None
    moved_to: str | None = None


def max_age_seconds(cache_control: str | None) -> float | None:
    """The `max-age` of a Cache-Control header in seconds, or None (also for no-cache)."""
    if not cache_control or _NO_CACHE.search(cache_control):
        return None
    match = _MAX_AGE.search(cache_control)
    return None if match is None else float(match.group(1))


def _redirect_target(url: str, location: str) -> str:
    parts = urlsplit(urljoin(url, location.strip()))
    return urlunsplit((parts.scheme, parts.netloc, parts.path, parts.query, ""))


class Fetcher:
    """The shared HTTP client: open once, `fetch` many feeds concurrently, `close` at the end."""

    def __init__(
        self,
        *,
        timeout_s: float = 30.0,
        max_body_bytes: int = 10_000_000,
        concurrency: int = 20,
        per_host: int = 2,
        user_agent: str = USER_AGENT,
    ) -> None:
        self.timeout_s = timeout_s
        self.max_body_bytes = max_body_bytes
        self.per_host = per_host
        self.user_agent = user_agent
        self._global = asyncio.Semaphore(concurrency)
        self._hosts: dict[str, asyncio.Semaphore] = {}
        self._host_users: dict[str, int] = {}
        self._concurrency = concurrency
        self._sessions: dict[bool, aiohttp.ClientSession] = {}

    def _session(self, allow_private: bool) -> aiohttp.ClientSession:
        session = self._sessions.get(allow_private)
        if session is None or session.closed:
            connector = aiohttp.TCPConnector(
                limit=self._concurrency,
                limit_per_host=self.per_host,
                # Feeds marked allow_private may be loopback; every other name is resolved by
                # the guarded resolver, so the address connected to is one that was checked.
                resolver=None if allow_private else GuardedResolver(),
                ttl_dns_cache=300,
            )
            session = aiohttp.ClientSession(
                connector=connector,
                headers={
                    "User-Agent": self.user_agent,
                    "Accept": ACCEPT,
                    "Accept-Encoding": "gzip, deflate",
                },
                # Redirects and decompression are done here, so each is checked and capped.
                auto_decompress=False,
                timeout=aiohttp.ClientTimeout(total=None),
                cookie_jar=aiohttp.DummyCookieJar(),
            )
            self._sessions[allow_private] = session
        return session

    @asynccontextmanager
    async def _slot(self, url: str) -> AsyncIterator[None]:
        host = urlsplit(url).hostname or ""
        semaphore = self._hosts.get(host)
        if semaphore is None:
            semaphore = self._hosts[host] = asyncio.Semaphore(self.per_host)
        self._host_users[host] = self._host_users.get(host, 0) + 1
        try:
            async with semaphore, self._global:
                yield
        finally:
            self._host_users[host] -= 1
            if self._host_users[host] == 0:
                del self._host_users[host]
                del self._hosts[host]

    async def fetch(self, feed: Feed) -> FetchResult:
        """Fetch `feed` conditionally; returns a 200 or 304 result, raises FetchError.

        Waiting for a free slot (the global and per-host limits) does not count against the
        time limit; everything after it, redirects and body included, does.
        """
        async with self._slot(feed.url):
            try:
                async with asyncio.timeout(self.timeout_s):
                    return await self._follow(feed)
            except TimeoutError:
                raise FetchError(feed.url, None, f"timed out after {self.timeout_s:g} s") from None
            except BlockedURL as error:
                raise FetchError(error.url, None, f"refused: {error.reason}") from None
            except aiohttp.ClientError as error:
                raise FetchError(feed.url, None, _client_error_text(error)) from None
            except OSError as error:
                raise FetchError(feed.url, None, f"network error: {error}") from None

    async def _follow(self, feed: Feed) -> FetchResult:
        url = feed.url
        seen = {url}
        all_permanent = True
        conditional: dict[str, str] = {}
        if feed.etag:
            conditional["If-None-Match"] = feed.etag
        if feed.last_modified:
            conditional["If-Modified-Since"] = feed.last_modified
        session = self._session(feed.allow_private)
        for _hop in range(MAX_REDIRECTS + 1):
            await guard_url(url, feed.allow_private)
            async with session.get(url, headers=conditional, allow_redirects=False) as response:
                status = response.status
                if status in REDIRECTS:
                    location = response.headers.get("Location")
                    if not location:
                        raise FetchError(url, status, "redirect without a Location")
                    target = _redirect_target(url, location)
                    if target in seen:
                        raise FetchError(url, status, f"redirect loop back to {target}")
                    seen.add(target)
                    all_permanent = all_permanent and status in PERMANENT
                    url = target
                    continue
                headers = response.headers
                etag = headers.get("ETag") or feed.etag
                last_modified = headers.get("Last-Modified") or feed.last_modified
                max_age = max_age_seconds(headers.get("Cache-Control"))
                if status == 304:
                    return FetchResult(
                        url=url,
                        status=304,
                        etag=etag,
                        last_modified=last_modified,
                        max_age=max_age,
                    )
                if status != 200:
                    raise FetchError(
                        url, status, response.reason or "error", headers.get("Retry-After")
                    )
                body = await self._read(url, response)
                return FetchResult(
                    url=url,
                    status=200,
                    body=body,
                    headers={k: headers[k] for k in _KEPT_HEADERS if k in headers},
                    etag=headers.get("ETag"),
                    last_modified=headers.get("Last-Modified"),
                    max_age=max_age,
                    moved_to=url if all_permanent and url != feed.url else None,
                )
        raise FetchError(url, None, f"more than {MAX_REDIRECTS} redirects")

    async def _read(self, url: str, response: aiohttp.ClientResponse) -> bytes:
        """The body, decompressed with a cap: a gzip bomb stops at the cap, not at the RAM."""
        limit = self.max_body_bytes
        if response.content_length is not None and response.content_length > limit:
            raise FetchError(url, 200, f"body of {response.content_length} bytes over the cap")
        coding = response.headers.get("Content-Encoding", "").strip().lower()
        decompressor = None
        if coding in ("gzip", "x-gzip"):
            decompressor = zlib.decompressobj(wbits=zlib.MAX_WBITS | 16)
        elif coding == "deflate":
            decompressor = zlib.decompressobj()
        elif coding not in ("", "identity"):
            raise FetchError(url, 200, f"unsupported Content-Encoding {coding!r}")
        parts: list[bytes] = []
        size = 0
        received = 0
        try:
            async for chunk in response.content.iter_chunked(_CHUNK):
                received += len(chunk)
                if decompressor is not None:
                    chunk = decompressor.decompress(chunk, limit - size + 1)
                size += len(chunk)
                if size > limit:
                    what = (
                        f"decompressed body over the cap of {limit} bytes from {received} "
                        "compressed bytes (decompression bomb guard)"
                        if decompressor is not None
                        else f"body over the cap of {limit} bytes"
                    )
                    raise FetchError(url, 200, what)
                parts.append(chunk)
            if decompressor is not None:
                tail = decompressor.flush()
                size += len(tail)
                if size > limit:
                    raise FetchError(url, 200, f"decompressed body over the cap of {limit} bytes")
                parts.append(tail)
        except zlib.error as error:
            raise FetchError(url, 200, f"broken {coding} body: {error}") from None
        return b"".join(parts)

    async def close(self) -> None:
        for session in self._sessions.values():
            await session.close()
        self._sessions.clear()


def _client_error_text(error: aiohttp.ClientError) -> str:
    if isinstance(error, aiohttp.ClientConnectorError):
        return f"cannot connect: {error.os_error or error}"
    return f"{type(error).__name__}: {error}"
