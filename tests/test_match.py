"""Specs for the keyword grammar and the compiled story matcher."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storage.records import Entry, Story
from watchers.match import (
    CompiledStories,
    Matcher,
    Term,
    match_stories,
    parse_keyword_list,
    parse_watch_terms,
)

NOW = datetime(2024, 1, 1, tzinfo=UTC)


def entry(text: str) -> Entry:
    return Entry(feed_id=1, key="k", title=text, summary="", published=NOW, content_hash="h")


@pytest.mark.parametrize(
    ("keywords", "text", "matches"),
    [
        (("strike",), "The strike hit a market", True),
        (("strike",), "Air strikes hit a market", False),
        (("UN",), "Aid was sent under escort", False),
        (("UN",), "The U.N. said", False),
        (("aid convoy",), "An aid convoy was hit", True),
        (("aid convoy",), "aid for the convoy", False),
        (("aid convoy",), "AID—CONVOY attacked", True),
        (("Deir ez-Zor",), "near Deir ez Zor on Saturday", True),
        (("cafe",), "A blast at the Café Central", True),
        (("Café",), "a blast at the cafe", True),
        (("Aleppo", "-football"), "Aleppo football final", False),
        (("Aleppo", "+convoy"), "Aleppo shelling", False),
        (("Aleppo", "+convoy"), "convoy near Aleppo", True),
        (("+convoy", "+aleppo"), "convoy near Aleppo", True),
        (("+convoy", "+aleppo"), "convoy near Homs", False),
        (("+convoy",), "the convoy", True),
        (("-convoy",), "anything at all", False),
        ((), "anything at all", False),
        (("flood", "+\"river tessel\""), "flood on the river tessel", True),
        (("a.b",), "a b", True),
    ],
    ids=[
        "plain-word", "no-stemming", "acronym-whole-word", "dotted-acronym-is-two-words", "phrase",
        "phrase-needs-consecutive-words", "punctuation-breaks-words", "hyphen-is-a-break",
        "accents-removed-in-text", "accents-removed-in-term", "excluded-term",
        "required-term-missing", "required-and-plain", "only-required-all-present",
        "only-required-one-missing", "single-required", "only-excluded-matches-nothing",
        "no-keywords-matches-nothing", "required-phrase-quoted-in-keyword", "term-punctuation",
    ],
)  # fmt: skip
def test_match_grammar(keywords: tuple[str, ...], text: str, matches: bool) -> None:
    story = Story(slug="s", title="S", keywords=keywords)
    assert match_stories(entry(text), [story]) == (["s"] if matches else [])


def test_matches_in_story_order_and_skips_disabled() -> None:
    stories = [
        Story(slug="b", title="B", keywords=("quake",)),
        Story(slug="off", title="Off", keywords=("quake",), enabled=False),
        Story(slug="a", title="A", keywords=("nepal",)),
    ]
    assert match_stories(entry("Nepal quake"), stories) == ["b", "a"]


def test_matcher_recompiles_when_stories_change() -> None:
    matcher = Matcher()
    first = [Story(slug="s", title="S", keywords=("flood",))]
    assert matcher(entry("flood"), first) == ["s"]
    second = [Story(slug="s", title="S", keywords=("storm",))]
    assert matcher(entry("flood"), second) == []
    assert matcher(entry("storm"), second) == ["s"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("aleppo convoy", [Term(("aleppo",)), Term(("convoy",))]),
        ('"aid convoy" -football', [Term(("aid", "convoy")), Term(("football",), "excluded")]),
        ('+"red crescent"', [Term(("red", "crescent"), "required")]),
        ('"unclosed phrase', [Term(("unclosed", "phrase"))]),
        ("  +un   -", [Term(("un",), "required")]),
        ("quake quake", [Term(("quake",))]),
    ],
    ids=["words", "quoted-phrase-and-excluded", "required-phrase", "unclosed-quote",
         "lonely-sign-dropped", "duplicates-dropped"],
)  # fmt: skip
def test_parse_watch_terms(text: str, expected: list[Term]) -> None:
    assert parse_watch_terms(text) == expected


def test_parse_keyword_list_is_comma_separated() -> None:
    assert parse_keyword_list("aid convoy, Urum al-Kubra,+UN, ,") == [
        Term(("aid", "convoy")),
        Term(("urum", "al", "kubra")),
        Term(("un",), "required"),
    ]


def test_term_text_round_trips() -> None:
    for term in parse_watch_terms('+"red crescent" -football aleppo'):
        assert parse_watch_terms(term.text) == [term]


@settings(max_examples=50, deadline=None)
@given(st.text(min_size=1).map(lambda s: s * (100_000 // len(s) + 1)), st.text(max_size=30))
def test_matching_never_raises(text: str, keyword: str) -> None:
    compiled = CompiledStories([Story(slug="s", title="S", keywords=(keyword, "+" + keyword))])
    assert compiled.match_text(text) in ([], ["s"])
    parse_watch_terms(text[:5000])
    parse_keyword_list(text[:5000])
