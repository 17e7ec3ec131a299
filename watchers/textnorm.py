"""Text normalisation shared by matching and extraction (pure).

Matching compares words after NFKD with combining marks removed and casefolding; extraction
reads a gently cleaned text (typographic quotes, dashes and spaces made plain) so its rules see
one spelling of each punctuation mark.
"""

from __future__ import annotations

import re
import unicodedata

MAX_FIELD_CHARS = 100_000
"""Every text field is cut to this many characters before any rule reads it."""

_WORD = re.compile(r"[^\W_]+")
_PUNCT_MAP = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": " - ",
        "\u2015": " - ",
        "\u2212": "-",
        "\u00a0": " ",
        "\u2009": " ",
        "\u202f": " ",
        "\u2007": " ",
        "\u200b": "",
        "\u00ad": "",
    }
)


def fold(text: str) -> str:
    """Return `text` in matching form: NFKD, combining marks removed, casefolded."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.casefold()


def words(text: str) -> list[str]:
    """Return the words of `text` in matching form; any non-alphanumeric character breaks words."""
    return _WORD.findall(fold(text[:MAX_FIELD_CHARS]))


def clean(text: str) -> str:
    """Return `text` cut to the field cap with typographic punctuation and odd spaces made plain."""
    text = text[:MAX_FIELD_CHARS].translate(_PUNCT_MAP)
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    return text
