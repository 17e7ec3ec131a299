"""What users type after /track, /watch, /mute and story names, parsed (pure)."""

from datetime import timedelta

import pytest

from bot.arguments import (
    ArgumentError,
    KeywordLimits,
    find_story,
    parse_duration,
    parse_track,
    parse_watch,
    split_watch_items,
)
from bot.callbacks import MAX_CALLBACK_BYTES, Button, decode
from storage.records import Story

LIMITS = KeywordLimits(max_keywords=5, max_keyword_length=20)


@pytest.mark.parametrize(
    ("text", "title", "keywords"),
    [
        (
            "Deir ez-Zor strike: Deir ez-Zor, air strike",
            "Deir ez-Zor strike",
            ("Deir ez-Zor", "air strike"),
        ),
        ("Dam collapse: dam,  +Libya , -football", "Dam collapse", ("dam", "+Libya", "-football")),
        ("Syria: the strike: strike", "Syria: the strike", ("strike",)),
        ("  spaced   title :a,a, b ", "spaced title", ("a", "b")),
    ],
    ids=["phrases", "signs-kept", "last-colon-ends-title", "duplicates-and-spaces"],
)
def test_track_parses(text: str, title: str, keywords: tuple[str, ...]) -> None:
    request = parse_track(text, LIMITS)
    assert (request.title, request.keywords) == (title, keywords)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("no colon here", "colon"),
        (": strike", "title"),
        ("Title:  , ,", "at least one keyword"),
        ("Title: ---", "no letter"),
        ("Title: " + "x" * 21, "at most 20"),
        ("Title: a, b, c, d, e, f", "at most 5"),
        ("T" * 201 + ": a", "too long"),
    ],
    ids=[
        "no-colon",
        "no-title",
        "no-keyword",
        "no-word",
        "keyword-too-long",
        "too-many",
        "title-too-long",
    ],
)
def test_track_refuses(text: str, problem: str) -> None:
    with pytest.raises(ArgumentError, match=problem):
        parse_track(text, LIMITS)


@pytest.mark.parametrize(
    ("text", "items"),
    [
        ('strike "air strike" +Syria -football', ["strike", "air strike", "+Syria", "-football"]),
        ('+"Security Council" -"football match"', ["+Security Council", "-football match"]),
        ("“curly quotes” x", ["curly quotes", "x"]),
        ('"unclosed phrase', ["unclosed phrase"]),
        ("", []),
        ("+", ["+"]),
    ],
    ids=["mixed", "signed-phrases", "curly-quotes", "unclosed-quote", "empty", "lone-sign"],
)
def test_watch_items(text: str, items: list[str]) -> None:
    assert split_watch_items(text) == items


def test_watch_takes_story_then_terms() -> None:
    assert parse_watch('dam-collapse Derna "storm Daniel"', LIMITS) == (
        "dam-collapse",
        ("Derna", "storm Daniel"),
    )


@pytest.mark.parametrize(
    ("text", "problem"),
    [("", "name the story"), ("dam-collapse", "at least one"), ("dam +", "no letter")],
    ids=["nothing", "no-terms", "sign-only"],
)
def test_watch_refuses(text: str, problem: str) -> None:
    with pytest.raises(ArgumentError, match=problem):
        parse_watch(text, LIMITS)


@pytest.mark.parametrize(
    ("text", "length"),
    [
        ("30m", timedelta(minutes=30)),
        ("6h", timedelta(hours=6)),
        ("2d", timedelta(days=2)),
        ("1W", timedelta(weeks=1)),
    ],
    ids=["minutes", "hours", "days", "weeks-upper-case"],
)
def test_duration(text: str, length: timedelta) -> None:
    assert parse_duration(text) == length


@pytest.mark.parametrize(
    "text",
    ["6", "h", "6 hours", "-2d", "0h", "999d", "1.5h"],
    ids=["no-unit", "no-number", "word-unit", "negative", "zero", "over-a-year", "fraction"],
)
def test_duration_refuses(text: str) -> None:
    with pytest.raises(ArgumentError):
        parse_duration(text)


STORIES = [
    Story(slug="deir-ez-zor-strike", title="Deir ez-Zor air strike", id=1),
    Story(slug="dam-collapse", title="Derna dam collapse", id=2),
    Story(slug="dam-collapse-2", title="Another dam collapse", id=3),
    Story(slug="quake", title="Türkiye earthquake", id=4),
]


@pytest.mark.parametrize(
    ("name", "found", "candidates"),
    [
        ("dam-collapse", "dam-collapse", ()),
        ("DAM-COLLAPSE", "dam-collapse", ()),
        ("deir strike", "deir-ez-zor-strike", ()),
        ("turkiye", "quake", ()),
        ("dam", None, ("dam-collapse", "dam-collapse-2")),
        ("dier ez zor", None, ("deir-ez-zor-strike",)),
    ],
    ids=["slug", "slug-any-case", "title-words", "accents-folded", "ambiguous", "typo-fuzzy"],
)
def test_find_story(name: str, found: str | None, candidates: tuple[str, ...]) -> None:
    lookup = find_story(name, STORIES)
    assert (lookup.story.slug if lookup.story else None) == found
    assert tuple(story.slug for story in lookup.candidates)[: len(candidates)] == candidates


def test_find_story_nothing_close() -> None:
    assert find_story("zzzzqqq", STORIES).candidates == ()


@pytest.mark.parametrize(
    "button",
    [
        Button("follow", 2**62, 0),
        Button("history", 123456789, 999_999_999),
        Button("noop"),
        Button("setting", 0, 2),
    ],
    ids=["huge-story-id", "huge-page", "noop", "setting"],
)
def test_callback_round_trip(button: Button) -> None:
    data = button.encode()
    assert len(data.encode()) < MAX_CALLBACK_BYTES
    assert decode(data) == button


@pytest.mark.parametrize(
    "data",
    [
        None,
        "",
        "x:1:2",
        "f:1",
        "f:-1:0",
        "f:1:0:0",
        "f:١:0",
        "f:" + "9" * 40 + ":0",
        "f:" + "9" * 19 + ":0",
        42,
    ],
    ids=[
        "none",
        "empty",
        "unknown-action",
        "short",
        "negative",
        "long",
        "arabic-digit",
        "too-many-digits",
        "past-sqlite-integer",
        "not-text",
    ],
)
def test_callback_rejects(data: object) -> None:
    assert decode(data) is None
