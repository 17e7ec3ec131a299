"""Fact extraction (pure): the figures and positions a text states about a story.

Implements the `FactExtractor` seam of `watchers/contracts.py` with rules only (stdlib `re`,
linear time): sentences, actor mentions, figures with their claimant, positions. Unqualified
institutions ("police said", "Prime Minister X") speak for the state the item is about.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from functools import lru_cache

from storage.records import Facts, Figure, Position, Story
from watchers.actors import (
    ROLES,
    AliasTable,
    Mention,
    default_table,
    find_mentions,
    find_parties,
    resolve_short_names,
)
from watchers.claimants import SAY_VERBS, Sentence, claimants, sentence_speaker
from watchers.figures import find_figures
from watchers.places import place_states
from watchers.positions import Context, find_positions
from watchers.sentences import Token, split_sentences, tokenize
from watchers.textnorm import words

EXTRACTION_PATH = "rules"
"""Which extraction path is active; only the rule-based one exists."""

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
    resolve_short_names(tokenised, mentions, table)
    home = _home_state(mentions, story, table, year, tokenised)
    people: dict[str, str] = {}
    for tokens, found in zip(tokenised, mentions, strict=True):
        found[:] = _with_roles(tokens, found, home, people)
    terms = _story_terms(story, sentences[0])
    titled = _has_title(text, sentences)
    figures: list[Figure] = []
    title_figures: list[Figure] = []
    positions: list[Position] = []
    context: str | None = None
    speaker: str | None = None
    lead: str | None = None
    body: str | None = None
    position_terms = terms if story is not None else frozenset()
    for number, (sentence, tokens, found) in enumerate(
        zip(sentences, tokenised, mentions, strict=True)
    ):
        # without a story the headline is the story, so it cannot be "another incident" to itself
        own_terms = terms if story is not None or number > 0 else frozenset()
        read = Sentence([t.key for t in tokens], [t.text for t in tokens], found)
        for raw in find_figures(tokens, year=year, story_terms=own_terms):
            for claimant in claimants(read, raw.start, raw.end, home, speaker):
                figure = Figure(raw.metric, raw.value, raw.qualifier, claimant, raw.group, sentence)
                (title_figures if titled and number == 0 else figures).append(figure)
        spoke = speaker if speaker in table.states else None
        speaker = sentence_speaker(read, home, speaker)
        if titled and number == 1:
            lead = _lead_source(read, home, speaker)
        around = Context(context, home, body, position_terms, spoke)
        for raw_position in find_positions(tokens, found, around, find_parties(tokens, table)):
            positions.append(Position(raw_position.actor, raw_position.stance, sentence))
        bodies = [m.actor for m in found if m.actor not in table.states]
        body = bodies[-1] if bodies else body
        subjects = [m for m in found if m.start < 4]
        if subjects:
            context = subjects[0].actor
        elif speaker is not None:
            context = speaker  # "..., Kenya's foreign ministry said. The ministry said it held"
    figures.extend(_title_figures(title_figures, figures, lead))
    return Facts(_unique_figures(figures), _unique_positions(positions))


class RuleExtractor:
    """A `FactExtractor` with its own alias table (the packaged one plus the config's)."""

    def __init__(self, table: AliasTable | None = None) -> None:
        self.table = table or default_table()

    def __call__(self, text: str, story: Story | None, published: datetime | None) -> Facts:
        return extract_facts(text, story, published, self.table)


def _story_terms(story: Story | None, title: str) -> frozenset[str]:
    """The words that name the story's own event: its proper names ("Rana Plaza", "Derna").

    Common nouns ("factory", "quake") also name other incidents quoted for context, so only the
    capitalised words of the story's title and keywords count; without a story, the headline's.
    """
    if story is None:
        return frozenset(w for w in words(title) if w not in _STOPWORDS and not w.isdigit())
    names = [
        t.key
        for s in (story.title, *story.keywords)
        for t in _name_tokens(s)
        if t.text[:1].isupper()
    ]
    return frozenset(w for w in names if w not in _STOPWORDS and not w.isdigit())


@lru_cache(maxsize=4096)
def _name_tokens(name: str) -> tuple[Token, ...]:
    """The tokens of a story's title or keyword (the same few strings, entry after entry)."""
    return tuple(tokenize(name))


@lru_cache(maxsize=4096)
def _places_named(name: str) -> tuple[str, ...]:
    return tuple(place_states(_name_tokens(name)))


_NAMED: dict[tuple[int, str, int | None], tuple[AliasTable, tuple[str, ...]]] = {}


def _states_named(name: str, table: AliasTable, year: int | None) -> tuple[str, ...]:
    """The states a story's title or keyword names, as states or as places (cached per table)."""
    key = (id(table), name, year)
    cached = _NAMED.get(key)
    if cached is not None and cached[0] is table:
        return cached[1]
    tokens = _name_tokens(name)
    found = [m.actor for m in find_mentions(tokens, table, year) if m.actor in table.states]
    states = (*found, *_places_named(name))
    if len(_NAMED) >= 4096:
        _NAMED.clear()
    _NAMED[key] = (table, states)
    return states


def _home_state(
    mentions: Sequence[Sequence[Mention]],
    story: Story | None,
    table: AliasTable,
    year: int | None,
    tokenised: Sequence[Sequence[Token]],
) -> str | None:
    """The state the item is about: the one named most often (the story's names count twice).

    A city or region ("Karachi", "British Columbia") counts for its state like the state's name.
    """
    tally: Counter[str] = Counter()
    if story is not None:
        for source in (story.title, *story.keywords):
            for state in _states_named(source, table, year):
                tally[state] += 2
    for found in mentions:
        for mention in found:
            if mention.actor in table.states:
                tally[mention.actor] += 1
    for sentence in tokenised:
        for state in place_states(sentence):
            tally[state] += 1
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


def _has_title(text: str, sentences: Sequence[str]) -> bool:
    """Whether the first sentence is a headline: a line of its own before a blank line."""
    head, blank, _ = text.partition("\n\n")
    return bool(blank) and len(sentences) > 1 and head.strip() == sentences[0]


def _lead_source(read: Sentence, home: str | None, speaker: str | None) -> str | None:
    """The source the first body sentence cites, which a headline figure takes (J11)."""
    for verb, key in enumerate(read.keys):
        if key in SAY_VERBS:
            last = len(read.keys)
            found = claimants(read, last, last, home, speaker)[0]
            if found is not None or verb:
                return found
    return None


def _title_figures(
    title: Sequence[Figure], body: Sequence[Figure], lead: str | None
) -> list[Figure]:
    """Headline figures that the body does not restate, credited as the body credits them.

    A headline abbreviates: "Quake kills 12" over "At least 12 people were killed, police said"
    is one fact, which the body states with its qualifier and source.
    """
    stated = {(f.metric, f.value) for f in body}
    kept: list[Figure] = []
    for figure in title:
        if (figure.metric, figure.value) in stated:
            continue
        if figure.claimant is None and lead is not None:
            figure = replace(figure, claimant=lead)
        kept.append(figure)
    return kept


def _unique_figures(figures: Sequence[Figure]) -> tuple[Figure, ...]:
    seen: dict[tuple[str, int, str, str | None], Figure] = {}
    for figure in figures:
        seen.setdefault((figure.metric, figure.value, figure.qualifier, figure.claimant), figure)
    return tuple(seen.values())


def _unique_positions(positions: Sequence[Position]) -> tuple[Position, ...]:
    seen: dict[tuple[str, str], Position] = {}
    for position in positions:
        seen.setdefault((position.actor, position.stance), position)
    return tuple(seen.values())
