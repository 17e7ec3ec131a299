"""Official positions in one sentence (pure): stance triggers and the actor who takes them.

A trigger phrase ("accused", "called for", "flagrant violation") gives the stance; the actor is
the subject doing it, found by reading left within the clause past objects of prepositions and
of other verbs, or the agent after "by", or the speaker of a reported statement ("X said the
attack was savage"). Negated, hypothetical and nested triggers ("accused Moscow of denying")
give nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from storage.records import Stance
from watchers.actors import INSTITUTIONS, Mention
from watchers.sentences import Token

_TRIGGERS: dict[tuple[str, ...], tuple[Stance, str]] = {}


def _add(stance: Stance, kind: str, *phrases: str) -> None:
    for phrase in phrases:
        _TRIGGERS[tuple(phrase.split())] = (stance, kind)


_add("accuse", "verb", "accused", "accuses", "accuse", "accusing", "blamed", "blames", "blame",
     "blaming", "charged", "indicted", "indicts", "held", "holds", "hold", "alleged", "alleges",
     "pointed the finger")  # fmt: skip
_add("accuse", "blame", "responsible", "responsibility", "culpable", "to blame", "was behind",
     "were behind", "is behind")  # fmt: skip
_add("deny", "verb", "denied", "denies", "deny", "denying", "denial", "rejected", "rejects",
     "rejecting", "dismissed", "dismisses", "dismissing", "disputed", "disputes", "disputing",
     "refuted", "refutes", "rebuffed", "had nothing to do", "has nothing to do",
     "had no involvement", "meant nothing")  # fmt: skip
_add("acknowledge", "verb", "acknowledged", "acknowledges", "acknowledging", "admitted",
     "admits", "admitting", "conceded", "concedes", "conceding", "took responsibility",
     "accepted responsibility", "has confirmed that its", "confirmed that its",
     "confirmed that it")  # fmt: skip
_add("regret", "verb", "regret", "regrets", "regretted", "apologised", "apologized",
     "apologises", "apologizes", "apology", "sorry", "condolences", "mourning", "saddened",
     "sympathies")  # fmt: skip
_add("condemn", "verb", "condemned", "condemns", "condemn", "condemning", "denounced",
     "denounces", "deplored", "deplores")  # fmt: skip
_add("condemn", "speech", "flagrant violation", "violation of international", "act of aggression",
     "sickening", "savage", "barbaric", "heinous", "despicable", "reckless act", "brazen",
     "outrageous", "cowardly", "abhorrent", "atrocious", "unacceptable")  # fmt: skip
_add("demand", "verb", "demanded", "demands", "demand", "demanding", "called for", "calls for",
     "call for", "calling for", "urged", "urges", "urge", "urging", "appealed", "appeals",
     "appealing", "called on", "calls on", "insisted on", "pressed", "presses",
     "to explain", "asked for", "renewed its appeal", "pleaded", "sought")  # fmt: skip
_add("investigate", "verb", "investigate", "investigated", "investigates", "investigating",
     "investigation", "inquiry", "probe", "review", "look into", "looking into",
     "commissioned", "findings", "found that", "concluded that", "has concluded",
     "confirmed britain's", "tests")  # fmt: skip
_add("meeting", "meeting", "meeting", "session", "met", "meets", "convened", "convenes",
     "behind closed doors")  # fmt: skip

_MAX_TRIGGER = max(len(p) for p in _TRIGGERS)
_NEGATIONS = frozenset({"not", "never", "'t", "no", "neither"})
_HYPOTHETICAL = frozenset({"could", "might", "may", "should", "likely", "expected", "if",
                           "unless", "possible", "possibly", "whether"})  # fmt: skip
_FUTURE = frozenset({"would", "will"})
_SAY = frozenset(
    [
        "said",
        "says",
        "say",
        "told",
        "tells",
        "added",
        "stated",
        "announced",
        "declared",
        "insisted",
        "maintained",
        "warned",
        "argued",
        "wrote",
    ]
)
_OBJECT_MARKERS = frozenset(
    [
        "of",
        "by",
        "against",
        "on",
        "to",
        "with",
        "for",
        "from",
        "at",
        "in",
        "over",
        "into",
        "about",
        "than",
        "between",
        "toward",
        "towards",
        "near",
        "under",
        "as",
        "accused",
        "accusing",
        "blamed",
        "blaming",
        "urged",
        "urging",
        "told",
        "asked",
        "held",
        "holds",
        "hold",
        "summoned",
        "expel",
        "expelled",
        "charged",
        "backed",
        "back",
        "support",
        "supported",
        "joined",
    ]
)
_CLAUSE_STOPS = frozenset({";", "while", "but", "whereas", "although", "though", "(", ")"})
_PRONOUNS = frozenset({"it", "he", "she", "they", "we", "its", "his", "her", "their", "i"})
_REQUESTS = frozenset(
    [
        "asked",
        "requested",
        "request",
        "requests",
        "requesting",
        "seeks",
        "sought",
        "seeking",
        "called",
        "calls",
        "calling",
        "demanded",
        "wants",
        "urged",
        "call",
        "seek",
    ]
)
_MEETING_CUES = frozenset(
    [
        "emergency",
        "urgent",
        "special",
        "council",
        "security",
        "closed-door",
        "extraordinary",
        "high-level",
    ]
)
_REPORT_NOUNS = frozenset(
    ["accusations", "claims", "allegations", "suggestions", "reports", "assertion"]
)


@dataclass(frozen=True, slots=True)
class RawPosition:
    """A stance found in a sentence with its canonical actor."""

    actor: str
    stance: Stance


@dataclass(frozen=True, slots=True)
class _Trigger:
    stance: Stance
    kind: str
    start: int
    end: int


def find_triggers(keys: Sequence[str]) -> list[_Trigger]:
    """Return the stance triggers of a sentence, longest phrase first, not overlapping."""
    found: list[_Trigger] = []
    i, n = 0, len(keys)
    while i < n:
        for width in range(min(_MAX_TRIGGER, n - i), 0, -1):
            hit = _TRIGGERS.get(tuple(keys[i : i + width]))
            if hit is not None:
                found.append(_Trigger(hit[0], hit[1], i, i + width))
                i += width
                break
        else:
            i += 1
    return found


def find_positions(
    tokens: Sequence[Token], mentions: Sequence[Mention], context_actor: str | None = None
) -> list[RawPosition]:
    """Return the (actor, stance) pairs one sentence states, in order, without repeats.

    `context_actor` is who the previous sentences were about, for a sentence that opens with
    "He" or "The ministry".
    """
    keys = [t.key for t in tokens]
    triggers = find_triggers(keys)
    positions: list[RawPosition] = []
    for index, trigger in enumerate(triggers):
        if _suppressed(keys, triggers, index):
            continue
        actors = _actors_for(keys, mentions, trigger, context_actor)
        for actor in actors:
            position = RawPosition(actor, trigger.stance)
            if position not in positions:
                positions.append(position)
    return positions


def _suppressed(keys: Sequence[str], triggers: Sequence[_Trigger], index: int) -> bool:
    trigger = triggers[index]
    start = trigger.start
    window = keys[max(0, start - 3) : start]
    negation_inside = "nothing" in keys[start : trigger.end]  # "had nothing to do with"
    if not negation_inside and any(k in _NEGATIONS for k in window):
        return True
    before = keys[max(0, start - 4) : start]
    if any(k in _HYPOTHETICAL for k in before):
        return True
    if any(k in _FUTURE for k in before) and not any(k in _SAY for k in keys[:start]):
        return True
    if (
        start > 0
        and keys[start - 1] in ("of", "for")
        and index > 0
        and triggers[index - 1].stance in ("accuse", "condemn", "deny")
    ):
        return True
    if trigger.kind == "blame":
        if any(k in _REPORT_NOUNS for k in keys[max(0, start - 10) : start]):
            return True
        copula = keys[start - 1 : start] in (
            ["was"],
            ["were"],
            ["is"],
            ["are"],
            ["bears"],
            ["bear"],
        )
        if not copula and keys[start] != "to" and keys[start - 2 : start - 1] != ["held"]:
            return True
    if trigger.kind == "verb" and keys[start] in ("held", "holds", "hold"):
        return "responsible" not in keys[trigger.end : trigger.end + 5]
    if (
        trigger.kind == "verb"
        and keys[start] in ("charged",)
        and "with" not in keys[start : start + 8]
    ):
        return True
    if keys[start] in ("review", "tests", "findings", "probe", "inquiry", "investigation"):
        return False
    if trigger.stance == "demand" and any(
        t.kind == "meeting" and 0 < t.start - trigger.end <= 4 for t in triggers
    ):
        return True  # "asked for an urgent meeting" is the meeting request itself
    if trigger.kind == "meeting":
        near = keys[max(0, start - 5) : trigger.end + 6]
        return not any(k in _MEETING_CUES for k in near)
    return False


def _actors_for(
    keys: Sequence[str],
    mentions: Sequence[Mention],
    trigger: _Trigger,
    context_actor: str | None,
) -> list[str]:
    if trigger.kind == "meeting":
        return _meeting_actors(keys, mentions, trigger, context_actor)
    if keys[trigger.end : trigger.end + 1] == ["by"]:
        agents = [m for m in mentions if trigger.end < m.start <= trigger.end + 3]
        if agents:
            return _with_conjuncts(keys, mentions, agents[0], forward=True)
    if trigger.kind == "blame":
        left = [m for m in mentions if m.end <= trigger.start]
        if left:
            target = left[-1]
            speaker = _subject_left(keys, mentions, target.start)
            return [speaker.actor] if speaker else _speaker(keys, mentions, trigger, context_actor)
        return _speaker(keys, mentions, trigger, context_actor)
    if trigger.kind == "speech":
        return _speaker(keys, mentions, trigger, context_actor)
    subject = _subject_left(keys, mentions, trigger.start)
    if subject is not None:
        return _with_conjuncts(keys, mentions, subject, forward=False)
    return _speaker(keys, mentions, trigger, context_actor)


def _clause_start(keys: Sequence[str], position: int) -> int:
    for j in range(position - 1, -1, -1):
        if keys[j] in _CLAUSE_STOPS:
            return j + 1
    return 0


def _subject_left(
    keys: Sequence[str], mentions: Sequence[Mention], position: int
) -> Mention | None:
    """The nearest actor left of `position` in its clause that is not an object."""
    begin = _clause_start(keys, position)
    for j in range(position - 1, begin - 1, -1):
        if keys[j] in _PRONOUNS and j >= position - 3:
            return None
        if keys[j] in _SAY and j < position - 1:
            break
    for mention in reversed(mentions):
        if mention.end > position or mention.start < begin:
            continue
        before = keys[mention.start - 1] if mention.start > 0 else ""
        if before in ("the", "a", "an") and mention.start > 1:
            before = keys[mention.start - 2]
        if before == "of" and mention.start > 1 and keys[mention.start - 2] in INSTITUTIONS:
            return mention  # "the interior ministry of Kenya"
        if before in _OBJECT_MARKERS:
            continue
        if keys[mention.end : mention.end + 1] == ["'s"] and mention.end + 1 < position:
            # "Russia's Defence Ministry": the possessor speaks unless another actor follows
            return mention
        return mention
    return None


def _with_conjuncts(
    keys: Sequence[str], mentions: Sequence[Mention], head: Mention, *, forward: bool
) -> list[str]:
    actors = [head.actor]
    ordered = list(mentions) if forward else list(reversed(mentions))
    current = head
    for mention in ordered:
        if (forward and mention.start < current.end) or (
            not forward and mention.end > current.start
        ):
            continue
        gap = keys[current.end : mention.start] if forward else keys[mention.end : current.start]
        if gap in ([","], ["and"], [",", "and"], ["and", "the"], [",", "the"], [",", "and", "the"]):
            if mention.actor not in actors:
                actors.append(mention.actor)
            current = mention
        else:
            break
    return actors


def _speaker(
    keys: Sequence[str], mentions: Sequence[Mention], trigger: _Trigger, context_actor: str | None
) -> list[str]:
    """Who says the sentence holding `trigger`: "X said ...", "..., X said", else the context."""
    for j in range(trigger.start - 1, -1, -1):
        if keys[j] in _SAY or keys[j] in ("called", "calls"):
            subject = _subject_left(keys, mentions, j)
            if subject is not None:
                return [subject.actor]
            if any(k in _PRONOUNS for k in keys[max(0, j - 3) : j]) and context_actor:
                return [context_actor]
    for j in range(trigger.end, len(keys)):
        if keys[j] in _SAY:
            after = [m for m in mentions if j < m.start <= j + 3]
            if after:
                return [after[0].actor]
            before = [m for m in mentions if trigger.end <= m.start and m.end <= j]
            if before:
                return [before[-1].actor]
            break
    opening = keys[0] if keys else ""
    if opening in _PRONOUNS and context_actor:
        return [context_actor]
    return []


def _meeting_actors(
    keys: Sequence[str], mentions: Sequence[Mention], trigger: _Trigger, context_actor: str | None
) -> list[str]:
    actors: list[str] = []
    for j in range(trigger.start - 1, max(-1, trigger.start - 7), -1):
        if keys[j] in _REQUESTS:
            subject = _subject_left(keys, mentions, j)
            if subject is not None:
                actors.extend(_with_conjuncts(keys, mentions, subject, forward=False))
            elif any(k in _PRONOUNS for k in keys[max(0, j - 2) : j]) and context_actor:
                actors.append(context_actor)
            return actors
    for j in range(len(keys) - 1):
        if keys[j] == "'s" and keys[j + 1] == "request":
            owner = [m for m in mentions if m.end == j]
            if owner:
                actors.append(owner[0].actor)
        if keys[j] in ("it", "they") and keys[j + 1] == "requested":
            subject = _subject_left(keys, mentions, j)
            if subject is not None:
                actors.append(subject.actor)
    council = [m for m in mentions if m.actor == "UN Security Council"]
    if council and trigger.stance == "meeting":
        near = any(abs(m.start - trigger.start) <= 6 for m in council)
        held = keys[trigger.start] in ("met", "meets", "convened", "convenes") or any(
            k in ("at", "during", "held", "holds", "hold")
            for k in keys[max(0, trigger.start - 6) : trigger.start]
        )
        if near and held and "UN Security Council" not in actors:
            actors.append("UN Security Council")
    return actors
