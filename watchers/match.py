"""Story matching (pure): the keyword grammar and a matcher compiled once for all stories.

A keyword is a word or a phrase of consecutive words; `+term` is required and `-term` excludes.
An entry matches a story when it holds no excluded term, every required term and at least one
plain term (or the story has no plain terms). Terms are compared as whole words after
`textnorm.fold`, never as regular expressions.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from storage.records import Entry, Story
from watchers.textnorm import words

TermKind = Literal["plain", "required", "excluded"]


@dataclass(frozen=True, slots=True)
class Term:
    """One parsed keyword: its words in matching form and how it counts."""

    words: tuple[str, ...]
    kind: TermKind = "plain"

    @property
    def text(self) -> str:
        """The keyword as it would be written back, with its `+`/`-` sign."""
        sign = {"plain": "", "required": "+", "excluded": "-"}[self.kind]
        phrase = " ".join(self.words)
        return f'{sign}"{phrase}"' if len(self.words) > 1 else f"{sign}{phrase}"


def parse_term(raw: str) -> Term | None:
    """Parse one keyword (`word`, `a phrase`, `+term`, `-term`); None when it holds no word."""
    raw = raw.strip()
    kind: TermKind = "plain"
    if raw[:1] == "+":
        kind, raw = "required", raw[1:]
    elif raw[:1] == "-":
        kind, raw = "excluded", raw[1:]
    found = tuple(words(raw))
    return Term(found, kind) if found else None


def parse_keyword_list(text: str) -> list[Term]:
    """Parse a config or `/track` list: each comma-separated item is one keyword."""
    return _unique(parse_term(item) for item in text.split(","))


def parse_watch_terms(text: str) -> list[Term]:
    """Parse `/watch` syntax: items separated by spaces, a phrase in double quotes.

    `+"a phrase"` and `-"a phrase"` carry their sign; an unclosed quote runs to the end.
    """
    items: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
            continue
        sign = ""
        if ch in "+-" and i + 1 < n and text[i + 1] in '"“”':
            sign, i = ch, i + 1
        if text[i] in '"“”':
            end = _find_quote(text, i + 1)
            items.append(sign + text[i + 1 : end])
            i = end + 1
            continue
        end = i
        while end < n and not text[end].isspace():
            end += 1
        items.append(text[i:end])
        i = end
    return _unique(parse_term(item) for item in items)


def parse_keywords(keywords: Iterable[str]) -> list[Term]:
    """Parse a story's stored keywords, one keyword per item."""
    return _unique(parse_term(item) for item in keywords)


def _find_quote(text: str, start: int) -> int:
    for j in range(start, len(text)):
        if text[j] in '"“”':
            return j
    return len(text)


def _unique(terms: Iterable[Term | None]) -> list[Term]:
    seen: dict[Term, None] = {}
    for term in terms:
        if term is not None:
            seen.setdefault(term, None)
    return list(seen)


@dataclass(slots=True)
class _StoryRule:
    slug: str
    required: int
    has_plain: bool


class CompiledStories:
    """The terms of many stories indexed by first word: one entry is read once for all of them."""

    def __init__(self, stories: Sequence[Story]) -> None:
        self.stories = tuple(stories)
        self.stories_given: Sequence[Story] = stories
        self._rules: list[_StoryRule] = []
        self._terms: list[tuple[int, TermKind]] = []
        # first word -> [(rest of the phrase, term number)]
        self._index: dict[str, list[tuple[tuple[str, ...], int]]] = {}
        for position, story in enumerate(self.stories):
            terms = parse_keywords(story.keywords) if story.enabled else []
            required = sum(1 for t in terms if t.kind == "required")
            plain = any(t.kind == "plain" for t in terms)
            self._rules.append(_StoryRule(story.slug, required, plain))
            for term in terms:
                self._index.setdefault(term.words[0], []).append((term.words[1:], len(self._terms)))
                self._terms.append((position, term.kind))

    def match_words(self, text_words: Sequence[str]) -> list[str]:
        """Return the slugs of the stories the words of one text match, in story order."""
        hits: set[int] = set()
        index = self._index
        if index.keys().isdisjoint(text_words):
            return []  # most texts hold no term's first word: checked in C, not word by word
        for at, word in enumerate(text_words):
            candidates = index.get(word)
            if candidates is None:
                continue
            for rest, number in candidates:
                if not rest or tuple(text_words[at + 1 : at + 1 + len(rest)]) == rest:
                    hits.add(number)
        return self._decide(hits)

    def match_text(self, text: str) -> list[str]:
        """Return the slugs of the stories `text` matches, in story order."""
        return self.match_words(words(text))

    def _decide(self, hits: set[int]) -> list[str]:
        plain: set[int] = set()
        excluded: set[int] = set()
        required: dict[int, int] = {}
        for number in hits:
            position, kind = self._terms[number]
            if kind == "plain":
                plain.add(position)
            elif kind == "excluded":
                excluded.add(position)
            else:
                required[position] = required.get(position, 0) + 1
        matched: list[str] = []
        for position in sorted(plain | set(required)):
            rule = self._rules[position]
            if position in excluded or required.get(position, 0) < rule.required:
                continue
            if rule.has_plain and position not in plain:
                continue
            matched.append(rule.slug)
        return matched


class Matcher:
    """A `StoryMatcher` that recompiles only when it is handed different stories."""

    def __init__(self) -> None:
        self._key: tuple[int, ...] = ()
        self._compiled = CompiledStories(())

    def compiled(self, stories: Sequence[Story]) -> CompiledStories:
        """Return the compiled form of `stories`, reusing the last one when they are the same."""
        # Stories are frozen and the compiled form holds them, so their ids cannot be reused
        # while cached: equal ids mean equal stories.
        if isinstance(stories, tuple) and stories is self._compiled.stories_given:
            return self._compiled  # a tuple cannot change: the same object is the same stories
        key = tuple(map(id, stories))
        if key != self._key:
            self._compiled = CompiledStories(stories)
            self._key = key
        self._compiled.stories_given = stories
        return self._compiled

    def __call__(self, entry: Entry, stories: Sequence[Story]) -> list[str]:
        return self.compiled(stories).match_text(entry.text)


_default = Matcher()


def match_stories(entry: Entry, stories: Sequence[Story]) -> list[str]:
    """Return the slugs of `stories` that `entry` matches, in the order of `stories`."""
    return _default(entry, stories)
