"""The loopback feed server: conditional GET as real servers do it, and scripted misbehaviour."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from email.utils import format_datetime

import aiohttp
import feedparser
import httpx
import pytest

from tests.fakes.clock import FakeClock
from tests.fakes.feeds import ATOM_TYPE, FeedItem, FeedServer, Reply, atom, rss

ITEMS = [
    FeedItem(
        title="Strike near Deir ez-Zor: toll rises to 62 & <counting>",
        link="http://127.0.0.1/news/1?a=1&b=2",
        summary="Officials said 62 were killed.",
        guid="story-1",
        published=datetime(2016, 9, 17, 14, 5, tzinfo=UTC),
    ),
    FeedItem(title="Council to meet", link="http://127.0.0.1/news/2"),
]


# Both return header names lower-cased.
async def _get_httpx(url: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
    async with httpx.AsyncClient() as client:
        response = await client.get(url, headers=headers)
        return (
            response.status_code,
            {k.lower(): v for k, v in response.headers.items()},
            response.content,
        )


async def _get_aiohttp(url: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
    async with aiohttp.ClientSession() as session, session.get(url, headers=headers) as response:
        return (
            response.status,
            {k.lower(): v for k, v in response.headers.items()},
            await response.read(),
        )


@pytest.mark.parametrize("get", [_get_httpx, _get_aiohttp], ids=["httpx", "aiohttp"])
async def test_clients_see_etag_last_modified_and_304(feed_server: FeedServer, get):
    url = feed_server.publish("/world.rss", rss("World", ITEMS))

    status, headers, body = await get(url, {})
    etag, last_modified = headers["etag"], headers["last-modified"]
    assert (status, body) == (200, rss("World", ITEMS))
    assert (await get(url, {"If-None-Match": etag}))[:1] == (304,)
    assert (await get(url, {"If-Modified-Since": last_modified}))[:1] == (304,)
    # If-None-Match decides when both are sent.
    assert (await get(url, {"If-None-Match": '"other"', "If-Modified-Since": last_modified}))[
        0
    ] == 200

    feed_server.publish("/world.rss", rss("World", ITEMS[:1]))
    status, headers, body = await get(url, {"If-None-Match": etag})
    assert (status, body) == (200, rss("World", ITEMS[:1]))
    assert headers["etag"] != etag
    assert (await get(url, {"If-Modified-Since": last_modified}))[0] == 200
    assert feed_server.request_count("/world.rss") == 6
    assert [r.status for r in feed_server.requests("/world.rss")] == [200, 304, 304, 200, 200, 200]


async def test_republishing_in_the_same_second_moves_last_modified():
    async with FeedServer(clock=FakeClock()) as server:
        server.publish("/a", b"one")
        first = server.document("/a").last_modified
        server.publish("/a", b"two")
        assert first is not None and server.document("/a").last_modified > first


async def test_a_document_without_validators_is_always_sent_whole(feed_server: FeedServer):
    url = feed_server.publish("/bare", atom("Bare", ITEMS), etag=False, last_modified=False)
    since = format_datetime(datetime(2030, 1, 1, tzinfo=UTC), usegmt=True)
    status, headers, _ = await _get_httpx(url, {"If-Modified-Since": since, "If-None-Match": "*"})
    assert status == 200
    assert "etag" not in headers and "last-modified" not in headers


async def test_scripted_replies_come_first_then_the_document(feed_server: FeedServer):
    url = feed_server.publish("/f", b"<rss/>")
    feed_server.script(
        "/f",
        Reply(status=503, headers={"Retry-After": "120"}, body=b"busy"),
        Reply(status=200, headers={"Content-Type": "text/html"}, body=b"<html>login</html>"),
    )
    async with httpx.AsyncClient() as client:
        answers = [await client.get(url) for _ in range(3)]
    assert [(a.status_code, a.content) for a in answers] == [
        (503, b"busy"),
        (200, b"<html>login</html>"),
        (200, b"<rss/>"),
    ]
    assert answers[0].headers["Retry-After"] == "120"


async def test_redirects_are_followed_and_each_hop_counted(feed_server: FeedServer):
    feed_server.publish("/new.rss", b"<rss/>")
    feed_server.redirect("/old.rss", "/moved.rss", status=301)
    feed_server.redirect("/moved.rss", feed_server.url_for("/new.rss"), status=302)
    async with httpx.AsyncClient(follow_redirects=True) as client:
        response = await client.get(feed_server.url_for("/old.rss"))
    assert (response.status_code, response.content) == (200, b"<rss/>")
    assert [r.status_code for r in response.history] == [301, 302]
    assert [feed_server.request_count(p) for p in ("/old.rss", "/moved.rss", "/new.rss")] == [
        1,
        1,
        1,
    ]


@pytest.mark.parametrize("declare_length", [True, False], ids=["content-length", "chunked"])
async def test_a_trickled_body_arrives_whole_in_pieces(feed_server: FeedServer, declare_length):
    body = rss("Slow", ITEMS)
    feed_server.script(
        "/slow",
        Reply.trickle(
            body, chunk_size=len(body) // 3 + 1, interval=0.05, declare_length=declare_length
        ),
    )
    pieces: list[bytes] = []
    async with (
        httpx.AsyncClient() as client,
        client.stream("GET", feed_server.url_for("/slow")) as response,
    ):
        async for piece in response.aiter_raw():
            pieces.append(piece)
        headers = response.headers
    assert b"".join(pieces) == body
    assert len(pieces) > 1
    assert ("content-length" in headers) is declare_length


async def test_a_delay_beyond_the_clients_timeout_times_out(feed_server: FeedServer):
    feed_server.script("/stuck", Reply(delay=30, body=b"late"))
    async with httpx.AsyncClient(timeout=0.2) as client:
        with pytest.raises(httpx.ReadTimeout):
            await client.get(feed_server.url_for("/stuck"))
    # Teardown does not wait out the 30 s: stopping wakes the held request.


async def test_a_dropped_connection_and_an_unknown_path(feed_server: FeedServer):
    feed_server.script("/drop", Reply(drop=True))
    async with httpx.AsyncClient() as client:
        with pytest.raises(httpx.RemoteProtocolError):
            await client.get(feed_server.url_for("/drop"))
        missing = await client.get(feed_server.url_for("/nowhere"))
    assert missing.status_code == 404
    assert [r.status for r in feed_server.requests()] == [0, 404]


@pytest.mark.parametrize("render", [rss, atom], ids=["rss", "atom"])
def test_built_documents_parse_with_feedparser(render):
    parsed = feedparser.parse(render("World & more", ITEMS))
    assert not parsed.bozo
    assert parsed.feed.title == "World & more"
    first = parsed.entries[0]
    assert first.title == ITEMS[0].title
    assert first.link == ITEMS[0].link
    assert first.id == "story-1"
    assert first.published_parsed[:5] == (2016, 9, 17, 14, 5)


def test_threaded_feed_server_serves_a_blocking_client():
    server = FeedServer()
    with server.threaded():
        url = server.publish("/t.xml", atom("T", ITEMS), content_type=ATOM_TYPE)
        with httpx.Client() as client:
            first = client.get(url)
            second = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
        server.wait_for_sync(lambda: server.request_count("/t.xml") == 2, timeout=5)
    assert (first.status_code, second.status_code) == (200, 304)
    assert first.headers["Content-Type"] == ATOM_TYPE
    assert not [t for t in threading.enumerate() if t.name == "FeedServer-loop"]
