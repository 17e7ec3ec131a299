"""Casualty figures in one sentence (pure, linear in the sentence's tokens).

A count becomes a figure when news grammar ties it to a casualty word: after it ("62 soldiers
were killed", "14 dead"), before it ("killing at least 30", "wounding a hundred more"), as the
value of a toll ("the death toll rose to 83", "put the number of dead at 21"), or as a part of
another figure ("54 of them foreigners", "between 793 and 8,498 deaths"). Counts of things,
dates, money, projections ("could reach"), negated counts and tolls of another incident quoted
for context are not figures.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from storage.records import Metric, Qualifier
from watchers.numbers import Count, read_count
from watchers.sentences import Token

AFTER_TRIGGERS: dict[str, Metric] = {
    "killed": "killed", "dead": "killed", "died": "killed", "dies": "killed", "die": "killed",
    "deaths": "killed", "death": "killed", "perished": "killed", "slain": "killed",
    "drowned": "killed", "fatalities": "killed", "lives": "killed", "bodies": "killed",
    "injured": "injured", "wounded": "injured", "hurt": "injured", "hospitalised": "injured",
    "hospitalized": "injured", "injuries": "injured", "poisoned": "injured", "ill": "injured",
    "hospital": "injured", "hospitals": "injured", "treated": "injured", "treatment": "injured",
    "missing": "missing", "unaccounted": "missing", "accounted": "missing",
    "displaced": "displaced", "homeless": "displaced", "evacuees": "displaced",
    "arrested": "arrested", "detained": "arrested", "held": "arrested", "jailed": "arrested",
    "arrests": "arrested", "custody": "arrested", "arrest": "arrested",
}  # fmt: skip
"""Casualty words that follow their count."""

IDIOMS: dict[str, tuple[tuple[tuple[str, ...], Metric], ...]] = {
    "crushed": ((("crushed", "to", "death"), "killed"),),
    "burned": ((("burned", "to", "death"), "killed"),),
    "burnt": ((("burnt", "to", "death"), "killed"),),
    "trampled": ((("trampled", "to", "death"), "killed"),),
    "stabbed": ((("stabbed", "to", "death"), "killed"),),
    "beaten": ((("beaten", "to", "death"), "killed"),),
    "hacked": ((("hacked", "to", "death"), "killed"),),
    "shot": ((("shot", "dead"), "killed"), (("shot", "and", "killed"), "killed")),
    "lost": ((("lost", "their", "lives"), "killed"), (("lost", "their", "homes"), "displaced")),
    "buried": ((("buried", "alive"), "killed"), (("buried", "under"), "missing")),
    "trapped": ((("trapped",), "missing"),),
    "under": ((("under", "the", "rubble"), "missing"), (("under", "rubble"), "missing"),
              (("under", "the", "debris"), "missing")),
    "forced": ((("forced", "from"), "displaced"), (("forced", "to", "flee"), "displaced"),
               (("forced", "out", "of", "their", "homes"), "displaced")),
    "fled": ((("fled", "their", "homes"), "displaced"), (("fled", "their", "houses"), "displaced"),
             (("fled", "the", "area"), "displaced")),
    "driven": ((("driven", "from"), "displaced"), (("driven", "out", "of", "their"), "displaced")),
    "made": ((("made", "homeless"), "displaced"),),
    "taken": ((("taken", "into", "custody"), "arrested"),),
    "rounded": ((("rounded", "up"), "arrested"),),
    "placed": ((("placed", "under", "arrest"), "arrested"),),
    "intensive": ((("intensive", "care"), "injured"),),
    "in": ((("in", "a", "critical", "condition"), "injured"), (("in", "critical", "condition"),
            "injured"), (("in", "a", "serious", "condition"), "injured"),
           (("in", "serious", "condition"), "injured")),
}  # fmt: skip
"""Several-word casualty phrases that follow their count ("were crushed to death")."""

_DISPLACING_VERBS = frozenset(["forcing", "forced", "driving", "drove", "driven", "sending"])
"""Verbs whose object is displaced when "from their homes" or "to flee" follows it."""

BEFORE_TRIGGERS: dict[str, Metric] = {
    "killed": "killed", "killing": "killed", "kills": "killed", "kill": "killed",
    "claimed": "killed", "claiming": "killed",
    "wounded": "injured", "wounding": "injured", "injured": "injured", "injuring": "injured",
    "injures": "injured", "wounds": "injured", "hurting": "injured", "hospitalising": "injured",
    "arrested": "arrested", "arresting": "arrested", "arrests": "arrested",
    "detained": "arrested", "detaining": "arrested", "detains": "arrested", "detain": "arrested",
    "displaced": "displaced", "displacing": "displaced", "displaces": "displaced",
    "treating": "injured", "treated": "injured", "sickened": "injured", "sickening": "injured",
    "admitted": "injured", "admitting": "injured",
}  # fmt: skip
"""Active casualty verbs that come before their count ("killing at least 30")."""

TOLL_WORDS: dict[str, Metric] = {
    "toll": "killed", "deaths": "killed", "dead": "killed", "bodies": "killed",
    "fatalities": "killed", "killed": "killed", "injured": "injured", "wounded": "injured",
    "injuries": "injured", "missing": "missing", "displaced": "displaced", "held": "arrested",
    "arrested": "arrested", "detained": "arrested", "arrests": "arrested",
    "ill": "injured", "sick": "injured", "poisoned": "injured", "hospitalised": "injured",
    "hospitalized": "injured", "hospitalisations": "injured", "hospitalizations": "injured",
    "died": "killed",
}  # fmt: skip
"""Nouns whose value is stated as "toll rose to N", "number of dead at N"."""

_TOLL_LINKS = frozenset(
    [
        "to",
        "at",
        "of",
        "from",
        "reached",
        "reach",
        "reaches",
        "passed",
        "passes",
        "topped",
        "tops",
        "exceeded",
        "exceeds",
        "surpassed",
        "hit",
        "hits",
        "stood",
        "stands",
        "is",
        "was",
        "now",
        "past",
        "near",
        "nears",
        "neared",
        "approached",
    ]
)
_AT_LEAST_LINKS = frozenset(
    ["passed", "passes", "topped", "tops", "exceeded", "exceeds", "surpassed", "past"]
)
_AUX = frozenset(
    [
        "were",
        "was",
        "are",
        "is",
        "have",
        "has",
        "had",
        "been",
        "being",
        "be",
        "reported",
        "reportedly",
        "confirmed",
        "believed",
        "known",
        "feared",
        "still",
        "now",
        "also",
        "later",
        "so",
        "far",
        "all",
        "officially",
        "already",
        "thought",
        "presumed",
        "listed",
        "as",
        "either",
        "critically",
        "seriously",
        "badly",
        "severely",
        "remain",
        "remained",
        "remains",
        "said",
        "to",
        "may",
        "might",
        "subsequently",
        "since",
        "eventually",
        "initially",
        "left",
        "found",
        "declared",
        "counted",
        "who",
        "under",
        "taken",
        "in",
        "received",
        "receiving",
        "needed",
        "medical",
        "flown",
        "rushed",
        "airlifted",
        "admitted",
        "transferred",
    ]
)
_NEGATIONS = frozenset({"not", "never", "'t", "no", "neither", "nor"})
_PROJECTIONS = frozenset(
    [
        "could",
        "would",
        "will",
        "might",
        "may",
        "expected",
        "likely",
        "projected",
        "predicted",
        "forecast",
        "feared",
        "warned",
        "estimate",
    ]
)
_NOT_UNITS = frozenset(
    [
        "percent",
        "per",
        "%",
        "mph",
        "km",
        "kilometres",
        "kilometers",
        "miles",
        "mile",
        "metres",
        "meters",
        "feet",
        "foot",
        "years",
        "year",
        "months",
        "month",
        "days",
        "day",
        "hours",
        "hour",
        "minutes",
        "minute",
        "weeks",
        "week",
        "am",
        "pm",
        "times",
        "degrees",
        "dollars",
        "euros",
        "pounds",
        "tonnes",
        "tons",
        "acres",
        "hectares",
        "kph",
        "o'clock",
        "trucks",
        "truck",
        "vehicles",
        "aircraft",
        "jets",
        "planes",
        "helicopters",
        "tanks",
        "ships",
        "boats",
        "homes",
        "houses",
        "buildings",
        "schools",
        "hospitals",
        "districts",
        "cities",
        "towns",
        "villages",
        "provinces",
        "countries",
        "nations",
        "states",
        "members-states",
        "votes",
        "seats",
        "troops",
        "soldiers-deployed",
        "million-dollar",
        "storeys",
        "floors",
        "magnitude",
        "rupees", "rupee", "naira", "shillings", "pesos", "yuan", "yen", "rand", "dirhams",
        "riyals", "lira", "francs", "roubles", "rubles", "taka", "kwacha", "dinars", "baht",
        "ringgit", "dong", "reais", "cedis", "hryvnias", "litres", "liters", "gallons",
        "barrels", "doses", "rounds",
    ]
)  # fmt: skip
_MONTHS = frozenset(
    [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
    ]
)
_NUMBERED = frozenset(
    [
        "category",
        "flight",
        "resolution",
        "route",
        "article",
        "level",
        "phase",
        "terminal",
        "gate",
        "platform",
        "room",
        "highway",
        "no",
        "number",
        "chapter",
        "section",
        "paragraph",
        "grade",
    ]
)
PERSON_NOUNS = frozenset(
    [
        "man",
        "woman",
        "child",
        "boy",
        "girl",
        "baby",
        "soldier",
        "worker",
        "officer",
        "policeman",
        "civilian",
        "passenger",
        "resident",
        "student",
        "pilgrim",
        "miner",
        "tourist",
        "journalist",
        "volunteer",
        "driver",
        "suspect",
        "protester",
        "fighter",
        "firefighter",
        "rescuer",
        "patient",
        "teacher",
        "doctor",
        "nurse",
        "guard",
        "people",
        "persons",
        "person",
        "civilians",
        "soldiers",
        "troops",
        "children",
        "women",
        "men",
        "workers",
        "volunteers",
        "drivers",
        "residents",
        "villagers",
        "passengers",
        "students",
        "pilgrims",
        "migrants",
        "miners",
        "tourists",
        "foreigners",
        "fighters",
        "militants",
        "officers",
        "policemen",
        "members",
        "crew",
        "rescuers",
        "firefighters",
        "suspects",
        "protesters",
        "demonstrators",
        "others",
        "more",
        "staff",
        "employees",
        "patients",
        "worshippers",
        "refugees",
        "victims",
        "individuals",
        "nationals",
        "citizens",
        "inmates",
        "prisoners",
        "personnel",
        "journalists",
        "doctors",
        "nurses",
        "teachers",
        "farmers",
        "fishermen",
        "climbers",
        "trekkers",
        "guards",
        "police",
        "aid",
        "family",
        "families",
        "infants",
        "babies",
        "girls",
        "boys",
        "adults",
        "elderly",
        "seafarers",
        "sailors",
        "pupils",
        "schoolchildren",
        "skiers",
        "hikers",
        "attackers",
        "gunmen",
        "assailants",
        "labourers",
        "laborers",
        "recruits",
        "mourners",
        "shoppers",
        "spectators",
        "fans",
        "guests",
        "commuters",
        "motorists",
        "pedestrians",
        "peacekeepers",
        "medics",
        "paramedics",
        "officials", "informants", "smugglers", "traffickers", "kidnappers", "bandits",
        "rioters", "looters", "suspected", "alleged",
    ]
)  # fmt: skip
_NP_STOPS = frozenset(
    [
        "who",
        "which",
        "that",
        "when",
        "while",
        "said",
        "says",
        "after",
        "before",
        "as",
        "because",
        "but",
        "if",
        "than-not",
        "where",
        "whose",
        "said",
        "told",
    ]
)
_CLAUSE_BREAKS = frozenset({";", ":", "(", ")", '"'})
_QUALIFIERS: tuple[tuple[tuple[str, ...], Qualifier], ...] = (
    (("no", "fewer", "than"), "at_least"),
    (("not", "less", "than"), "at_least"),
    (("in", "excess", "of"), "at_least"),
    (("at", "least"), "at_least"),
    (("more", "than"), "at_least"),
    (("upwards", "of"), "at_least"),
    (("just", "over"), "at_least"),
    (("well", "over"), "at_least"),
    (("over",), "at_least"),
    (("as", "many", "as"), "up_to"),
    (("as", "much", "as"), "up_to"),
    (("no", "more", "than"), "up_to"),
    (("up", "to"), "up_to"),
    (("fewer", "than"), "up_to"),
    (("less", "than"), "up_to"),
    (("at", "most"), "up_to"),
    (("close", "to"), "about"),
    (("about",), "about"),
    (("around",), "about"),
    (("nearly",), "about"),
    (("almost",), "about"),
    (("some",), "about"),
    (("roughly",), "about"),
    (("approximately",), "about"),
    (("approx",), "about"),
    (("an", "estimated"), "exact"),
    (("estimated",), "exact"),
)


@dataclass(frozen=True, slots=True)
class RawFigure:
    """A figure found in a sentence, before its claimant is known."""

    metric: Metric
    value: int
    qualifier: Qualifier
    start: int
    end: int
    group: str | None = None


def find_figures(
    tokens: Sequence[Token], *, year: int | None = None, story_terms: Collection[str] = ()
) -> list[RawFigure]:
    """Return the casualty figures of one tokenised sentence, in order."""
    keys = [t.key for t in tokens]
    counts = _counts(tokens, keys)
    metrics: dict[int, Metric | bool | None] = {}
    for index, count in enumerate(counts):
        metrics[index] = _metric(keys, count)
    for index in range(len(counts)):
        if metrics[index] is None:
            metrics[index] = _inherited(keys, counts, metrics, index)
    figures: list[RawFigure] = []
    for index, count in enumerate(counts):
        metric = metrics[index]
        if metric is None or isinstance(metric, bool):
            continue
        if not _changed_from(keys, count) and _other_incident(
            tokens, keys, count, year, story_terms
        ):
            continue
        qualifier = _qualifier(keys, counts, index)
        figures.append(
            RawFigure(metric, count.value, qualifier, count.start, count.end, _group(keys, count))
        )
    return figures


def _counts(tokens: Sequence[Token], keys: list[str]) -> list[Count]:
    counts: list[Count] = []
    i, n = 0, len(tokens)
    while i < n:
        key = keys[i]
        if not (key[0].isdigit() or key[0].isalpha()):
            i += 1
            continue
        count = read_count(tokens, i)
        if count is None:
            i += 1
            continue
        i = count.end
        if _is_count(tokens, keys, count):
            counts.append(count)
    return counts


def _is_count(tokens: Sequence[Token], keys: list[str], count: Count) -> bool:
    before = keys[count.start - 1] if count.start > 0 else ""
    before2 = keys[count.start - 2] if count.start > 1 else ""
    after = keys[count.end] if count.end < len(keys) else ""
    after2 = keys[count.end + 1] if count.end + 1 < len(keys) else ""
    text = tokens[count.start].text
    if before in ("$", "€", "£", "us$", "¥") or after in _NOT_UNITS or after in _MONTHS:
        return False
    if before in _MONTHS or before in _NUMBERED or before in ("aged", "age"):
        return False
    if before in ("and", "or", "to") and _aged(keys, count.start - 1):
        return False  # "two children aged 7 and 10": the second age is no count either
    if text.isdigit() and len(text) == 4 and 1800 <= int(text) <= 2100:
        return after in PERSON_NOUNS or after in AFTER_TRIGGERS
    before3 = keys[count.start - 3] if count.start > 2 else ""
    partitive = before3[:1].isdigit() or before3 in _COUNT_WORDS or before3 in ("all", "most")
    if before2 == "of" and before in ("the", "its", "their", "his", "her", "'s") and partitive:
        # "four of the 19 team members": the 19 is the whole, not a count, unless the whole is
        # itself a casualty count ("eight of the 14 people killed")
        whole = keys[count.end : count.end + 4]
        if any(k in _WHOLE_CASUALTIES for k in whole[:3]):
            return True
        return "who" in whole and any(k in _DEATH_VERBS for k in whole)  # "the six who died"
    if after == "suspected" and after2 in ("cases", "case"):
        return False  # "120 suspected cases were monitored": suspicion is no casualty count
    if after == "of" and after2 in ("the", "those", "these") and keys[count.start] == "one":
        return False  # "one of the first to arrive"
    if before in ("of", "from") and after in _COLLECTIVES:
        return False  # "four members of one family": the family is not a count of victims
    return not (after == "-" or before == "-")


_WHOLE_CASUALTIES = frozenset(
    ["killed", "dead", "injured", "wounded", "missing", "detained", "arrested"]
)


def _aged(keys: list[str], join: int) -> bool:
    """Whether the count before the word at `join` is an age ("aged 7", "aged between 9")."""
    j = join - 1
    if j < 1 or not (keys[j][:1].isdigit() or keys[j] in _COUNT_WORDS):
        return False
    if keys[j - 1] == "between":
        j -= 1
    return keys[j - 1] in ("aged", "age", "ages")


_COLLECTIVES = frozenset(["family", "household", "clan", "tribe", "village", "community"])
_SAVING_VERBS = frozenset(
    ["rescued", "rescuing", "rescues", "saved", "saving", "evacuated", "evacuating", "evacuates"]
)
"""Verbs whose object is a count of people brought to safety, never of casualties."""


def _metric(keys: list[str], count: Count) -> Metric | bool | None:
    """The metric tied to `count` by grammar; False when the count is ruled out."""
    start = _qualifier_start(keys, count.start)
    if start > 0 and keys[start - 1] in _SAVING_VERBS:
        return False  # "police rescued 58 people trapped in cars"
    if start > 1 and keys[start - 1] == "of" and keys[start - 2] in _HOLDING_NOUNS:
        return "arrested"  # "concerned by the detention of some 700 people"
    if _bodies_of(keys, start):
        return "killed"  # "the bodies of the three soldiers missing since Monday were found"
    toll = _toll_metric(keys, start, count)
    if toll is not None:
        return toll
    if start > 0 and keys[start - 1] in BEFORE_TRIGGERS:
        before = _before_metric(keys, start, count)
        if before is not None:
            return before
    after = _after_metric(keys, count)
    if after is not None:
        return after
    return (
        _before_metric(keys, start, count)
        or _among_metric(keys, start)
        or _fronted_part(keys, start, count)
        or _forced(keys, start)
        or _to_death(keys, start, count)
        or _lost(keys, start, count)
    )


_HOLDING_NOUNS = frozenset(["detention", "arrest", "arrests", "detentions"])


def _bodies_of(keys: list[str], start: int) -> bool:
    """Whether the count follows "bodies of (the)": the people whose bodies are found."""
    if start > 1 and keys[start - 2 : start] == ["bodies", "of"]:
        return True
    return start > 2 and keys[start - 3 : start] == ["bodies", "of", "the"]


_TO_DEATH_VERBS = frozenset(
    ["trampled", "crushed", "burned", "burnt", "stabbed", "beat", "beaten", "hacked", "shot",
     "stoned", "mauled", "gored", "clubbed", "lynched", "tortured", "starved", "froze"]
)  # fmt: skip


def _to_death(keys: list[str], start: int, count: Count) -> Metric | None:
    """ "Trampled five people to death": the verb's object, then "to death"."""
    if start == 0 or keys[start - 1] not in _TO_DEATH_VERBS:
        return None
    for j in range(count.end, min(count.end + 5, len(keys) - 1)):
        if keys[j] == "to" and keys[j + 1] == "death":
            return "killed"
        if not keys[j][:1].isalpha():
            return None
    return None


