"""Who an item credits for a figure (pure): the claimant of a count, as a canonical actor.

News attributes a number in a few fixed ways: "X said N ..." or "N ..., X said" (the speaker of
the nearest reporting verb), "according to X", "citing X" (the innermost source wins), "X's
official toll" or "the official toll" (the state the item is about), "a study by X", and pronouns
("he said", "it counted") that point back to the last speaker. The actor who performs an action
("police arrested four") is not a claimant unless the item also cites it. Common nouns speak for
the item's state ("officials", "police", "the health ministry") or for nobody canonical
("activists", "medical sources", "rights groups").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from watchers.actors import Mention
from watchers.places import place_states
from watchers.sentences import Token

SAY_VERBS = frozenset(
    [
        "said", "says", "say", "saying", "told", "tells", "reported", "reports", "reporting",
        "announced", "announces", "estimated", "estimates", "estimate", "confirmed", "confirms",
        "confirming", "put", "puts", "putting", "stated", "added", "adding", "counted",
        "counts", "recorded", "records", "found", "finds", "concluded", "acknowledged",
        "acknowledges", "conceded", "admitted", "claimed", "claims", "tallied", "listed",
        "registered", "quoted", "showed", "shows", "revealed", "raised", "revised", "updated",
    ]
)  # fmt: skip
"""Verbs whose subject is the source of the count they introduce or follow."""

_WEAK_VERBS = frozenset(["raised", "revised", "updated", "put", "puts", "putting", "claimed"])
"""Reporting verbs that only attribute a count in their own clause ("raised the toll to 34")."""

_PARTICIPLES = frozenset(["saying", "adding", "putting", "confirming", "reporting"])
"""Reporting participles whose subject is the subject of the sentence."""

STATE_NOUNS = frozenset(
    [
        "police", "officials", "official", "authorities", "authority", "government", "ministry",
        "army", "military", "coastguard", "prosecutors", "prosecutor", "minister", "governor",
        "mayor", "president", "spokesman", "spokeswoman", "spokesperson", "secretary",
        "administration", "officer", "officers", "department", "investigators", "investigator",
        "firefighters", "governments", "premier", "chancellor", "inspectors", "navy",
        "coroner", "ministries", "cabinet", "commissioner", "troops", "forces", "junta",
        "administrator", "attorney-general", "prosecutor-general",
    ]
)  # fmt: skip
"""Common nouns whose speaker is the state the item is about ("police said")."""

_STATE_AGENCIES = frozenset(
    ["agency", "service", "services", "centre", "center", "office", "institute", "bureau",
     "directorate", "command", "commission", "force", "cell", "prefecture", "brigade",
     "secretariat", "corps", "organisation", "organization"]
)  # fmt: skip
_AGENCY_MODIFIERS = frozenset(
    [
        "disaster", "national", "state", "emergency", "fire", "ambulance", "health", "civil",
        "defence", "defense", "meteorological", "provincial", "regional", "federal", "rescue",
        "coast", "relief", "management", "statistics", "statistical", "weather", "aviation",
        "prisons", "prison", "penitentiary", "immigration", "transport", "maritime", "border",
        "forestry", "wildfire", "geological", "seismological", "environment", "environmental",
        "police", "intelligence", "security", "interior", "migration", "refugee", "disease",
        "public", "medical", "examiner", "examiner's", "coroner's", "coroners", "forensic",
        "forensics", "control", "prevention", "protection", "response", "maritime", "safety",
    ]
)  # fmt: skip
NOT_SOURCES = frozenset(
    [
        "activists", "activist", "sources", "source", "agencies", "residents", "resident",
        "witnesses", "witness", "monitor", "monitors", "groups", "organisations", "organizations",
        "journalists", "survivors", "relatives", "doctors", "doctor", "medics", "workers",
        "volunteers", "charity", "charities", "ngos", "diplomats", "analysts", "experts",
        "researchers", "unions", "union", "lawyers", "lawyer", "families", "people", "locals",
        "opposition", "rebels", "insurgents", "protesters", "organisers", "organizers", "staff",
        "hospitals", "hospital", "nurses", "reports", "tally",
    ]
)  # fmt: skip
"""Sources that are no canonical actor: the figure is credited to nobody."""

_OWNED_NOUNS = frozenset(["agencies", "sources", "monitors", "staff", "workers"])
"""Nouns that speak for the actor named right before them ("UN agencies", "UN sources")."""
_STATE_MEDIA = frozenset(
    ["media", "television", "tv", "radio", "broadcaster", "news", "newspaper", "daily"]
)
_PRONOUNS = frozenset(["he", "she", "it", "they", "its", "his", "her", "their", "we", "i"])
_PLACE_PREPOSITIONS = frozenset(["in", "near", "across", "from", "outside", "around", "on"])
_PASSIVE = frozenset(["were", "was", "been", "be", "being", "is", "are"])
_INVERTING = frozenset(["said", "says", "added", "reported"])
_RECIPIENT_WORDS = frozenset(["to", "sent", "submitted", "presented", "delivered"])
_OFFICIAL_NOUNS = frozenset(
    [
        "toll", "count", "tally", "figures", "figure", "number", "numbers", "data",
        "statistics", "estimate", "estimates", "death", "casualty", "list",
    ]
)  # fmt: skip
_OWN_COUNTS = frozenset(["toll", "count", "tally"])
_STUDY_NOUNS = frozenset(
    ["study", "survey", "analysis", "estimate", "report", "review", "research", "assessment"]
)
_CLAUSE_ENDS = frozenset([";", ":", "(", ")", '"'])


@dataclass(frozen=True, slots=True)
class Source:
    """What a stretch of tokens says about a source: an actor, nobody canonical, or nothing."""

    actor: str | None
    found: bool


_NOTHING = Source(None, False)
_NOBODY = Source(None, True)


@dataclass(frozen=True, slots=True)
class Sentence:
    """One tokenised sentence with its actor mentions, as the claimant rules read it."""

    keys: Sequence[str]
    texts: Sequence[str]
    mentions: Sequence[Mention]


def claimants(
    sentence: Sentence, start: int, end: int, home: str | None, speaker: str | None
) -> list[str | None]:
    """The claimants the sentence credits for the count at tokens `start`..`end`.

    One entry, or two when the item credits the number to two actors ("X raised its toll to N,
    adopting the estimate of a study by Y"); `[None]` when no canonical source is named.
    """
    joint = _joint_sources(sentence, start, home, speaker) or _joint_after(
        sentence, end, home, speaker
    )
    if joint:
        return joint
    primary = _primary(sentence, start, end, home, speaker)
    if primary == "":
        return [None]
    # "to N from M": the earlier count M is not the new study's
    previous = start > 0 and sentence.keys[start - 1] == "from"
    second = None if previous else _study_source(sentence, start)
    if second is not None and primary is not None and second != primary:
        return [primary, second]
    return [primary if primary is not None else second]


_JOINT_FILLERS = frozenset(["both", "have", "has", "had", "each", "separately", "also", "all"])


def _joint_sources(
    sentence: Sentence, start: int, home: str | None, speaker: str | None
) -> list[str | None]:
    """ "X and Y both put the toll at N": both subjects of the reporting verb are claimants.

    Only when the two speakers begin the sentence or clause and the verb is the nearest one
    before the count; else [] and the single-claimant rules decide.
    """
    keys = sentence.keys
    verb = next(
        (v for v in range(start - 1, -1, -1) if keys[v] in SAY_VERBS or keys[v] in _CLAUSE_ENDS),
        None,
    )
    if verb is None or keys[verb] in _CLAUSE_ENDS or keys[verb - 1 : verb] == ["by"]:
        return []
    if keys[verb] in _WEAK_VERBS and _clause_break(keys, verb, start):
        return []
    subject_end = verb
    while subject_end > 0 and keys[subject_end - 1] in _JOINT_FILLERS:
        subject_end -= 1
    joins = [j for j in range(max(0, subject_end - 12), subject_end) if keys[j] == "and"]
    if len(joins) != 1:
        return []
    join = joins[0]
    begin = join - 1
    while begin >= 0 and keys[begin] not in (",", ";", ".", "that") and join - begin < 12:
        begin -= 1
    begin += 1
    if begin > 0 and keys[begin - 1] not in (",", ";", "that"):
        return []
    if keys[begin : begin + 1] == ["both"]:
        begin += 1
    first = _noun_phrase_source(sentence, begin, join, home, speaker)
    second = _noun_phrase_source(sentence, join + 1, subject_end, home, speaker)
    if first.actor is None or second.actor is None or first.actor == second.actor:
        return []
    return [first.actor, second.actor]


def _joint_after(
    sentence: Sentence, end: int, home: str | None, speaker: str | None
) -> list[str | None]:
    """ "Six were killed, the IOM and the Libyan Red Crescent said": two speakers after the count.

    Only when ", X and Y said" closes the count's clause; else [] and the single-claimant rules
    decide.
    """
    keys = sentence.keys
    window = keys[end : end + 30]
    if "and" not in window:
        return []  # the common case: one speaker, or none, after the count
    verb = next((end + v for v, key in enumerate(window) if key in SAY_VERBS), None)
    if verb is None or keys[verb] in _WEAK_VERBS or keys[verb - 1] in _PASSIVE:
        return []
    begin = verb - 1
    while begin > end and keys[begin] not in (",", ";", ".", '"') and verb - begin < 14:
        begin -= 1
    if keys[begin] != "," or any(k in _CLAUSE_ENDS for k in keys[end:begin]):
        return []
    joins = [j for j in range(begin + 1, verb) if keys[j] == "and"]
    if len(joins) != 1:
        return []
    first = _noun_phrase_source(sentence, begin + 1, joins[0], home, speaker)
    second = _noun_phrase_source(sentence, joins[0] + 1, verb, home, speaker)
    if first.actor is None or second.actor is None or first.actor == second.actor:
        return []
    return [first.actor, second.actor]


def sentence_speaker(sentence: Sentence, home: str | None, previous: str | None) -> str | None:
    """Who a pronoun in the next sentence ("he said", "it counted") most likely points to."""
    keys = sentence.keys
    for verb, key in enumerate(keys):
        if key in SAY_VERBS and key not in _WEAK_VERBS:
            source = _verb_subject(sentence, verb, home, previous)
            if source.actor is not None:
                return source.actor
    for mention in sentence.mentions:
        if mention.start < 4:
            return _owner(sentence, mention)
    first = keys[0] if keys else ""
    if first in _PRONOUNS:
        return previous
    return previous


def _primary(
    sentence: Sentence, start: int, end: int, home: str | None, speaker: str | None
) -> str | None:
    """The source of the count; "" when it is an official count and no state is known."""
    keys = sentence.keys
    citing = _cited(sentence, home, speaker)
    if citing.found:
        return citing.actor
    official = _official(sentence, start, end, home)
    if official.found:
        return official.actor if official.actor is not None else ""
    for verb in range(start - 1, -1, -1):
        if keys[verb] in _CLAUSE_ENDS:
            break
        if keys[verb] not in SAY_VERBS:
            continue
        if keys[verb] in _WEAK_VERBS and _clause_break(keys, verb, start):
            continue
        if verb > 0 and keys[verb - 1] in _PASSIVE:
            continue
        if _reported_pronoun(keys, verb):
            continue  # "workers said they had counted 35 bodies": the workers are the source
        source = _verb_subject(sentence, verb, home, speaker)
        if source.found:
            return source.actor
    for verb in range(end, len(keys)):
        if keys[verb] == '"' and keys[verb - 1] == ",":
            continue  # '"Two of the dead were children," the minister told ...'
        if keys[verb] in _CLAUSE_ENDS:
            break
        if keys[verb] not in SAY_VERBS or keys[verb] in _WEAK_VERBS:
            continue
        if keys[verb - 1] in _PASSIVE:
            if keys[verb + 1 : verb + 2] == ["by"]:
                stop = min(len(keys), verb + 8)
                return _noun_phrase_source(sentence, verb + 2, stop, home, speaker).actor
            continue
        if keys[verb - 1][:1].isdigit() or not _closes(keys, verb):
            continue
        source = _verb_subject(sentence, verb, home, speaker)
        if source.found:
            return source.actor
    return None


def _reported_pronoun(keys: Sequence[str], verb: int) -> bool:
    """Whether the verb's subject is a pronoun right after another reporting verb."""
    j = verb - 1
    while j > 0 and keys[j] in ("had", "have", "has", "were", "was", "also"):
        j -= 1
    return j > 0 and keys[j] in _PRONOUNS and keys[j - 1] in SAY_VERBS


def _closes(keys: Sequence[str], verb: int) -> bool:
    """Whether a reporting verb ends its clause ("..., police said.", "..., said police")."""
    if keys[verb - 1] == "," or keys[verb] in ("told", "tells"):
        return True  # "..., a senior official told Reuters": the hearer follows "told"
    following = keys[verb + 1] if verb + 1 < len(keys) else "."
    return following in (".", ",", ";", "on", "late", "early", "earlier", "in", "at", "today") or (
        following in _DAY_WORDS
    )


def _clause_break(keys: Sequence[str], verb: int, start: int) -> bool:
    between = keys[verb + 1 : start]
    for j, key in enumerate(between):
        if key == "and" and j >= len(between) - 3 and _joins_counts(between, j):
            continue  # "put the toll at 25 dead and 71 wounded": one clause, two counts
        if key == "," and between[j + 1 : j + 3] in (["up", "from"], ["down", "from"]):
            continue  # "revised the toll to 150, down from 180": the change's old value
        if key == "and" and j >= 2 and between[j - 2] == "between":
            continue  # "put the toll at between 80 and 100": a range
        if key in ("and", "which", "who", "that"):
            return True
        if key == "," and between[j + 1 : j + 2] not in (["with"], ["including"]):
            return True
    return False


def _joins_counts(between: Sequence[str], j: int) -> bool:
    """Whether the "and" at `between[j]` follows a count and its casualty word ("25 dead and")."""
    return j >= 2 and between[j - 2][:1].isdigit() and between[j + 1 :] in ([], ["more"])


def _cited(sentence: Sentence, home: str | None, speaker: str | None) -> Source:
    """The source named after "citing" or "according to", innermost first."""
    keys = sentence.keys
    found = _NOTHING
    for j, key in enumerate(keys):
        if key == "citing" or (key == "according" and keys[j + 1 : j + 2] == ["to"]):
            first = j + 1 if key == "citing" else j + 2
            source = _noun_phrase_source(sentence, first, min(len(keys), first + 10), home, speaker)
            if source.found and (key == "citing" or not found.found):
                found = source
    return found


def _official(sentence: Sentence, start: int, end: int, home: str | None) -> Source:
    """ "X's official toll", "the official count", "officially listed": the state's own count."""
    keys = sentence.keys
    begin = _clause_start(keys, start)
    stop = _clause_end(keys, end)
    for j in range(begin, stop):
        key = keys[j]
        official = key == "officially" or (
            key == "official" and keys[j + 1 : j + 2] and keys[j + 1] in _OFFICIAL_NOUNS
        )
        if not official and key in _OWN_COUNTS and j >= 2 and keys[j - 1] == "'s":
            owner = [m for m in sentence.mentions if m.end == j - 1]
            if owner:
                return Source(_owner(sentence, owner[-1]), True)  # "Guinea's toll of 56"
            if keys[j - 2] in ("government", "authorities", "state") and j - begin >= 2:
                return Source(home, True)  # "the government's toll of 56"
        if not official:
            continue
        owner = [m for m in sentence.mentions if 0 <= j - m.end <= 2 and "'s" in keys[m.end : j]]
        if owner:
            return Source(_owner(sentence, owner[-1]), True)
        return Source(home, True)
    return _NOTHING


def _clause_start(keys: Sequence[str], start: int) -> int:
    j = start - 1
    while j >= 0 and start - j < 25:
        key = keys[j]
        if key in _CLAUSE_ENDS or key in ("said", "says", "that", "while", "but"):
            return j + 1
        if key == "," and keys[j + 1 : j + 2] not in (["with"], ["including"], ["which"]):
            return j + 1
        if key == "and" and j > 0 and keys[j - 1] == ",":
            return j + 1
        j -= 1
    return j + 1


def _clause_end(keys: Sequence[str], end: int) -> int:
    j = end
    while j < len(keys) and j - end < 12:
        if keys[j] in _CLAUSE_ENDS or keys[j] in (",", "."):
            return j
        j += 1
    return j


def _verb_subject(sentence: Sentence, verb: int, home: str | None, speaker: str | None) -> Source:
    """The speaker of the reporting verb at `verb`: its subject, or the one after it."""
    keys = sentence.keys
    if keys[verb] in _PARTICIPLES:
        # "..., the ministry said, adding that 11 ...": the one who said it adds it
        for earlier in range(verb - 1, -1, -1):
            if keys[earlier] in SAY_VERBS and keys[earlier] not in _PARTICIPLES:
                source = _verb_subject(sentence, earlier, home, speaker)
                if source.found:
                    return source
                break
        return _noun_phrase_source(sentence, 0, min(verb, 8), home, speaker)
    left_end = verb
    while left_end > 0 and keys[left_end - 1] in ("on", "also", "later", "earlier", "had", "has"):
        left_end -= 1
    if left_end > 0 and keys[left_end - 1] in _DAY_WORDS:
        left_end -= 1
        if left_end > 0 and keys[left_end - 1] in ("on", "late", "early"):
            left_end -= 1
    inverted = left_end == 0 or keys[left_end - 1] == ","
    if inverted and keys[verb] in _INVERTING and _inverted_subject(keys, verb):
        source = _noun_phrase_source(sentence, verb + 1, min(len(keys), verb + 8), home, speaker)
        if source.found:
            return source
    left_start = _subject_start(keys, left_end)
    for mention in sentence.mentions:
        if mention.start < left_start < mention.end:
            left_start = mention.start  # a name with "and" in it ("... Red Cross and Red Crescent")
    relative = keys[left_start : left_start + 1] in (["who"], ["which"])
    appositive = relative and keys[left_end - 1] == "," and left_start > 1
    if appositive and keys[left_start - 1] == ",":
        # "Ambulance workers, who ferried the wounded, said": the antecedent speaks
        antecedent = _subject_start(keys, left_start - 1)
        return _noun_phrase_source(sentence, antecedent, left_start - 1, home, speaker)
    if relative and left_start + 1 < left_end:
        # "the strike, which UN agencies said had killed 17": the words after "which" speak
        return _noun_phrase_source(sentence, left_start + 1, left_end, home, speaker)
    if relative and left_start > 1 and keys[left_start - 1] == ",":
        antecedent = _subject_start(keys, left_start - 1)
        return _noun_phrase_source(sentence, antecedent, left_start - 1, home, speaker)
    return _noun_phrase_source(sentence, left_start, left_end, home, speaker)


_DAY_WORDS = frozenset(
    [
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "today",
        "yesterday", "morning", "evening", "night", "weekend", "afternoon", "overnight",
    ]
)  # fmt: skip


_NOT_INVERTED = frozenset(["that", "on", "in"]) | _PRONOUNS


def _inverted_subject(keys: Sequence[str], verb: int) -> bool:
    """Whether the words after a clause-initial "said" are its subject ("..., said police")."""
    following = keys[verb + 1 : verb + 2]
    return bool(following) and following[0] not in _NOT_INVERTED


def _subject_start(keys: Sequence[str], left_end: int) -> int:
    """Where the subject before a reporting verb begins (an appositive in commas is skipped)."""
    j = left_end - 1
    commas = 0
    if j >= 0 and keys[j] == ",":
        commas = 1
        j -= 1
    while j >= 0 and left_end - j < 16:
        key = keys[j]
        if key in _CLAUSE_ENDS or key in ("that", "and", "but", "while", "as", "when", "who"):
            return j + 1 if key != "who" else j
        if key == ",":
            if commas == 1:
                commas = 2
            else:
                return j + 1
        j -= 1
    return j + 1


def _noun_phrase_source(
    sentence: Sentence, start: int, end: int, home: str | None, speaker: str | None
) -> Source:
    """The source named by tokens `start`..`end`, the head before any appositive first."""
    keys = sentence.keys
    for j in range(start + 1, end - 1):
        if (keys[j], keys[j + 1]) in _HEAD_ENDS:
            end = j  # "a source close to the government": the source speaks, not the government
            break
    if start >= end:
        return _NOTHING
    comma = next((j for j in range(start + 1, end - 1) if keys[j] == ","), None)
    if comma is not None:
        head = _phrase_source(sentence, start, comma, home, speaker)
        if head.found:
            return head
        return _phrase_source(sentence, comma + 1, end, home, speaker)
    return _phrase_source(sentence, start, end, home, speaker)


def _phrase_source(
    sentence: Sentence, start: int, end: int, home: str | None, speaker: str | None
) -> Source:
    """The named actor of a phrase, else what its common noun nearest the end says."""
    keys = sentence.keys
    mentions = [
        m
        for m in sentence.mentions
        if start <= m.start
        and m.end <= end
        and not _is_place(keys, m, start)
        and keys[m.start - 1 : m.start] != ["to"]
    ]
    for j in range(end - 1, start - 1, -1):
        key = keys[j]
        at = [m for m in mentions if m.start <= j < m.end]
        if at:
            return Source(_owner(sentence, at[-1], home), True)
        if key in _RECIPIENT_WORDS and j > start:
            return _NOTHING
        if key in NOT_SOURCES:
            if key in ("hospital", "hospitals") and keys[j + 1 : j + 2] == ["officials"]:
                continue
            owned = [m for m in mentions if m.end == j and key in _OWNED_NOUNS]
            if owned:
                return Source(_owner(sentence, owned[-1], home), True)  # "UN agencies said"
            return _NOBODY
        if key in _STATE_AGENCIES and j == start + 1 and keys[start] == "the" and speaker:
            return Source(speaker, True)  # "the agency said": the agency named before
        spokesman = key in ("spokesman", "spokeswoman", "spokesperson", "chief", "head")
        agency_s = j - start == 3 and keys[start] == "the" and keys[start + 2] == "'s"
        if spokesman and agency_s and keys[start + 1] in _STATE_AGENCIES and speaker:
            return Source(speaker, True)  # "the office's spokesman said": that office speaks
        state_noun = (
            key in STATE_NOUNS
            or (key in ("defence", "defense") and j > start and keys[j - 1] == "civil")
            or (key == "general" and j > start and keys[j - 1] == "attorney")
            or (key == "office" and keys[j - 1 : j] == ["'s"] and keys[j - 2] in STATE_NOUNS)
            or (key == "guard" and j > start and keys[j - 1] == "coast")
            or (key in _STATE_AGENCIES and j > start and keys[j - 1] in _AGENCY_MODIFIERS)
            or (key in _STATE_MEDIA and j > start and keys[j - 1] == "state")
        )
        if state_noun:
            owners = [m for m in mentions if m.end <= j]
            if owners:
                return Source(_owner(sentence, owners[-1]), True)
            return Source(_place_state(sentence, j, end) or home, True)
        relative = j > start and keys[j - 1] in ("which", "that", "who")
        if key in _PRONOUNS and (j == start or relative):
            earlier = [m for m in sentence.mentions if m.end <= start]
            if earlier and key in ("its", "it", "he", "she", "his", "her"):
                return Source(_owner(sentence, earlier[0]), True)
            return Source(speaker, speaker is not None)
    return _NOTHING


_HEAD_ENDS = frozenset(
    [("close", "to"), ("familiar", "with"), ("linked", "to"), ("loyal", "to"), ("allied", "with")]
)


def _place_state(sentence: Sentence, noun: int, end: int) -> str | None:
    """The state named as a place right after a common noun ("officials in Chile")."""
    for mention in sentence.mentions:
        near = noun < mention.start < min(end, noun + 4)
        if near and sentence.keys[mention.start - 1] in _PLACE_PREPOSITIONS:
            return mention.actor
    return None


def _is_place(keys: Sequence[str], mention: Mention, start: int) -> bool:
    """A state named as a place inside the subject ("police in Lakeport") does not speak."""
    return mention.start > start and keys[mention.start - 1] in _PLACE_PREPOSITIONS


def _owner(sentence: Sentence, mention: Mention, home: str | None = None) -> str:
    """An unknown organisation owned by a known actor ("Nepal's National ... Centre") is it.

    A national public body with no owner named ("the National Weather Service") is the state
    the item is about.
    """
    before = sentence.keys[max(0, mention.start - 2) : mention.start]
    state_run = before[-1:] == ["state-run"] or before[:1] == ["state"]
    if home is not None and state_run and (before[-1] in _STATE_MEDIA or before[-1] == "state-run"):
        return home  # "state broadcaster CCTV said": state media speak for the state
    local = bool(before) and before[-1] in ("provincial", "municipal", "regional", "district")
    if mention.kind == "organisation" and local and home is not None:
        return home  # "the provincial People's Committee said"
    owned = mention.start >= 2 and sentence.keys[mention.start - 1] == "'s"
    if mention.kind == "organisation" and owned:
        owners = [m for m in sentence.mentions if m.end == mention.start - 1]
        if owners:
            return owners[-1].actor
    if mention.kind == "organisation" and sentence.keys[mention.end - 1] in _PUBLIC_BODIES:
        # "Lagos State Emergency Management Agency": a regional body speaks for its state
        texts = sentence.texts[mention.start : min(mention.end, mention.start + 4)]
        keys = sentence.keys[mention.start : min(mention.end, mention.start + 4)]
        named = place_states([Token(t, k, 0) for t, k in zip(texts, keys, strict=True)])
        if named:
            return named[0]
    public = mention.kind == "organisation" and sentence.keys[mention.end - 1] in _PUBLIC_BODIES
    if public and home is not None and mention.actor.startswith(f"{home} "):
        return home  # "the Nigeria Centre for Disease Control": a national public body
    national = sentence.keys[mention.start] in ("national", "federal")
    if mention.kind == "organisation" and national and home is not None:
        last = sentence.keys[mention.end - 1]
        if last in _PUBLIC_BODIES or last in ("committee", "council"):
            return home
    return mention.actor


_PUBLIC_BODIES = frozenset(
    [
        "agency", "authority", "ministry", "department", "police", "service", "services",
        "office", "commission", "government", "administration", "directorate", "institute",
        "centre", "center", "bureau", "command", "board", "council", "force", "corps",
        "organisation", "organization", "secretariat", "brigade",
    ]
)  # fmt: skip


def _study_source(sentence: Sentence, start: int) -> str | None:
    """An actor credited through its study, survey or analysis ("a study by X")."""
    keys = sentence.keys
    for j, key in enumerate(keys):
        if key not in _STUDY_NOUNS:
            continue
        for k in range(j + 1, min(j + 4, len(keys))):
            if keys[k] in ("by", "from"):
                after = [m for m in sentence.mentions if k < m.start <= k + 5]
                if after:
                    return _owner(sentence, after[0])
                break
    return None
