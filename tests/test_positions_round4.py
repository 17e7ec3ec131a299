"""Specs for the news conventions of the fourth positions round, about invented events.

Each convention has two or three sentences of its own, with its traps; none is taken from the
corpus or from the blind set (`tests/data/blind_positions2.jsonl`) they were found on.
"""

# ruff: noqa: E501
from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.stances import stances_in
from watchers.extract import extract_facts

WHEN = datetime(2024, 6, 4, tzinfo=UTC)


def positions(text: str) -> set[tuple[str, str]]:
    return stances_in(text, WHEN)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # intergovernmental bodies known by their acronym keep it; UN missions are the UN
        pytest.param(
            "The International Atomic Energy Agency called for access to the reactor.",
            {("IAEA", "demand")},
            id="iaea-long-name",
        ),
        pytest.param(
            "The Economic Community of West African States condemned the mutiny in Bissau.",
            {("ECOWAS", "condemn")},
            id="ecowas-long-name",
        ),
        pytest.param(
            "MONUSCO said it was investigating the shooting near Goma.",
            {("United Nations", "investigate")},
            id="un-mission-acronym",
        ),
        # company names ending in a shipping word; "X-based" and "Former" are no part of a name
        pytest.param(
            "Oslo-based Fjordline Carriers rejected the accusation that its crew had been drunk.",
            {("Fjordline Carriers", "deny")},
            id="based-is-no-part-of-name",
        ),
        pytest.param(
            "Baltic Star Lines, which runs the route, offered its condolences to the families.",
            {("Baltic Star Lines", "regret")},
            id="lines-company",
        ),
        pytest.param(
            "Former Dorel Bank chairman denies wrongdoing.",
            set(),
            id="former-chairman-speaks-for-nobody",
        ),
        pytest.param(
            "The ruling People's Democratic Congress condemned the attack.",
            {("People's Democratic Congress", "condemn")},
            id="peoples-congress-is-no-us-congress",
        ),
        # refusals negate; readiness to act is hypothetical
        pytest.param(
            "Chile criticised Brazil for refusing to condemn the raid.",
            {("Chile", "accuse")},
            id="refusing-to-condemn",
        ),
        pytest.param(
            "Ghana declined to apologise for the deportations.", set(), id="declined-to-apologise"
        ),
        pytest.param(
            "Morocco said it was ready to help investigate the sinking.",
            set(),
            id="ready-to-investigate",
        ),
        # "asked X to act" is a demand, not "asked whether" nor a meeting request
        pytest.param(
            "Thailand asked Cambodia on Monday to hand over the two suspects.",
            {("Thailand", "demand")},
            id="asked-state-to-act",
        ),
        pytest.param(
            "Asked whether Italy would apologise, the minister declined to comment.",
            set(),
            id="asked-whether",
        ),
        pytest.param(
            "Ecuador asked the Organization of American States to convene an emergency session.",
            {("Ecuador", "meeting")},
            id="asked-body-for-meeting",
        ),
        # "criticised X for" accuses; criticism alone does not
        pytest.param(
            "Sweden criticised Hungary for blocking the rescue.",
            {("Sweden", "accuse")},
            id="criticised-for",
        ),
        pytest.param("Sweden criticised the decision.", set(), id="criticised-without-for"),
        # convictions and sentences accuse; "named as suspects" accuses
        pytest.param(
            "A court in Tunisia convicted two officers of manslaughter over the sinking.",
            {("Tunisia", "accuse")},
            id="convicted-of",
        ),
        pytest.param(
            "Judges at the International Criminal Court sentenced the former rebel leader to 12 years for war crimes.",
            {("International Criminal Court", "accuse")},
            id="judges-at-court-sentenced",
        ),
        pytest.param(
            "Malaysian police named four port managers as suspects on Tuesday over the explosion.",
            {("Malaysia", "accuse")},
            id="named-as-suspects-on-a-weekday",
        ),
        # "saying" speaks for the sentence's subject, not for a place named in between
        pytest.param(
            "Estonia's defence minister called for an inquiry into the blast in Latvia, saying the sabotage was unacceptable.",
            {("Estonia", "demand"), ("Estonia", "condemn")},
            id="saying-speaks-for-subject",
        ),
        pytest.param(
            "The operator, Nordholm Shipping, rejected Iceland's claim, saying the vessel had broken no rule.",
            {("Nordholm Shipping", "deny")},
            id="saying-is-no-speaker-after",
        ),
        # quote inversion with the title before the state
        pytest.param(
            '"Tehran must release the crew at once," said the foreign minister of Norway.',
            {("Norway", "demand")},
            id="said-the-minister-of-state",
        ),
        pytest.param(
            '"Kiev must stop the shelling," said the defence ministry of Russia on Sunday.',
            {("Russia", "demand")},
            id="said-the-ministry-of-state",
        ),
        # a group saying its own fighters did it owns the attack
        pytest.param(
            "Boko Haram said in a video that its fighters had carried out the raid.",
            {("Boko Haram", "acknowledge")},
            id="said-its-fighters-carried-out",
        ),
        pytest.param(
            "Colombia confirmed on Friday that its troops had carried out the strike.",
            {("Colombia", "acknowledge")},
            id="confirmed-weekday-that-its",
        ),
        pytest.param(
            "Mali said that the fighters had carried out the raid.",
            set(),
            id="said-fighters-not-its",
        ),
        # no side blames itself, and regretting another side's choice is no regret
        pytest.param(
            '"Some firms rush to blame Vietnam without proof," Vietnam\'s foreign ministry said.',
            set(),
            id="no-self-blame",
        ),
        pytest.param(
            "Serbia said it regretted that Croatia had chosen confrontation.",
            set(),
            id="regretted-that-other-side",
        ),
        pytest.param(
            "Serbia said it regretted that lives had been lost.",
            {("Serbia", "regret")},
            id="regretted-that-lives-lost",
        ),
        # condemnation by naming a violation; an unrelated incident takes no stance
        pytest.param(
            '"This is a clear violation of our sovereignty," Ethiopia\'s government said of the raid.',
            {("Ethiopia", "condemn")},
            id="clear-violation",
        ),
        pytest.param(
            "Denmark and Iceland issued a statement denouncing the seizure of the trawler.",
            {("Denmark", "condemn"), ("Iceland", "condemn")},
            id="denouncing",
        ),
        pytest.param(
            'Chad\'s opposition party said in a statement that it had "no involvement" in the mutiny.',
            set(),
            id="no-involvement-generic-party",
        ),
        pytest.param(
            'The Chadian Renewal Party said it had "no involvement" in the mutiny.',
            {("Chadian Renewal Party", "deny")},
            id="no-involvement-in-quotes",
        ),
        pytest.param(
            "Israel said it was reviewing the shooting.",
            {("Israel", "investigate")},
            id="reviewing",
        ),
        pytest.param(
            "Indonesia's drug agency said it had launched an investigation.",
            {("Indonesia", "investigate")},
            id="it-had-launched-an-investigation",
        ),
    ],
)
def test_round4_conventions(text: str, expected: set[tuple[str, str]]) -> None:
    assert positions(text) == expected


@pytest.mark.parametrize(
    ("text", "title", "keywords"),
    [
        pytest.param(
            "Latvia also condemned a clash between border guards and smugglers, an unrelated incident.",
            "Sinking of the ferry Aurora",
            ("Aurora", "ferry"),
            id="unrelated-incident",
        ),
        pytest.param(
            "At the time, Ankara had condemned that seizure as piracy.",
            "The tanker Selene held in the Gulf",
            ("Selene", "tanker"),
            id="at-the-time",
        ),
    ],
)
def test_round4_other_incident(text: str, title: str, keywords: tuple[str, ...]) -> None:
    from storage.records import Story

    story = Story(slug="s", title=title, keywords=keywords)
    assert not extract_facts(text, story, WHEN).positions