def _lost(keys: list[str], start: int, count: Count) -> Metric | None:
    """ "Israel, which lost five citizens in the crash": people lost are people killed."""
    if start == 0 or keys[start - 1] not in ("lost", "losing", "loses"):
        return None
    following = keys[count.end] if count.end < len(keys) else ""
    people = following in PERSON_NOUNS and following not in ("more", "others", "aid", "family")
    return "killed" if people else None


_BE = frozenset(["were", "was", "are", "is"])
_FRONT_OPENERS = frozenset(['"', "'", ",", ":", ";", "."])


def _among_metric(keys: list[str], start: int) -> Metric | None:
    """A count in the list after "Among the dead were ..." or "Killed were ..." takes its metric.

    The count may stand later in the list: "Among the dead were a driver and three passengers".
    """
    verb = start - 1
    while verb >= max(0, start - 10) and keys[verb] not in _BE:
        if keys[verb] in _CLAUSE_BREAKS or keys[verb] in (".", "said", "says"):
            return None
        verb -= 1
    if verb < 1 or keys[verb] not in _BE:
        return None
    fronted = keys[verb - 1]
    opens = verb == 1 or keys[verb - 2] in _FRONT_OPENERS
    if fronted in TOLL_WORDS and fronted != "toll" and opens:
        return TOLL_WORDS[fronted]  # "Killed were two electricians, two painters and ..."
    for j in range(verb - 1, max(-1, verb - 9), -1):
        if keys[j] in _CLAUSE_BREAKS or keys[j] in (",", "."):
            return None
        if keys[j] == "among" and keys[j + 1 : j + 2] in (["the"], ["those"]):
            for k in range(j + 2, start - 1):
                if keys[k] in TOLL_WORDS and keys[k] not in ("held", "toll"):
                    return TOLL_WORDS[keys[k]]
            return None
    return None


