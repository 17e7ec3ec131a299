"""Canonical actors (pure apart from reading the packaged alias table once).

The alias table (`watchers/data/actors.toml`, extendable from the config) maps the names news
uses onto canonical actors: states under their short English name, bodies under their common
English name. Acronyms match case-sensitively, demonyms only before an institution word, people
only in the years they held the role. The table is never a whitelist: `find_mentions` also names
organisations it does not know when they are written as one ("the Nepal Risk Reduction
Consortium").
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from typing import Any, Literal

from watchers.sentences import Token, tokenize

MentionKind = Literal["name", "demonym", "person", "organisation", "role"]

INSTITUTIONS = frozenset(
    [
        "army",
        "military",
        "forces",
        "force",
        "government",
        "ministry",
        "minister",
        "officials",
        "official",
        "envoy",
        "ambassador",
        "president",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "media",
        "police",
        "prosecutors",
        "prosecutor",
        "court",
        "courts",
        "authorities",
        "embassy",
        "navy",
        "state",
        "administration",
        "leader",
        "leaders",
        "regime",
        "parliament",
        "cabinet",
        "agency",
        "intelligence",
        "secretary",
        "chancellor",
        "premier",
        "delegation",
        "counterpart",
        "mission",
        "presidency",
        "coastguard",
        "junta",
        "general",
        "commander",
        "generals",
        "guard",
        "pm",
        "side",
    ]
)
"""Words that make a demonym name its state ("Syrian army"; "Syrian soldiers" names no actor)."""

_INSTITUTION_MODIFIERS = frozenset(
    [
        "foreign",
        "defence",
        "defense",
        "interior",
        "health",
        "home",
        "state",
        "air",
        "deputy",
        "top",
        "senior",
        "chief",
        "justice",
        "finance",
        "emergency",
        "news",
        "prime",
        "armed",
        "security",
        "disaster",
        "national",
        "federal",
        "defence",
        "coast",
        "high",
    ]
)
ROLES = frozenset(
    [
        "president",
        "minister",
        "secretary",
        "governor",
        "mayor",
        "ambassador",
        "envoy",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "chancellor",
        "premier",
        "king",
        "queen",
        "general",
        "commander",
        "chief",
        "prosecutor",
        "attorney-general",
        "pm",
    ]
)
"""Titles before a name that make its bearer speak for a state."""

_ORGANISATION_HEADS = frozenset(
    [
        "organisation",
        "organization",
        "society",
        "societies",
        "committee",
        "council",
        "agency",
        "observatory",
        "federation",
        "association",
        "union",
        "commission",
        "fund",
        "institute",
        "university",
        "foundation",
        "consortium",
        "watch",
        "network",
        "authority",
        "service",
        "board",
        "company",
        "corporation",
        "bank",
        "centre",
        "center",
        "alliance",
        "coalition",
        "movement",
        "front",
        "party",
        "group",
        "league",
        "congress",
        "battalion",
        "inspectorate",
        "regulator",
    ]
)
_DESCRIPTORS = frozenset(
    [
        "group",
        "retailer",
        "company",
        "firm",
        "carmaker",
        "automaker",
        "operator",
        "maker",
        "manufacturer",
        "giant",
        "airline",
        "chain",
        "brand",
        "insurer",
        "lender",
        "bank",
        "developer",
        "contractor",
        "utility",
        "broadcaster",
        "supplier",
        "conglomerate",
        "subsidiary",
        "line",
        "charity",
        "organisation",
        "organization",
        "owner",
        "builder",
        "shipowner",
    ]
)
"""Common nouns that introduce an organisation's name ("Italian clothing group Benetton")."""
_CALENDAR = frozenset(
    {
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
        "january", "february", "march", "april", "may", "june", "july", "august",
        "september", "october", "november", "december",
    }
)  # fmt: skip
_CONNECTORS = frozenset({"of", "for", "the", "and", "on", "de"})
_COMPANY_WORDS = frozenset(
    {
        "offshore", "telecom", "telecoms", "chemie", "chemicals", "petroleum", "airlines",
        "airways", "motors", "pharma", "pharmaceuticals", "holdings", "industries",
        "technologies", "shipping", "logistics", "inc", "corp", "ltd", "plc", "gmbh", "llc",
        "lines", "tankers", "carriers", "ferries", "cruises", "networks",
    }
)  # fmt: skip
"""Last words of company names ("Calder Offshore", "Kestrel Telecom"), which news writes bare."""
_NAMED_BEFORE = frozenset({"union", "group", "company", "firm", "carrier", "charity", "party"})
"""Nouns a name comes before ("the IG Metall union", "the Wagner group")."""
_GENERIC_FIRST_WORDS = frozenset(
    {
        "international", "national", "world", "united", "european", "african", "islamic",
        "royal", "state", "general", "federal", "central", "new", "democratic", "the", "south",
        "north", "east", "west", "great", "global", "people's", "popular", "supreme", "high",
    }
)  # fmt: skip
"""First words shared by many names, never a short form of one ("the National ...")."""


