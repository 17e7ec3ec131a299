"""OPML import and export of the feed list (pure: bytes in, records out, and back).

Import reads untrusted files, so it parses with defusedxml: no entity expansion, no DTDs.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET  # only for building the export; parsing uses defusedxml
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException


class OpmlError(Exception):
    """The file is not OPML we can read."""


@dataclass(frozen=True, slots=True)
class OpmlFeed:
    """One feed outline: its URL and title, if any."""

    url: str
    title: str | None = None


def read_opml(data: bytes) -> tuple[list[OpmlFeed], list[str]]:
    """Feeds in an OPML document, nested outlines included, first occurrence of each URL kept.

    Returns the feeds and a list of skipped outlines (not http/https) with the reason.
    Raises OpmlError for a document that is not XML or not OPML.
    """
    try:
        root = SafeET.fromstring(data)
    except (SafeET.ParseError, DefusedXmlException) as error:
        raise OpmlError(f"not a readable OPML file: {error}") from None
    if root.tag.lower() != "opml":
        raise OpmlError(f"not an OPML file: the root element is <{root.tag}>")
    feeds: list[OpmlFeed] = []
    skipped: list[str] = []
    seen: set[str] = set()
    for outline in root.iter("outline"):
        url = (outline.get("xmlUrl") or outline.get("xmlurl") or "").strip()
        if not url:
            continue
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            skipped.append(f"{url}: not an http or https URL")
            continue
        if url in seen:
            continue
        seen.add(url)
        title = (outline.get("title") or outline.get("text") or "").strip()
        # Readers (ours included) write the URL as `text` when a feed has no title.
        feeds.append(OpmlFeed(url=url, title=title if title and title != url else None))
    return feeds, skipped


def write_opml(feeds: Iterable[OpmlFeed], title: str = "storywatch feeds") -> bytes:
    """An OPML 2.0 document listing `feeds` as RSS outlines."""
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = title
    body = ET.SubElement(root, "body")
    for feed in feeds:
        attributes = {"type": "rss", "xmlUrl": feed.url, "text": feed.title or feed.url}
        if feed.title:
            attributes["title"] = feed.title
        ET.SubElement(body, "outline", attributes)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
