"""Specs for the news conventions of the seventh positions round, about invented events.

Each convention has two or three sentences of its own, with its traps; none is taken from the
corpus or from the blind set (`tests/data/blind_positions5.jsonl`) they were found on.
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
        # "A Y-ian drone struck X, Z said": the speaker blames the side that struck
        pytest.param(
            "Iranian drones struck a tanker off Fujairah overnight, the Emirati defence ministry said.",
            {("United Arab Emirates", "accuse")},
            id="side-struck-said",
        ),
        pytest.param(
            "A Serbian patrol boat rammed a Croatian ferry near Vukovar, Croatia's interior ministry said.",
            {("Croatia", "accuse")},
            id="side-rammed-said",
        ),
        pytest.param(
            "A tornado struck the town of Tula on Sunday, Mexico's civil protection agency said.",
            set(),
            id="storm-struck-blames-nobody",
        ),
        # "the accusations were unfounded": a denial, not a passive
        pytest.param(
            "Hungary's embassy in Vienna said the accusations were unfounded.",
            {("Hungary", "deny")},
            id="accusations-were-unfounded",
        ),
        pytest.param(
            "Kenya said the allegations against its police were unfounded and politically driven.",
            {("Kenya", "deny")},
            id="allegations-were-unfounded",
        ),
        # "rejected the monitors' findings": someone else's finding, no inquiry of its own
        pytest.param(
            "Serbia rejected the monitors' findings as one-sided.",
            {("Serbia", "deny")},
            id="rejected-possessive-findings",
        ),
        pytest.param(
            "Chad dismissed the panel's findings, calling them biased.",
            {("Chad", "deny")},
            id="dismissed-panel-findings",
        ),
        # "said on Friday it had struck X that ...": the speaker owns the strike
        pytest.param(
            "Turkey's defence ministry said on Friday it had struck an arms depot in northern Iraq.",
            {("Turkey", "acknowledge")},
            id="said-on-day-it-struck",
        ),
        pytest.param(
            "Jordan said it had struck a smuggling base that it said supplied drug gangs.",
            {("Jordan", "acknowledge")},
            id="said-it-struck-base-that",
        ),
        pytest.param(
            "Sudan's army said its forces had struck a rebel depot and denied hitting a market.",
            {("Sudan", "deny")},
            id="struck-something-else-is-a-denial",
        ),
        # "the UN envoy for Libya": the body that sends the envoy speaks, not the place
        pytest.param(
            "The UN envoy for Haiti urged all sides to let the aid convoys through.",
            {("United Nations", "demand")},
            id="un-envoy-for-place",
        ),
        pytest.param(
            "The EU's special envoy for Mali condemned the ambush near Gao.",
            {("European Union", "condemn")},
            id="eu-special-envoy-for-region",
        ),
        pytest.param(
            "The interior ministry of Kenya condemned the ambush.",
            {("Kenya", "condemn")},
            id="ministry-of-state-still-the-state",
        ),
        # lower-case "the foreign office" is the speaking state's ministry, not London's
        pytest.param(
            "Austria recalled its envoy, a step the foreign office called unavoidable after the unacceptable raid.",
            {("Austria", "condemn")},
            id="lowercase-foreign-office",
        ),
        pytest.param(
            "The Foreign Office condemned the raid on the embassy.",
            {("United Kingdom", "condemn")},
            id="capitalised-foreign-office",
        ),
        # "called the blasts an attack by X": naming the act names its culprit
        pytest.param(
            "Latvia called the cable cuts a hybrid attack by Russia.",
            {("Latvia", "accuse")},
            id="called-it-an-attack-by",
        ),
        pytest.param(
            "Georgia described the fire as an act of sabotage by Russian agents.",
            {("Georgia", "accuse")},
            id="described-as-sabotage-by",
        ),
        pytest.param(
            "Three guards died in an attack by gunmen on Sunday, Niger's army said.",
            set(),
            id="narrated-attack-by-is-no-naming",
        ),
        # "hold X accountable": X is to answer for the act, also when others are urged to
        pytest.param(
            "Iraq urged the Security Council to hold Turkey accountable for the shelling of Zakho.",
            {("Iraq", "accuse"), ("Iraq", "demand")},
            id="urged-to-hold-x-accountable",
        ),
        pytest.param(
            "Egypt said it held Israel accountable for the deaths at the crossing.",
            {("Egypt", "accuse")},
            id="held-x-accountable",
        ),
        pytest.param(
            "Iraq vowed to hold those responsible accountable.",
            set(),
            id="hold-those-responsible-names-nobody",
        ),
        # "bore the hallmarks of X and that Y would ...": the culprit is X, not the next clause
        pytest.param(
            "A Canadian official said the blast bore the hallmarks of Iran-backed militias and that Ottawa would hold those responsible to account.",
            {("Canada", "accuse")},
            id="hallmarks-of-x-and-that",
        ),
    ],
)
def test_round7_positions(text: str, expected: set[tuple[str, str]]) -> None:
    assert positions(text) == expected
