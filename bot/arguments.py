"""Parsing what users type after a command (pure): /track, /watch, story names, durations.

Each parser returns a value or raises `ArgumentError` whose message says what is wrong in words
a user understands; the handler adds the command's usage.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from rapidfuzz import fuzz, process

from storage.records import Story
from watchers.match import parse_term

MAX_TITLE_LENGTH = 200
MAX_MUTE = timedelta(days=365)
_DURATION = re.compile(r"^(\d{1,6})\s*([mhdw])$", re.IGNORECASE)
_QUOTES = frozenset('"“”')
_UNIT = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


class ArgumentError(ValueError):
    """What the user typed cannot be used; the message says why."""


@dataclass(frozen=True, slots=True)
class TrackRequest:
    """A /track: the new story's title and its keywords."""

    title: str
    keywords: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class KeywordLimits:
    """How many keywords a story may have and how long one may be."""

    max_keywords: int = 50
    max_keyword_length: int = 100


def split_watch_items(text: str) -> list[str]:
    """Split /watch terms: separated by spaces, a phrase in double quotes, `+`/`-` kept.

    `+"a phrase"` becomes `+a phrase`; an unclosed quote runs to the end of the text.
    """
    items: list[str] = []
    position, length = 0, len(text)
    while position < length:
        if text[position].isspace():
            position += 1
            continue
        sign = ""
        if text[position] in "+-" and text[position + 1 : position + 2] in _QUOTES:
            sign, position = text[position], position + 1
        if text[position] in _QUOTES:
            end = position + 1
            while end < length and text[end] not in _QUOTES:
                end += 1
            items.append(sign + text[position + 1 : end])
            position = end + 1
            continue
        end = position
        while end < length and not text[end].isspace():
            end += 1
        items.append(text[position:end])
        position = end
    return items


def check_keywords(items: Sequence[str], limits: KeywordLimits) -> tuple[str, ...]:
    """Validate keyword items (sign and words, phrases unquoted); returns them de-duplicated.

    Raises ArgumentError for an item with no word in it, one longer than the limit, or more
    items than a story may hold.
    """
    kept: dict[str, None] = {}
    for raw in items:
        item = " ".join(raw.split())
        if not item:
            continue
        if len(item) > limits.max_keyword_length:
            raise ArgumentError(
                f"the keyword “{item[:30]}…” is {len(item)} characters long; "
                f"at most {limits.max_keyword_length} are allowed"
            )
        if parse_term(item) is None:
            raise ArgumentError(f"“{item}” holds no letter or digit, so it can never match")
        kept.setdefault(item, None)
    if len(kept) > limits.max_keywords:
        raise ArgumentError(
            f"that is {len(kept)} keywords; a story may have at most {limits.max_keywords}"
        )
    return tuple(kept)


def parse_track(text: str, limits: KeywordLimits) -> TrackRequest:
    """`<title>: <keyword>, <keyword>, …` (the last colon ends the title)."""
    title, colon, rest = text.rpartition(":")
    if not colon:
        raise ArgumentError("put a colon between the title and the keywords")
    title = " ".join(title.split())
    if not title:
        raise ArgumentError("the story needs a title before the colon")
    if len(title) > MAX_TITLE_LENGTH:
        raise ArgumentError(f"the title is too long (at most {MAX_TITLE_LENGTH} characters)")
    keywords = check_keywords(rest.split(","), limits)
    if not keywords:
        raise ArgumentError("give at least one keyword after the colon")
    return TrackRequest(title=title, keywords=keywords)


def split_story_and_rest(text: str) -> tuple[str, str]:
    """The first word (a story's slug) and what follows it."""
    parts = text.strip().split(maxsplit=1)
    if not parts:
        return "", ""
    return parts[0], parts[1] if len(parts) > 1 else ""


def parse_watch(text: str, limits: KeywordLimits) -> tuple[str, tuple[str, ...]]:
    """`<story> <term> <term> …`: the story and its terms by the /watch grammar."""
    story, rest = split_story_and_rest(text)
    if not story:
        raise ArgumentError("name the story first")
    terms = check_keywords(split_watch_items(rest), limits)
    if not terms:
        raise ArgumentError("give at least one keyword after the story")
    return story, terms


def parse_duration(text: str) -> timedelta:
    """`30m`, `6h`, `2d`, `1w`: a mute's length, at most a year."""
    found = _DURATION.match(text.strip())
    if found is None:
        raise ArgumentError(f"“{text.strip()[:20]}” is not a duration; write it like 6h or 2d")
    amount = int(found.group(1))
    if amount == 0:
        raise ArgumentError("a mute must last at least a minute")
    length = timedelta(**{_UNIT[found.group(2).lower()]: amount})
    if length > MAX_MUTE:
        raise ArgumentError("a mute can last at most a year; use /unfollow to stop for good")
    return length


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(re.sub(r"\W+", " ", plain.casefold()).split())


@dataclass(frozen=True, slots=True)
class StoryLookup:
    """The story a name refers to, or the closest candidates when it is unknown or ambiguous."""

    story: Story | None
    candidates: tuple[Story, ...] = ()


def find_story(name: str, stories: Sequence[Story], limit: int = 5) -> StoryLookup:
    """Resolve `name` (a slug or words of a title) among `stories`.

    An exact slug, or title words that fit exactly one story, pick it; otherwise the closest
    stories by fuzzy score come back as candidates (best first, at most `limit`).
    """
    wanted = name.strip().lower()
    if not wanted:
        return StoryLookup(None, tuple(stories[:limit]))
    for story in stories:
        if story.slug == wanted:
            return StoryLookup(story)
    words = _fold(name).split()
    if words:
        holding = [
            story
            for story in stories
            if all(word in _fold(f"{story.title} {story.slug}").split() for word in words)
        ]
        if len(holding) == 1:
            return StoryLookup(holding[0])
        if holding:
            return StoryLookup(None, tuple(holding[:limit]))
    choices = {index: _fold(f"{story.title} {story.slug}") for index, story in enumerate(stories)}
    scored = process.extract(_fold(name), choices, scorer=fuzz.WRatio, limit=limit, score_cutoff=50)
    return StoryLookup(None, tuple(stories[index] for _, _, index in scored))