def _fronted_part(keys: list[str], start: int, count: Count) -> Metric | None:
    """ "Of the dead, nine were from ...", "Of 211 people injured, 64 were admitted": the part
    right after a fronted "of" phrase takes the metric of that phrase."""
    if keys[:1] != ["of"] or start < 3 or keys[start - 1] != ",":
        return None
    if keys[count.end : count.end + 1] not in (["were"], ["are"], ["was"], ["is"], ["of"]):
        return None
    opening = keys[1 : start - 1]
    if "," in opening or len(opening) > 8:
        return None
    for key in reversed(opening):
        if key in TOLL_WORDS and key not in ("toll", "held"):
            return TOLL_WORDS[key]
    return None


def _forced(keys: list[str], start: int) -> Metric | None:
    """ "Forcing 16,000 people from their homes", "rounded up 30 protesters"."""
    if start == 0:
        return None
    before = keys[start - 1]
    if before == "up" and start > 1 and keys[start - 2] in ("rounded", "rounding", "rounds"):
        return "arrested"
    if before not in _DISPLACING_VERBS:
        return None
    for j in range(start + 1, min(start + 6, len(keys) - 1)):
        if keys[j] == "from" and keys[j + 1 : j + 3] in (["their", "homes"], ["their", "houses"]):
            return "displaced"
        if keys[j] == "to" and keys[j + 1] in ("flee", "leave", "evacuate"):
            return "displaced"
    return None


