"""Fourth-round figure and claimant conventions, each on 2-3 sentences invented for this test.

The conventions come from the misses of a blind set (`tests/data/blind_figures2.jsonl`); the
sentences here are about other events, so they test the convention, not the set's wording.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from storage.records import Story
from watchers.extract import extract_facts

WHEN = datetime(2022, 8, 9, 10, 0, tzinfo=UTC)
STORY = Story(
    slug="s", title="Blast at a fuel depot in Chittagong", keywords=("Chittagong", "depot")
)

Fact = tuple[str, int, str, str | None]


def _figures(text: str, story: Story | None = STORY) -> set[Fact]:
    facts = extract_facts(text, story, WHEN)
    return {(f.metric, f.value, f.qualifier, f.claimant) for f in facts.figures}


CASES = [
    # a change states its old value after "up from" or ", from"
    ("old-value-up-from",
     "The toll rose to 44, Bangladesh's fire service said on Monday, up from 29 a day earlier.",
     {("killed", 44, "exact", "Bangladesh"), ("killed", 29, "exact", "Bangladesh")}),
    ("old-value-comma-from",
     "The number of people who died in the depot fire rose to 41 on Monday, from 32 on Sunday.",
     {("killed", 41, "exact", None), ("killed", 32, "exact", None)}),
    ("old-value-down-from",
     "Officials in Chittagong revised the number of injured to 150, down from 180.",
     {("injured", 150, "exact", "Bangladesh"), ("injured", 180, "exact", "Bangladesh")}),
    # "the number of people who died" is a toll
    ("number-who-died",
     "The number of people who died after the blast has reached 17.",
     {("killed", 17, "exact", None)}),
    ("number-who-died-risen",
     "The number of workers who died in the fire has risen to nine, police said.",
     {("killed", 9, "exact", "Bangladesh")}),
    # a toll put "at between A and B" is a range, in one clause with its source
    ("toll-at-between",
     "Bangladesh's disaster agency put the toll at between 35 and 50.",
     {("killed", 35, "at_least", "Bangladesh"), ("killed", 50, "up_to", "Bangladesh")}),
    ("missing-at-between",
     "Police put the number of missing at between 10 and 12.",
     {("missing", 10, "at_least", "Bangladesh"), ("missing", 12, "up_to", "Bangladesh")}),
    # "<verb> N people to death": the object of the verb
    ("object-to-death",
     "A bull trampled three farmers to death in a village near Chittagong.",
     {("killed", 3, "exact", None)}),
    ("object-burned-to-death",
     "The blaze burned 11 workers to death inside the depot.",
     {("killed", 11, "exact", None)}),
    # people a country or family "lost" are people killed; homes lost are not
    ("lost-citizens",
     "Nepal, which lost four citizens in the blast, sent a team to Chittagong.",
     {("killed", 4, "exact", None)}),
    ("lost-homes-no-figure",
     "Families who lost 30 homes in the blast are sleeping in a school.",
     set()),
    # "one death" is a count
    ("one-death",
     "Police in Chittagong reported one death at the depot.",
     {("killed", 1, "exact", "Bangladesh")}),
    ("one-death-more-than",
     "The fire service said one death had been confirmed.",
     {("killed", 1, "exact", "Bangladesh")}),
    # hospitals and hospitalisations
    ("admitted-to-hospitals",
     "About 120 people were admitted to hospitals in Chittagong, the health ministry said.",
     {("injured", 120, "about", "Bangladesh")}),
    ("total-hospitalisations",
     "That brought total hospitalisations to nearly 300, officials said.",
     {("injured", 300, "about", "Bangladesh")}),
    # the whole of a part is a figure when it is itself a casualty count
    ("whole-of-part-killed",
     "Funerals were held for six of the 17 people killed in the blast.",
     {("killed", 6, "exact", None), ("killed", 17, "exact", None)}),
    ("whole-of-part-team",
     "Police said two of the 14 crew members died.",
     {("killed", 2, "exact", "Bangladesh")}),
    # "including N" after "X said," still breaks the figure down
    ("including-after-said",
     "At least 16 people were killed in the explosion at a container depot near the port of "
     "Chittagong late on Saturday, the fire service said, including five firefighters.",
     {("killed", 16, "at_least", "Bangladesh"), ("killed", 5, "exact", "Bangladesh")}),
    # a count after a preposition is another noun's, even after a casualty verb
    ("prepositional-count",
     "The clinic was treating 80 burn patients in a unit built for 20.",
     {("injured", 80, "exact", None)}),
    ("prepositional-count-beds",
     "Doctors were treating 45 patients on a floor meant for 30.",
     {("injured", 45, "exact", None)}),
]  # fmt: skip

NOT_FIGURES = [
    # yearly or daily rates are statistics, not the story's casualties
    ("rate-a-year", "Depot fires kill about 200 workers a year in Bangladesh.", set()),
    ("rate-every-year", "Such blasts kill some 60 people in the country every year.", set()),
    # a count the sentence rejects
    ("denied-reports",
     "Officials denied reports that 90 people had died, putting the toll at 41.",
     {("killed", 41, "exact", "Bangladesh")}),
    ("dismissed-claims",
     "The ministry dismissed claims that 300 workers were missing.",
     set()),
    # "In <month> <old year>," sets the sentence in another incident
    ("dated-opening",
     "In March 2019, a fire at another depot killed 12 people.",
     set()),
    ("dated-opening-recent-is-kept",
     "In August 2022, the blast killed 49 people.",
     {("killed", 49, "exact", None)}),
    # an outbreak elsewhere in a relative clause
    ("outbreak-elsewhere",
     "The epidemic is worse than an outbreak in Haiti that killed 120 people.",
     set()),
    # a speaker in the relative clause names no other place
    ("relative-with-speaker",
     "Hundreds attended funerals for victims of the depot blast, which Bangladeshi officials "
     "say killed 49 people.",
     {("killed", 49, "exact", "Bangladesh")}),
]  # fmt: skip

CLAIMANTS = [
    # J11: two subjects of one reporting verb are two claimants
    ("both-put",
     "Bangladesh's government and the World Health Organization both put the toll at 49.",
     {("killed", 49, "exact", "Bangladesh"), ("killed", 49, "exact", "United Nations")}),
    ("both-first",
     "Both the port's police chief and UNICEF put the number of injured at 200.",
     {("injured", 200, "exact", "Bangladesh"), ("injured", 200, "exact", "United Nations")}),
    ("both-said",
     "India and Bangladesh said 7 of their nationals were missing.",
     {("missing", 7, "exact", "India"), ("missing", 7, "exact", "Bangladesh")}),
    # "told Reuters" closes the clause that holds the count
    ("told-outlet",
     "Police have arrested five people, a senior official told Reuters.",
     {("arrested", 5, "exact", "Bangladesh")}),
    ("told-reporters",
     "Twelve workers were still missing, fire officer Anis Rahman told reporters.",
     {("missing", 12, "exact", "Bangladesh")}),
    # a quote, then its speaker
    ("quote-then-speaker",
     '"Nine of the dead were firefighters," the fire service chief told state television.',
     {("killed", 9, "exact", "Bangladesh")}),
    # "X said they had counted": X is the source
    ("said-they-counted",
     "Volunteers, who searched the site, said they had counted 30 bodies.",
     {("killed", 30, "exact", None)}),
    ("said-they-counted-officials",
     "Officials said they had recorded 52 deaths.",
     {("killed", 52, "exact", "Bangladesh")}),
    # "the government's toll", "<state>'s toll"
    ("government-toll",
     "Rights groups counted 70 dead, more than the government's toll of 49.",
     {("killed", 70, "exact", None), ("killed", 49, "exact", "Bangladesh")}),
    # "the office's spokesman" speaks for the office named before
    ("office-spokesman",
     "The UN human rights office said it was alarmed by the blast. The office's spokesman said "
     "some 20 people were still missing.",
     {("missing", 20, "about", "United Nations")}),
    # national public bodies named after their state
    ("civil-protection-agency",
     "The blast killed 8 people in Chittagong, the civil protection agency said.",
     {("killed", 8, "exact", "Bangladesh")}),
    ("disease-control-agency",
     "Cholera has killed 14 people in Bangladesh, the country's disease control agency said.",
     {("killed", 14, "exact", "Bangladesh")}),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_round_four_figures(text: str, expected: set[Fact]) -> None:
    assert _figures(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"), [c[1:] for c in NOT_FIGURES], ids=[c[0] for c in NOT_FIGURES]
)
def test_round_four_not_figures(text: str, expected: set[Fact]) -> None:
    assert _figures(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"), [c[1:] for c in CLAIMANTS], ids=[c[0] for c in CLAIMANTS]
)
def test_round_four_claimants(text: str, expected: set[Fact]) -> None:
    assert _figures(text) == expected
