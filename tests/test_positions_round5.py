"""Specs for the news conventions of the fifth positions round, about invented events.

Each convention has two or three sentences of its own, with its traps; none is taken from the
corpus or from the blind set (`tests/data/blind_positions3.jsonl`) they were found on.
"""

# ruff: noqa: E501
from __future__ import annotations

from datetime import UTC, datetime

import pytest

from storage.records import Story
from tests.stances import stances_in

WHEN = datetime(2026, 3, 4, tzinfo=UTC)


def positions(text: str, story: Story | None = None) -> set[tuple[str, str]]:
    return stances_in(text, WHEN, story)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a title right after a body's name is that body's, not the UN's Secretary-General
        pytest.param(
            "NATO Secretary-General Jens Halvorsen condemned the attack on the radar station.",
            {("NATO", "condemn")},
            id="nato-secretary-general",
        ),
        pytest.param(
            "OAS Secretary-General Luis Marquez called for calm in the capital.",
            {("OAS", "demand")},
            id="oas-secretary-general",
        ),
        pytest.param(
            "Secretary-General Antonio Guterres condemned the shelling of the school.",
            {("United Nations", "condemn")},
            id="bare-title-stays-un",
        ),
        # a state's own authority, agency or board speaks for the state
        pytest.param(
            "Norway's Accident Investigation Board said it had opened an investigation into the crash.",
            {("Norway", "investigate")},
            id="state-board",
        ),
        pytest.param(
            "Chile's Maritime Safety Authority said it was investigating the collision.",
            {("Chile", "investigate")},
            id="state-authority",
        ),
        # the European Council is the EU
        pytest.param(
            "European Council President Maria Lenz demanded the release of the detained crew.",
            {("European Union", "demand")},
            id="european-council",
        ),
        # "an act of piracy" condemns
        pytest.param(
            "Greece's foreign ministry called the seizure of the ferry an act of piracy.",
            {("Greece", "condemn")},
            id="act-of-piracy",
        ),
        pytest.param(
            "The ministry said in a statement that the boarding was an act of state piracy.",
            set(),
            id="act-of-piracy-no-actor",
        ),
        # beginning an assessment, examining, inspecting: an inquiry of one's own
        pytest.param(
            "Ireland's data protection regulator said it had begun an assessment of the breach.",
            {("Ireland", "investigate")},
            id="begun-assessment",
        ),
        pytest.param(
            "Peru said it would examine the conduct of the prison guards.",
            {("Peru", "investigate")},
            id="examine",
        ),
        pytest.param(
            "Peru rejected the flood assessment as outdated.",
            {("Peru", "deny")},
            id="assessment-as-topic",
        ),
        # "A, B and C said they condemned": all of them; "X said they" points back to X
        pytest.param(
            "Spain, Italy and Portugal said in a joint statement that they condemned the attack on the fishing fleet.",
            {("Spain", "condemn"), ("Italy", "condemn"), ("Portugal", "condemn")},
            id="joint-statement-they",
        ),
        pytest.param(
            "A pipe linking Norway and Denmark burst on Sunday, and Danish police said they were investigating whether it was sabotage.",
            {("Denmark", "investigate")},
            id="said-they-points-back",
        ),
        # "the members of the council" are the council
        pytest.param(
            "The members of the UN Security Council condemned the attack on the observers.",
            {("UN Security Council", "condemn")},
            id="members-of-council",
        ),
        # "called on X to swiftly investigate" is a demand, not X's or the caller's inquiry
        pytest.param(
            "The African Union called on Chad to swiftly investigate the killings.",
            {("African Union", "demand")},
            id="swiftly-investigate",
        ),
        pytest.param(
            "Canada urged Haiti to conduct a thorough, transparent investigation into the shooting.",
            {("Canada", "demand")},
            id="urged-adjective-list",
        ),
        # backing an inquiry is no inquiry of one's own
        pytest.param(
            'The Japanese embassy said it supported "a full and independent investigation" into the sinking.',
            set(),
            id="supported-investigation",
        ),
        # "had no connection" denies
        pytest.param(
            "Venezuela's foreign ministry said Caracas had no connection with the smuggling ring.",
            {("Venezuela", "deny")},
            id="no-connection",
        ),
        pytest.param(
            "Venezuela said the crew had no connection with the navy, and accused Guyana of lying.",
            {("Venezuela", "deny"), ("Venezuela", "accuse")},
            id="no-connection-and-accuse",
        ),
    ],
)
def test_fifth_round_conventions(text: str, expected: set[tuple[str, str]]) -> None:
    assert positions(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "the ministry" after a foreign state's ministry spoke is that state's, not the home state's
        pytest.param(
            "A Ugandan aid plane crashed near Juba, Uganda's foreign ministry said. The ministry said it held the South Sudanese army responsible.",
            {("Uganda", "accuse")},
            id="the-ministry-after-speaker",
        ),
        pytest.param(
            "A Ugandan aid plane crashed near Juba on Monday. Police said they had opened an investigation.",
            {("South Sudan", "investigate")},
            id="police-stay-home",
        ),
        # a recalled-time cue inside a "whether" clause is no other incident
        pytest.param(
            "Latvian police said they were investigating whether a trawler that passed at the time had cut the Ventspils cable.",
            {("Latvia", "investigate")},
            id="at-the-time-inside-whether",
        ),
        pytest.param(
            "Latvia at the time accused a trawler of cutting a cable near Liepaja.",
            set(),
            id="at-the-time-recall",
        ),
    ],
)
def test_fifth_round_with_story(text: str, expected: set[tuple[str, str]]) -> None:
    story = Story(
        slug="s",
        title="Aid plane crash near Juba; Ventspils cable",
        keywords=("Juba", "Ventspils", "plane"),
    )
    assert positions(text, story) == expected
