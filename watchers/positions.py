"""Official positions in one sentence (pure): stance triggers and the actor who takes them.

A trigger phrase ("accused", "called for", "flagrant violation") gives the stance; the actor is
the subject doing it, found by reading left within the clause past objects of prepositions and
of other verbs, or the agent after "by", or the speaker of a reported statement ("X said the
attack was savage", "X told reporters Y had planted the bomb"). An unnamed institution
("police", "the government", "a committee") speaks for the item's home state, and "the group"
for the last body named before. Negated, hypothetical and nested triggers ("accused Moscow of
denying") give nothing; so do sentences about a similar, earlier incident when a story is given.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from storage.records import Stance
from watchers.actors import INSTITUTIONS, ROLES, Mention
from watchers.sentences import Token

_TRIGGERS: dict[tuple[str, ...], tuple[Stance, str]] = {}


def _add(stance: Stance, kind: str, *phrases: str) -> None:
    for phrase in phrases:
        _TRIGGERS[tuple(phrase.split())] = (stance, kind)


# kinds: "verb" (its subject takes the stance), "blame" (a culprit is named in a statement: the
# speaker accuses), "speech" (the speaker of the sentence), "charge" (police and prosecutors act
# against someone over a wrong), "finding" (an inquiry's result, also an accusation when it names
# a fault), "dispute" (a rejection only when a claim is what is rejected), "explain" (a demand only
# when someone is given or told to explain), "modal" ("must be investigated" in a statement),
# "inquiry" (an investigation noun, not when it is only the topic), "meeting", "disown" (a side
# says it, or its own forces, took no part: the speaker denies), "passive" ("was shot down by X"
# in a statement: the speaker accuses X), "presence" ("a U.S. drone was in the area when ...":
# a statement placing another side at the scene insinuates it, which news reads as an accusation),
# "attribution" (a culprit named after the phrase: "bore the hallmarks of X"), "naming" (what a
# speaker calls the act: "called it a war crime", only after a naming verb and never hedged),
# "falsity" (a claim called false: a denial only when a claim or report is what is false).
_add("accuse", "verb", "accused", "accuses", "accuse", "accusing", "blamed", "blames", "blame",
     "blaming", "alleged", "alleges", "pointed the finger", "laid the blame on",
     "lays the blame on", "put the blame on", "puts the blame on", "placed the blame on",
     "places the blame on", "pinned the blame on", "pins the blame on")  # fmt: skip
_add(
    "accuse",
    "verb",
    "criticised",
    "criticized",
    "criticises",
    "criticizes",
    "criticising",
    "criticizing",
)  # only "criticised X for" a wrong (see _suppressed)
_add("accuse", "verb", "held", "holds", "hold")  # only with "responsible" (see _suppressed)
_add("accuse", "charge", "charged", "charges", "indicted", "indicts", "arrested", "arrests",
     "detained", "detains", "held over", "prosecuted", "into custody", "held for questioning",
     "held on suspicion", "detaining", "convicted", "convicts", "sentenced", "sentences",
     "as suspects", "as a suspect")  # fmt: skip
_add("accuse", "blame", "responsible", "responsibility", "culpable", "to blame", "was behind",
     "were behind", "is behind", "are behind", "carried out", "opened fire", "fired first",
     "planted", "violated", "deliberately", "orchestrated", "attacked", "ambushed",
     "shelled", "bombed", "fired on", "fired at", "provoked", "failed to protect",
     "failed to prevent", "failed in its duty", "failed in their duty", "intruded",
     "illegally entered", "trespassed", "encroached", "'s fault")  # fmt: skip
_add("accuse", "attribution", "bore the hallmarks of", "bears the hallmarks of",
     "bore all the hallmarks of", "bears all the hallmarks of", "had the hallmarks of",
     "has the hallmarks of", "had all the hallmarks of", "has all the hallmarks of",
     "the fault of")  # fmt: skip
_add("accuse", "passive", "shot down by", "brought down by", "downed by", "struck by", "hit by",
     "carried out by", "planted by", "fired by", "launched by", "attacked by", "targeted by",
     "bombed by", "shelled by", "orchestrated by", "ordered by")  # fmt: skip
_add("accuse", "presence", "in the area", "in the vicinity", "flying over", "flew over",
     "flew near", "flying near", "operating near", "operating over", "operating in",
     "hovering over", "circling over", "was spotted", "were spotted", "been spotted",
     "was seen", "were seen", "been seen", "was present", "were present")  # fmt: skip
_add("deny", "verb", "denied", "denies", "deny", "denying", "denial", "had nothing to do",
     "has nothing to do", "have nothing to do", "had no involvement", "meant nothing",
     "baseless", "groundless", "unfounded", "fabricated")  # fmt: skip
_add("deny", "disown", "played no part", "played no role", "had no role", "has no role",
     "have no role", "had no part", "took no part", "bore no responsibility",
     "bears no responsibility", "bear no responsibility", "was not involved", "were not involved",
     "is not involved", "are not involved", "had not been involved", "was not responsible",
     "had no connection", "has no connection", "have no connection", "had no link",
     "has no link", "have no link", "was not to blame",
     "were not to blame", "is not to blame", "are not to blame", "not to blame",
     "were not responsible", "is not responsible", "are not responsible",
     "no involvement")  # fmt: skip
_add("deny", "dispute", "rejected", "rejects", "rejecting", "dismissed", "dismisses",
     "dismissing", "disputed", "disputes", "disputing", "refuted", "refutes",
     "rebuffed")  # fmt: skip
_add("deny", "falsity", "false", "untrue", "lies", "a lie", "a fabrication", "fabrications",
     "slander", "a smear", "smears", "nonsense", "fake")  # fmt: skip
for _give in ("produced", "provided", "offered", "presented", "given", "shown"):
    for _proof in ("evidence", "proof"):
        _add("deny", "speech", f"{_give} no {_proof}")
_add("acknowledge", "verb", "acknowledged", "acknowledges", "acknowledging", "admitted",
     "admits", "admitting", "conceded", "concedes", "conceding", "took responsibility",
     "accepted responsibility", "accepted the findings", "has confirmed that its",
     "confirmed that its", "confirmed that it", "owned up", "owns up", "claimed responsibility",
     "claims responsibility")  # fmt: skip
_add("regret", "verb", "regret", "regrets", "regretted", "apologised", "apologized",
     "apologises", "apologizes", "apology", "sorry", "condolences", "mourning", "saddened",
     "sympathies", "anguished", "grieved", "heartbroken", "expressed grief")  # fmt: skip
_add("condemn", "verb", "condemned", "condemns", "condemn", "condemning", "denounced",
     "denounces", "denounce", "denouncing", "deplored", "deplores", "deploring", "decried",
     "decries")  # fmt: skip
_add("condemn", "speech", "flagrant violation", "violation of international", "act of aggression",
     "sickening", "savage", "barbaric", "heinous", "despicable", "reckless act", "brazen",
     "outrageous", "cowardly", "abhorrent", "atrocious", "unacceptable", "deplorable",
     "reprehensible", "inexcusable", "unjustifiable", "shameful", "monstrous", "clear violation",
     "blatant violation", "gross violation", "flagrant breach", "blatant breach", "clear breach",
     "violation of sovereignty", "violation of its sovereignty", "act of piracy", "state piracy",
     "air piracy", "act of air piracy",
     "reckless attack", "grave breach")  # fmt: skip
_add("condemn", "naming", "a war crime", "war crimes", "a crime against humanity",
     "crimes against humanity", "an act of terror", "an act of terrorism", "a terrorist act",
     "a violation of", "a breach of", "a gross violation of", "a serious violation of",
     "an attack on press freedom", "an act of war")  # fmt: skip
_add("demand", "verb", "demanded", "demands", "demand", "demanding", "called for", "calls for",
     "call for", "calling for", "urged", "urges", "urge", "urging", "appealed", "appeals",
     "appealing", "called on", "calls on", "insisted on", "pressed", "presses", "asked for",
     "renewed its appeal", "pleaded", "sought", "seek", "seeks", "seeking")  # fmt: skip
_add(
    "demand", "ask", "asked", "asks", "ask", "asking"
)  # "asked Greece to report" (see _asks_actor)
_add("demand", "explain", "to explain", "to account for", "a full account", "an explanation",
     "a full explanation")  # fmt: skip
_add("demand", "modal", "must", "should")
_add("investigate", "verb", "investigate", "investigated", "investigates", "investigating",
     "look into", "looking into", "commissioned", "tests", "examining", "reviewing",
     "probing", "examine", "inspect", "get to the bottom of", "getting to the bottom of",
     "analysing", "analyzing")  # fmt: skip
_add("investigate", "inquiry", "investigation", "inquiry", "probe", "review", "audit",
     "criminal case", "begun an assessment", "began an assessment", "launched an assessment",
     "opened an assessment", "fact-finding")  # fmt: skip
_add("investigate", "finding", "findings", "found that", "concluded that", "has concluded",
     "has found", "have found", "found no", "confirmed britain's")  # fmt: skip
_add("meeting", "meeting", "meeting", "session", "met", "meets", "meet", "convened", "convenes",
     "behind closed doors", "consultations")  # fmt: skip

_WIDTHS: dict[str, tuple[int, ...]] = {}
for _words in _TRIGGERS:
    _WIDTHS[_words[0]] = tuple(sorted({*_WIDTHS.get(_words[0], ()), len(_words)}, reverse=True))
_NEGATIONS = frozenset({"not", "never", "'t", "no", "neither"})
_HYPOTHETICAL = frozenset(
    {"could", "might", "may", "should", "must", "if", "unless", "possibly", "whether"}
)
_HEDGES = frozenset({"likely", "expected", "possible", "ready", "willing", "prepared"})
"""Hypothetical only before "to"/"be": "is expected to condemn", "ready to help investigate"."""
_REFUSALS = frozenset(
    {"refused", "refuses", "refuse", "refusing", "declined", "declines", "declining", "failed",
     "fails", "failing"}
)  # fmt: skip
_FUTURE = frozenset({"would", "will"})
_RESPONSIBILITY = frozenset(
    {"responsible", "responsibility", "culpable", "to", "was", "were", "is"}
)
_CULPRIT_NOUNS = frozenset(
    {
        "militants",
        "terrorists",
        "rebels",
        "insurgents",
        "jihadists",
        "hackers",
        "extremists",
        "separatists",
        "hijackers",
        "kidnappers",
        "pirates",
    }
)
_FINDING_VERBS = frozenset({"concluded", "found", "determined", "established"})
_PARTICIPATION = frozenset({"participated", "involved", "struck", "dropped", "fired"})
_TOOK_PART = frozenset({("took", "part"), ("taken", "part"), ("carried", "out")})
_CLAIMS = frozenset(
    {"claim", "claims", "accusation", "accusations", "allegation", "allegations", "assertion"}
)
_NEGATION_BREAKS = frozenset({"and", ",", "but", ";", "while"})
_AT_THE_TIME = frozenset(
    {"when", "before", "during", "while", "as", "time", "shortly", "minutes", "moments", "hours"}
)
_NON_PARTY_CAUSES = frozenset(
    {
        "error",
        "errors",
        "mistake",
        "mistakes",
        "failure",
        "failures",
        "malfunction",
        "malfunctions",
        "fault",
        "glitch",
        "weather",
        "fog",
        "storm",
        "rain",
        "winds",
        "accident",
        "bias",
        "misjudgment",
        "misjudgement",
        "miscommunication",
        "confusion",
        "fatigue",
    }
)
_SAY = frozenset(
    {
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
        "maintain",
        "warned",
        "argued",
        "wrote",
        "arguing",
        "saying",
        "insists",
    }
)
_PREPOSITIONS = frozenset(
    {
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
        "through",
    }
)
_OTHER_OBJECT_VERBS = frozenset(
    {
        "told",
        "asked",
        "summoned",
        "summons",
        "summon",
        "expels",
        "expel",
        "expelled",
        "backed",
        "back",
        "support",
        "supported",
        "joined",
        "gave",
        "give",
        "questioned",
        "arrested",
        "detained",
        "charged",
        "recalled",
        "raised",
        "adopting",
        "met",
        "ordered",
        "citing",
        "according",
    }
)
_VERB_TRIGGERS = frozenset(
    words[0] for words, (_, kind) in _TRIGGERS.items() if len(words) == 1 and kind != "blame"
)
_OBJECT_MARKERS = _PREPOSITIONS | _OTHER_OBJECT_VERBS | _VERB_TRIGGERS | _SAY
_CLAUSE_STOPS = frozenset({";", "while", "but", "whereas", "although", "though", "(", ")"})
_SUBJECT_PRONOUNS = frozenset({"it", "he", "she", "they", "we", "i"})
_REQUESTS = frozenset(
    {
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
    }
)
_MEETING_CUES = frozenset(
    {
        "emergency",
        "urgent",
        "special",
        "council",
        "security",
        "closed-door",
        "extraordinary",
        "high-level",
    }
)
_REPORT_NOUNS = frozenset(
    {
        "accusations",
        "claims",
        "allegations",
        "suggestions",
        "reports",
        "assertion",
        "speculation",
        "speculate",
    }
)
_CLAIM_NOUNS = frozenset(
    {
        "claim",
        "claims",
        "accusation",
        "accusations",
        "allegation",
        "allegations",
        "charge",
        "charges",
        "report",
        "reports",
        "assertion",
        "statement",
        "suggestion",
        "suggestions",
        "idea",
        "notion",
        "criticism",
        "toll",
        "figure",
        "figures",
        "count",
        "account",
        "findings",
        "version",
        "assessment",
        "conclusion",
        "conclusions",
        "language",
        "blame",
        "responsibility",
        "it",
        "them",
        "this",
        "as",
        "that",
        "any",
    }
)
_PUBLIC = frozenset(
    {
        "public",
        "residents",
        "people",
        "citizens",
        "motorists",
        "everyone",
        "population",
        "courage",
        "patience",
        "unity",
        "prayers",
        "vigilance",
        "calmness",
        "volunteers",
        "tourists",
    }
)
_WRONGS = frozenset({"with", "over", "suspicion", "connection", "alleged", "accused"})
_ARREST_GROUNDS = frozenset(
    {"over", "suspicion", "connection", "alleged", "suspected", "charges", "negligence", "murder",
     "manslaughter", "ringleaders", "suspects", "plotters", "culprits", "perpetrators"}
)  # fmt: skip
_CONVICTIONS = frozenset({"convicted", "convicts", "sentenced", "sentences"})
_EXPLAIN_CUES = frozenset(
    {
        "gave",
        "given",
        "give",
        "gives",
        "giving",
        "wants",
        "want",
        "wanted",
        "time",
        "asked",
        "told",
        "ordered",
        "urged",
        "demanded",
        "called",
        "until",
    }
)
_PASSIVE = frozenset({"was", "were", "been", "being", "be", "and", "is", "are"})
_OBLIGATIONS = frozenset(
    {
        "investigated",
        "established",
        "punished",
        "held",
        "brought",
        "taken",
        "referred",
        "explain",
        "accountable",
        "stop",
        "halt",
        "withdraw",
        "release",
        "allow",
        "cease",
        "end",
        "investigate",
        "answer",
        "prosecuted",
        "tried",
        "charged",
        "punish",
        "pay",
        "compensate",
        "apologise",
        "apologize",
        "free",
        "cooperate",
        "return",
    }
)
_FAULTS = frozenset(
    {
        "caused",
        "negligence",
        "negligent",
        "ignored",
        "failed",
        "deliberately",
        "substandard",
        "illegally",
        "illegal",
        "violated",
        "responsible",
        "fault",
        "faulty",
        "reckless",
        "recklessly",
        "tried",
        "prosecuted",
        "charged",
        "overloaded",
        "blame",
    }
)
_ACTS = frozenset(
    {
        "issued",
        "issue",
        "released",
        "release",
        "published",
        "fired",
        "fire",
        "struck",
        "strike",
        "targeted",
        "target",
        "attacked",
        "attack",
        "bombed",
        "shelled",
        "carried",
        "ordered",
        "sent",
        "supplied",
        "involved",
        "authorised",
        "authorized",
        "used",
        "planted",
        "hacked",
        "caused",
        "poisoned",
        "sold",
        "shipped",
        "played",
        "took",
        "launched",
        "approved",
        "placed",
    }
)
_ACT_AUXILIARIES = frozenset(
    {
        "had",
        "has",
        "have",
        "did",
        "does",
        "do",
        "was",
        "were",
        "is",
        "are",
        "been",
        "yet",
        "knowingly",
        "deliberately",
        "ever",
        "intentionally",
        "in",
        "any",
        "way",
    }
)
_GENERIC_SUBJECTS = frozenset(
    {
        "police",
        "prosecutors",
        "prosecutor",
        "government",
        "ministry",
        "authorities",
        "officials",
        "army",
        "military",
        "navy",
        "coastguard",
        "coast",
        "president",
        "minister",
        "governor",
        "mayor",
        "court",
        "judge",
        "attorney",
        "attorney-general",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "cabinet",
        "regulator",
        "inspectorate",
        "committee",
        "panel",
        "commission",
        "investigators",
        "state",
        "premier",
        "administration",
    }
)
_NOT_STATE = frozenset(
    {
        "company",
        "union",
        "club",
        "party",
        "opposition",
        "rebel",
        "rebels",
        "church",
        "school",
        "hospital",
        "firm",
        "militia",
    }
)
_BODY_HEADS = frozenset(
    {
        "group",
        "organisation",
        "organization",
        "monitor",
        "agency",
        "company",
        "firm",
        "retailer",
        "operator",
        "watchdog",
        "charity",
        "body",
        "society",
        "carmaker",
        "airline",
        "manufacturer",
        "line",
        "developer",
        "owner",
        "insurer",
        "broadcaster",
        "network",
        "bloc",
    }
)
_OTHER_INCIDENT = frozenset({"similar", "previous", "earlier", "unrelated"})
_NON_ACTORS = frozenset(
    {
        "activists", "witnesses", "residents", "relatives", "family", "families", "candidates",
        "candidate", "lawmaker", "lawmakers", "opposition", "critics", "analysts", "analyst",
        "experts", "protesters", "survivors", "lawyer", "lawyers", "campaigners", "advocates",
        "senators", "legislators", "colleagues", "friends", "victims", "parents", "widow",
        "supporters", "demonstrators", "villagers", "diplomats", "sources", "groups", "unions",
        "journalists", "doctors", "medics", "rebels", "fighters", "defendants", "suspects",
    }
)  # fmt: skip
"""Plain nouns that are no actor: their verbs are nobody's stance ("activists accused X")."""
_SUBORDINATORS = frozenset(
    {"as", "after", "when", "because", "since", "before", "until", "once", "where"}
)
_OWN_BODIES = frozenset(
    {"office", "ministry", "government", "agency", "department", "team", "administration"}
)
_UNNAMED_CULPRITS = frozenset({"those", "whoever", "anyone", "perpetrators"})
_NOUN_BEFORE = frozenset(
    {"a", "an", "the", "ransom", "its", "their", "his", "her", "these", "those", "such", "this"}
)
_PERSON_NOUNS = frozenset(
    {"men", "women", "people", "suspects", "those", "others", "officers", "defendants",
     "individuals", "persons", "workers", "officials", "man", "woman"}
)  # fmt: skip
_HOLD_VERBS = frozenset({"held", "holds", "hold", "convened", "convenes", "convene", "called"})
_OTHER_TIME = (
    ("last", "year"),
    ("years", "ago"),
    ("last", "month"),
    ("a", "year", "earlier"),
    ("at", "the", "time"),
)
_OTHER_TIME_FIRST = frozenset(cue[0] for cue in _OTHER_TIME)
_EMBEDDED = frozenset({"whether", "which", "who", "where"})
_BACKING = frozenset({"supported", "supports", "backed", "backs", "welcomed", "welcomes"})
_ADVERBS = frozenset(
    {
        "also",
        "later",
        "then",
        "again",
        "repeatedly",
        "separately",
        "swiftly",
        "quickly",
        "publicly",
        "formally",
        "strongly",
        "has",
        "have",
        "had",
    }
)