def _toll_metric(keys: list[str], start: int, count: Count) -> Metric | bool | None:
    if start == 0:
        return None
    # "bringing to five the number of people held"
    if keys[start - 1] == "to" and keys[count.end : count.end + 3] == ["the", "number", "of"]:
        for j in range(count.end + 3, min(count.end + 7, len(keys))):
            if keys[j] in TOLL_WORDS:
                return TOLL_WORDS[keys[j]]
    link = keys[start - 1]
    if link == "between" and start > 1:
        link = keys[start - 2]  # "put the toll at between 80 and 100"
    if link not in _TOLL_LINKS and link not in ("down", "up"):
        return None
    lower = max(0, start - 14)
    for j in range(start - 1, lower - 1, -1):
        key = keys[j]
        if key in _CLAUSE_BREAKS or key == ".":
            return None
        if _modal(keys, j):
            return False
        if key == "toll" or (key in TOLL_WORDS and _is_toll_noun(keys, j)):
            if _negated_before(keys, j):
                return False
            participle = key in _PARTICIPLE_TOLLS
            if participle and "number" not in keys[max(0, j - 4) : j]:
                return None
            return "killed" if key == "toll" else TOLL_WORDS[key]
    return None


_PARTICIPLE_TOLLS = frozenset(
    ["killed", "injured", "wounded", "missing", "displaced", "held", "ill", "sick", "poisoned",
     "hospitalised", "hospitalized", "died"]
)  # fmt: skip
"""Toll words that are participles: a toll only as "the number of people <word>"."""


def _modal(keys: list[str], k: int) -> bool:
    """Whether `keys[k]` makes a projection ("could reach"); "May 12" is a date."""
    if keys[k] not in _PROJECTIONS:
        return False
    if keys[k] == "estimate" and keys[k + 1 : k + 2] == ["that"]:
        return False  # "aid workers estimate that 3,000 fled": a claim, not a projection
    return not (keys[k] == "may" and k + 1 < len(keys) and keys[k + 1][:1].isdigit())


_TOLL_NOUNS = frozenset(
    ["deaths", "dead", "bodies", "fatalities", "arrests", "injuries", "hospitalisations",
     "hospitalizations"]
)  # fmt: skip


def _is_toll_noun(keys: list[str], j: int) -> bool:
    key = keys[j]
    if key in _TOLL_NOUNS:
        return True
    return "number" in keys[max(0, j - 4) : j]


def _negated_before(keys: list[str], j: int) -> bool:
    for k in range(j - 1, max(-1, j - 6), -1):
        if keys[k] in _NEGATIONS:
            return True
        if keys[k] in (",", ";"):
            return False
    return False


