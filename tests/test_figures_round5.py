"""Fifth-round figure and claimant conventions, each on 2-3 sentences invented for this test.

The conventions come from the misses of a blind set (`tests/data/blind_figures3.jsonl`); the
sentences here are about other events, so they test the convention, not the set's wording.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from storage.records import Story
from watchers.extract import extract_facts

WHEN = datetime(2024, 11, 4, 9, 0, tzinfo=UTC)
STORY = Story(
    slug="s", title="Ferry fire on Lake Kivu near Goma", keywords=("Kivu", "ferry", "Goma")
)

Fact = tuple[str, int, str, str | None]


def _figures(text: str, story: Story | None = STORY) -> set[Fact]:
    facts = extract_facts(text, story, WHEN)
    return {(f.metric, f.value, f.qualifier, f.claimant) for f in facts.figures}


CASES = [
    # the injured who later die are counted as killed, however long the phrase between
    (
        "wounded-of-died-far",
        "Four of the wounded in Friday's ferry fire on Lake Kivu died in hospital overnight.",
        {("killed", 4, "exact", None)},
    ),
    (
        "people-injured-in-died",
        "Two of the passengers badly injured in the blaze on the ferry died on Sunday.",
        {("killed", 2, "exact", None)},
    ),
    (
        "wounded-noun-died",
        "Five wounded crew members died in a clinic in Goma.",
        {("killed", 5, "exact", None)},
    ),
    # a person noun or "who" clause, then a death verb further on
    (
        "more-victims-of-died",
        "Three more victims of Friday's ferry fire in Goma died overnight.",
        {("killed", 3, "exact", None)},
    ),
    (
        "people-who-died",
        "Two people who suffered burns in the ferry fire died on Monday.",
        {("killed", 2, "exact", None)},
    ),
    # "the bodies of the three ..." are dead, even if once missing
    (
        "bodies-of-the-missing",
        "The bodies of the six passengers missing since the fire were found on Tuesday.",
        {("killed", 6, "exact", None)},
    ),
    (
        "bodies-of-count",
        "Divers recovered the bodies of 11 people from the lake.",
        {("killed", 11, "exact", None)},
    ),
    # a breakdown ", N of them X" reaches back to a count far before it
    (
        "of-them-far",
        "Officials said 23 people had been killed in the fire on the ferry near Goma on Friday "
        "night, eight of them children.",
        {("killed", 23, "exact", "Congo"), ("killed", 8, "exact", "Congo")},
    ),
    (
        "of-them-and-list",
        "At least 30 people died in the two fires on the lake, 21 of them in Goma and nine in "
        "Bukavu.",
        {
            ("killed", 30, "at_least", None),
            ("killed", 21, "exact", None),
            ("killed", 9, "exact", None),
        },
    ),
    # "including at least N minors": the qualifier does not hide the breakdown
    (
        "including-at-least",
        "More than 90 people, including at least 20 teenagers, were detained after the protest.",
        {("arrested", 90, "at_least", None), ("arrested", 20, "at_least", None)},
    ),
    # injured phrases
    (
        "critical-condition",
        "Rescuers pulled 40 passengers from the water, and three of them were in a critical "
        "condition.",
        {("injured", 3, "exact", None)},
    ),
    (
        "sickened",
        "The tainted water sickened about 60 villagers near Goma.",
        {("injured", 60, "about", None)},
    ),
    (
        "detention-of",
        "Rights groups condemned the detention of some 300 people after the ferry fire.",
        {("arrested", 300, "about", None)},
    ),
    # "the six who died": the whole of a partitive is a count when it is the dead
    (
        "whole-who-died",
        "Four of the six people who died on the ferry were from one village.",
        {("killed", 4, "exact", None), ("killed", 6, "exact", None)},
    ),
]

NOT_FIGURES = [
    # the second of two ages is an age too
    ("two-ages", "Among the dead were two sisters aged 4 and 9.", {("killed", 2, "exact", None)}),
    ("ages-between", "The victims were aged between 19 and 25.", set()),
    # year-to-date tallies of many incidents or crossings are statistics, not the story's
    ("ytd-attacks", "Attacks on boats on the lake have killed 140 people so far this year.", set()),
    (
        "ytd-trying-to-cross",
        "At least 75 people have drowned trying to cross the lake this year.",
        set(),
    ),
    (
        "war-wide-displaced",
        "About 1.7 million people are already displaced in the province by years of fighting.",
        set(),
    ),
    # suspected cases are not casualties
    (
        "suspected-cases",
        "Twelve people were hospitalised and 85 suspected cases were under observation.",
        {("injured", 12, "exact", None)},
    ),
    (
        "suspected-cases-listed",
        "Health officials listed 430 suspected cases in the camp on Monday.",
        set(),
    ),
]

CLAIMANTS = [
    # ", X and Y said" after the count credits both (J11)
    (
        "joint-after",
        "Nine people were killed, the World Health Organization and the Red Cross said.",
        {("killed", 9, "exact", "United Nations"), ("killed", 9, "exact", "Red Cross")},
    ),
    (
        "joint-after-state",
        "At least 14 people died, Congo's health ministry and UNICEF said on Monday.",
        {("killed", 14, "at_least", "Congo"), ("killed", 14, "at_least", "United Nations")},
    ),
    # state broadcasters and provincial committees speak for the state
    (
        "state-broadcaster",
        "The fire killed 12 people, state broadcaster CCTV said, after a blast in Wuhan.",
        {("killed", 12, "exact", "China")},
    ),
    (
        "provincial-committee",
        "Seven people were missing, the provincial People's Committee of Hanoi said.",
        {("missing", 7, "exact", "Vietnam")},
    ),
    # national response forces, management cells, prefectures and administrators
    (
        "response-force",
        "Eight people died in Mumbai, the National Disaster Response Force said.",
        {("killed", 8, "exact", "India")},
    ),
    (
        "management-cell",
        "Six people were injured in Mumbai, the city's disaster management cell said.",
        {("injured", 6, "exact", "India")},
    ),
    (
        "district-administrator",
        "Twenty people were killed in Dhaka, district administrator Abul Hasan said.",
        {("killed", 20, "exact", "Bangladesh")},
    ),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_round_five_figures(text: str, expected: set[Fact]) -> None:
    assert _figures(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"), [c[1:] for c in NOT_FIGURES], ids=[c[0] for c in NOT_FIGURES]
)
def test_round_five_not_figures(text: str, expected: set[Fact]) -> None:
    assert _figures(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"), [c[1:] for c in CLAIMANTS], ids=[c[0] for c in CLAIMANTS]
)
def test_round_five_claimants(text: str, expected: set[Fact]) -> None:
    assert _figures(text, None) == expected