@dataclass(frozen=True, slots=True)
class RawPosition:
    """A stance found in a sentence with its canonical actor."""

    actor: str
    stance: Stance


@dataclass(frozen=True, slots=True)
class Context:
    """What the item says around one sentence, for subjects the sentence does not name.

    `actor` is who the previous sentence was about ("He said ..."), `home` the state the item is
    about ("police said ..."), `body` the last organisation named ("the group said ..."), and
    `story_terms` the story's words (empty without a story), `speaker` the state that spoke last
    ("Kenya's ministry said ... The ministry said": the definite "the ministry" is Kenya's).
    """

    actor: str | None = None
    home: str | None = None
    body: str | None = None
    story_terms: frozenset[str] = frozenset()
    speaker: str | None = None


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
        widths = _WIDTHS.get(keys[i])
        if widths is None:
            i += 1
            continue
        for width in widths:
            if width > n - i:
                continue
            hit = _TRIGGERS.get(tuple(keys[i : i + width]))
            if hit is not None:
                found.append(_Trigger(hit[0], hit[1], i, i + width))
                i += width
                break
        else:
            i += 1
    return found


def find_positions(
    tokens: Sequence[Token],
    mentions: Sequence[Mention],
    context: Context | str | None = None,
    parties: Sequence[Mention] = (),
) -> list[RawPosition]:
    """Return the (actor, stance) pairs one sentence states, in order, without repeats.

    `context` says who the surrounding sentences are about (a bare name is the previous
    sentence's subject); `parties` are sides named only by a demonym ("Russian aircraft"), which
    can be blamed but take no stance.
    """
    ctx = context if isinstance(context, Context) else Context(actor=context)
    keys = [t.key for t in tokens]
    triggers = find_triggers(keys)
    if ctx.story_terms:
        triggers = [t for t in triggers if not _about_other_incident(keys, t, ctx.story_terms)]
    triggers = [t for t in triggers if not _in_a_recalled_year(keys, t)]
    positions: list[RawPosition] = []

    def emit(actors: Sequence[str], stance: Stance) -> None:
        for actor in actors:
            position = RawPosition(actor, stance)
            if position not in positions:
                positions.append(position)

    live: list[_Trigger] = []
    for index, trigger in enumerate(triggers):
        if _suppressed(keys, triggers, index, live):
            continue
        if trigger.kind == "ask" and not _asks_actor(keys, mentions, triggers, trigger):
            continue
        target = _object_at(keys, mentions, trigger.end)
        if (
            trigger.stance == "regret"
            and keys[trigger.end : trigger.end + 1] == ["that"]
            and _object_at(keys, mentions, trigger.end + 1) is not None
        ):
            continue  # "regretted that Oslo had chosen confrontation" blames Oslo
        live.append(trigger)
        actors = _actors_for(tokens, keys, mentions, parties, trigger, ctx)
        if trigger.stance == "accuse" and trigger.kind != "charge" and target is not None:
            actors = [a for a in actors if a != target]  # "rushing to blame China," China said
        emit(actors, trigger.stance)
        if trigger.kind == "finding" and _names_fault(keys, trigger.end):
            emit(actors, "accuse")  # a finding that names a fault also blames
    emit(_implicit_denials(keys, mentions, ctx), "deny")
    emit(_implicit_acknowledgements(keys, mentions, parties, ctx), "acknowledge")
    return positions


