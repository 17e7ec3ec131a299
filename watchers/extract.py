"""Fact extraction (pure): the figures and positions a text states about a story.

Implements the `FactExtractor` seam of `watchers/contracts.py` with rules only (stdlib `re`,
linear time): sentences, actor mentions, figures with their claimant, positions. Unqualified
institutions ("police said", "Prime Minister X") speak for the state the item is about.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime

from storage.records import Facts, Figure, Position, Story
from watchers.actors import (
    ROLES,
    AliasTable,
    Mention,
    default_table,
    find_mentions,
    find_parties,
)
from watchers.figures import RawFigure, find_figures
from watchers.positions import Context, find_positions
from watchers.sentences import Token, split_sentences, tokenize
from watchers.textnorm import words

EXTRACTION_PATH = "rules"
"""Which extraction path is active; only the rule-based one exists."""

_SAY_VERBS = frozenset(
    [
        "said",
        "says",
        "say",
        "told",
        "tells",
        "reported",
        "reports",
        "announced",
        "estimated",
        "estimates",
        "confirmed",
        "confirms",
        "put",
        "puts",
        "stated",
        "added",
        "counted",
        "recorded",
        "warned",
        "cited",
        "quoted",
    ]
)
_GENERIC_STATE = frozenset(
    [
        "police",
        "officials",
        "official",
        "authorities",
        "government",
        "ministry",
        "army",
        "military",
        "coastguard",
        "prosecutors",
        "prosecutor",
        "minister",
        "governor",
        "mayor",
        "president",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "secretary",
        "administration",
    ]
)
_NOT_SOURCES = frozenset(
    [
        "activists",
        "sources",
        "agencies",
        "residents",
        "witnesses",
        "monitor",
        "media",
        "group",
        "groups",
        "organisations",
        "organizations",
        "journalists",
        "survivors",
        "relatives",
        "doctors",
    ]
)
_STOPWORDS = frozenset(
    [
        "the",
        "a",
        "an",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "and",
        "or",
        "from",
        "by",
        "with",
        "near",
        "after",
        "over",
        "as",
        "is",
        "was",
        "new",
        "says",
        "said",
        "attack",
    ]
)
_MAX_SENTENCE_CHARS = 2_000


def extract_facts(
    text: str,
    story: Story | None = None,
    published: datetime | None = None,
    table: AliasTable | None = None,
) -> Facts:
    """Return the figures and positions in `text` that belong to `story` (see `FactExtractor`)."""
    table = table or default_table()
    year = published.year if published is not None else None
    sentences = [s[:_MAX_SENTENCE_CHARS] for s in split_sentences(text)]
    if not sentences:
        return Facts()
    tokenised = [tokenize(s) for s in sentences]
    mentions = [find_mentions(tokens, table, year) for tokens in tokenised]
    home = _home_state(mentions, story, table, year)
    people: dict[str, str] = {}
    for tokens, found in zip(tokenised, mentions, strict=True):
        found[:] = _with_roles(tokens, found, home, people)
    terms = _story_terms(story, sentences[0])
    figures: list[Figure] = []
    positions: list[Position] = []
    context: str | None = None
    body: str | None = None
    position_terms = terms if story is not None else frozenset()
    for number, (sentence, tokens, found) in enumerate(
        zip(sentences, tokenised, mentions, strict=True)
    ):
        # without a story the headline is the story, so it cannot be "another incident" to itself
        own_terms = terms if story is not None or number > 0 else frozenset()
        for raw in find_figures(tokens, year=year, story_terms=own_terms):
            claimant = _claimant(tokens, found, raw, home)
            figures.append(
                Figure(raw.metric, raw.value, raw.qualifier, claimant, raw.group, sentence)
            )
        around = Context(context, home, body, position_terms)
        for raw_position in find_positions(tokens, found, around, find_parties(tokens, table)):
            positions.append(Position(raw_position.actor, raw_position.stance, sentence))
        bodies = [m.actor for m in found if m.actor not in table.states]
        body = bodies[-1] if bodies else body
        subjects = [m for m in found if m.start < 4]
        if subjects:
            context = subjects[0].actor
    return Facts(_unique_figures(figures), _unique_positions(positions))


class RuleExtractor:
    """A `FactExtractor` with its own alias table (the packaged one plus the config's)."""

    def __init__(self, table: AliasTable | None = None) -> None:
        self.table = table or default_table()

    def __call__(self, text: str, story: Story | None, published: datetime | None) -> Facts:
        return extract_facts(text, story, published, self.table)


def _story_terms(story: Story | None, title: str) -> frozenset[str]:
    source = " ".join((story.title, *story.keywords)) if story is not None else title
    return frozenset(w for w in words(source) if w not in _STOPWORDS and not w.isdigit())


def _home_state(
    mentions: Sequence[Sequence[Mention]], story: Story | None, table: AliasTable, year: int | None
) -> str | None:
    """The state the item is about: the one named most often (the story's names count twice)."""
    tally: Counter[str] = Counter()
    if story is not None:
        for source in (story.title, *story.keywords):
            for mention in find_mentions(tokenize(source), table, year):
                if mention.actor in table.states:
                    tally[mention.actor] += 2
    for found in mentions:
        for mention in found:
            if mention.actor in table.states:
                tally[mention.actor] += 1
    if not tally:
        return None
    return tally.most_common(1)[0][0]


def _with_roles(
    tokens: Sequence[Token], found: list[Mention], home: str | None, people: dict[str, str]
) -> list[Mention]:
    """Add people named by title ("Governor Ana Ruiz") and surnames seen before in the item."""
    taken = {k for m in found for k in range(m.start, m.end)}
    extra: list[Mention] = []
    i, n = 0, len(tokens)
    while i < n:
        if i in taken:
            i += 1
            continue
        key = tokens[i].key
        if key in people and tokens[i].text[:1].isupper():
            extra.append(Mention(people[key], i, i + 1, "person"))
            i += 1
            continue
        if (key in ROLES and tokens[i].text[:1].isupper()) or key in ("minister", "secretary"):
            j = i + 1
            while j < n and j - i < 4 and tokens[j].text[:1].isupper() and j not in taken:
                j += 1
            if j - i >= 3 or (j - i == 2 and tokens[i].text[:1].isupper()):
                owner = [m for m in found if 0 <= i - m.end <= 3]
                actor = owner[-1].actor if owner else home
                if actor is not None:
                    people[tokens[j - 1].key] = actor
                    if not owner:
                        extra.append(Mention(actor, i, j, "role"))
                i = j
                continue
        i += 1
    return sorted([*found, *extra], key=lambda m: m.start)


def _claimant(
    tokens: Sequence[Token], found: Sequence[Mention], raw: RawFigure, home: str | None
) -> str | None:
    keys = [t.key for t in tokens]
    for j, key in enumerate(keys):
        if key in ("citing", "cites") or (key == "according" and keys[j + 1 : j + 2] == ["to"]):
            after = [m for m in found if j < m.start <= j + 7]
            if after:
                return after[0].actor
            generic = _generic_source(keys, j + 1, j + 7, home)
            if generic is not None:
                return generic or None
    before = [j for j in range(raw.start) if keys[j] in _SAY_VERBS]
    if before:
        return _say_subject(keys, found, before[-1], home)
    for j in range(raw.end, len(keys)):
        if keys[j] in _SAY_VERBS:
            if any(k[0].isdigit() for k in keys[j:]) or keys[j + 1 : j + 2] == ["that"]:
                return None
            return _say_subject(keys, found, j, home)
    return None


def _say_subject(
    keys: Sequence[str], found: Sequence[Mention], verb: int, home: str | None
) -> str | None:
    left = [m for m in found if m.end <= verb and verb - m.end <= 8]
    right = [m for m in found if verb < m.start <= verb + 3]
    if verb > 0 and keys[verb - 1] not in (",",) and left:
        nearest = left[-1]
        generic = _generic_source(keys, nearest.end, verb, home)
        if generic == "" and keys[nearest.end : nearest.end + 1] != ["'s"]:
            return None
        return nearest.actor
    if right and (verb == 0 or keys[verb - 1] == ","):
        return right[0].actor
    generic = _generic_source(keys, max(0, verb - 4), verb, home)
    if generic is None and right:
        return right[0].actor
    if generic is None:
        generic = _generic_source(keys, verb + 1, verb + 4, home)
    return generic or None


def _generic_source(keys: Sequence[str], start: int, end: int, home: str | None) -> str | None:
    """A source named by a common noun: "" when it is no actor ("activists"), home for officials."""
    for k in range(max(0, start), min(end, len(keys))):
        if keys[k] in _NOT_SOURCES:
            return ""
        if keys[k] in _GENERIC_STATE:
            return home or ""
    return None


def _unique_figures(figures: Sequence[Figure]) -> tuple[Figure, ...]:
    seen: dict[tuple[str, int, str, str | None], Figure] = {}
    for figure in figures:
        seen.setdefault((figure.metric, figure.value, figure.qualifier, figure.claimant), figure)
    unique = list(seen.values())
    # a figure in the title takes the attribution the body gives the same count
    attributed = {(f.metric, f.value): f.claimant for f in unique if f.claimant}
    result: list[Figure] = []
    for figure in unique:
        if figure.claimant is None and (figure.metric, figure.value) in attributed:
            continue
        result.append(figure)
    return tuple(result)


def _unique_positions(positions: Sequence[Position]) -> tuple[Position, ...]:
    seen: dict[tuple[str, str], Position] = {}
    for position in positions:
        seen.setdefault((position.actor, position.stance), position)
    return tuple(seen.values())
