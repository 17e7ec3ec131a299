"""Specs for the news conventions of the sixth positions round, about invented events.

Each convention has two or three sentences of its own, with its traps; none is taken from the
corpus or from the blind set (`tests/data/blind_positions4.jsonl`) they were found on.
"""

# ruff: noqa: E501
from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.stances import stances_in

WHEN = datetime(2026, 3, 4, tzinfo=UTC)


def positions(text: str) -> set[tuple[str, str]]:
    return stances_in(text, WHEN)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "laid the blame on X", "X's fault": the speaker accuses X
        pytest.param(
            "Peru put the blame on Chile for the fuel spill off its coast.",
            {("Peru", "accuse")},
            id="put-the-blame-on",
        ),
        pytest.param(
            "Egypt said the collapse of the talks was entirely Ethiopia's fault.",
            {("Egypt", "accuse")},
            id="x-s-fault",
        ),
        pytest.param(
            "Ghana said the crash was the fault of the Nigerian airline.",
            {("Ghana", "accuse")},
            id="fault-of",
        ),
        # "bore the hallmarks of": attribution by a statement
        pytest.param(
            "Canada said the bombing bore the hallmarks of Islamic State.",
            {("Canada", "accuse")},
            id="bore-the-hallmarks",
        ),
        pytest.param(
            "A French official said the cyberattack bears the hallmarks of a state-backed group.",
            {("France", "accuse")},
            id="bears-the-hallmarks",
        ),
        # "called it a war crime": a condemnation; a conditional one is not
        pytest.param(
            "Norway called the strike on the clinic a war crime.",
            {("Norway", "condemn")},
            id="called-it-a-war-crime",
        ),
        pytest.param(
            "Poland's president described the drone incursion as an act of aggression.",
            {("Poland", "condemn")},
            id="described-as-act-of-aggression",
        ),
        # "described X as a violation of": a condemnation
        pytest.param(
            "Sweden described the closure of the newspaper as a violation of press freedom.",
            {("Sweden", "condemn")},
            id="described-as-violation",
        ),
        # "vowed to get to the bottom of": an inquiry of one's own
        pytest.param(
            "Nigeria's president vowed to get to the bottom of the killings in the village.",
            {("Nigeria", "investigate")},
            id="get-to-the-bottom",
        ),
        pytest.param(
            "Tunisia's interior minister promised to get to the bottom of the prison fire.",
            {("Tunisia", "investigate")},
            id="promised-to-get-to-the-bottom",
        ),
        # "was not to blame": a denial, not an accusation
        pytest.param(
            "Jordan's government said it was not to blame for the water shortage.",
            {("Jordan", "deny")},
            id="not-to-blame",
        ),
        pytest.param(
            "Morocco insisted that its coast guard was not to blame for the sinking.",
            {("Morocco", "deny")},
            id="its-forces-not-to-blame",
        ),
        # a claim called false: a denial
        pytest.param(
            "Thailand said the Cambodian claim was false and politically motivated.",
            {("Thailand", "deny")},
            id="claim-was-false",
        ),
        pytest.param(
            "Malaysia said reports that its navy had fired on the boat were untrue.",
            {("Malaysia", "deny")},
            id="reports-untrue",
        ),
        # "to seek" an explanation or information: a demand
        pytest.param(
            "Ireland summoned Israel's ambassador to seek clarification about the shooting.",
            {("Ireland", "demand")},
            id="summoned-to-seek",
        ),
        pytest.param(
            "Argentina is seeking the release of the two fishermen held in the Falklands.",
            {("Argentina", "demand")},
            id="seeking-release",
        ),
        # "asked the authorities for access": a demand
        pytest.param(
            "The UN refugee agency asked the authorities for access to the detained migrants.",
            {("United Nations", "demand")},
            id="asked-authorities-for",
        ),
        pytest.param(
            "The WHO said it was alarmed by the outbreak and asked the government for data on the cases.",
            {("United Nations", "demand")},
            id="and-asked-the-government-for",
        ),
        pytest.param(
            "Lithuania called the diversion of the airliner an act of air piracy.",
            {("Lithuania", "condemn")},
            id="act-of-air-piracy",
        ),
        # the one told is no speaker
        pytest.param(
            "Nepal's army chief told state broadcaster Kantipur that the army would look into the incident.",
            {("Nepal", "investigate")},
            id="told-broadcaster-is-no-speaker",
        ),
        pytest.param(
            "A Philippine navy spokesman told the BBC that its ships had not fired on anyone.",
            {("Philippines", "deny")},
            id="told-bbc-is-no-speaker",
        ),
        pytest.param(
            "A Chadian army spokesman told state-run ONRTV that the army would look into the killings.",
            {("Chad", "investigate")},
            id="told-state-run-broadcaster",
        ),
        # ", accusing X of": the participle's subject is the sentence's subject
        pytest.param(
            "Mali's junta suspended France 24 broadcasts indefinitely, accusing the channel of bias.",
            {("Mali", "accuse")},
            id="participle-accusing",
        ),
        # a relative clause between the subject and its verb
        pytest.param(
            "Qatar, which Egypt's media accused of funding the protests, said the allegation was baseless.",
            {("Egypt", "accuse"), ("Qatar", "deny")},
            id="relative-clause-which",
        ),
        pytest.param(
            "The UAE, which Sudan blamed for the strike, rejected the accusation.",
            {("Sudan", "accuse"), ("United Arab Emirates", "deny")},
            id="relative-clause-blamed",
        ),
        # "at the request of X, Y and Z": each asked for the meeting
        pytest.param(
            "The Security Council met in emergency session at the request of France, Germany and Italy.",
            {
                ("UN Security Council", "meeting"),
                ("France", "meeting"),
                ("Germany", "meeting"),
                ("Italy", "meeting"),
            },
            id="at-the-request-of-list",
        ),
        pytest.param(
            "The Security Council will hold closed consultations on Friday at the request of Brazil.",
            {("Brazil", "meeting")},
            id="at-the-request-of-one",
        ),
        # a headline's second verb has the first verb's subject
        pytest.param(
            "Kenya summons Ugandan envoy, demands release of detained activists",
            {("Kenya", "demand")},
            id="headline-coordinated-verb",
        ),
        # "the X side": a state in diplomatic speech
        pytest.param(
            "He said the Turkish side had expressed regret over the incident.",
            {("Turkey", "regret")},
            id="the-turkish-side",
        ),
        # a speaker saying it carried out or tested something owns it
        pytest.param(
            "North Korea said it had successfully tested a new solid-fuel missile.",
            {("North Korea", "acknowledge")},
            id="said-it-had-tested",
        ),
        pytest.param(
            "Israel's military said it had carried out the strike on the compound.",
            {("Israel", "acknowledge")},
            id="said-it-had-carried-out",
        ),
        # the G7 as a body
        pytest.param(
            "The G7 foreign ministers condemned the missile launch in a joint statement.",
            {("G7", "condemn")},
            id="g7-ministers",
        ),
        # passive agents that are no canonical actor still make the speaker accuse
        pytest.param(
            "Myanmar's military said the shells had been fired by ethnic armed groups.",
            {("Myanmar", "accuse")},
            id="fired-by-armed-groups",
        ),
    ],
)
def test_sixth_round_conventions(text: str, expected: set[tuple[str, str]]) -> None:
    assert positions(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "Kenya laid the blame for the market blast squarely on Somalia.",
            {("Kenya", "accuse")},
            id="laid-the-blame-on",
        ),
        pytest.param(
            "Chile said a deliberate attack on the convoy would amount to a war crime.",
            set(),
            id="conditional-war-crime-is-nothing",
        ),
        pytest.param(
            "Prosecutors in Ireland are investigating possible war crimes in the region.",
            {("Ireland", "investigate")},
            id="possible-war-crimes-is-no-condemnation",
        ),
        pytest.param(
            "The minister declined to comment when asked for details of the raid.",
            set(),
            id="asked-for-comment-is-nothing",
        ),
        pytest.param(
            "Algeria expelled twelve embassy staff on Monday, accusing them of spying for Morocco.",
            {("Algeria", "accuse")},
            id="participle-accusing-plural",
        ),
        pytest.param(
            "Iran said it had not carried out any test.",
            {("Iran", "deny")},
            id="said-it-had-not-carried-out",
        ),
        # ", X said, accusing Y of": the speaker accuses
        pytest.param(
            "Fighter jets forced the airliner to land in Kosti, Sudan's army said, accusing Kenya of arms smuggling.",
            {("Sudan", "accuse")},
            id="said-comma-accusing",
        ),
    ],
)
def test_sixth_round_guards(text: str, expected: set[tuple[str, str]]) -> None:
    """Traps and neighbours of the new rules that held before this round and must keep holding."""
    assert positions(text) == expected