def _object_at(keys: Sequence[str], mentions: Sequence[Mention], at: int) -> str | None:
    """The actor named right at `at` (after an optional "the"): a verb's object."""
    at += keys[at : at + 1] == ["the"]
    return next((m.actor for m in mentions if m.start == at), None)


def _asks_actor(
    keys: Sequence[str], mentions: Sequence[Mention], triggers: Sequence[_Trigger], ask: _Trigger
) -> bool:
    """ "asked Greece to report", "asks India to hand over": a named side is asked to act; not
    "asked whether", nor a request for a meeting ("asked the OAS to convene a session")."""
    at = ask.end + (keys[ask.end : ask.end + 1] == ["the"])
    target = next((m for m in mentions if m.start == at), None)
    if target is None:
        return _asks_for(keys, ask)
    if "to" not in keys[target.end : target.end + 5]:
        return False
    return not any(t.kind == "meeting" and ask.end <= t.start <= ask.end + 15 for t in triggers)


_NOT_ASKING = (_PASSIVE - {"and"}) | {"when", "if", "once"}


def _asks_for(keys: Sequence[str], ask: _Trigger) -> bool:
    """ "asked the authorities for access": something is asked of someone, by a subject (not
    "when asked for comment")."""
    if ask.start > 0 and keys[ask.start - 1] in _NOT_ASKING:
        return False
    ahead = keys[ask.end : ask.end + 5]
    if "for" not in ahead:
        return False
    wanted = keys[ask.end + ahead.index("for") + 1 : ask.end + ahead.index("for") + 2]
    return wanted != [] and wanted[0] not in ("comment", "comments", "a", "an")


def _names_fault(keys: Sequence[str], after: int) -> bool:
    """Whether a finding names a fault: not one it says it could not attribute ("could not
    identify those responsible"), nor a cause that is no side ("caused by human error")."""
    for j in range(after, len(keys)):
        if keys[j] not in _FAULTS:
            continue
        before = keys[max(after, j - 4) : j]
        if any(k in _NEGATIONS or k in ("unable", "nobody", "none") for k in before):
            continue
        if keys[j] == "caused" and (
            _natural_cause(keys, j + 1) or any(k in _NON_PARTY_CAUSES for k in before)
        ):
            continue
        return True
    return False


