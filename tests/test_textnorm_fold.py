"""`textnorm.fold` removes combining marks through a translation table; it must give exactly
what testing every character does."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from watchers.textnorm import fold


def fold_by_character(text: str) -> str:
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        pytest.param("Café Ünïon", "cafe union", id="latin-accents"),
        pytest.param("ŁÓDŹ", "łodz", id="stroke-letter-kept"),
        pytest.param("Straße", "strasse", id="casefold"),
        pytest.param("Київ", "киів", id="cyrillic-diaeresis-removed"),
        pytest.param("ﬁre", "fire", id="ligature-nfkd"),
        pytest.param("plain ASCII", "plain ascii", id="ascii"),
    ],
)
def test_fold_examples(text: str, folded: str) -> None:
    assert fold(text) == folded


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_fold_matches_testing_each_character(text: str) -> None:
    assert fold(text) == fold_by_character(text)


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from("ab Z.\u00e9\u0301\u00dc\u0308\ufb01\u0416\u05b4"), max_size=60
    )
)
def test_fold_matches_on_mostly_latin_text(text: str) -> None:
    assert fold(text) == fold_by_character(text)