@dataclass(frozen=True, slots=True)
class _Alias:
    words: tuple[str, ...]
    actor: str
    kind: MentionKind
    exact: bool = False
    years: tuple[int, int] | None = None
    given_name: bool = False
    region_of: str | None = None


@dataclass(frozen=True, slots=True)
class Mention:
    """An actor named by `tokens[start:end]`."""

    actor: str
    start: int
    end: int
    kind: MentionKind


@dataclass(slots=True)
class AliasTable:
    """Aliases indexed by their first word for longest-first matching."""

    by_key: dict[str, list[_Alias]] = field(default_factory=dict)
    by_exact: dict[str, list[_Alias]] = field(default_factory=dict)
    states: frozenset[str] = frozenset()

    def add(self, alias: _Alias) -> None:
        target = self.by_exact if alias.exact else self.by_key
        bucket = target.setdefault(alias.words[0], [])
        bucket.append(alias)
        bucket.sort(key=lambda a: -len(a.words))


def _words(name: str, *, exact: bool) -> tuple[str, ...]:
    tokens = tokenize(name)
    if exact:
        return tuple(t.text.replace(".", "") if len(t.text) > 2 else t.text for t in tokens)
    return tuple(t.key for t in tokens)


def build_table(actors: Iterable[Mapping[str, Any]]) -> AliasTable:
    """Return an alias table built from `[[actor]]` records as in `actors.toml`."""
    table = AliasTable()
    states: set[str] = set()
    for record in actors:
        name = str(record["name"])
        if record.get("kind", "state") == "state":
            states.add(name)
        given_name = bool(record.get("given_name", False))
        region_of = record.get("region_of")
        own = _words(name, exact=False)
        table.add(_Alias(own, name, "name", given_name=given_name, region_of=region_of))
        for alias in record.get("aliases", ()):
            words = _words(str(alias), exact=False)
            if words != own:
                table.add(_Alias(words, name, "name"))
        for acronym in record.get("acronyms", ()):
            table.add(_Alias(_words(str(acronym), exact=True), name, "name", exact=True))
        for demonym in record.get("demonyms", ()):
            table.add(_Alias(_words(str(demonym), exact=True), name, "demonym", exact=True))
        for person in record.get("people", ()):
            years = (int(person.get("from", 0)), int(person.get("to", 9999)))
            for alias in (person["name"], *person.get("aliases", ())):
                table.add(_Alias(_words(str(alias), exact=True), name, "person", True, years))
    table.states = frozenset(states)
    return table


@cache
def _packaged() -> tuple[Mapping[str, Any], ...]:
    """`actors.toml`, then every other sovereign state from `states.toml`."""
    data = files("watchers").joinpath("data")
    curated = tomllib.loads(data.joinpath("actors.toml").read_text(encoding="utf-8"))["actor"]
    states = tomllib.loads(data.joinpath("states.toml").read_text(encoding="utf-8"))["actor"]
    known = {record["name"] for record in curated}
    return (*curated, *(record for record in states if record["name"] not in known))


def load_aliases(extra: Iterable[Mapping[str, Any]] | None = None) -> AliasTable:
    """Return the packaged alias table, extended by `extra` records (same shape as the TOML)."""
    return build_table([*_packaged(), *(extra or ())])


@cache
def default_table() -> AliasTable:
    """The packaged alias table, built once."""
    return load_aliases()


def find_mentions(
    tokens: Sequence[Token], table: AliasTable, year: int | None = None
) -> list[Mention]:
    """Return the actors named in `tokens`, left to right, longest alias first, not overlapping."""
    mentions: list[Mention] = []
    i, n = 0, len(tokens)
    while i < n:
        found = (
            _organisation(tokens, i, table)
            or _alias_at(tokens, i, table, year)
            or _introduced_name(tokens, i, table)
            or _name_before_noun(tokens, i, table)
            or _acronym(tokens, i, table)
        )
        if found is None:
            i += 1
            continue
        before = mentions[-1] if mentions else None
        if before is not None and before.end == found.start and _bare_role(tokens, found):
            # "NATO Secretary-General" is NATO's, not the UN's Secretary-General
            mentions[-1] = Mention(before.actor, before.start, found.end, before.kind)
            i = found.end
            continue
        if (
            before is not None
            and before.end + 1 == found.start
            and tokens[before.end].key == "'s"
            and found.kind == "organisation"
            and before.actor in table.states
            and tokens[found.end - 1].key in _STATE_ORGANS
        ):
            found = Mention(before.actor, found.start, found.end, "name")  # a state's own office
        mentions.append(found)
        i = found.end
    return mentions