def _about_other_incident(
    keys: Sequence[str], trigger: _Trigger, story_terms: frozenset[str]
) -> bool:
    """A clause recalling a similar or earlier event that shares no word with the story."""
    begin = _clause_start(keys, trigger.start)
    end = next(
        (j for j in range(trigger.end, len(keys)) if keys[j] in _CLAUSE_STOPS | _EMBEDDED),
        len(keys),
    )  # "investigating whether a ship that passed at the time ...": its own clause, not a recall
    clause = keys[begin:end]
    if any(k in story_terms for k in clause):
        return False
    if any(k in _OTHER_INCIDENT for k in clause):
        return True
    return any(
        tuple(clause[i : i + len(cue)]) == cue
        for i, key in enumerate(clause)
        if key in _OTHER_TIME_FIRST
        for cue in _OTHER_TIME
    )


def _in_a_recalled_year(keys: Sequence[str], trigger: _Trigger) -> bool:
    """A clause opened by a year and "when" ("the worst since April 2021, when X accused Y")
    recalls another time, whatever the story."""
    for j in range(max(0, trigger.start - 12), trigger.start - 1):
        key = keys[j]
        if (
            len(key) == 4
            and key.isdigit()
            and key[:2] in ("19", "20")
            and "when" in keys[j + 1 : j + 3]
        ):
            return True
    return False


def _suppressed(
    keys: Sequence[str], triggers: Sequence[_Trigger], index: int, live: Sequence[_Trigger] = ()
) -> bool:
    trigger = triggers[index]
    start, end = trigger.start, trigger.end
    window = keys[max(0, start - 3) : start]
    cut = max((j + 1 for j, k in enumerate(window) if k in _NEGATION_BREAKS), default=0)
    window = window[cut:]  # "were not enough and demanded": the negation ends with its clause
    negation_inside = any(k in _NEGATIONS or k == "nothing" for k in keys[start:end])
    if not negation_inside and any(k in _NEGATIONS for k in window):
        return True
    if keys[start - 1 : start] == ["to"] and start > 1 and keys[start - 2] in _REFUSALS:
        return True  # "refused to condemn", "declined to apologise"
    if trigger.kind != "modal" and _hypothetical(keys, start, scheduled=trigger.kind == "meeting"):
        return True  # a meeting that "will" be held still names who asked for it
    if trigger.stance != "demand" and _demanded(keys, triggers, index):
        return True  # "urged Seoul to investigate": the act is what is asked for, not done
    previous = live[-1] if live else None
    if (
        start > 0
        and keys[start - 1] in ("of", "for")
        and previous is not None
        and previous.stance in ("accuse", "condemn", "deny")
    ):
        return True  # "accused Moscow of denying": the inner verb is what is alleged
    if keys[start] in ("responsible", "responsibility") and (
        keys[start - 1 : start] and keys[start - 1] in _UNNAMED_CULPRITS
    ):
        return True  # "bring those responsible to justice" names no culprit
    if (
        trigger.kind == "verb"
        and trigger.stance != "regret"  # "was saddened" is the speaker's own feeling
        and keys[start].endswith("ed")
        and keys[start - 1 : start] in (["was"], ["were"], ["been"], ["being"], ["is"], ["are"])
        and keys[end : end + 1] != ["by"]
    ):
        return True  # "X was blamed for the raid": X is the one blamed, and nobody blames
    if keys[start] in ("demand", "demands") and start > 0 and keys[start - 1] in _NOUN_BEFORE:
        return True  # "a ransom demand", "their demands": a noun
    if trigger.kind in ("blame", "presence", "passive") and any(
        k in _REPORT_NOUNS for k in keys[max(0, start - 10) : start]
    ):
        return True  # "claims that X was behind it" are someone else's claims
    if trigger.kind == "presence":
        return not any(k in _AT_THE_TIME for k in keys[end : end + 8])
    if keys[start] in ("blamed", "blames", "blame", "blaming") and _natural_cause(keys, end):
        return True  # "blamed human error", "blames the weather": no side is accused
    if keys[start] == "findings" and _referred_to(keys, start):
        return True  # "rejected the findings", "said the findings were not enough"
    if (
        trigger.stance == "accuse"
        and keys[end : end + 1] == ["on"]
        and keys[end + 1 : end + 2] != []
        and keys[end + 1] not in _WEEKDAYS
    ):
        return True  # "deaths blamed on the hurricane" names a cause, "on Friday" a day
    if keys[start] == "tests":
        return not any(k in ("by", "showed", "confirmed", "found") for k in keys[end : end + 2])
    if (
        keys[start] in ("confirmed", "has")
        and trigger.stance == "acknowledge"
        and any(k in _NEGATIONS for k in keys[end : end + 5])
    ):
        return True  # "confirmed that its jets had not taken part" owns nothing
    if trigger.kind == "verb" and keys[start] in ("held", "holds", "hold"):
        return "responsible" not in keys[end : end + 5]
    if trigger.kind == "verb" and keys[start].startswith("critici"):
        return "for" not in keys[end : end + 8]  # "criticised X for failing to", not "criticism"
    if trigger.kind == "charge":
        return _charge_suppressed(keys, trigger)
    if trigger.kind == "dispute":
        return not any(k in _CLAIM_NOUNS for k in keys[end : end + 6]) and not any(
            k in _CLAIMS for k in keys[max(0, start - 4) : start]
        )  # "rejected the claim", "a claim MSF rejected"
    if trigger.kind == "explain":
        return not any(k in _EXPLAIN_CUES for k in keys[max(0, start - 12) : start])
    if trigger.kind == "modal":
        after = keys[end : end + 4]
        ordered = any(k in _OBLIGATIONS for k in after) or (
            after[:1] == ["be"] and len(after) > 1 and after[1].endswith("ed")
        )  # "should be grounded", "must be freed": what the speaker wants done
        return "not" in after or not ordered or not any(k in _SAY for k in keys)
    if trigger.kind == "inquiry":
        return _inquiry_suppressed(keys, triggers, index)
    if trigger.kind == "naming":
        before = keys[max(0, start - 8) : start]
        return (
            not any(k in _NAMING_CUES for k in before)
            or any(k in _HYPOTHETICAL or k in _FUTURE or k in _HEDGED_NOUNS for k in before)
            or keys[start - 1 : start] in (["of"], ["for"], ["with"])
        )  # "called it a war crime", not "would amount to" nor "accused of" one
    if keys[start] in ("seek", "seeks", "seeking"):
        return not any(k in _SOUGHT for k in keys[end : end + 3])  # not "seek to", "seek death"
    if trigger.kind == "falsity":
        return not any(k in _FALSE_CLAIMS for k in keys[max(0, start - 12) : start])
    if trigger.stance == "demand":
        if any(k in _PUBLIC for k in keys[end : end + 3]):
            return True  # advice to the public or a call for courage takes no side
        if any(t.kind == "meeting" and 0 < t.start - end <= 4 for t in triggers):
            return True  # "asked for an urgent meeting" is the meeting request itself
    if trigger.kind == "meeting":
        near = keys[max(0, start - 5) : end + 6]
        if keys[start] == "consultations":
            before = keys[max(0, start - 3) : start]
            return not any(k in _REQUESTS or k in _MEETING_CUES for k in before) and not any(
                tuple(keys[j : j + 2]) == ("request", "of") for j in range(end, end + 12)
            )
        return not any(k in _MEETING_CUES or k == "request" for k in near) and not (
            any(k in _REQUESTS for k in keys[max(0, start - 4) : start])
            and any(k in _MEETING_CUES for k in keys)
        )  # "asked for a separate session" beside an emergency meeting
    return False


def _demanded(keys: Sequence[str], triggers: Sequence[_Trigger], index: int) -> bool:
    """Whether the trigger is the infinitive a demand asks for ("called on X to apologise")."""
    start = triggers[index].start
    if start >= 2 and keys[start - 1].endswith("ly") and keys[start - 2] == "to":
        start -= 1  # "called on X to swiftly investigate"
    if keys[start - 1 : start] != ["to"]:
        return False
    return any(
        t.stance == "demand" and t.kind == "verb" and 0 < start - t.end <= 8
        for t in triggers[:index]
    )


def _natural_cause(keys: Sequence[str], end: int) -> bool:
    """Whether what is blamed is a cause and not a side: "human error", "a technical fault"."""
    for key in keys[end : end + 6]:
        if key in _NON_PARTY_CAUSES:
            return True
        if key in ("for", "on", ",", "and") or key in _SAY:
            return False
    return False


def _referred_to(keys: Sequence[str], start: int) -> bool:
    """ "the findings" as the object of another verb: someone else's findings, not a finding."""
    if keys[start - 1 : start] != ["the"] or start < 2:
        return False
    return keys[start - 2] not in ("of", "in", "and") and keys[start - 2].isalpha()