def _after_metric(keys: list[str], count: Count) -> Metric | bool | None:
    j, n = count.end, len(keys)
    words_in_np = 0
    bodies = False
    idiom: Metric | None = None
    partitive = False
    while j < n and words_in_np < 9:
        key = keys[j]
        if key == "bodies":
            bodies = True
        if key in _ANIMALS:
            return False  # "70,000 head of livestock died": not people
        if key == "of" and keys[j + 1 : j + 2] in (["the"], ["its"], ["their"], ["those"]):
            partitive = True  # "two of the wounded died": the verb after decides
        if key in AFTER_TRIGGERS and not (key == "held" and words_in_np == 0):
            break
        idiom = _idiom(keys, j)
        adjective = j + 1 < n and keys[j + 1] in PERSON_NOUNS  # "12 trapped miners"
        if idiom is not None and key != "under" and not adjective:
            break
        idiom = None
        if key in _AUX or key in _NEGATIONS or key in _PROJECTIONS or key in _NP_STOPS:
            break
        if key == "alive":
            return False  # "pulled 15 people alive from the rubble": the rescued
        if (
            key == "and"
            and j + 1 < n
            and (keys[j + 1] in AFTER_TRIGGERS or keys[j + 1] in BEFORE_TRIGGERS)
        ):
            break
        if key == "," and j + 1 < n and keys[j + 1] in ("including", "among", "most", "mostly"):
            close = _next_comma(keys, j + 1, 12)
            if close is None:
                return None
            j = close + 1
            continue
        part = keys[j + 2 : j + 4] in (["of", "them"], ["of", "whom"])
        if key == "," and j + 1 < n and _is_count_key(keys[j + 1]) and part:
            close = _next_comma(keys, j + 1, 8)
            if close is not None:
                j = close + 1  # "Fifteen people, nine of them children, died": the part aside
                continue
        if key == "," and words_in_np > 0 and keys[j + 1 : j + 2] in (["a"], ["an"], ["the"]):
            # an appositive: "the two survivors, a pilot and a doctor, were seriously injured"
            close = _next_comma(keys, j + 1, 10)
            if close is not None and keys[close + 1 : close + 2] in _APPOSITIVE_VERBS:
                j = close + 1
                continue
        if key[0].isdigit() and keys[j - 1] in ("the", "its", "their") and keys[j - 2] == "of":
            j += 1
            continue
        if key == "'s" and words_in_np > 1:
            j += 1  # "two more victims of Tuesday's blast died": a possessive inside the phrase
            continue
        if not key[0].isalpha() or read_count_key(key):
            break
        if key in BEFORE_TRIGGERS and key not in AFTER_TRIGGERS:
            break
        if key in ("over", "for") and words_in_np > 0:
            break  # "three suspected smugglers over the trailer deaths": another phrase
        words_in_np += 1
        j += 1
    negated = projected = named_ward = False
    aux = 0
    while j < n and aux < 6 and idiom is None:
        key = keys[j]
        idiom = _idiom(keys, j)
        if idiom is not None:
            break
        if key not in _AUX and keys[j - 1] == "to" and aux > 1:
            # "were taken to Bach Mai hospital": a hospital's name before "hospital"
            named = next((k for k in range(j, min(j + 4, n)) if not keys[k].isalpha()), n)
            ward = [k for k in range(j, min(j + 4, named)) if keys[k] in ("hospital", "hospitals")]
            if ward:
                j, named_ward = ward[0], True
                break
        if key in _NEGATIONS:
            negated = True
        elif key in ("could", "would", "will", "expected", "likely", "should"):
            projected = True
        elif key not in _AUX:
            break
        aux += 1
        j += 1
    if idiom is not None:
        if _negated_before(keys, count.start) and count.start > 0 and keys[count.start - 1] != "no":
            return False
        return False if projected or negated else idiom
    if aux and keys[j - 1] == "admitted" and (j >= n or keys[j] in _ADMITTED_ENDS):
        return False if projected or negated else "injured"  # "of whom 96 remained admitted"
    among = keys[j : j + 3]
    if among[:2] in (["among", "the"], ["among", "those"]) and among[2:] and among[2] in TOLL_WORDS:
        # "11 of its nationals were among the dead"
        return False if negated else TOLL_WORDS[among[2]]
    if bodies and (j >= n or keys[j] not in AFTER_TRIGGERS):
        return "killed" if not negated else False
    if j >= n or keys[j] not in AFTER_TRIGGERS:
        if negated:
            return None
        if partitive and _dies_after(keys, j):
            return "killed"
        # "two more victims of Tuesday's blast in Lahore died", "two people who suffered
        # burns in the fire died on Wednesday"
        person = count.end < n and keys[count.end] in PERSON_NOUNS
        who = j > 0 and keys[j - 1] == "who"
        if (person or who) and _dies_after(keys, j, _DYING_REACH):
            return "killed"
        return None
    key = keys[j]
    follow = keys[j + 1] if j + 1 < n else ""
    if key == "accounted" and not (negated and follow == "for"):
        return None
    if key == "unaccounted" and follow != "for":
        return None
    if key == "ill" and keys[j - 1] not in ("critically", "seriously", "fell", "gravely"):
        return None
    if key in ("lives", "custody", "arrest") and keys[j - 1] not in _HELD_LINKS:
        return None
    if key == "held" and words_in_np == 0:
        return None
    if key == "held" and (follow in ("hostage", "captive") or _held_by_captors(keys, j)):
        return False  # "137 pupils held by the kidnappers": captives, not arrests
    if partitive and key != "dead" and _dies_after(keys, j + 1, _DYING_REACH):
        return "killed"
    if key in _HURT_WORDS and _dies_after(keys, j + 1, _DYING_REACH):
        return "killed"  # "seven wounded miners died in hospital": the wounded are now dead
    if partitive and key in _HURT_WORDS and _dies_after(keys, j + 1, _DYING_REACH, _WHEN_STOPS):
        return "killed"  # "two of the fans hurt when lightning struck the pitch died"
    if key == "missing" and keys[j + 1 : j + 2] != ["."] and "dead" in keys[j + 1 : j + 4]:
        return "killed"  # "found the last two missing passengers dead"
    if key == "death" and follow not in ("toll",) and (count.value != 1 or j != count.end):
        return None  # "one death" is a count; "death" after other words is not
    if key in ("hospital", "hospitals") and keys[j - 1] not in ("in", "to") and not named_ward:
        return None
    if key == "treatment" and keys[j - 1] not in ("medical", "received", "needed", "receiving"):
        return None
    if key == "treated" and follow in ("as", "like", "with"):
        return None
    if key in BEFORE_TRIGGERS and _count_follows(keys, j + 1):
        return None  # "the two quakes killed 8,832": the count before is not the victims'
    if _negated_before(keys, count.start) and count.start > 0 and keys[count.start - 1] != "no":
        return False
    if projected or (negated and key != "accounted"):
        return False
    return AFTER_TRIGGERS[key]


_APPOSITIVE_VERBS = (["were"], ["are"], ["had"], ["have"])
_ADMITTED_ENDS = frozenset([".", ",", ";", "on", "in", "at", "since", "until", "overnight"])
"""Words that may follow "remained admitted" when it means in hospital, not a confession."""
_HELD_LINKS = frozenset(["in", "under", "their", "into"])
_ANIMALS = frozenset(
    ["livestock", "cattle", "animals", "sheep", "goats", "cows", "camels", "horses", "poultry",
     "chickens", "pigs", "birds", "fish", "dogs", "donkeys"]
)  # fmt: skip
_CAPTORS = frozenset(
    ["kidnappers", "gunmen", "captors", "abductors", "militants", "rebels", "bandits", "pirates",
     "insurgents", "jihadists", "attackers", "hostage-takers", "group", "militia", "militias"]
)  # fmt: skip
_DEATH_VERBS = frozenset(["died", "dies", "die", "succumbed"])


def _held_by_captors(keys: list[str], j: int) -> bool:
    """Whether "held" at `keys[j]` is "held by the kidnappers" rather than by the state."""
    if keys[j + 1 : j + 2] != ["by"]:
        return False
    return any(k in _CAPTORS for k in keys[j + 2 : j + 5])


_HURT_WORDS = frozenset(["wounded", "injured", "hurt"])
_DYING_REACH = 14
"""How far a death verb may follow the injured it is about ("of the wounded in Sunday's
bombing at a checkpoint near Tikrit died overnight")."""
_DYING_STOPS = frozenset(
    [",", ".", ";", ":", "and", "but", "who", "which", "where", "when", "while", "as", "after",
     "before", "whom", "that", "said", "says", '"', "(", ")"]
)  # fmt: skip


_WHEN_STOPS = _DYING_STOPS - {"when", "after", "as"}
"""Stops for the injured of a partitive, whose "hurt when ..." clause may run up to the verb."""


def _dies_after(
    keys: list[str], j: int, reach: int = 6, stops: frozenset[str] = _DYING_STOPS
) -> bool:
    """Whether a death verb follows within a few words ("of the wounded died overnight")."""
    for k in range(j, min(j + reach, len(keys))):
        if keys[k] in _DEATH_VERBS:
            return True
        if keys[k] in stops:
            return False
    return False


"""Words before "lives", "custody", "arrest" that make them casualty words ("into custody")."""


def _idiom(keys: list[str], j: int) -> Metric | None:
    """The metric of a several-word casualty phrase starting at `keys[j]`, if one does."""
    for words, metric in IDIOMS.get(keys[j], ()):
        if tuple(keys[j : j + len(words)]) == words:
            return metric
    return None


