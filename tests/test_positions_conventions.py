"""Specs for the news conventions of the second positions round, about invented events.

Each convention has a few sentences of its own and its traps; none is taken from the corpus.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from storage.records import Story
from tests.stances import stances_in
from watchers.actors import default_table, find_mentions
from watchers.sentences import tokenize

WHEN = datetime(2021, 6, 3, tzinfo=UTC)


def positions(text: str, story: Story | None = None) -> set[tuple[str, str]]:
    return stances_in(text, WHEN, story)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a side says it, or its own forces, took no part: the speaker denies
        pytest.param("Egypt's defence ministry said Egyptian and Libyan aircraft played no part in the strike on the fuel depot.", {("Egypt", "deny")}, id="disown-played-no-part"),  # noqa: E501
        pytest.param("Serbia said its police had nothing to do with the ambush at the border crossing.", {("Serbia", "deny")}, id="disown-nothing-to-do"),  # noqa: E501
        pytest.param("Kenya's army said its troops were not involved in the shooting at the market.", {("Kenya", "deny")}, id="disown-not-involved"),  # noqa: E501
        pytest.param("Peru said it bore no responsibility for the tanker spill.", {("Peru", "deny")}, id="disown-bore-no-responsibility"),  # noqa: E501
        pytest.param("The Vietnamese coast guard denied any role in the sinking of the trawler.", {("Vietnam", "deny")}, id="disown-denied-any-role"),  # noqa: E501
        pytest.param("Tehran said it had no role in the seizure of the bulk carrier.", {("Iran", "deny")}, id="disown-had-no-role"),  # noqa: E501
        pytest.param("Norway's prime minister said the terrorists bore full responsibility for the deaths of the hostages.", {("Norway", "accuse")}, id="responsibility-of-culprits-is-accuse"),  # noqa: E501
        # a finding that names no culprit is an investigation only
        pytest.param("A UN board of inquiry concluded that the clinic was hit by artillery but said it could not identify those responsible.", {("United Nations", "investigate")}, id="finding-no-culprit"),  # noqa: E501
        pytest.param("An inquiry set up by Chile's navy found that the frigate was struck by a missile, but it named no one responsible.", {("Chile", "investigate")}, id="finding-names-no-one"),  # noqa: E501
        pytest.param("A review ordered by Sweden's government concluded that the derailment was caused by human error.", {("Sweden", "investigate")}, id="finding-natural-cause"),  # noqa: E501
        # blame on a cause that is no side
        pytest.param("A Pentagon investigation blames errors for the raid on the wedding party.", {("United States", "investigate")}, id="blame-errors"),  # noqa: E501
        pytest.param("Indonesian officials blamed the weather for the crash of the turboprop.", set(), id="blame-weather"),  # noqa: E501
        pytest.param("Brazil's navy blamed a technical fault for the explosion aboard the corvette.", set(), id="blame-technical-fault"),  # noqa: E501
        pytest.param("Brazil's navy blamed the smugglers for the explosion aboard the corvette.", {("Brazil", "accuse")}, id="blame-a-side-still-accuses"),  # noqa: E501
        # owning one's part
        pytest.param("Belgium's defence ministry confirmed that two Belgian F-16s had taken part in the raid on the bridge.", {("Belgium", "acknowledge")}, id="own-part-confirmed"),  # noqa: E501
        pytest.param("Canada acknowledged its jets took part in the strike on the depot.", {("Canada", "acknowledge")}, id="own-part-acknowledged"),  # noqa: E501
        pytest.param("Portugal's army owned up to the shelling of the refugee camp.", {("Portugal", "acknowledge")}, id="own-part-owned-up"),  # noqa: E501
        pytest.param("Belgium's defence ministry confirmed that two Dutch F-16s had taken part in the raid.", set(), id="others-part-confirmed-is-no-acknowledgement"),  # noqa: E501
        pytest.param("Belgium confirmed that its jets had not taken part in the raid.", set(), id="no-part-confirmed-is-no-acknowledgement"),  # noqa: E501
        # a statement placing another side at the scene insinuates it
        pytest.param("Iran's military said a U.S. drone was in the area when the tanker was attacked.", {("Iran", "accuse")}, id="presence-in-the-area"),  # noqa: E501
        pytest.param("Armenia's defence ministry said an Azerbaijani drone had been flying over the depot shortly before the explosion.", {("Armenia", "accuse")}, id="presence-flying-over"),  # noqa: E501
        pytest.param("Russia said its jets were in the area at the time of the strike.", set(), id="presence-of-own-side"),  # noqa: E501
        pytest.param("Police said a car was seen near the market before the blast.", set(), id="presence-of-no-side"),  # noqa: E501
        pytest.param("Greece said a Turkish patrol boat was in the area.", set(), id="presence-without-the-attack"),  # noqa: E501
        # the passive names the culprit after "by"
        pytest.param("Canada's prime minister said the airliner was brought down by an Iranian surface-to-air missile.", {("Canada", "accuse")}, id="passive-brought-down-by"),  # noqa: E501
        pytest.param("A Pentagon inquiry concluded that the strike set off explosives planted by Islamic State fighters.", {("United States", "accuse"), ("United States", "investigate")}, id="passive-finding-planted-by"),  # noqa: E501
        pytest.param("Nigeria said the convoy was hit by a roadside bomb.", set(), id="passive-no-side"),  # noqa: E501
        # the stance is the verb's subject, not the attribution before it
        pytest.param("The frigate fired warning shots at the trawler, according to the Turkish navy, and Greece expressed regret over the incident.", {("Greece", "regret")}, id="regret-after-according-to"),  # noqa: E501
        pytest.param("The jet strayed into Finnish airspace, according to Helsinki, and Moscow expressed regret.", {("Russia", "regret")}, id="regret-after-capital"),  # noqa: E501
        # what a demand asks for is not done
        pytest.param("South Korea urged US authorities to investigate the attack thoroughly.", {("South Korea", "demand")}, id="demanded-investigation"),  # noqa: E501
        pytest.param("Spain called on Morocco to apologise for the shooting at the fence.", {("Spain", "demand")}, id="demanded-apology"),  # noqa: E501
        pytest.param("Doctors Without Borders said the findings were not enough and demanded an independent inquiry.", {("Medecins Sans Frontieres", "demand")}, id="negation-ends-with-its-clause"),  # noqa: E501
        pytest.param("Ghana's embassy rejected the findings of the police report.", {("Ghana", "deny")}, id="others-findings-rejected"),  # noqa: E501
        pytest.param("The ministry's account of the raid was false, said Mali, a claim France rejected.", {("France", "deny")}, id="claim-rejected-after"),  # noqa: E501
        # more ways to condemn, accuse and demand
        pytest.param("Japan's prime minister said the assault was deplorable.", {("Japan", "condemn")}, id="condemn-deplorable"),  # noqa: E501
        pytest.param("Sweden said Iraqi authorities had failed in their duty to protect the embassy.", {("Sweden", "accuse")}, id="accuse-failed-duty"),  # noqa: E501
        pytest.param("Ukraine's president said Iran must punish those responsible.", {("Ukraine", "demand")}, id="demand-must-punish"),  # noqa: E501
        pytest.param("Jamaica's foreign minister told a high-level Security Council session that the ports should be reopened.", {("Jamaica", "demand"), ("UN Security Council", "meeting")}, id="demand-should-be-done"),  # noqa: E501
        pytest.param("The fighting was the worst since April 2019, when Uganda accused Rwanda of arming rebels.", set(), id="recalled-year-when"),  # noqa: E501
        # arrests over a wrong, however it is said
        pytest.param("Chilean police said twenty miners suspected of starting the blaze were taken into custody.", {("Chile", "accuse")}, id="arrest-into-custody-suspected"),  # noqa: E501
        pytest.param("Three crew members were being held for questioning in Piraeus, Greek prosecutors said.", {("Greece", "accuse")}, id="arrest-held-for-questioning"),  # noqa: E501
        pytest.param("RCMP officers arrested two men on charges of arson near the lake.", {("Canada", "accuse")}, id="arrest-on-charges-rcmp"),  # noqa: E501
        pytest.param("Police in Lima arrested dozens of people for breaking the curfew.", set(), id="arrest-without-a-wrong-named"),  # noqa: E501
    ],
)  # fmt: skip
def test_position_conventions(text: str, expected: set[tuple[str, str]]) -> None:
    assert positions(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("Jordan Hayes, a lawyer for the families, condemned the ruling.", [], id="jordan-first-name"),  # noqa: E501
        pytest.param("Jordan's foreign ministry urged calm.", ["Jordan"], id="jordan-state"),
        pytest.param("The raid was brazen, said Chad Morris, an analyst.", [], id="chad-first-name"),  # noqa: E501
        pytest.param("Chad demanded armoured vehicles for its troops.", ["Chad"], id="chad-state"),
        pytest.param("Voters complained of a hanging chad.", [], id="chad-lower-case"),
        pytest.param("Jordan Condemns Attack On Embassy", ["Jordan"], id="headline-title-case"),
        pytest.param("Police in Atlanta, Georgia, charged a man.", ["United States"], id="georgia-after-a-town"),  # noqa: E501
        pytest.param("The governor of the state of Georgia spoke.", ["United States"], id="georgia-state-of"),  # noqa: E501
        pytest.param("Georgia's governor signed the bill.", ["United States"], id="georgia-governor"),  # noqa: E501
        pytest.param("Georgia's foreign ministry protested.", ["Georgia"], id="georgia-state"),
        pytest.param("Tbilisi, Georgia, was calm.", ["Georgia", "Georgia"], id="georgia-after-its-capital"),  # noqa: E501
        pytest.param("Russia, Georgia and Armenia signed.", ["Russia", "Georgia", "Armenia"], id="georgia-in-a-list"),  # noqa: E501
        pytest.param("Officials in New Mexico said the fire spread.", ["United States"], id="new-mexico-is-no-mexico"),  # noqa: E501
        pytest.param("It was condemned by Peru and the Organization of American States.", ["Peru", "Organization of American States"], id="state-and-organisation"),  # noqa: E501
    ],
)  # fmt: skip
def test_state_names_that_are_also_other_names(text: str, expected: list[str]) -> None:
    assert [m.actor for m in find_mentions(tokenize(text), default_table(), 2021)] == expected


def test_own_second_held_out_set_stays_above_target() -> None:
    from bench.eval_extraction import REPO, evaluate, load_items, load_stories

    items = load_items([REPO / "tests" / "data" / "positions_heldout2.jsonl"])
    _, positions_score = evaluate(items, load_stories(), with_story=True)
    assert positions_score.prf()[2] >= 0.9