def _hypothetical(keys: Sequence[str], start: int, *, scheduled: bool = False) -> bool:
    """A modal, a hedge or a future before the trigger; a meeting that "will" be held is on the
    agenda (`scheduled`), not a guess."""
    before = keys[max(0, start - 4) : start]
    if any(k in _HYPOTHETICAL for k in before):
        return True
    for j in range(max(0, start - 4), start):
        if keys[j] in _HEDGES and (j + 1 == start or keys[j + 1] in ("to", "be")):
            return True  # "is expected to condemn", not "highly likely Moscow was responsible"
    return any(k in _FUTURE for k in before) and not scheduled and not _said(keys, start)


def _said(keys: Sequence[str], position: int) -> bool:
    return any(k in _SAY for k in keys[:position])


def _charge_suppressed(keys: Sequence[str], trigger: _Trigger) -> bool:
    """Arrests and charges accuse only when made over a wrong ("over the collapse")."""
    if keys[trigger.start] in _CONVICTIONS:
        if trigger.start > 0 and keys[trigger.start - 1] in _PERSON_NOUNS | {"the"}:
            return True
        return not any(k in ("of", "for", "over") for k in keys[trigger.end : trigger.end + 15])
    if keys[trigger.start] in ("charged", "charges", "indicted", "indicts", "prosecuted"):
        if trigger.start > 0 and keys[trigger.start - 1] in _PERSON_NOUNS | {"the"}:
            return True  # "those charged", "one of the men charged over": a noun
        return not any(k in _WRONGS for k in keys[trigger.end : trigger.end + 15])
    if keys[trigger.start] == "held":
        return False
    ahead = keys[trigger.end : trigger.end + 12]
    behind = keys[max(0, trigger.start - 10) : trigger.start]
    return not any(k in _ARREST_GROUNDS for k in ahead) and not any(
        k in ("suspected", "accused") for k in behind
    )  # "inmates suspected of leading the riot were taken into custody"


def _inquiry_suppressed(keys: Sequence[str], triggers: Sequence[_Trigger], index: int) -> bool:
    """An inquiry noun that is only demanded or talked about is nobody's investigation."""
    trigger = triggers[index]
    if any(
        t.stance == "demand" and t.kind != "explain" and 0 <= trigger.start - t.end <= 4
        for t in triggers[:index]
    ):
        return True
    if any(
        t.stance == "demand"
        and t.kind == "verb"
        and 0 < trigger.start - t.end <= 10
        and "to" in keys[t.end : trigger.start]
        and ";" not in keys[t.end : trigger.start]
        and "," not in keys[t.end : trigger.start - 3]
        for t in triggers[:index]
    ):
        return True  # "urged Spain to ensure an independent investigation", "a swift, fair one"
    if any(k in _BACKING for k in keys[max(0, trigger.start - 6) : trigger.start]):
        return True  # "said it supported a credible investigation": someone else's
    if keys[trigger.start - 1 : trigger.start] == ["to"]:
        return False  # "ordered the registry to review every death": a verb
    for j in range(trigger.start - 1, max(-1, trigger.start - 4), -1):
        if keys[j] in ("on", "about", "with", "to", "from", "through", "during", "in"):
            return True
        if (
            keys[j] not in ("the", "a", "an", "its", "their", "his", "her")
            and not keys[j].isalpha()
        ):
            break
    return False


def _actors_for(
    tokens: Sequence[Token],
    keys: Sequence[str],
    mentions: Sequence[Mention],
    parties: Sequence[Mention],
    trigger: _Trigger,
    ctx: Context,
) -> list[str]:
    if trigger.kind == "meeting":
        return _meeting_actors(keys, mentions, trigger, ctx)
    if trigger.kind == "passive":
        return _passive_accuser(keys, mentions, parties, trigger, ctx)
    if trigger.kind == "disown":
        speaker = _speaker(keys, mentions, trigger.start, trigger.end, ctx)
        return speaker or _subject(keys, mentions, trigger.start, ctx)
    if keys[trigger.end : trigger.end + 1] == ["by"]:
        agents = [m for m in mentions if trigger.end < m.start <= trigger.end + 3]
        if agents:
            return _with_conjuncts(keys, mentions, agents[0], forward=True)
    if trigger.kind in ("blame", "presence"):
        return _accuser(tokens, keys, mentions, parties, trigger, ctx)
    if trigger.kind == "attribution":
        return _attributor(tokens, keys, mentions, parties, trigger, ctx)
    if trigger.kind in ("speech", "modal", "naming", "falsity"):
        return _speaker(keys, mentions, trigger.start, trigger.end, ctx)
    if trigger.kind == "explain":
        return _explain_actors(keys, mentions, trigger, ctx)
    inside = [m for m in mentions if m.start <= trigger.start and trigger.end <= m.end]
    if inside:
        return [inside[0].actor]  # "the Commission of Inquiry said": the body at its work
    if _plain_noun_subject(keys, mentions, trigger.start):
        return []  # "opposition candidates alleged ...": no actor, and no speaker to fall back on
    actors = _subject(keys, mentions, trigger.start, ctx)
    if actors:
        return actors
    actors = _speaker(keys, mentions, trigger.start, trigger.end, ctx)
    if not actors and trigger.kind == "charge" and ctx.home:
        return [ctx.home]  # "five men were charged": the state's police and prosecutors act
    return actors


def _accuser(
    tokens: Sequence[Token],
    keys: Sequence[str],
    mentions: Sequence[Mention],
    parties: Sequence[Mention],
    trigger: _Trigger,
    ctx: Context,
) -> list[str]:
    """Who says that a named side did it: "X said Y was behind the attack" makes X accuse."""
    begin = _clause_start(keys, trigger.start)
    for j in range(trigger.start - 1, begin - 1, -1):
        if keys[j] in _SAY or keys[j] == "that":
            begin = j + 1  # the culprit is named inside the statement
            break
    sides = sorted([*mentions, *parties], key=lambda m: m.start)
    culprits = [m for m in sides if begin <= m.start and m.end <= trigger.start <= m.end + 8]
    if any(k in _NEGATIONS or k == "nor" for k in keys[begin : trigger.start]):
        return []  # "said neither Russian nor Syrian jets had attacked" accuses no one
    if culprits:
        culprit = culprits[-1]
    else:
        culprit_nouns = keys[trigger.start] in _RESPONSIBILITY
        named = _named_side(tokens, keys, trigger.start, culprit_nouns=culprit_nouns)
        if named is None:
            return []  # "a gas cylinder caused the blast" blames no one
        culprit = Mention("", named, named + 1, "organisation")
    speaker = _subject_left(keys, mentions, culprit.start)
    actors = (
        _with_conjuncts(keys, mentions, speaker, forward=False)
        if speaker is not None and speaker.actor != culprit.actor and _said(keys, culprit.start)
        else _speaker(keys, mentions, trigger.start, trigger.end, ctx)
    )
    return [a for a in actors if a != culprit.actor]


def _attributor(
    tokens: Sequence[Token],
    keys: Sequence[str],
    mentions: Sequence[Mention],
    parties: Sequence[Mention],
    trigger: _Trigger,
    ctx: Context,
) -> list[str]:
    """Who names a culprit after the phrase: "X said the blast bore the hallmarks of Y"; a
    culprit is a side, a capitalised name or a group noun ("a state-backed group")."""
    ahead = range(trigger.end, min(trigger.end + 6, len(keys)))
    sides = [m for m in [*mentions, *parties] if trigger.end <= m.start < trigger.end + 6]
    named = any(
        tokens[j].text[:1].isupper() or keys[j] in _CULPRIT_NOUNS or keys[j] in _GROUP_NOUNS
        for j in ahead
    )
    if not sides and not named:
        return []  # "bore the hallmarks of a gas explosion" blames no one
    actors = _speaker(keys, mentions, trigger.start, trigger.end, ctx) or _subject(
        keys, mentions, trigger.start, ctx
    )
    culprits = {m.actor for m in sides}
    return [a for a in actors if a not in culprits]


_GROUP_NOUNS = frozenset({"group", "groups", "militia", "militias", "gunmen", "fighters", "cell"})


def _named_side(
    tokens: Sequence[Token], keys: Sequence[str], position: int, *, culprit_nouns: bool = False
) -> int | None:
    """A group the statement names ("rebels of the Gulf Clan", "al-Shabaab militants") just
    before `position`, inside the reported clause; with `culprit_nouns`, also a common noun
    that only names a culprit ("the terrorists bore full responsibility")."""
    for j in range(position - 1, max(0, position - 8), -1):
        if keys[j] in _SAY or keys[j] in ("that", ","):
            return None
        if any(c.isupper() for c in tokens[j].text[1:]) or tokens[j].text[:1].isupper():
            return j
        if culprit_nouns and keys[j] in _CULPRIT_NOUNS:
            return j
    return None