def _count_follows(keys: list[str], j: int) -> bool:
    """Whether a count, after any qualifier, starts at `keys[j]` ("killed at least 30")."""
    for words, _ in _QUALIFIERS:
        if tuple(keys[j : j + len(words)]) == words:
            j += len(words)
            break
    if j >= len(keys):
        return False
    key = keys[j]
    return key[:1].isdigit() or key in _COUNT_WORDS


_COUNT_WORDS = frozenset(
    ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
     "twelve", "dozens", "hundreds"]
)  # fmt: skip


def _is_count_key(key: str) -> bool:
    return key[:1].isdigit() or key in _COUNT_WORDS


def read_count_key(key: str) -> bool:
    """Whether `key` is itself a count word or numeral (it ends a noun phrase)."""
    return key[0].isdigit()


def _next_comma(keys: list[str], start: int, limit: int) -> int | None:
    for j in range(start, min(start + limit, len(keys))):
        if keys[j] == ",":
            return j
    return None


def _before_metric(keys: list[str], start: int, count: Count) -> Metric | None:
    lower = max(0, start - 13)
    broken = False
    for j in range(start - 1, lower - 1, -1):
        key = keys[j]
        if key in _CLAUSE_BREAKS or key in (".", "said", "says", "when", "after", "while"):
            return None
        if key in BEFORE_TRIGGERS:
            if key == "claimed" and keys[j + 1 : j + 4] != ["the", "lives", "of"]:
                return None
            if j > 0 and keys[j + 1 : j + 2] == [","] and _is_count_key(keys[j - 1]):
                return None  # "17 killed, 400 inmates at large": the verb is the 17's
            if _negated_before(keys, j) or any(_modal(keys, k) for k in range(max(0, j - 3), j)):
                return None
            if j + 1 < start and keys[j + 1] in ("by", "in", "on", "at", "when", "during"):
                return None
            following = keys[count.end] if count.end < len(keys) else ""
            if _ends_victims(following):
                return BEFORE_TRIGGERS[key]
            if any(k in PERSON_NOUNS for k in keys[count.end : count.end + 3]):
                return BEFORE_TRIGGERS[key]
            return None
        if key[0].isdigit() or key in _COUNT_WORDS:
            if broken:
                return None  # "killed 48 people, only 20 of the homes": a list goes on with counts
            if start > 0 and keys[start - 1] in _OBJECT_PREPOSITIONS:
                return None  # "treating 450 patients on a ward built for 150": another noun's
            continue
        if key == "," and not _count_follows(keys, j + 1):
            broken = True
    return None


_OBJECT_PREPOSITIONS = frozenset(["for", "of", "on", "with", "by", "from", "in", "into"])


def _ends_victims(following: str) -> bool:
    """Whether the word after an active verb's count closes a list of victims."""
    if following in PERSON_NOUNS or following + "s" in PERSON_NOUNS:
        return True
    return not following[:1].isalpha() or following in _VICTIM_LIST_ENDS


_VICTIM_LIST_ENDS = frozenset(
    {"and", "in", "on", "at", "of", "from", "during", "including", "across", "over"}
)


def _inherited(
    keys: list[str], counts: list[Count], metrics: dict[int, Metric | bool | None], index: int
) -> Metric | None:
    if metrics[index] is False:
        return None
    count = counts[index]
    if _changed_from(keys, count):
        # "has risen to 31, the ministry said, up from 18": the old value of the same toll
        earlier = [metrics[i] for i in range(index) if metrics[i]]
        last = earlier[-1] if earlier else None
        return None if last is None or isinstance(last, bool) else last
    opening = _qualifier_start(keys, count.start)
    before = keys[opening - 1] if opening > 0 else ""
    after = keys[count.end : count.end + 2]
    # an appositive ("..., among them two children", "..., nine of them soldiers") may sit far
    # from the count it breaks down
    part = before == "them" or after in (["of", "them"], ["of", "whom"])
    reach = 40 if before == "including" else 24 if part else 12
    previous = [
        (i, metrics[i]) for i in range(index) if metrics[i] and counts[i].end >= count.start - reach
    ]
    following = [(i, metrics[i]) for i in range(index + 1, len(counts)) if metrics[i]]
    # a range: "between 793 and 8,498 deaths", "18,000 to 20,000 dead"
    if following:
        nxt = counts[following[0][0]]
        gap = keys[count.end : _qualifier_start(keys, nxt.start)]
        if gap in (["and"], ["to"], ["-"]) and (gap != ["and"] or _between(keys, count.start)):
            ahead = following[0][1]
            return None if isinstance(ahead, bool) else ahead
    total = opening > 1 and keys[opening - 2] == "total" and before in ("of", "to", "at")
    if total:
        # "..., for a total of 35": the sum of the counts before it
        for i in range(index - 1, -1, -1):
            summed = metrics[i]
            if summed and not isinstance(summed, bool):
                return summed
    if not previous:
        return None
    found = previous[-1][1]
    metric: Metric | None = None if isinstance(found, bool) else found
    window = keys[count.end : count.end + 8]
    if any(k in _NOT_CASUALTY_VERBS for k in window):
        return None  # "38 of them charged with murder": a part, but of another count
    if after in (["of", "them"], ["of", "whom"]) or before in ("including", "them"):
        return metric
    follow = keys[count.end] if count.end < len(keys) else ""
    if before in (",", ":") and follow in ("in", "from"):
        # a breakdown: "killed 31: 12 in Rajshahi, 8 in Natore", "9 were from X, 7 from Y"
        tail = keys[counts[previous[-1][0]].end : counts[previous[-1][0]].end + 2]
        if before == ":" or follow in tail:
            return metric
    if before == "and" or (before == "," and keys[count.start - 2 : count.start] == [",", ","]):
        follow = keys[count.end] if count.end < len(keys) else ""
        if follow in PERSON_NOUNS or follow in ("from", "in", "on", "at", ",", ".", ""):
            return metric
    return None


def _changed_from(keys: list[str], count: Count) -> bool:
    """Whether `count` is the old value of a change: "up from 18", "rose to 136, from 86"."""
    start = _qualifier_start(keys, count.start)
    return start > 1 and keys[start - 1] == "from" and keys[start - 2] in ("up", "down", ",")


_NOT_CASUALTY_VERBS = frozenset(
    [
        "charged", "indicted", "convicted", "sentenced", "accused", "released", "freed",
        "rescued", "evacuated", "acquitted", "identified", "discharged", "questioned",
        "fined", "deported", "pardoned", "summoned",
    ]
)  # fmt: skip


def _between(keys: list[str], start: int) -> bool:
    q = _qualifier_start(keys, start)
    return q > 0 and keys[q - 1] == "between"


def _qualifier_start(keys: list[str], start: int) -> int:
    if start == 0 or keys[start - 1] not in _QUALIFIER_ENDS:
        return start
    for words, _ in _QUALIFIERS:
        width = len(words)
        if start >= width and tuple(keys[start - width : start]) == words:
            return start - width
    return start


_QUALIFIER_ENDS = frozenset(words[-1] for words, _ in _QUALIFIERS)


