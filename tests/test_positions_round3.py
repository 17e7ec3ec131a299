"""Specs for the news conventions of the third positions round, about invented events.

Each convention has two or three sentences of its own, with its traps; none is taken from the
corpus or from the blind set they were found on.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.stances import stances_in

WHEN = datetime(2022, 10, 4, tzinfo=UTC)


def positions(text: str) -> set[tuple[str, str]]:
    return stances_in(text, WHEN)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a body is named the way the item introduced it: its acronym, a company's first word
        pytest.param("The Oromo Liberation Front was blamed for the raid on the village. The OLF denied any role in the massacre.", {("Oromo Liberation Front", "deny")}, id="acronym-of-own-name"),  # noqa: E501
        pytest.param("Halvard Petroleum owns the tanker.\n\nHalvard denied that the tanker had leaked oil, and apologised to fishermen.", {("Halvard Petroleum", "deny"), ("Halvard Petroleum", "regret")}, id="company-first-word"),  # noqa: E501
        pytest.param("The National Sea Fund said it was saddened. National guardsmen denied entry to the port.", {("National Sea Fund", "regret")}, id="generic-first-word-is-no-short-form"),  # noqa: E501
        pytest.param("Norrland Telecom acknowledged that hackers had stolen customer data.", {("Norrland Telecom", "acknowledge")}, id="company-ending"),  # noqa: E501
        pytest.param("The Verdi union called for a safety review at every airport.", {("Verdi", "demand")}, id="name-before-union"),  # noqa: E501
        pytest.param("The Danish Red Cross and the Norwegian Refugee Council condemned the attack.", {("Red Cross", "condemn"), ("Norwegian Refugee Council", "condemn")}, id="and-the-separates-two-names"),  # noqa: E501
        # a passive without its agent names who suffers the stance, not who takes it
        pytest.param("The Oromo Liberation Front was blamed for the raid on the village.", set(), id="passive-blamed-without-agent"),  # noqa: E501
        pytest.param("Serbia's interior minister was accused of covering up the shooting.", set(), id="passive-accused-without-agent"),  # noqa: E501
        pytest.param("The raid was condemned by Ethiopia and Kenya.", {("Ethiopia", "condemn"), ("Kenya", "condemn")}, id="passive-with-agent"),  # noqa: E501
        # a plain noun that names no actor takes the stance, not the body named before it
        pytest.param("Kenya's electoral commission rejected the criticism after opposition candidates alleged fraud.", {("Kenya", "deny")}, id="plain-noun-subject-alleged"),  # noqa: E501
        pytest.param("Human rights activists accused the Ugandan army of torture.", set(), id="activists-accuse"),  # noqa: E501
        pytest.param("Peru's president said the victims' relatives demanded an inquiry.", set(), id="relatives-demand"),  # noqa: E501
        # a short clause after "as", "after" has its own subject
        pytest.param("Peru condemns the shooting as Bolivia apologises", {("Peru", "condemn"), ("Bolivia", "regret")}, id="as-clause-subject"),  # noqa: E501
        pytest.param("Chile condemns the attack as the attorney general opens a probe", {("Chile", "condemn"), ("Chile", "investigate")}, id="as-clause-institution"),  # noqa: E501
        pytest.param("The Danish Red Cross condemned the strike as a war crime.", {("Red Cross", "condemn")}, id="as-preposition-stays"),  # noqa: E501
        # "but" and "and" coordinate a verb with the subject of the verb before
        pytest.param("Chile welcomed the arrests but demanded to know who had ordered the attack.", {("Chile", "demand")}, id="but-coordination"),  # noqa: E501
        pytest.param("Kenya's police said they had opened an investigation, and Uganda's foreign ministry condemned the killing and called on Nairobi to find the killers.", {("Kenya", "investigate"), ("Uganda", "condemn"), ("Uganda", "demand")}, id="and-coordination-nearest-subject"),  # noqa: E501
        pytest.param("Japan's coast guard acknowledged the collision but denied that its vessel had rammed the trawler.", {("Japan", "acknowledge"), ("Japan", "deny")}, id="but-coordination-deny"),  # noqa: E501
        # "those responsible" is nobody named
        pytest.param("Italy called for those responsible to be brought to justice.", {("Italy", "demand")}, id="those-responsible-demand"),  # noqa: E501
        pytest.param("Ghana condemned the attack and urged police to find whoever was responsible.", {("Ghana", "condemn"), ("Ghana", "demand")}, id="whoever-responsible"),  # noqa: E501
        # "his office", "its ministry" is the speaker's
        pytest.param("Speaking in Nairobi, Kenya's chief prosecutor said his office had opened an investigation into the shooting.", {("Kenya", "investigate")}, id="his-office"),  # noqa: E501
        pytest.param("Moldova's sports minister said her ministry had ordered an audit of the federation.", {("Moldova", "investigate")}, id="her-ministry-audit"),  # noqa: E501
        # meetings held by a body, asked for, and scheduled
        pytest.param("NATO ambassadors held an emergency meeting after Latvia requested consultations over the incursion.", {("NATO", "meeting"), ("Latvia", "meeting")}, id="body-holds-meeting"),  # noqa: E501
        pytest.param("The UN Security Council will hold an emergency meeting at Ukraine's request.", {("Ukraine", "meeting")}, id="scheduled-meeting-names-requester"),  # noqa: E501
        pytest.param("Poland requested consultations with its allies, and France asked for a separate emergency session.", {("Poland", "meeting"), ("France", "meeting")}, id="requests-beside-an-emergency"),  # noqa: E501
        pytest.param("The ministers held talks on trade in Warsaw.", set(), id="talks-are-no-meeting" ),  # noqa: E501
        # nouns that look like stance verbs
        pytest.param("Austria's federal police said they were investigating a ransom demand sent to the company.", {("Austria", "investigate")}, id="ransom-demand-noun"),  # noqa: E501
        pytest.param("Ghana rejected reports that one of the men charged over the killing was a police informant.", {("Ghana", "deny")}, id="men-charged-noun"),  # noqa: E501
        pytest.param("The UN urged Chile and Peru to ensure an independent investigation into the deaths.", {("United Nations", "demand")}, id="demanded-investigation-is-not-opened"),  # noqa: E501
        pytest.param("The FBI is examining the wreckage of the drone.", {("United States", "investigate")}, id="examining-is-investigating"),  # noqa: E501
    ],
)  # fmt: skip
def test_third_round_conventions(text: str, expected: set[tuple[str, str]]) -> None:
    assert positions(text) == expected
