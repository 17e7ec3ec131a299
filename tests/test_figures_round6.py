"""Round-six figure rules, each pinned by invented sentences in the register of wire copy."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from watchers.extract import extract_facts

PUBLISHED = datetime(2026, 5, 1, tzinfo=UTC)


def _figures(text: str) -> set[tuple[str, int]]:
    return {(f.metric, f.value) for f in extract_facts(text, None, PUBLISHED).figures}


@pytest.mark.parametrize(
    ("text", "want", "not_want"),
    [
        pytest.param(
            "Half a dozen other villagers died at home before reaching a clinic, relatives said.",
            ("killed", 6),
            ("killed", 12),
            id="half-a-dozen-dead",
        ),
        pytest.param(
            "Half a dozen of the injured were still in hospital on Friday, the ministry said.",
            ("injured", 6),
            ("injured", 12),
            id="half-a-dozen-injured",
        ),
        pytest.param(
            "The floods have forced half a million people from their homes, the agency said.",
            ("displaced", 500_000),
            ("displaced", 1_000_000),
            id="half-a-million-displaced",
        ),
    ],
)
def test_half_a_quantity(text: str, want: tuple[str, int], not_want: tuple[str, int]) -> None:
    got = _figures(text)
    assert want in got
    assert not_want not in got


@pytest.mark.parametrize(
    ("text", "want", "not_want"),
    [
        pytest.param(
            "Ferry sinking: 31 killed, 200 passengers still at sea",
            {("killed", 31)},
            {("killed", 200)},
            id="participle-after-count-is-not-the-next-counts-verb",
        ),
        pytest.param(
            "Three of the miners hurt when the roof gave way in the east shaft died on Sunday.",
            {("killed", 3)},
            {("injured", 3)},
            id="hurt-when-clause-then-died",
        ),
        pytest.param(
            "Divers found the last four missing fishermen dead on Monday, the navy said.",
            {("killed", 4)},
            {("missing", 4)},
            id="missing-found-dead",
        ),
        pytest.param(
            "Of the dead, six were from a single clan.",
            {("killed", 6)},
            {("killed", 1)},
            id="fronted-of-the-dead",
        ),
        pytest.param(
            "Of 140 people injured, 35 were admitted to the district hospital.",
            {("injured", 140), ("injured", 35)},
            set(),
            id="fronted-of-n-injured",
        ),
        pytest.param(
            '"Killed were three welders, two drivers and a guard," the police chief said.',
            {("killed", 3), ("killed", 2)},
            set(),
            id="fronted-killed-were-in-a-quote",
        ),
        pytest.param(
            "Among the dead were a ferry captain and five deckhands from the port.",
            {("killed", 5)},
            set(),
            id="among-the-dead-later-in-the-list",
        ),
        pytest.param(
            "The storm killed 40 people in the province: 22 in Lanta, 11 in Morro and 7 in Esk.",
            {("killed", 40), ("killed", 22), ("killed", 11), ("killed", 7)},
            set(),
            id="breakdown-after-colon",
        ),
        pytest.param(
            "Of the dead, 12 were from Uzel, 9 from Parva and 3 from Tost, the governor said.",
            {("killed", 12), ("killed", 9), ("killed", 3)},
            set(),
            id="breakdown-by-town",
        ),
    ],
)
def test_fronted_and_listed_counts(
    text: str, want: set[tuple[str, int]], not_want: set[tuple[str, int]]
) -> None:
    got = _figures(text)
    assert want <= got
    assert not (not_want & got)


@pytest.mark.parametrize(
    ("text", "context_value"),
    [
        pytest.param(
            "In 2021 a boiler burst at the same mill, killing 17 workers.",
            17,
            id="in-old-year-without-comma",
        ),
        pytest.param(
            "It was the city's deadliest fire since August, when 31 people died in a market blaze.",
            31,
            id="worst-since-month-when",
        ),
        pytest.param(
            "The neighbouring province reported 14 deaths from a separate outbreak.",
            14,
            id="separate-after-the-count",
        ),
        pytest.param(
            "Rights groups say at least 60 people have died in explosions at illegal oil"
            " refineries across the delta region since 2020.",
            60,
            id="many-incidents-since-a-year",
        ),
    ],
)
def test_context_tolls_of_other_incidents(text: str, context_value: int) -> None:
    story = "Fire at the Veltro mill kills 9. " + text
    assert context_value not in {value for _, value in _figures(story)}


@pytest.mark.parametrize(
    ("text", "want"),
    [
        pytest.param(
            "Nine others were taken to Santa Lucia hospital with burns, the agency said.",
            ("injured", 9),
            id="taken-to-a-named-hospital",
        ),
        pytest.param(
            "The three survivors, a guide and two hikers, were badly hurt in the fall.",
            ("injured", 3),
            id="appositive-before-the-verb",
        ),
        pytest.param(
            '"Four of our firefighters are still in intensive care," the chief said.',
            ("injured", 4),
            id="in-intensive-care",
        ),
        pytest.param(
            "The clinic has treated 230 people, of whom 41 remained admitted on Friday.",
            ("injured", 41),
            id="remained-admitted",
        ),
        pytest.param(
            "Nurses said the ward had admitted 64 children since the weekend.",
            ("injured", 64),
            id="admitted-n-children",
        ),
    ],
)
def test_hospital_level_counts(text: str, want: tuple[str, int]) -> None:
    assert want in _figures(text)


def test_admitting_a_charge_is_no_casualty() -> None:
    assert _figures("The driver admitted two charges of dangerous driving in court.") == set()


def _claimants(text: str) -> set[tuple[int, str | None]]:
    return {(f.value, f.claimant) for f in extract_facts(text, None, PUBLISHED).figures}


@pytest.mark.parametrize(
    ("text", "want"),
    [
        pytest.param(
            "A boiler blast at a sugar mill in Kenya's Kisumu county killed 11 workers, the"
            " Kisumu fire brigade said.",
            (11, "Kenya"),
            id="fire-brigade-speaks-for-the-state",
        ),
        pytest.param(
            "A tanker crash near Kano in Nigeria killed 19 people, the Federal Road Safety"
            " Corps said.",
            (19, "Nigeria"),
            id="federal-corps-speaks-for-the-state",
        ),
        pytest.param(
            "Floods in Ghana's Volta region have killed 14 people, the National Disaster"
            " Management Organisation said.",
            (14, "Ghana"),
            id="national-organisation-speaks-for-the-state",
        ),
        pytest.param(
            "A bus fire in the Mexican state of Sonora killed 8 passengers, the state's public"
            " security secretariat said.",
            (8, "Mexico"),
            id="security-secretariat-speaks-for-the-state",
        ),
    ],
)
def test_public_bodies_speak_for_their_state(text: str, want: tuple[int, str]) -> None:
    assert want in _claimants(text)


def test_a_name_with_and_in_it_is_one_speaker() -> None:
    text = (
        "The International Federation of Red Cross and Red Crescent Societies said 57 people"
        " had died in the cyclone."
    )
    assert (57, "Red Cross") in _claimants(text)


@pytest.mark.parametrize(
    ("text", "want"),
    [
        pytest.param(
            "Killed were four guards and 11 inmates, the ministry said, for a total of 15.",
            {("killed", 4), ("killed", 11), ("killed", 15)},
            id="for-a-total-of",
        ),
        pytest.param(
            "Twelve people, five of them children, drowned when the boat capsized.",
            {("killed", 12), ("killed", 5)},
            id="appositive-part-before-the-verb",
        ),
    ],
)
def test_totals_and_parts(text: str, want: set[tuple[str, int]]) -> None:
    assert want <= _figures(text)


@pytest.mark.parametrize(
    ("text", "want"),
    [
        pytest.param(
            "Police said three men, the mine's owner and two of his foremen, had been taken into"
            " custody.",
            ("arrested", 3),
            id="appositive-with-the-before-had-been",
        ),
        pytest.param(
            "Police detain four over warehouse fire",
            ("arrested", 4),
            id="headline-detain-n-over",
        ),
    ],
)
def test_detentions(text: str, want: tuple[str, int]) -> None:
    assert want in _figures(text)