def _qualifier(keys: list[str], counts: list[Count], index: int) -> Qualifier:
    count = counts[index]
    if count.start > 0 and keys[count.start - 1] in _QUALIFIER_ENDS:
        for words, qualifier in _QUALIFIERS:
            width = len(words)
            if count.start >= width and tuple(keys[count.start - width : count.start]) == words:
                return qualifier
    after = keys[count.end : count.end + 2]
    if after == ["or", "more"] or after[:1] == ["plus"]:
        return "at_least"
    before = keys[count.start - 1] if count.start > 0 else ""
    if before in _AT_LEAST_LINKS:
        return "at_least"
    if before == "between":
        return "at_least"
    if before == "and" and index > 0 and _between(keys, counts[index - 1].start):
        return "up_to"
    if before == "to" and index > 0 and counts[index - 1].end == count.start - 1:
        q = _qualifier_start(keys, counts[index - 1].start)
        if q == 0 or keys[q - 1] != "from":
            return "up_to"
    if (
        index + 1 < len(counts)
        and keys[count.end : count.end + 1] == ["to"]
        and counts[index + 1].start == count.end + 1
        and (count.start == 0 or keys[count.start - 1] != "from")
    ):
        return "at_least"
    return "exact"


_EVENT_NOUNS = frozenset(
    [
        "strike",
        "strikes",
        "attack",
        "attacks",
        "quake",
        "earthquake",
        "fire",
        "flood",
        "floods",
        "hurricane",
        "storm",
        "bombing",
        "collapse",
        "crash",
        "disaster",
        "leak",
        "shooting",
        "massacre",
        "tsunami",
        "typhoon",
        "cyclone",
        "blast",
        "explosion",
        "war",
        "raid",
        "raids",
        "offensive",
        "tornado",
        "landslide",
        "eruption",
        "stampede",
        "sinking",
        "derailment",
        "accident",
        "epidemic",
        "outbreak",
    ]
)
_SKIP_CAPITALS = (
    frozenset(
        [
            "monday",
            "tuesday",
            "wednesday",
            "thursday",
            "friday",
            "saturday",
            "sunday",
            "the",
            "a",
            "an",
            "in",
            "on",
            "at",
        ]
    )
    | _MONTHS
)


def _other_incident(
    tokens: Sequence[Token],
    keys: list[str],
    count: Count,
    year: int | None,
    story_terms: Collection[str],
) -> bool:
    """Whether `count` is the toll of another incident quoted for context."""
    if keys[:1] == ["in"] and keys[1:2] in (["a"], ["an"]) and keys[2:3] in _SEPARATE:
        return True  # "In a separate incident, four people died"
    if _rate(keys, count) or _disowned(keys, count) or _running_tally(keys, count):
        return True
    begin = count.start
    relative = False
    while begin > 0 and keys[begin - 1] not in (";", ".") and count.start - begin < 14:
        key = keys[begin - 1]
        if key in ("which", "that", "where") and begin > 1:
            relative = True
            begin -= 1
            break
        if key == "," and keys[begin : begin + 1] not in (["which"], ["in"]):
            break
        begin -= 1
    end = count.end
    while end < len(keys) and keys[end] not in (";", ".", ",") and end - count.end < 10:
        end += 1
    if relative:
        begin = max(0, begin - 10)
    clause = range(begin, end)
    for k in range(count.end, end - 1):
        if keys[k] in ("separate", "unrelated") and keys[k - 1] in ("a", "an"):
            return True  # "reported 12 deaths from a separate outbreak"
    for k in range(begin, count.start):
        # "a similar siege", "another hotel": a second incident, even of the story's kind
        described = k + 1 < count.start and (
            keys[k + 1] in _EVENT_NOUNS or (keys[k + 1].isalpha() and k + 2 < count.start)
        )
        if keys[k] in ("similar", "separate", "unrelated") and described:
            return True
        other = keys[k] == "another" and k + 1 < count.start and keys[k + 1][:1].isalpha()
        if other and read_count(tokens, k + 1) is None and keys[k + 1] not in PERSON_NOUNS:
            return True
    # the story's own names before the count describe the story's event, however old it is
    if any(
        keys[k] in story_terms and keys[k] not in _EVENT_NOUNS and tokens[k].text[:1].isupper()
        for k in range(begin, count.start)
    ):
        return False
    if "ago" in (keys[k] for k in clause) or _earlier_time(tokens, keys, begin, year):
        return True
    for k in range(max(begin, 1), count.start):
        # "a year after a landslide there killed 30": "days after" is still the story's event
        span = keys[k] in ("after", "before") and keys[k - 1] in _LONG_SPANS
        if span and keys[k + 1 : k + 2] in (["a"], ["an"], ["another"]):
            return True
    if _last_year(keys, count.end, end):
        return True
    for k in range(begin, count.start):
        # "the previous quake", "an earlier flood": a second incident
        described = k + 1 < count.start and (
            keys[k + 1] in _EVENT_NOUNS or (keys[k + 1].isalpha() and k + 2 < count.start)
        )
        if keys[k] in ("previous", "earlier") and described:
            return True
    for k in clause:
        text = tokens[k].text
        if (
            text.isdigit()
            and len(text) == 4
            and year is not None
            and 1800 <= int(text) < year - 1
            and k != count.start
        ):
            return True
    if relative:
        window = [k for k in clause if k < count.start]
        has_event = any(keys[k] in _EVENT_NOUNS for k in window)
        named = any(
            tokens[k].text[:1].isupper()
            and keys[k] not in _SKIP_CAPITALS
            and k > 0
            and keys[k + 1] not in _SPEAKER_NOUNS
            for k in window
        )
        return has_event and named
    return False


_SEPARATE = (["separate"], ["unrelated"], ["similar"], ["earlier"], ["previous"])
_SPEAKER_NOUNS = frozenset(
    ["officials", "official", "police", "authorities", "government", "army", "ministry", "media"]
)
"""Nouns after a demonym that make it a speaker ("which Somali officials say"), not a place."""
_RATES = (("a", "year"), ("every", "year"), ("each", "year"), ("per", "year"), ("annually",),
          ("a", "day"), ("every", "day"), ("each", "day"))  # fmt: skip
"""Words that make a count a rate ("kills about 500 people a year"), a statistic of no event."""
_DISOWNING = frozenset(["denied", "dismissed", "rejected", "refuted", "disputed", "denies"])
_HEARSAY = frozenset(["reports", "report", "claims", "claim", "rumours", "rumors", "suggestions"])


def _rate(keys: list[str], count: Count) -> bool:
    """Whether the count's clause makes it a yearly or daily rate."""
    for k in range(count.end, min(count.end + 10, len(keys))):
        if keys[k] in (".", ";", ","):
            return False
        if any(tuple(keys[k : k + len(words)]) == words for words in _RATES):
            return True
    return False


_SEASON_SPANS = (("so", "far", "this", "year"), ("this", "year"), ("since", "january"),
                 ("since", "the", "start", "of", "the", "year"), ("since", "the", "monsoon"),
                 ("since", "the", "season"), ("since", "the", "rainy", "season"))  # fmt: skip
