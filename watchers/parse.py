"""Parsing, pure: a response body and its headers become normalised `Entry` records.

feedparser is the parser of record and only ever sees bytes (never a URL or a path). Entity
declarations are neutralised before it runs, because feedparser expands internal entities and a
small "quadratic blowup" body can make it build gigabytes. `parse_feed` is a plain function so it
can run in a worker process (`watchers.parsepool`).
"""

from __future__ import annotations

import calendar
import hashlib
import importlib
import io
import re
import time
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from html import unescape
from html.parser import HTMLParser
from typing import Any, Literal
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import feedparser

_feedparser_rs: Any
try:
    _feedparser_rs = importlib.import_module("feedparser_rs")
except ImportError:  # the optional `fast` extra is not installed
    _feedparser_rs = None

MAX_TITLE_CHARS = 1_000
MAX_SUMMARY_CHARS = 20_000
MAX_CONTENT_CHARS = 100_000
_HEADERS_FOR_FEEDPARSER = ("content-type", "content-location", "content-language")


class ParseError(Exception):
    """The body is not a feed we can read (empty, HTML, garbage, a refused entity attack)."""


@dataclass(frozen=True, slots=True)
class ParsedEntry:
    """An entry as parsed, before it belongs to a stored feed (the Entry minus `feed_id`)."""

    key: str
    title: str
    summary: str
    published: datetime
    content_hash: str
    link: str | None = None
    content: str = ""


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    """What a body held: its entries, the feed's title, and any problem met on the way."""

    entries: tuple[ParsedEntry, ...]
    title: str | None = None
    problem: str | None = None


# -- entity attacks ----------------------------------------------------------------------------

_ENTITY_DECL = re.compile(rb"<!\s*ENTITY", re.IGNORECASE)
_ENTITY_DECL_TEXT = re.compile(r"<!\s*ENTITY", re.IGNORECASE)
_DOCTYPE_TEXT = re.compile(r"<!DOCTYPE", re.IGNORECASE)
_WIDE_ENTITY = tuple(
    "ENTITY".encode(codec) for codec in ("utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")
)