_STATE_ORGANS = frozenset(
    {"authority", "agency", "service", "board", "inspectorate", "regulator", "centre", "center",
     "directorate", "bureau", "office", "committee", "commission"}
)  # fmt: skip
"""Heads of a state's own offices ("Finland's Safety Investigation Authority" is Finland)."""


def _bare_role(tokens: Sequence[Token], found: Mention) -> bool:
    """Whether a mention is only a title ("Secretary-General"), which belongs to the name before."""
    return all(
        t.key in ROLES or t.key == "secretary-general" for t in tokens[found.start : found.end]
    )


def _alias_at(
    tokens: Sequence[Token], i: int, table: AliasTable, year: int | None
) -> Mention | None:
    token = tokens[i]
    exact_key = token.text.replace(".", "") if len(token.text) > 2 else token.text
    candidates = [*table.by_exact.get(exact_key, ()), *table.by_key.get(token.key, ())]
    candidates.sort(key=lambda a: -len(a.words))
    for alias in candidates:
        end = i + len(alias.words)
        if end > len(tokens):
            continue
        if alias.exact:
            got = tuple(
                t.text.replace(".", "") if len(t.text) > 2 else t.text for t in tokens[i:end]
            )
        else:
            got = tuple(t.key for t in tokens[i:end])
        if got != alias.words:
            continue
        if (
            alias.kind == "person"
            and year is not None
            and alias.years is not None
            and not alias.years[0] <= year <= alias.years[1]
        ):
            continue
        if alias.kind == "demonym":
            head = _institution_after(tokens, end)
            if head is None:
                continue
            return Mention(alias.actor, i, head + 1, "demonym")
        if alias.region_of is not None and _names_region(tokens, i, end, table):
            return Mention(alias.region_of, i, end, alias.kind)
        if alias.given_name and _names_person(tokens, i, end, table):
            continue
        return Mention(alias.actor, i, end, alias.kind)
    return None


def _names_person(tokens: Sequence[Token], i: int, end: int, table: AliasTable) -> bool:
    """Whether a state name that is also a first name is part of a person's name here:
    written in lower case ("a hanging chad"), or beside another capitalised name ("Chad
    Morris", "Michael Jordan"), unless the whole sentence is in title case (a headline)."""
    if not tokens[i].text[:1].isupper():
        return True
    words = [t for t in tokens if t.text[:1].isalpha()]
    if sum(t.text[:1].isupper() for t in words) > 0.6 * len(words):
        return False
    after = tokens[end] if end < len(tokens) else None
    if after is not None and _plain_name(after, table):
        return True
    before = tokens[i - 1] if i >= 2 else None  # a sentence's first word is capitalised anyway
    return before is not None and _plain_name(before, table)


def _plain_name(token: Token, table: AliasTable) -> bool:
    """A capitalised word that is no known alias, institution or role: part of a name."""
    return (
        token.text[:1].isupper()
        and token.text.isalpha()
        and token.key not in table.by_key
        and token.text not in table.by_exact
        and token.key not in INSTITUTIONS | _INSTITUTION_MODIFIERS | ROLES | _CALENDAR
    )


def _names_region(tokens: Sequence[Token], i: int, end: int, table: AliasTable) -> bool:
    """Whether a state name is used for a same-named region of another state: after a town
    ("Atlanta, Georgia"), as "the state of Georgia", or with a governor ("Georgia's governor")."""
    keys = [t.key for t in tokens]
    if i >= 2 and keys[i - 1] == "," and _plain_name(tokens[i - 2], table):
        return True
    if keys[max(0, i - 2) : i] == ["state", "of"]:
        return True
    after = keys[end : end + 2]
    return "governor" in after or "legislature" in after


