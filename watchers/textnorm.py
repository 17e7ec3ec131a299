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


class _WithoutMarks(dict[int, int | None]):
    """A `str.translate` table that deletes combining marks, filled in as characters are met:
    translating in C is many times faster than testing each character in Python."""

    def __missing__(self, code: int) -> int | None:
        kept = None if unicodedata.combining(chr(code)) else code
        self[code] = kept
        return kept


_WITHOUT_MARKS = _WithoutMarks()
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")


def _without_marks(run: re.Match[str]) -> str:
    return run.group().translate(_WITHOUT_MARKS)


def fold(text: str) -> str:
    """Return `text` in matching form: NFKD, combining marks removed, casefolded."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    # Marks are never ASCII. In mostly-ASCII text (Latin scripts) only the runs of other
    # characters are translated; text in another script is translated whole.
    if 8 * len(decomposed.encode("ascii", "ignore")) > 7 * len(decomposed):
        stripped = _NON_ASCII_RUN.sub(_without_marks, decomposed)
    else:
        stripped = decomposed.translate(_WITHOUT_MARKS)
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
