"""Parsing golden feeds into entries, entity attacks, link normalisation and entry keys."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from watchers.parse import (
    ParseError,
    content_hash,
    entry_key,
    neutralise_entities,
    normalise_link,
    parse_feed,
    plain_text,
)

FEEDS = Path(__file__).parent / "data" / "feeds"
FIRST_SEEN = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def parse_file(name: str, headers: dict[str, str] | None = None) -> object:
    body = (FEEDS / name).read_bytes()
    return parse_feed(body, headers or {}, f"https://feeds.example/{name}", FIRST_SEEN)


# (file, index, key, title, link, published, summary starts with)
GOLDEN = [
    pytest.param(
        "rss20.xml",
        0,
        "gazette-2024-0001",
        "Ferry service resumes after storm",
        "https://gazette.example/news/ferry-resumes?id=7",
        datetime(2024, 1, 2, 7, 30, tzinfo=UTC),
        "The morning ferry",
        id="rss-guid-utm-dropped",
    ),
    pytest.param(
        "rss20.xml",
        1,
        "https://gazette.example/news/pier",
        "Council debates new pier",
        "https://gazette.example/news/pier",
        datetime(2024, 1, 3, 17, 5, tzinfo=UTC),
        "Councillors",
        id="rss-whitespace-folded",
    ),
    pytest.param(
        "atom.xml",
        0,
        "urn:uuid:entry-bridge",
        "Bridge closed for repairs",
        "https://feeds.example/stories/bridge",
        datetime(2024, 2, 10, 7, 15, tzinfo=UTC),
        "Traffic is diverted",
        id="atom-html-title-relative-link",
    ),
    pytest.param(
        "atom.xml",
        1,
        "urn:uuid:entry-market",
        "Market moves indoors",
        "https://observer.example/stories/market",
        datetime(2024, 2, 9, 7, 0, tzinfo=UTC),
        "The Saturday market",
        id="atom-updated-as-published",
    ),
    pytest.param(
        "rss_html.xml",
        0,
        "coast-quota",
        "Fishers & sailors protest quota",
        "https://coastline.example/a/quota",
        datetime(2024, 4, 5, 10, 0, tzinfo=UTC),
        "About 200 boats blocked the port. First Second Café owners “worried”.",
        id="html-stripped-script-dropped",
    ),
    pytest.param(
        "windows1252.xml",
        0,
        "cp-1",
        "“Smart” quotes – and a café",
        None,
        datetime(2024, 5, 6, 6, 0, tzinfo=UTC),
        "Price: 5 €",
        id="windows-1252",
    ),
    pytest.param(
        "utf16.xml",
        0,
        "w-1",
        "Заголовок and ümlaut",
        None,
        datetime(2024, 5, 7, 6, 0, tzinfo=UTC),
        "Sixteen bits",
        id="utf-16",
    ),
    pytest.param(
        "zero_date.xml",
        0,
        "zero-1",
        "An item with an impossible date",
        None,
        FIRST_SEEN,
        "The CMS wrote zeros.",
        id="zero-date-falls-back-to-first-seen",
    ),
    pytest.param(
        "no_guid.xml",
        0,
        "https://plain.example/posts/1",
        "Linked but no guid",
        "https://plain.example/posts/1",
        FIRST_SEEN,
        "Only a link",
        id="no-guid-key-is-link",
    ),
    pytest.param(
        "malformed.xml",
        0,
        "broken-1",
        "Salt & pepper shortage",
        None,
        datetime(2024, 5, 9, 9, 0, tzinfo=UTC),
        "Unescaped ampersand",
        id="malformed-recovered",
    ),
]


@pytest.mark.parametrize(("name", "index", "key", "title", "link", "published", "summary"), GOLDEN)
def test_golden_feed_entries(
    name: str,
    index: int,
    key: str,
    title: str,
    link: str | None,
    published: datetime,
    summary: str,
) -> None:
    parsed = parse_file(name)
    entry = parsed.entries[index]
    assert (entry.key, entry.title, entry.link, entry.published) == (key, title, link, published)
    assert entry.summary.startswith(summary)
    assert "<" not in entry.summary and "alert(" not in entry.summary


def test_entry_without_guid_link_or_date_is_keyed_by_title_hash() -> None:
    entry = parse_file("no_guid.xml").entries[1]
    assert entry.key.startswith("sha:")
    assert entry.link is None
    assert entry.published == datetime(2024, 5, 11, 12, 0, tzinfo=UTC)
    assert parse_file("no_guid.xml").entries[1].key == entry.key


@pytest.mark.parametrize(
    ("name", "entries", "problem"),
    [
        pytest.param("malformed.xml", 2, "not well-formed", id="bozo-keeps-entries"),
        pytest.param("empty_valid.xml", 0, None, id="empty-valid-feed-is-success"),
        pytest.param("rss20.xml", 2, None, id="clean-feed-no-problem"),
    ],
)
def test_feed_level_outcome(name: str, entries: int, problem: str | None) -> None:
    parsed = parse_file(name)
    assert len(parsed.entries) == entries
    if problem is None:
        assert parsed.problem is None
    else:
        assert parsed.problem is not None and problem in parsed.problem


@pytest.mark.parametrize(
    "body",
    [
        pytest.param((FEEDS / "page.html").read_bytes(), id="html-page"),
        pytest.param(b"", id="empty-body"),
        pytest.param(b"  \n ", id="blank-body"),
        pytest.param(bytes(range(256)) * 20, id="binary-garbage"),
        pytest.param(b'{"items": []}', id="json"),
    ],
)
def test_not_a_feed_is_a_parse_error(body: bytes) -> None:
    with pytest.raises(ParseError):
        parse_feed(body, {}, "https://feeds.example/x", FIRST_SEEN)


def test_wrong_declared_charset_still_parses() -> None:
    body = (FEEDS / "windows1252.xml").read_bytes()
    parsed = parse_feed(
        body,
        {"Content-Type": "application/rss+xml; charset=utf-8"},
        "https://f.example/",
        FIRST_SEEN,
    )
    assert len(parsed.entries) == 1
    assert "quotes" in parsed.entries[0].title


def _rss(title: str, doctype: str = "") -> bytes:
    return (
        f'<?xml version="1.0"?>{doctype}<rss version="2.0"><channel><title>t</title>'
        f"<item><guid>g</guid><title>{title}</title></item></channel></rss>"
    ).encode()


def _laughs() -> str:
    lines = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{level} "{f"&lol{level - 1};" * 10}">' for level in range(1, 10)
    ]
    return "<!DOCTYPE rss [" + "".join(lines) + "]>"


ATTACKS = [
    pytest.param(_rss("&lol9;", _laughs()), id="billion-laughs"),
    pytest.param(
        _rss("&a;" * 20_000, '<!DOCTYPE rss [<!ENTITY a "' + "x" * 20_000 + '">]>'),
        id="quadratic-blowup",
    ),
    pytest.param(
        _rss("a &ext; b", '<!DOCTYPE rss [<!ENTITY ext SYSTEM "file:///etc/hostname">]>'),
        id="external-entity",
    ),
    pytest.param(
        _rss("&x;", "<!DOCTYPE rss [<!ENTITY x \"]>\"> <!ENTITY y 'z'>]>"),
        id="bracket-inside-quoted-value",
    ),
    pytest.param(
        _rss("&lol9;", _laughs())
        .decode()
        .replace('"?>', '" encoding="utf-16"?>', 1)
        .encode("utf-16"),
        id="billion-laughs-utf-16",
    ),
]


@pytest.mark.parametrize("body", ATTACKS)
def test_entity_attacks_never_reach_feedparser_expanded(body: bytes) -> None:
    _cleaned, reason = neutralise_entities(body)
    assert reason is not None and "entity" in reason
    parsed = parse_feed(body, {}, "https://feeds.example/x", FIRST_SEEN)
    assert parsed.problem is not None and "entity declarations removed" in parsed.problem
    assert all(len(entry.title) <= 1_000 for entry in parsed.entries)
    assert "lollol" not in "".join(entry.title for entry in parsed.entries)


def test_entity_outside_doctype_is_refused() -> None:
    with pytest.raises(ParseError, match="refused"):
        parse_feed(_rss("x") + b'<!ENTITY stray "x">', {}, "https://f.example/", FIRST_SEEN)


def test_doctype_without_entities_is_untouched() -> None:
    body = _rss("x", '<!DOCTYPE rss PUBLIC "-//Netscape//DTD RSS 0.91//EN" "rss-0.91.dtd">')
    assert neutralise_entities(body) == (body, None)


@pytest.mark.parametrize(
    ("link", "base", "expected"),
    [
        pytest.param(
            "https://a.example/x?utm_source=a&b=1#frag",
            None,
            "https://a.example/x?b=1",
            id="utm-and-fragment-dropped",
        ),
        pytest.param(
            "HTTPS://A.Example:443/Path",
            None,
            "https://a.example/Path",
            id="scheme-host-lowered-default-port-dropped",
        ),
        pytest.param(
            "/rel/page",
            "https://a.example/feed.xml",
            "https://a.example/rel/page",
            id="relative-resolved",
        ),
        pytest.param(
            "https://a.example:8443/x?UTM_Medium=z",
            None,
            "https://a.example:8443/x",
            id="utm-any-case",
        ),
        pytest.param("https://a.example", None, "https://a.example/", id="empty-path-slash"),
        pytest.param("javascript:alert(1)", None, None, id="not-http"),
        pytest.param("   ", None, None, id="blank"),
        pytest.param("https://[::1", None, None, id="broken-url"),
    ],
)
def test_normalise_link(link: str, base: str | None, expected: str | None) -> None:
    assert normalise_link(link, base) == expected


@pytest.mark.parametrize(
    ("guid", "link", "title", "published", "expected"),
    [
        pytest.param(" g-1 ", "https://a.example/x", "T", None, "g-1", id="guid-wins"),
        pytest.param(None, "https://a.example/x", "T", None, "https://a.example/x", id="then-link"),
        pytest.param(
            "",
            None,
            "T",
            "2024",
            entry_key(None, None, " T ", "2024"),
            id="then-hash-whitespace-insensitive",
        ),
    ],
)
def test_entry_key(
    guid: str | None, link: str | None, title: str, published: str | None, expected: str
) -> None:
    assert entry_key(guid, link, title, published) == expected


def test_content_hash_ignores_markup_whitespace_but_not_words() -> None:
    same = content_hash("Toll rises", plain_text("<p>62  killed</p>"), "")
    assert same == content_hash("Toll rises", "62 killed", "")
    assert same != content_hash("Toll rises", "83 killed", "")


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=2_000))
def test_parse_never_raises_anything_but_parse_error(body: bytes) -> None:
    with contextlib.suppress(ParseError):
        parse_feed(body, {}, "https://feeds.example/x", FIRST_SEEN)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_plain_text_and_links_never_raise(text: str) -> None:
    assert "<b>" not in plain_text(text + "<b>x</b>")
    normalise_link(text, "https://a.example/")