def find_parties(tokens: Sequence[Token], table: AliasTable) -> list[Mention]:
    """Return the sides named only by a demonym ("Russian aircraft", "Indian gunners").

    They take no stance themselves ("Syrian soldiers" is no actor) but can be blamed.
    """
    parties: list[Mention] = []
    for i, token in enumerate(tokens):
        exact_key = token.text.replace(".", "") if len(token.text) > 2 else token.text
        for alias in table.by_exact.get(exact_key, ()):
            end = i + len(alias.words)
            if alias.kind != "demonym" or end >= len(tokens):
                continue
            words = tuple(
                t.text.replace(".", "") if len(t.text) > 2 else t.text for t in tokens[i:end]
            )
            if words != alias.words:
                continue
            if tokens[end].text[:1].islower():
                parties.append(Mention(alias.actor, i, end + 1, "demonym"))
                break
            if (  # "a U.S. Predator drone", "Russian Su-24 jets": a model name, then the noun
                end + 1 < len(tokens)
                and tokens[end + 1].text[:1].islower()
                and tokens[end + 1].text[:1].isalpha()
                and tokens[end].key not in table.by_key
                and tokens[end].key not in INSTITUTIONS
            ):
                parties.append(Mention(alias.actor, i, end + 2, "demonym"))
                break
    return parties


_TITLE_ACRONYMS = frozenset({"PM", "MP", "MPs", "FM", "CEO", "DG", "SG"})
"""Titles written as acronyms ("Iraqi PM"): a person's office, not a body."""


def _acronym(tokens: Sequence[Token], i: int, table: AliasTable) -> Mention | None:
    """An unknown body written as an acronym ("FIFA", "NTSB"), unless the text is all capitals."""
    text = tokens[i].text
    if not (2 <= len(text) <= 6 and text.isalpha() and text.isupper()):
        return None
    if text in table.by_exact or tokens[i].key in table.by_key or text in _TITLE_ACRONYMS:
        return None
    if i > 0 and tokens[i - 1].key in INSTITUTIONS | _ORGANISATION_HEADS:
        return None  # "Turkey's disaster agency AFAD": the acronym names the agency already named
    neighbours = [
        t.text for t in tokens[max(0, i - 2) : i + 3] if t.text.isalpha() and t is not tokens[i]
    ]
    if any(word.isupper() for word in neighbours):
        return None  # a shouted headline, not a name
    return Mention(text, i, i + 1, "organisation")


def _introduced_name(tokens: Sequence[Token], i: int, table: AliasTable) -> Mention | None:
    """A capitalised name right after a common noun naming its kind: "retailer Primark",
    "the ferry company, Aegean Lines," ("group Benetton"). Known aliases are left to the table.
    """
    j = i - 1
    if j >= 1 and tokens[j].text == ",":
        j -= 1
    if j < 0 or tokens[j].key not in _DESCRIPTORS or not tokens[j].text[:1].islower():
        return None
    end = i
    while end < len(tokens) and end - i < 4:
        text = tokens[end].text
        if not (text[:1].isupper() and (text.isalpha() or "-" in text)):
            break
        if tokens[end].key in _CALENDAR or tokens[end].key in ROLES:
            break
        end += 1
    if end == i or tokens[i].key in table.by_key or tokens[i].text in table.by_exact:
        return None
    name = " ".join(t.text for t in tokens[i:end])
    return Mention(name, i, end, "organisation")


def _name_before_noun(tokens: Sequence[Token], i: int, table: AliasTable) -> Mention | None:
    """A name between "the" and the noun of its kind: "the IG BCE union", "the Wagner group"."""
    if i == 0 or tokens[i - 1].key != "the" or not tokens[i].text[:1].isupper():
        return None
    end = i
    while end < len(tokens) and end - i < 3 and tokens[end].text[:1].isupper():
        if not tokens[end].text.replace("-", "").isalpha() or tokens[end].key in _CALENDAR:
            return None
        end += 1
    if end == i or end >= len(tokens) or tokens[end].key not in _NAMED_BEFORE:
        return None
    if not tokens[end].text.islower() or any(
        t.key in table.by_key or t.text in table.by_exact or t.key in INSTITUTIONS
        for t in tokens[i:end]
    ):
        return None
    return Mention(" ".join(t.text for t in tokens[i:end]), i, end, "organisation")


