"""Figures and their claimants on sentences written for these tests (none from the corpus).

Each case names the news-writing convention it pins down; the held-out sentences of the
research notes (Appendix A) are restated here in other words about other events.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from storage.records import Story
from watchers.extract import extract_facts

WHEN = datetime(2021, 5, 4, 12, 0, tzinfo=UTC)
STORY = Story(slug="s", title="Floods in Kenya's Rift Valley", keywords=("Rift Valley", "floods"))

Fact = tuple[str, int, str, str | None]


def _figures(text: str, story: Story | None = STORY) -> set[Fact]:
    facts = extract_facts(text, story, WHEN)
    return {(f.metric, f.value, f.qualifier, f.claimant) for f in facts.figures}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kenya's army said 41 of its recruits drowned in the floods.",
         {("killed", 41, "exact", "Kenya")}),
        ("Residents put the number of dead at 17, with scores more hurt.",
         {("killed", 17, "exact", None)}),
        ("At least 9 villagers, including three infants, were killed.",
         {("killed", 9, "at_least", None), ("killed", 3, "exact", None)}),
        ("The mudslide left 23 people injured and 5 missing.",
         {("injured", 23, "exact", None), ("missing", 5, "exact", None)}),
        ("Police detained 14 suspects after the looting in Nakuru.",
         {("arrested", 14, "exact", None)}),
        ("The floods killed one teacher and injured 12 others.",
         {("killed", 1, "exact", None), ("injured", 12, "exact", None)}),
        ("Fewer than 30 people were hurt, officials said.",
         {("injured", 30, "up_to", "Kenya")}),
        ("Rescuers used 6 boats and 2 helicopters in the search.", set()),
        ("The government has deployed 1,500 troops to the Rift Valley.", set()),
        ("The rains, which began on 12 April, are in their 20th day.", set()),
        ("Officials said deaths could reach 500 if the dam breaks.", set()),
        ("Losses from the floods are put at more than $40 million.", set()),
        ("Dozens of people were killed and hundreds injured.", set()),
        ("The floods killed 48 people, police said. Another 30 are in hospital.",
         {("killed", 48, "exact", "Kenya"), ("injured", 30, "exact", None)}),
        ("Deaths rose from 48 to 61 overnight, the Kenya Red Cross said.",
         {("killed", 48, "exact", "Red Cross"), ("killed", 61, "exact", "Red Cross")}),
        ("Floods in the Rift Valley killed 12 people, three years after a landslide there "
         "killed 30 in 2018.", {("killed", 12, "exact", None)}),
        ("Two people were charged and 38 of them remain in custody.",
         {("arrested", 38, "exact", None)}),
    ],
    ids=["army-said-n-of-its", "put-number-of-dead-at", "appositive-breakdown-is-a-figure-too",
         "left-n-injured-and-m-missing", "detained-suspects",
         "killed-one-and-injured-others", "fewer-than-is-up-to", "vehicles-are-not-figures",
         "troops-are-not-figures", "dates-and-ordinals-are-not-figures",
         "projection-is-not-a-figure", "money-is-not-a-figure", "vague-amounts-are-not-figures",
         "source-does-not-carry-to-next-sentence", "rose-from-to-both-values",
         "earlier-landslide-is-another-incident", "charged-is-not-arrested"],
)  # fmt: skip
def test_figures_in_news_sentences(text: str, expected: set[Fact]) -> None:
    assert _figures(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mine collapse kills 7\n\nSeven miners were killed when a shaft collapsed in Chile, "
         "the mining ministry said.", {("killed", 7, "exact", "Chile")}),
        ("Stampede kills 12 at Lagos concert\n\nAt least 12 people were killed in a crush at a "
         "concert in Lagos, Nigerian police said.", {("killed", 12, "at_least", "Nigeria")}),
        ("Bus crash in Peru\n\nThe bus plunged into a gorge. The transport ministry said 19 "
         "passengers died, citing figures from the Peruvian Red Cross.",
         {("killed", 19, "exact", "Red Cross")}),
        ("Heatwave in India\n\nThe health ministry of India said on Friday that 96 people had "
         "died. It counted 2,300 cases of heatstroke treated in hospital.",
         {("killed", 96, "exact", "India"), ("injured", 2300, "exact", "India")}),
        ("Protests in Chile\n\nChile's interior minister said police arrested 112 people on "
         "Tuesday.", {("arrested", 112, "exact", "Chile")}),
        ("Floods in Peru\n\nThe official toll from the floods in Peru stands at 31.",
         {("killed", 31, "exact", "Peru")}),
        ("Quake in Turkey\n\nMedical sources said 14 people died in the quake in Turkey.",
         {("killed", 14, "exact", None)}),
        ("Quake in Turkey\n\nA study by Johns Hopkins University estimated that 2,400 people "
         "died in the quake in Turkey.", {("killed", 2400, "exact", "Johns Hopkins University")}),
    ],
    ids=["headline-figure-takes-body-source", "headline-and-body-same-fact-once",
         "citing-gives-innermost-source", "pronoun-it-points-back", "possessive-minister",
         "official-toll-is-the-states", "medical-sources-are-no-actor", "study-by-university"],
)  # fmt: skip
def test_claimants(text: str, expected: set[Fact]) -> None:
    assert _figures(text, None) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Some 40,000 people have been forced from their homes by the floods.",
         {("displaced", 40000, "about", None)}),
        ("Floods killed 12 people, a year after a landslide there killed 30.",
         {("killed", 12, "exact", None)}),
        ("At least 9 villagers, among them three infants, were killed.",
         {("killed", 9, "at_least", None)}),
    ],
    ids=["forced-from-homes-idiom", "another-incident-without-date-cue", "among-them-appositive"],
)  # fmt: skip
@pytest.mark.xfail(strict=True, reason="known gap of the rule-based extractor")
def test_known_gaps(text: str, expected: set[Fact]) -> None:
    assert _figures(text) == expected