def _passive_accuser(
    keys: Sequence[str],
    mentions: Sequence[Mention],
    parties: Sequence[Mention],
    trigger: _Trigger,
    ctx: Context,
) -> list[str]:
    """Who says that a named side did it, in the passive: "X said the jet was shot down by a
    Y missile", "an inquiry concluded the bomb was planted by Y fighters" make X accuse Y."""
    sides = sorted([*mentions, *parties], key=lambda m: m.start)
    culprits = [m for m in sides if trigger.end <= m.start <= trigger.end + 5]
    if culprits and any(k in (",", "and") for k in keys[trigger.end : culprits[0].start]):
        culprits = []  # "hit by a bomb, and Russia said ..." is another clause
    if not culprits and not any(
        k in _CULPRIT_NOUNS or k in _GROUP_NOUNS for k in keys[trigger.end : trigger.end + 4]
    ):
        return []  # "hit by a roadside bomb" names no side, "fired by armed groups" does
    for j in range(trigger.start - 1, -1, -1):
        if keys[j] in _SAY or keys[j] in _FINDING_VERBS:
            actors = _subject(keys, mentions, j, ctx)
            break
    else:
        actors = _speaker(keys, mentions, trigger.start, trigger.end, ctx)
    return [a for a in actors if not culprits or a != culprits[0].actor]


def _explain_actors(
    keys: Sequence[str], mentions: Sequence[Mention], trigger: _Trigger, ctx: Context
) -> list[str]:
    for j in range(trigger.start - 1, max(-1, trigger.start - 13), -1):
        if keys[j] not in _EXPLAIN_CUES:
            continue
        if keys[j] == "time":
            return _speaker(keys, mentions, trigger.start, trigger.end, ctx)
        if keys[j] in ("given", "told", "asked") and keys[j - 1 : j] and keys[j - 1] in _PASSIVE:
            # "was summoned and given until Tuesday to explain": the one who asks is unnamed
            patient = [m.actor for m in mentions if m.end <= j]
            for actor in (ctx.actor, ctx.home):
                if actor and actor not in patient[-1:]:
                    return [actor]
            return []
        if keys[j] == "until":
            continue
        return _subject(keys, mentions, j, ctx)
    return []


def _subject(
    keys: Sequence[str], mentions: Sequence[Mention], position: int, ctx: Context
) -> list[str]:
    """The actors doing the verb at `position`: a named subject, an institution, a pronoun."""
    main = _coordinated_verb(keys, mentions, position)
    if main is not None:
        position = main
    if position > 0 and keys[position - 1] == ",":
        if keys[position].endswith("ing"):
            said = next(
                (j for j in range(position - 2, max(-1, position - 8), -1) if keys[j] in _SAY), None
            )
            if said is not None:  # "..., the army said, accusing X of": the army
                return _subject(keys, mentions, said, ctx)
            head = _sentence_subject(keys, mentions, position)
            if head is not None:  # "X suspended Y's broadcasts, accusing it of bias": X
                return _with_conjuncts(keys, mentions, head, forward=True)
        position = _before_relative_clause(keys, position - 1)
    if _plain_noun_subject(keys, mentions, position):
        return []
    subject = _subject_left(keys, mentions, position)
    if subject is not None:
        return _with_conjuncts(keys, mentions, subject, forward=False)
    begin = _subject_begin(keys, position)
    agent = _participle_agent(keys, mentions, begin, position)
    if agent is not None:
        return [agent.actor]
    window = keys[begin:position]
    if begin > 0 and keys[begin - 1] == "but" and all(k in _ADVERBS for k in window):
        return _subject(keys, mentions, begin - 1, ctx)  # "X welcomed it but demanded ..."
    tail = window[-4:]
    bare = [k for k in window if k not in ("a", "an", "the")]  # "it had launched an inquiry"
    if any(k in _SUBJECT_PRONOUNS for k in bare[-3:]) or any(
        k in ("his", "her", "its", "their") and tail[n + 1 : n + 2] and tail[n + 1] in _OWN_BODIES
        for n, k in enumerate(tail)
    ):  # "it had opened", "his office had opened": the one speaking
        said = next((j for j in range(position - 1, begin - 1, -1) if keys[j] in _SAY), None)
        if said is not None and "they" in keys[said + 1 : position]:
            sayer = _subject_left(keys, mentions, said)
            if sayer is not None:  # "Finnish authorities said they were investigating"
                return _with_conjuncts(keys, mentions, sayer, forward=False)
        earlier = _sentence_subject(keys, mentions, position - 3)
        if earlier is not None and "they" in bare[-3:]:
            return _with_conjuncts(keys, mentions, earlier, forward=True)  # "A and B said they"
        if earlier is not None:
            return [earlier.actor]  # "X said ...; he said" within one sentence
        return [ctx.actor] if ctx.actor else []
    segment = max((j + 1 for j, k in enumerate(window) if k in (",", "and")), default=0)
    unnamed = _unnamed_subject(window[segment:]) or _unnamed_subject(window)
    if unnamed == "body" and ctx.body:
        return [ctx.body]
    if unnamed == "state" and ctx.speaker and window[:1] == ["the"]:
        return [ctx.speaker]
    if unnamed == "state" and ctx.home:
        return [ctx.home]
    return []


def _before_relative_clause(keys: Sequence[str], comma: int) -> int:
    """For "X, which Y accused of Z, said", where the subject's own clause resumes: before the
    comma that opens the relative clause; else `comma` + 1, the verb itself."""
    for j in range(comma - 1, max(0, comma - 30), -1):
        if keys[j] in _CLAUSE_STOPS:
            break
        if keys[j] in ("which", "who") and keys[j - 1] == ",":
            return j - 1
    return comma + 1


def _in_relative_clause(keys: Sequence[str], mention: Mention, position: int) -> bool:
    """Whether `mention` sits in a ", which ...," clause closed before `position`."""
    if "," not in keys[mention.end : position]:
        return False
    for j in range(mention.start - 1, max(0, mention.start - 4), -1):
        if keys[j] in ("which", "who", "whom") and keys[j - 1] == ",":
            return True
    return False


def _plain_noun_subject(keys: Sequence[str], mentions: Sequence[Mention], position: int) -> bool:
    """Whether the verb's subject is a plain noun that names no actor ("opposition candidates
    alleged", "relatives demanded")."""
    j = position - 1
    while j >= 0 and keys[j] in _ADVERBS:
        j -= 1
    return j >= 0 and keys[j] in _NON_ACTORS and not any(m.start <= j < m.end for m in mentions)


def _subject_begin(keys: Sequence[str], position: int) -> int:
    """Where the clause of the verb at `position` starts: after a stop, or after a conjunction
    opening a short clause ("as Moldova apologises", "after Romania requested")."""
    begin = _clause_start(keys, position)
    for j in range(position - 1, max(begin, position - 6) - 1, -1):
        if keys[j] in _SAY or keys[j] in _VERB_TRIGGERS:
            break
        if keys[j] in _SUBORDINATORS and keys[j - 1 : j] != ["well"] and j + 1 < position:
            return j + 1
    return begin


def _participle_agent(
    keys: Sequence[str], mentions: Sequence[Mention], begin: int, position: int
) -> Mention | None:
    """The agent inside a subject like "a panel set up by the ministry" or "an inquiry ordered
    by Italy's government", which acts for it."""
    for j in range(begin + 1, min(position, begin + 6)):
        if keys[j] == "by" and (
            keys[j - 1].endswith("ed") or keys[j - 1] in ("set", "up", "led", "run")
        ):
            agents = [m for m in mentions if j < m.start <= j + 2 and m.end <= position]
            return agents[0] if agents else None
    return None


def _sentence_subject(
    keys: Sequence[str], mentions: Sequence[Mention], before: int
) -> Mention | None:
    """The first actor of a sentence that is no object, if it comes before `before`."""
    for mention in mentions:
        if mention.start >= before or _owns_non_state(keys, mention):
            return None
        at = mention.start - 1
        if at >= 0 and keys[at] not in _OBJECT_MARKERS:
            return mention
        if at < 0:
            return mention
    return None


def _owns_non_state(keys: Sequence[str], mention: Mention) -> bool:
    """ "Chad's opposition party", "Kenya's ruling party": a state's body that is not the state."""
    return keys[mention.end : mention.end + 1] == ["'s"] and any(
        k in _NOT_STATE for k in keys[mention.end + 1 : mention.end + 4]
    )