def resolve_short_names(
    tokenised: Sequence[Sequence[Token]], mentions: Sequence[list[Mention]], table: AliasTable
) -> None:
    """Name a body the way the item introduced it, in place: an acronym of a name the item
    spells out ("the Rapid Support Forces ... The RSF denied") and the first word of a company's
    name ("Calder Offshore ... Calder admits") stand for the full name."""
    companies = {
        m.actor for found in mentions for m in found if m.kind == "organisation" and " " in m.actor
    }
    acronyms = any(m.kind == "organisation" and m.actor.isupper() for f in mentions for m in f)
    if not companies and not acronyms:
        return  # the common case: nothing the item could shorten
    long_names = companies | {m.actor for f in mentions for m in f if m.actor.count(" ") >= 2}
    initials = {_initials(name): name for name in long_names} if acronyms else {}
    first_words = {
        name.split()[0]: name
        for name in companies
        if _short_form(name, table) and name not in table.states
    }
    for tokens, found in zip(tokenised, mentions, strict=True):
        taken = {k for m in found for k in range(m.start, m.end)}
        for index, mention in enumerate(found):
            if mention.kind == "organisation" and mention.actor in initials:
                found[index] = Mention(initials[mention.actor], mention.start, mention.end, "name")
        extra = [
            Mention(first_words[token.text], i, i + 1, "organisation")
            for i, token in enumerate(tokens)
            if i not in taken
            and token.text in first_words
            and not (i + 1 < len(tokens) and tokens[i + 1].text[:1].isupper())
        ]
        if extra:
            found[:] = sorted([*found, *extra], key=lambda m: m.start)


def _short_form(name: str, table: AliasTable) -> bool:
    """Whether the first word of `name` can stand for it alone: not "International", nor a
    name or demonym of its own ("Moldovan" in "Moldovan Weightlifting Federation")."""
    first = name.split()[0]
    return (
        first[:1].isupper()
        and first.isalpha()
        and first.lower() not in _GENERIC_FIRST_WORDS
        and first.lower() not in table.by_key
        and first not in table.by_exact
        and first.lower() not in INSTITUTIONS | ROLES | _CALENDAR
    )


def _initials(name: str) -> str:
    """ "Rapid Support Forces" -> "RSF", "World Anti-Doping Agency" -> "WADA"; small words
    ("Committee to Protect Journalists" -> "CPJ") are left out."""
    parts = [part for word in name.split() for part in word.split("-") if part]
    return "".join(part[0] for part in parts if part[0].isupper())


def _institution_after(tokens: Sequence[Token], end: int) -> int | None:
    for j in range(end, min(end + 3, len(tokens))):
        key = tokens[j].key
        if key == "side" and tokens[j + 1 : j + 2] and tokens[j + 1].key in ("of", "to"):
            return None  # "the Armenian side of the border" is a place, not the state
        if key in INSTITUTIONS:
            return j
        if key not in _INSTITUTION_MODIFIERS:
            return None
    return None


def _organisation(tokens: Sequence[Token], i: int, table: AliasTable) -> Mention | None:
    """A capitalised name ending in an organisation word that the table does not know."""
    key = tokens[i].key
    if (
        not tokens[i].text[:1].isupper()
        or key in _CONNECTORS | {"former"}
        or key.endswith("-based")
    ):
        return None  # "Former X chairman" is no X; "Athens-based X Lines" is X Lines
    j, last_head = i, -1
    while j < len(tokens) and j - i < 8:
        text = tokens[j].text
        if (text[:1].isupper() and text.isalpha()) or ("-" in text and text[:1].isupper()):
            if tokens[j].key in _ORGANISATION_HEADS or tokens[j].key in _COMPANY_WORDS:
                last_head = j
            j += 1
        elif tokens[j].key == "'s" and j > i and tokens[j - 1].key == "people":
            j += 1  # "All People's Congress", "People's Liberation Army"
        elif tokens[j].key in _CONNECTORS and j > i:
            if tokens[j].key == "and" and (
                tokens[j - 1].key in _ORGANISATION_HEADS
                or tokens[j - 1].key in table.by_key
                or (j + 1 < len(tokens) and tokens[j + 1].key == "the")
            ):
                break  # "the European Union and the African Union", "Peru and the OAS": two names
            j += 1
        else:
            break
    if last_head == i and j > i + 2 and tokens[i + 1].key in ("of", "for"):
        last_head = j - 1  # "Organization of American States": the head comes first
        while last_head > i and tokens[last_head].key in _CONNECTORS:
            last_head -= 1
    if last_head < i + 1:
        return None
    words = tuple(t.key for t in tokens[i : last_head + 1])
    for alias in table.by_key.get(words[0], ()):
        if alias.words == words[: len(alias.words)] and len(alias.words) == len(words):
            return Mention(alias.actor, i, last_head + 1, "name")
    if any(
        alias.words[: len(words)] == words and len(alias.words) > len(words)
        for alias in table.by_key.get(words[0], ())
    ):
        return None
    name = " ".join(t.text for t in tokens[i : last_head + 1]).replace(" 's ", "'s ")
    return Mention(name, i, last_head + 1, "organisation")