def _wide_encoding(body: bytes) -> str | None:
    """The UTF-16/32 codec a body is written in, from its BOM or its first '<', else None."""
    boms = (
        (b"\xff\xfe\x00\x00", "utf-32"),
        (b"\x00\x00\xfe\xff", "utf-32"),
        (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"),
    )
    for bom, codec in boms:
        if body.startswith(bom):
            return codec
    if body.startswith(b"<\x00\x00\x00"):
        return "utf-32-le"
    if body.startswith(b"\x00\x00\x00<"):
        return "utf-32-be"
    if body.startswith(b"<\x00"):
        return "utf-16-le"
    if body.startswith(b"\x00<"):
        return "utf-16-be"
    return None


def _strip_doctype_subsets(text: str) -> tuple[str, int]:
    """Remove the internal subset (`[...]`) of every DOCTYPE, honouring quotes; count removals."""
    out: list[str] = []
    position = 0
    removed = 0
    while True:
        match = _DOCTYPE_TEXT.search(text, position)
        if match is None:
            out.append(text[position:])
            return "".join(out), removed
        out.append(text[position : match.start()])
        index = match.end()
        quote: str | None = None
        depth = 0
        subset_start = -1
        head_end = -1
        while index < len(text):
            char = text[index]
            if quote is not None:
                if char == quote:
                    quote = None
            elif char in "\"'":
                quote = char
            elif char == "[":
                if depth == 0:
                    subset_start = index
                depth += 1
            elif char == "]":
                depth = max(depth - 1, 0)
                if depth == 0 and head_end < 0:
                    head_end = index
            elif char == ">" and depth == 0:
                break
            index += 1
        if subset_start >= 0:
            out.append(text[match.start() : subset_start])
            out.append(">")
            removed += 1
        else:
            out.append(text[match.start() : index + 1])
        position = index + 1


def neutralise_entities(body: bytes) -> tuple[bytes, str | None]:
    """Return `body` without entity declarations, and the reason when something was removed.

    Internal DOCTYPE subsets (where billion-laughs, quadratic-blowup and external-entity attacks
    declare their entities) are cut out; references to them are then undefined and feedparser
    reads around them. Raises ParseError when an entity declaration survives (one outside a
    DOCTYPE): such a body is refused, not guessed at.
    """
    wide = _wide_encoding(body)
    if wide is None:
        if _ENTITY_DECL.search(body) is None:
            return body, None
        codec = "latin-1"  # decodes every byte and round-trips, so the bytes stay what they were
    else:
        if not any(marker in body.upper() for marker in _WIDE_ENTITY):
            return body, None
        codec = wide
    try:
        text = body.decode(codec)
    except UnicodeDecodeError as error:
        raise ParseError(f"entity declarations in a body that is not {codec}") from error
    cleaned, removed = _strip_doctype_subsets(text)
    if _ENTITY_DECL_TEXT.search(cleaned) is not None:
        raise ParseError("refused: an XML entity declaration outside a DOCTYPE")
    if removed == 0:
        return body, None
    # For "utf-16"/"utf-32" the decoder dropped the BOM and encoding writes one back.
    return cleaned.encode(codec), "entity declarations removed (possible entity attack)"


# -- text and links ---------------------------------------------------------------------------

_BLOCK_TAGS = frozenset(
    [
        "p",
        "br",
        "div",
        "li",
        "ul",
        "ol",
        "tr",
        "td",
        "th",
        "table",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "section",
        "article",
        "header",
        "footer",
        "pre",
        "hr",
        "dd",
        "dt",
        "figure",
        "figcaption",
    ]
)
_SKIP_TAGS = frozenset(("script", "style", "template", "noscript"))


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self.skipping += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self.skipping = max(self.skipping - 1, 0)
        elif tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def fold_space(text: str) -> str:
    """Collapse runs of whitespace into one space and trim."""
    # str.split() splits on exactly what `\s` matches, and is several times faster.
    return " ".join(text.split())


# A start or end tag as HTMLParser reads one: '<' and a letter, then attributes (quoted values may
# hold '>') up to the closing '>'. Anything else with a '<' is text, as it is for HTMLParser.
_TAG = re.compile(r"""<(/?)([a-zA-Z][^\t\n\r\f />\x00]*)(?:[^>"']|"[^"]*"|'[^']*')*>""")
# What the regular expression path does not handle like HTMLParser: comments, declarations,
# processing instructions, CDATA, the elements whose content is not text, a '</' without a tag
# name and a tag left open at the end.
_NEEDS_HTMLPARSER = re.compile(
    r"<(?:[!?]|/?(?:script|style|template|noscript|textarea|title|xmp|plaintext)\b)"
    r"|</(?![a-zA-Z])|<[a-zA-Z][^>]*\Z",
    re.IGNORECASE,
)


def _strip_tags(html: str) -> str | None:
    """HTML to text with a regular expression: what `_TextExtractor` gives, at a fraction of the
    cost. None when the fragment needs HTMLParser's judgement: a comment, a declaration, a
    raw-text element, or a '<' that does not open a plainly written tag."""
    if _NEEDS_HTMLPARSER.search(html) is not None:
        return None
    tags = list(_TAG.finditer(html))
    if len(tags) != html.count("<"):
        return None
    parts: list[str] = []
    position = 0
    for tag in tags:
        parts.append(unescape(html[position : tag.start()]))
        if tag.group(2).lower() in _BLOCK_TAGS:
            parts.append(" ")
        position = tag.end()
    parts.append(unescape(html[position:]))
    return "".join(parts)


def plain_text(html: str, limit: int | None = None) -> str:
    """The visible text of an HTML fragment: tags dropped, entities decoded, whitespace folded."""
    if "<" not in html:
        text = fold_space(unescape(html) if "&" in html else html)
    else:
        stripped = _strip_tags(html)
        if stripped is None:
            extractor = _TextExtractor()
            extractor.feed(html)
            extractor.close()
            stripped = "".join(extractor.parts)
        text = fold_space(stripped)
    return text if limit is None else text[:limit]


def normalise_link(link: str | None, base: str | None = None) -> str | None:
    """An entry link made absolute, with no fragment and no `utm_*` tracking parameters.

    Scheme and host are lower-cased; everything else is kept as the publisher wrote it. Returns
    None for an empty link or one that is not http(s).
    """
    if not link or not link.strip():
        return None
    link = link.strip()
    if base and not link[:8].lower().startswith(("http://", "https://")):
        link = urljoin(base, link)
    try:
        parts = urlsplit(link)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        return None
    netloc = parts.hostname.lower()
    if ":" in netloc:
        netloc = f"[{netloc}]"
    if port is not None and (scheme, port) not in (("http", 80), ("https", 443)):
        netloc = f"{netloc}:{port}"
    if parts.username:
        netloc = f"{parts.username}{':' + parts.password if parts.password else ''}@{netloc}"
    query = parts.query
    if query and "utm_" in query.lower():
        kept = [
            (name, value)
            for name, value in parse_qsl(query, keep_blank_values=True)
            if not name.lower().startswith("utm_")
        ]
        query = urlencode(kept)
    return urlunsplit((scheme, netloc, parts.path or "/", query, ""))


def _digest(*parts: str) -> str:
    return hashlib.blake2b("\x1f".join(parts).encode("utf-8"), digest_size=16).hexdigest()


def content_hash(title: str, summary: str, content: str) -> str:
    """A hash of the normalised text: the same words give the same hash, whatever the markup."""
    return _folded_hash(fold_space(title), fold_space(summary), fold_space(content))


def _folded_hash(*folded: str) -> str:
    """`content_hash` of texts whose whitespace is folded already (a cut may leave one space at
    the end, which folding would trim)."""
    return _digest(*(unicodedata.normalize("NFC", part.strip()) for part in folded))


def entry_key(guid: str | None, link: str | None, title: str, published: str | None) -> str:
    """The per-feed key: the guid, else the normalised link, else a hash of title and date."""
    if guid and guid.strip():
        return guid.strip()[:1000]
    if link:
        return link[:1000]
    return "sha:" + _digest(fold_space(title), published or "")


# -- feedparser -------------------------------------------------------------------------------


def _utc_from_struct(value: Any) -> datetime | None:
    if not isinstance(value, time.struct_time):
        return None
    try:
        moment = datetime.fromtimestamp(calendar.timegm(value), UTC)
    except (OverflowError, ValueError, OSError):
        return None
    if moment.year < 1971:
        return None  # an epoch-zero or negative date is a feed bug, not a publication time
    return moment


def _field(raw: Any, name: str) -> Any:
    # dict.get: FeedParserDict.get maps a missing key onto a related one with a warning;
    # feedparser-rs gives objects with attributes instead of dicts.
    return dict.get(raw, name) if isinstance(raw, dict) else getattr(raw, name, None)


def _text_field(detail: Any, value: str, limit: int) -> str:
    kind = _field(detail, "type") if detail is not None else ""
    if kind == "text/plain":
        return fold_space(value)[:limit]
    return plain_text(value, limit)


def _entry(raw: Any, base: str | None, first_seen: datetime) -> ParsedEntry:
    raw_title = str(raw.get("title", "") or "")
    title = _text_field(raw.get("title_detail"), raw_title, MAX_TITLE_CHARS)
    raw_summary = str(raw.get("summary", "") or "")
    summary = _text_field(raw.get("summary_detail"), raw_summary, MAX_SUMMARY_CHARS)
    contents: list[str] = []
    for block in raw.get("content", None) or ():
        value = str(_field(block, "value") or "")
        if value and value != raw_summary:
            contents.append(_text_field(block, value, MAX_CONTENT_CHARS))
    content = " ".join(part for part in contents if part)[:MAX_CONTENT_CHARS]
    raw_link = str(raw.get("link", "") or "")
    if (
        raw.get("guidislink")
        and raw_link == raw.get("id")
        and not raw_link.lower().startswith(("http://", "https://"))
    ):
        # feedparser takes a guid for a permalink unless told otherwise; "item-17" is not one.
        raw_link = ""
    link = normalise_link(raw_link, base)
    published = _utc_from_struct(_field(raw, "published_parsed")) or _utc_from_struct(
        _field(raw, "updated_parsed")
    )
    raw_date = str(raw.get("published", "") or raw.get("updated", "") or "")
    guid = raw.get("id")
    key = entry_key(guid if isinstance(guid, str) else None, link, title, raw_date)
    return ParsedEntry(
        key=key,
        title=title,
        summary=summary,
        content=content,
        link=link,
        published=published or first_seen,
        content_hash=_folded_hash(title, summary, content),
    )


def _describe(exception: Any) -> str:
    text = str(exception) or type(exception).__name__
    return f"{type(exception).__name__}: {fold_space(text)[:300]}"


def _lower_headers(headers: Mapping[str, str] | Iterable[tuple[str, str]]) -> dict[str, str]:
    pairs = headers.items() if isinstance(headers, Mapping) else headers
    return {name.lower(): value for name, value in pairs if name.lower() in _HEADERS_FOR_FEEDPARSER}


def _prepared(body: bytes, headers: Mapping[str, str]) -> tuple[bytes, str | None]:
    if not body.strip():
        raise ParseError("empty body")
    return neutralise_entities(body)


def _parsed(
    raw_entries: Iterable[Any],
    feed_title: Any,
    base: str,
    first_seen: datetime,
    problem: str | None,
) -> ParsedFeed:
    entries: dict[str, ParsedEntry] = {}
    for raw in raw_entries:
        entry = _entry(raw, base, first_seen)
        # A feed that repeats a guid keeps the first item, as readers show the newest first.
        entries.setdefault(entry.key, entry)
    title = plain_text(str(feed_title or ""), MAX_TITLE_CHARS)
    return ParsedFeed(entries=tuple(entries.values()), title=title or None, problem=problem)


def _joined(*problems: str | None) -> str | None:
    return "; ".join(problem for problem in problems if problem) or None


def parse_feed(
    body: bytes,
    headers: Mapping[str, str],
    url: str,
    first_seen: datetime,
) -> ParsedFeed:
    """Parse a response body into entries; raises ParseError when it holds no feed at all.

    `headers` are the response's (Content-Type for the charset, Content-Location for relative
    links); `url` is where the body came from, the base for links when no Content-Location
    says otherwise (it is not given to feedparser, so guids never depend on the feed's URL);
    `first_seen` stands in for a missing or impossible publication date. A "bozo" feed yields
    what feedparser recovered, with the problem in `ParsedFeed.problem`.
    """
    body, neutralised = _prepared(body, headers)
    feed_headers = _lower_headers(headers)
    # Every field is reduced to plain text here, so feedparser's HTML sanitiser and its rewriting
    # of links inside markup (half of its time) would change nothing we keep.
    parsed = feedparser.parse(
        io.BytesIO(body),
        response_headers=feed_headers,
        sanitize_html=False,
        resolve_relative_uris=False,
    )
    bozo = _describe(parsed.get("bozo_exception")) if parsed.get("bozo") else None
    problem = _joined(neutralised, bozo)
    raw_entries = parsed.get("entries") or []
    if not parsed.get("version") and not raw_entries:
        raise ParseError(f"not a feed ({problem or 'no RSS or Atom root element'})")
    base = feed_headers.get("content-location") or url
    return _parsed(raw_entries, parsed.get("feed", {}).get("title"), base, first_seen, problem)


# -- the accelerated parser and its gate ------------------------------------------------------

ParseMode = Literal["feedparser", "verify", "fast"]
"""How to parse one feed: feedparser only; feedparser as the result with the accelerated parser
checked against it; or the accelerated parser, falling back to feedparser when it reports bozo."""


def fast_parser_available() -> bool:
    """True when the optional accelerated parser (`feedparser-rs`, the `fast` extra) imports."""
    return _feedparser_rs is not None


def parse_feed_fast(
    body: bytes, headers: Mapping[str, str], url: str, first_seen: datetime
) -> tuple[ParsedFeed, bool]:
    """`parse_feed` with feedparser-rs, and whether it reported the feed bozo.

    It is given bytes only (given a string that looks like a URL it would fetch it). It knows
    no response headers, so a charset said only in Content-Type is lost: the gate catches that.
    """
    if _feedparser_rs is None:
        raise ParseError("the accelerated parser is not installed")
    body, neutralised = _prepared(body, headers)
    try:
        parsed = _feedparser_rs.parse_with_limits(body, sanitize_html=False)
    except Exception as error:  # whatever the binding raises, feedparser gets the body instead
        raise ParseError(f"accelerated parser: {_describe(error)}") from error
    bozo = bool(parsed.bozo)
    problem = _joined(neutralised, f"bozo: {parsed.bozo_exception}" if bozo else None)
    if not parsed.version and not parsed.entries:
        raise ParseError(f"not a feed ({problem or 'no RSS or Atom root element'})")
    base = _lower_headers(headers).get("content-location") or url
    return _parsed(parsed.entries, parsed.feed.title, base, first_seen, problem), bozo


@dataclass(frozen=True, slots=True)
class GateVerdict:
    """Whether the accelerated parser may parse a feed, and why (the first difference found)."""

    fast: bool
    reason: str


def gate_verdict(reference: ParsedFeed, fast: ParsedFeed | None, fast_bozo: bool) -> GateVerdict:
    """Pure: may the accelerated parser stand in for feedparser on this feed?

    Only when it read the same body without complaint into the same entries: feedparser's keys
    and links, the same normalised title, summary and content, and the same dates after our
    normalisation. A bozo report, fewer (or more) entries or any difference means feedparser.
    """
    if fast is None:
        return GateVerdict(False, "the accelerated parser failed on the body")
    if fast_bozo:
        return GateVerdict(False, "the accelerated parser reported the feed bozo")
    if len(fast.entries) != len(reference.entries):
        fewer = "fewer" if len(fast.entries) < len(reference.entries) else "more"
        return GateVerdict(
            False, f"{fewer} entries ({len(fast.entries)} vs {len(reference.entries)})"
        )
    checks = (
        ("key", "keys"),
        ("link", "links"),
        ("published", "dates"),
        ("title", "titles"),
        ("summary", "summaries"),
        ("content_hash", "contents"),
    )
    for number, (ours, theirs) in enumerate(zip(reference.entries, fast.entries, strict=True)):
        for name, plural in checks:
            if getattr(ours, name) != getattr(theirs, name):
                return GateVerdict(False, f"{plural} differ (entry {number})")
    return GateVerdict(True, "same entries as feedparser")


RECHECK_FAST_AFTER = timedelta(days=7)
"""How long a gate verdict stands before the accelerated parser is checked on the feed again."""


def parse_mode(
    enabled: bool,
    fast_parse: bool,
    checked_at: datetime | None,
    now: datetime,
    recheck_after: timedelta = RECHECK_FAST_AFTER,
) -> ParseMode:
    """Pure: how to parse a feed's next body, from the gate's last verdict on it.

    Feedparser alone unless the accelerated parser is enabled; a feed never checked, or
    checked longer than `recheck_after` ago, is checked again (feedparser's result is used);
    otherwise the verdict decides.
    """
    if not enabled:
        return "feedparser"
    if checked_at is None or now - checked_at >= recheck_after:
        return "verify"
    return "fast" if fast_parse else "feedparser"


@dataclass(frozen=True, slots=True)
class CheckedParse:
    """A parse and, when this parse judged the accelerated parser, the verdict on the feed."""

    parsed: ParsedFeed
    verdict: GateVerdict | None = None


def parse_checked(
    body: bytes,
    headers: Mapping[str, str],
    url: str,
    first_seen: datetime,
    mode: ParseMode = "feedparser",
) -> CheckedParse:
    """Parse in `mode`; raises ParseError like `parse_feed` (feedparser always has the last word).

    `verify` returns feedparser's result and the gate's verdict on the accelerated one; `fast`
    returns the accelerated parser's result unless it reports bozo or fails, when feedparser
    parses the body and the verdict turns against the accelerated parser.
    """
    if mode == "fast":
        try:
            fast, bozo = parse_feed_fast(body, headers, url, first_seen)
        except ParseError:
            fast, bozo = None, False
        if fast is not None and not bozo:
            return CheckedParse(fast)
        reference = parse_feed(body, headers, url, first_seen)
        return CheckedParse(reference, gate_verdict(reference, fast, bozo))
    reference = parse_feed(body, headers, url, first_seen)
    if mode == "feedparser" or _feedparser_rs is None:
        return CheckedParse(reference)
    try:
        fast, bozo = parse_feed_fast(body, headers, url, first_seen)
    except ParseError:
        fast, bozo = None, False
    return CheckedParse(reference, gate_verdict(reference, fast, bozo))