def _coordinated_verb(
    keys: Sequence[str], mentions: Sequence[Mention], position: int
) -> int | None:
    """For "X did A and said B", the position of the verb whose subject is X: the nearest one
    before "and" that has a named subject ("Y said ..., and X condemned it and called for"),
    else the first of the clause."""
    j = position - 1
    while j >= 0 and keys[j] in _ADVERBS:
        j -= 1
    if j < 0 or keys[j] != "and":
        return None
    begin = _clause_start(keys, j)
    verbs = [k for k in range(begin, j) if keys[k] in _VERB_TRIGGERS or keys[k] in _SAY]
    for k in reversed(verbs):
        if keys[k - 1 : k] and keys[k - 1] in (",", "and"):
            continue  # a verb of its own list, whose subject is further left
        if _subject_left(keys, mentions, k) is not None:
            return k
    return verbs[0] if verbs else None


def _unnamed_subject(window: Sequence[str]) -> str | None:
    """Whether a clause opens with an institution ("police", "the government") or a body."""
    for j, key in enumerate(window[:8]):
        if key in _OBJECT_MARKERS and key not in ("by", "in", "of", "for", "at"):
            return None
        if key in _BODY_HEADS and window[:1] in (["the"], ["its"]):
            return "body"
        if key in _GENERIC_SUBJECTS:
            if any(k in _NOT_STATE for k in window[max(0, j - 2) : j]):
                return None
            return "state"
    return None


def _clause_start(keys: Sequence[str], position: int) -> int:
    for j in range(position - 1, -1, -1):
        if keys[j] in _CLAUSE_STOPS:
            return j + 1
    return 0


_OWNERS = (
    INSTITUTIONS
    | ROLES
    | frozenset(
        {
            "ministers",
            "leaders",
            "heads",
            "presidents",
            "governments",
            "head",
            "director",
            "chiefs",
            "spokesman",
            "spokeswoman",
            "commission",
            "board",
            "committee",
            "panel",
            "judges",
            "members",
        }
    )
)


def _subject_left(
    keys: Sequence[str], mentions: Sequence[Mention], position: int
) -> Mention | None:
    """The nearest actor left of `position` in its clause that is not an object."""
    begin = _subject_begin(keys, position)
    for j in range(position - 1, begin - 1, -1):
        if keys[j] in _SUBJECT_PRONOUNS and j >= position - 3:
            return None
        if keys[j] in _SAY and j < position - 1:
            break
    for mention in reversed(mentions):
        if mention.end > position or mention.start < begin:
            continue
        if _conjoined_object(keys, mentions, mention) or _in_relative_clause(
            keys, mention, position
        ):
            continue
        at = mention.start - 1
        if at > 0 and keys[at] in ("the", "a", "an"):
            at -= 1
        if at < begin and begin > 0 and keys[begin - 1] in _SUBORDINATORS:
            return mention  # "as Bolivia apologises": the name opens its own short clause
        if _owns_non_state(keys, mention):
            return None  # "Chad's opposition party said": the party, which is no actor here
        before = keys[at] if at >= 0 else ""
        if before in _SAY and _reported_subject(keys, mention, position):
            return mention  # "he said the Turkish side had expressed regret": Turkey's regret
        if before == "former":
            return None  # "Former Imara Bank chairman denies": no longer speaks for the bank
        if before in ("of", "for", "at") and at > 0:
            owner = at - 1
            while owner > 0 and keys[owner] in ("the", "a", "an", "foreign", "top", "senior"):
                owner -= 1
            if (
                keys[owner] in _OWNERS
                and keys[owner - 1 : owner] != []
                and (keys[owner - 1] not in _OBJECT_MARKERS)
            ):
                return mention  # "the interior ministry of Kenya", "spokesman for the UN"
            if keys[owner] in _OWNERS and owner == 0:
                return mention
        if before in _OBJECT_MARKERS or _told_to(keys, at):
            continue
        if before == "'s":
            possessors = [m for m in mentions if m.end == mention.start - 1]
            if possessors:
                return possessors[0]  # "Lebanon's UN envoy" speaks for Lebanon
        return mention
    return None


_SAY_OR_TRIGGER = _SAY | _VERB_TRIGGERS


def _told_to(keys: Sequence[str], at: int) -> bool:
    """Whether the words before `at` end a "told" with a description of the one told ("told
    state broadcaster X", "told the daily X"): the one told is no subject."""
    for j in range(at, max(-1, at - 3), -1):
        if keys[j] in ("told", "tells", "telling"):
            return True
        if not keys[j].replace("-", "").isalpha() or keys[j] in _SAY_OR_TRIGGER:
            return False  # "told state-run MRTV" passes, "said" or "," stops
    return False


_LINKS = frozenset(
    {"had", "has", "have", "was", "were", "is", "are", "also", "already", "expressed", "offered",
     "voiced", "conveyed", "formally", "publicly", "since"}
)  # fmt: skip


def _reported_subject(keys: Sequence[str], mention: Mention, position: int) -> bool:
    """Whether `mention`, right after a reporting verb, is the subject of the verb at
    `position` in the reported clause, joined only by auxiliaries ("said X had apologised")."""
    between = keys[mention.end : position]
    return 0 < len(between) <= 3 and all(k in _LINKS for k in between)


def _conjoined_object(
    keys: Sequence[str], mentions: Sequence[Mention], mention: Mention, *, listed: bool = False
) -> bool:
    """Whether `mention` closes a list ("and Y", "X, Y and Z") whose first item is an object
    ("questioned X and Y"); a list after "ministers of" stays the subject."""
    at = mention.start - 1
    while at >= 0 and keys[at] in ("the", "a", "an"):
        at -= 1
    if at < 0 or keys[at] not in (("and", ",") if listed else ("and",)):
        return False
    left = [m for m in mentions if m.end == at or (m.end == at - 1 and keys[at - 1] == ",")]
    if not left:
        return False
    before = left[0].start - 1
    while before >= 0 and keys[before] in ("the", "a", "an"):
        before -= 1
    if not listed and left[0].end == at - 1 and (before < 0 or keys[before] != ","):
        return False  # "according to Ankara, and Moscow expressed regret": ", and" opens a clause
    if before >= 1 and keys[before] in ("of", "for") and keys[before - 1] in _OWNERS:
        return before >= 2 and keys[before - 2] in _OBJECT_MARKERS  # "questioned officials of"
    if before >= 0 and keys[before] in _OBJECT_MARKERS:
        return True
    return _conjoined_object(keys, mentions, left[0], listed=True)


def _with_conjuncts(
    keys: Sequence[str], mentions: Sequence[Mention], head: Mention, *, forward: bool
) -> list[str]:
    chain = [head.actor]
    commas: list[bool] = []
    ordered = list(mentions) if forward else list(reversed(mentions))
    current = head
    for mention in ordered:
        if (forward and mention.start < current.end) or (
            not forward and mention.end > current.start
        ):
            continue
        gap = keys[current.end : mention.start] if forward else keys[mention.end : current.start]
        gap = [k for k in gap if k not in ("the", "both")]
        if gap not in ([","], ["and"], [",", "and"]):
            break
        if not forward and gap == [",", "and"] and _object_of_preposition(keys, mention):
            break  # "according to Ankara, and Moscow expressed regret": Ankara is no subject
        chain.append(mention.actor)
        commas.append(gap == [","])
        current = mention
    # "A, B and C": a bare comma joins only in a list closed by "and" ("Citing X, Y said" does not)
    closed_by_and = bool(commas) and not (commas[-1] if forward else commas[0])
    actors: list[str] = []
    for index, actor in enumerate(chain):
        if index > 0 and commas[index - 1] and not closed_by_and:
            break
        if actor not in actors:
            actors.append(actor)
    return actors


def _object_of_preposition(keys: Sequence[str], mention: Mention) -> bool:
    at = mention.start - 1
    while at >= 0 and keys[at] in ("the", "a", "an"):
        at -= 1
    return at >= 0 and keys[at] in _PREPOSITIONS and keys[at] not in ("of", "for")


def _speaker(
    keys: Sequence[str], mentions: Sequence[Mention], start: int, end: int, ctx: Context
) -> list[str]:
    """Who says the sentence around `start:end`: "X said ...", "..., X said", else the context."""
    for j in range(start - 1, -1, -1):
        if keys[j] in _SAY or keys[j] in _NAMING_VERBS:
            if keys[j] in _PARTICIPLES:  # "X demanded an inquiry, saying ...": X speaks
                main = _sentence_subject(keys, mentions, j)
                if main is not None:
                    return [main.actor]
            return _subject(keys, mentions, j, ctx)
    for j in range(end, len(keys)):
        if keys[j] in _PARTICIPLES:
            continue  # "X rejected the claim, saying Y ...": Y is no speaker
        if keys[j] in _SAY:
            after = [m for m in mentions if j < m.start <= j + 3] or _owner_after(
                keys, mentions, j + 1
            )
            if after:
                return [after[0].actor]
            before = [m for m in mentions if end <= m.start and m.end <= j]
            if before:
                return [before[-1].actor]
            unnamed = _unnamed_subject(keys[j + 1 : j + 6]) or _unnamed_subject(keys[end:j])
            if unnamed == "state" and ctx.home:
                return [ctx.home]
            break
    opening = keys[0] if keys else ""
    if opening in _SUBJECT_PRONOUNS and ctx.actor:
        return [ctx.actor]
    return []