_MANY_INCIDENTS = frozenset(
    ["attacks", "incidents", "accidents", "crashes", "shipwrecks", "crossings", "clashes",
     "fires", "explosions", "blasts", "collapses"]
)  # fmt: skip
_ATTEMPTS = (("trying", "to"), ("attempting", "to"), ("while", "trying"))
_WAR_WIDE = (("already",), ("years", "of"), ("since", "the", "war"), ("since", "the", "conflict"))


_TALLY_WORDS = frozenset(words[0] for words in (*_SEASON_SPANS, *_WAR_WIDE))


def _running_tally(keys: list[str], count: Count) -> bool:
    """A tally of many incidents over a season or a war, quoted for scale, not the story's.

    "Attacks on roads had killed 187 people so far this year", "52 had died trying to cross
    so far this year", "2 million were already displaced by years of conflict". A season's
    toll of one disease ("dengue has killed 1,017 so far this year") is the story's own.
    """
    begin = count.start
    while begin > 0 and keys[begin - 1] not in (".", ";") and count.start - begin < 16:
        begin -= 1
    end = count.end
    while end < len(keys) and keys[end] not in (".", ";") and end - count.end < 16:
        end += 1
    after = keys[count.end : end]
    if _TALLY_WORDS.isdisjoint(after):
        return False  # the common case, decided without reading any phrase
    clause = keys[begin:end]
    if _has_any(after, _WAR_WIDE) and "displaced" in after:
        return True
    if _since_year(after) and any(k in _MANY_INCIDENTS for k in clause):
        return True  # "40 migrants had died in fires at detention centres since 2023"
    if not _has_any(after, _SEASON_SPANS):
        return False
    return any(k in _MANY_INCIDENTS for k in clause) or _has_any(after, _ATTEMPTS)


def _since_year(keys: list[str]) -> bool:
    return any(
        keys[k] == "since" and len(keys[k + 1]) == 4 and keys[k + 1].isdigit()
        for k in range(len(keys) - 1)
    )


def _has_any(keys: list[str], phrases: Sequence[tuple[str, ...]]) -> bool:
    """Whether any of the phrases occurs in `keys` (short windows: linear in practice)."""
    for k in range(len(keys)):
        for words in phrases:
            if tuple(keys[k : k + len(words)]) == words:
                return True
    return False


def _disowned(keys: list[str], count: Count) -> bool:
    """ "Officials denied reports that 40 people had died": a count the sentence rejects."""
    for k in range(count.start - 1, max(0, count.start - 12), -1):
        if keys[k] in (".", ";", ","):
            return False
        if keys[k] in _HEARSAY and keys[k - 1] in _DISOWNING:
            return True
    return False


_LONG_SPANS = frozenset(["year", "years", "month", "months", "decade", "decades"])
_EARLIER_OPENINGS = (
    ("last", "year"),
    ("earlier", "this", "year"),
    ("the", "previous", "year"),
    ("a", "year", "earlier"),
    ("the", "year", "before"),
    ("last", "month"),
)
"""Sentence openings that set what follows in another, earlier incident."""


def _earlier_time(tokens: Sequence[Token], keys: list[str], begin: int, year: int | None) -> bool:
    """Whether the sentence, or the clause before ", when", is set at an earlier time.

    "In 2021, a fire killed two", "Last year floods left 12 dead", "since 2017, when five died".
    """
    if any(tuple(keys[: len(words)]) == words for words in _EARLIER_OPENINGS):
        return True
    if year is None:
        return False
    # "In 2021, a fire killed two", "In 2022 a tank fell", "In July 2020 a landslide killed 174"
    if keys[:1] == ["in"] and len(keys) > 2 and _old_year(tokens[1].text, year):
        return True
    dated = keys[:1] == ["in"] and len(keys) > 3 and keys[1] in _MONTHS
    if dated and _old_year(tokens[2].text, year):
        return True
    if keys[begin : begin + 1] == ["when"] and begin >= 2 and keys[begin - 1] == ",":
        # "the worst since January, when 24 died": a comparison with an earlier event
        return _old_year(tokens[begin - 2].text, year) or "since" in keys[max(0, begin - 5) : begin]
    return False


def _old_year(text: str, year: int) -> bool:
    return text.isdigit() and len(text) == 4 and 1800 <= int(text) < year - 1


def _last_year(keys: list[str], start: int, end: int) -> bool:
    """A count dated "last year" after it ("4,690 road deaths last year") is another tally."""
    return any(keys[k : k + 2] == ["last", "year"] for k in range(start, end))


GROUPS = frozenset(
    [
        "civilians", "civilian", "soldiers", "soldier", "troops", "children", "child", "fighters",
        "militants", "policemen", "policeman", "officers", "firefighters", "firefighter",
        "rescuers", "workers", "worker", "miners", "miner", "pupils", "pupil", "students",
        "student", "schoolchildren", "inmates", "inmate", "prisoners", "prisoner", "patients",
        "refugees", "refugee", "migrants", "migrant", "pilgrims", "pilgrim", "passengers",
        "passenger", "tourists", "tourist", "journalists", "journalist", "women", "woman",
        "foreigners", "foreigner", "teachers", "teacher", "doctors", "doctor", "nurses", "nurse",
        "medics", "paramedics", "protesters", "protester", "demonstrators", "volunteers",
        "volunteer", "crew", "sailors", "fishermen", "climbers", "climber", "skiers", "skier",
        "hikers", "worshippers", "infants", "babies", "girls", "boys", "peacekeepers", "staff",
        "employees", "guards", "attackers", "gunmen", "labourers", "laborers", "recruits",
        "spectators", "fans", "commuters", "seafarers", "personnel",
    ]
)  # fmt: skip
"""Nouns naming who the victims were ("62 soldiers", "nine children"), shown with the figure."""

_TWO_WORD_GROUPS = frozenset(
    [
        ("police", "officers"), ("aid", "workers"), ("health", "workers"), ("rescue", "workers"),
        ("foreign", "nationals"), ("security", "forces"), ("crew", "members"),
        ("security", "personnel"), ("police", "officer"), ("aid", "worker"),
    ]
)  # fmt: skip


def _group(keys: list[str], count: Count) -> str | None:
    """The group the count is of, when the sentence states it right after the count or in
    the toll ("the number of inmates killed has risen to 116"); else None."""
    for j in range(count.end, min(count.end + 3, len(keys))):
        key = keys[j]
        if (key, keys[j + 1] if j + 1 < len(keys) else "") in _TWO_WORD_GROUPS:
            return f"{key} {keys[j + 1]}"
        if key in GROUPS:
            return key
        if not key[:1].isalpha() or key in _AUX or key in AFTER_TRIGGERS or key in _NP_STOPS:
            break
    start = _qualifier_start(keys, count.start)
    if start > 0 and keys[start - 1] in _TOLL_LINKS:
        for j in range(start - 2, max(0, start - 14), -1):
            if keys[j] in (".", ";", ","):
                break
            if keys[j - 1 : j + 1] == ["number", "of"] and j + 1 < len(keys):
                following = keys[j + 1]
                return following if following in GROUPS else None
    return None