_PARTICIPLES = frozenset({"saying", "arguing"})
_FALSE_CLAIMS = frozenset(
    {"claim", "claims", "accusation", "accusations", "allegation", "allegations", "charges",
     "report", "reports", "suggestion", "suggestions", "assertion", "assertions"}
)  # fmt: skip
"""What a denial calls false ("the claim was false"); not "the ministry's account was false"."""
_SOUGHT = frozenset(
    {"clarification", "clarifications", "explanation", "explanations", "information", "answers",
     "access", "release", "assurances", "guarantees", "details", "compensation", "extradition",
     "return", "justice", "accountability", "consular"}
)  # fmt: skip
_NAMING_VERBS = frozenset(
    {"called", "calls", "calling", "described", "describes", "describing", "branded", "brands",
     "branding", "termed", "terms", "labelled", "labeled"}
)  # fmt: skip
_NAMING_CUES = _NAMING_VERBS | frozenset({"as"})
_HEDGED_NOUNS = frozenset(
    {"possible", "alleged", "suspected", "potential", "any", "investigate", "investigating",
     "investigation", "whether"}
)  # fmt: skip
_WEEKDAYS = frozenset(
    {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
)
_TITLE_WORDS = frozenset(
    {"the", "a", "an", "foreign", "deputy", "prime", "top", "senior", "chief", "defence",
     "defense", "interior", "health", "justice", "home", "finance"}
)  # fmt: skip


def _owner_after(keys: Sequence[str], mentions: Sequence[Mention], at: int) -> list[Mention]:
    """The state or body of a title after "said": "..., said the foreign secretary of the
    United Kingdom" speaks for the United Kingdom."""
    for k in range(at, min(at + 6, len(keys))):
        if keys[k] in ("of", "for") and k > at and keys[k - 1] in _OWNERS:
            return [m for m in mentions if k < m.start <= k + 2][:1]
        if keys[k] not in _TITLE_WORDS and keys[k] not in _OWNERS:
            break
    return []


def _implicit_denials(keys: Sequence[str], mentions: Sequence[Mention], ctx: Context) -> list[str]:
    """ "X said it had never fired on ...": a speaker denying an act of its own."""
    for j, key in enumerate(keys):
        if key not in _SAY:
            continue
        k = j + 1
        if key in ("told", "tells") and "that" in keys[k : k + 6]:
            k += keys[k : k + 6].index("that")  # "told the BBC that its ships had not fired"
        if keys[k : k + 1] == ["that"]:
            k += 1
        if keys[k : k + 1] in (["its"], ["their"]):
            k += 2  # "its pilots", "their forces"
        elif keys[k : k + 1] and keys[k] in _SUBJECT_PRONOUNS:
            k += 1
        else:
            continue
        negated = False
        while k < len(keys) and k < j + 10:
            if keys[k] in _NEGATIONS:
                negated = True
            elif keys[k] in _ACTS and negated:
                return _subject(keys, mentions, j, ctx)
            elif keys[k] not in _ACT_AUXILIARIES:
                break
            k += 1
    return []


def _implicit_acknowledgements(
    keys: Sequence[str], mentions: Sequence[Mention], parties: Sequence[Mention], ctx: Context
) -> list[str]:
    """ "X confirmed that two X-ian jets had taken part in the raid": a side owning its part."""
    for j, key in enumerate(keys):
        if key not in ("confirmed", "confirms", "confirm", "said", "says"):
            continue
        k = _after_that(keys, j)
        clause = keys[k : k + 10]
        if key in ("said", "says") and _owns_act(clause):
            return _subject(keys, mentions, j, ctx)  # "X said it had tested a missile"
        if key in ("said", "says") and not (
            clause[:1] in (["its"], ["their"])
            and any(tuple(clause[m : m + 2]) in _TOOK_PART for m in range(len(clause)))
        ):
            continue  # "said its fighters had carried out the attack" owns it
        if any(c in _NEGATIONS for c in clause) or not any(
            clause[m] in _PARTICIPATION or tuple(clause[m : m + 2]) in _TOOK_PART
            for m in range(len(clause))
        ):
            continue
        speakers = _subject(keys, mentions, j, ctx)
        own = [m for m in [*parties, *mentions] if k <= m.start < k + 6 and m.actor in speakers]
        if own or clause[:1] in (["its"], ["their"], ["it"], ["they"]):
            return speakers
    return []


_OWNED_ACTS = frozenset({"tested", "conducted", "carried", "launched", "struck", "fired"})
_OWN_WORK = frozenset(
    {"investigation", "inquiry", "probe", "review", "appeal", "search", "rescue", "evacuation",
     "talks", "consultations", "audit", "assessment", "checks", "inspection", "inspections",
     "warning", "warnings", "shots"}
)  # fmt: skip


def _owns_act(clause: Sequence[str]) -> bool:
    """ "it had successfully tested a missile", "they carried out the strike": the speaker
    owning the act, not an inquiry it "launched" nor a warning it "fired"."""
    if clause[:1] in (["it"], ["they"]):
        k = 1
    elif clause[:2] == ["the", "country"]:
        k = 2  # "KCNA said the country had tested"
    else:
        return False
    while k < len(clause) and clause[k] in ("had", "has", "have", "successfully", "also"):
        k += 1
    if k >= len(clause) or clause[k] not in _OWNED_ACTS:
        return False
    if clause[k] == "carried" and clause[k + 1 : k + 2] != ["out"]:
        return False
    return not any(c in _OWN_WORK for c in clause[k + 1 : k + 5])


def _after_that(keys: Sequence[str], verb: int) -> int:
    """Where the clause a reporting verb introduces begins: after "that" when it comes before
    any other verb ("confirmed on Wednesday that ..."), else right after the verb."""
    for k in range(verb + 1, min(verb + 13, len(keys))):
        if keys[k] == "that":
            return k + 1
        if keys[k] in _SAY or keys[k] in _VERB_TRIGGERS:
            break
    return verb + 1


def _meeting_actors(
    keys: Sequence[str], mentions: Sequence[Mention], trigger: _Trigger, ctx: Context
) -> list[str]:
    """Who asked for the meeting, and who holds it once it is held (not while it "will" be)."""
    actors: list[str] = []
    held_yet = not any(k in _FUTURE for k in keys[max(0, trigger.start - 4) : trigger.start])
    for j in range(trigger.start - 1, max(-1, trigger.start - 7), -1):
        if keys[j] in _REQUESTS:
            return _subject(keys, mentions, j, ctx)
        if not held_yet:
            continue
        if keys[j] in _HOLD_VERBS or (j == trigger.start - 1 and keys[trigger.start] == "meet"):
            actors.extend(_subject(keys, mentions, j + (keys[j] not in _HOLD_VERBS), ctx))
            break  # "NATO envoys held an emergency meeting": the body meets
    for j in range(len(keys) - 1):
        if keys[j] == "'s" and keys[j + 1] == "request":
            owner = [m for m in mentions if m.end == j]
            if owner:
                actors.append(owner[0].actor)
        if keys[j] == "request" and keys[j + 1] == "of":
            asked = [m for m in mentions if j + 2 <= m.start <= j + 3]
            if asked:  # "at the request of France, Germany and Italy"
                actors.extend(_with_conjuncts(keys, mentions, asked[0], forward=True))
        if keys[j] in ("it", "they") and keys[j + 1] == "requested":
            subject = _subject_left(keys, mentions, j)
            if subject is not None:
                actors.append(subject.actor)
    council = [m for m in mentions if m.actor == "UN Security Council"]
    if council and trigger.stance == "meeting":
        near = any(abs(m.start - trigger.start) <= 6 for m in council)
        held = keys[trigger.start] in ("met", "meets", "meet", "convened", "convenes") or any(
            k in ("at", "during", "held", "holds", "hold", "told", "addressed", "briefed")
            for k in keys[max(0, trigger.start - 6) : trigger.start]
        )
        if near and held and held_yet and "UN Security Council" not in actors:
            actors.append("UN Security Council")
    return actors
