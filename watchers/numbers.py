"""Reading counts out of tokens (pure): digits, separators, scales and English number words.

In-house rather than a library: the libraries measured sum every number in a sentence, turn
"hundreds" into 100 or break "1.2 million" (research notes, section 2). Vague amounts ("dozens",
"hundreds", "scores") and ordinals are not counts and read as nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from watchers.sentences import Token

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}  # fmt: skip
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
_SCALES = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_DIGITS = re.compile(r"\d{1,3}(?:,\d{3})+|\d+")
_DECIMAL = re.compile(r"\d+\.\d+")


@dataclass(frozen=True, slots=True)
class Count:
    """A count read from tokens `start`..`end` (exclusive)."""

    value: int
    start: int
    end: int


def word_value(word: str) -> int | None:
    """Return the value of one number word ("seven", "twenty-one"), else None."""
    if word in _UNITS:
        return _UNITS[word]
    if word in _TENS:
        return _TENS[word]
    tens, dash, unit = word.partition("-")
    if dash and tens in _TENS and unit in _UNITS and 0 < _UNITS[unit] < 10:
        return _TENS[tens] + _UNITS[unit]
    return None


def read_count(tokens: Sequence[Token], start: int) -> Count | None:
    """Read the count that begins at `tokens[start]`, or None when none begins there.

    "1,127", "2.8 million", "a hundred", "two dozen", "half a dozen", "three hundred and twelve",
    "Twenty-one".
    A decimal without a scale ("7.8") and a number glued to a word ("62-year-old") are not counts.
    """
    key = tokens[start].key
    n = len(tokens)
    if key[0].isdigit():
        if _DIGITS.fullmatch(key):
            value = int(key.replace(",", ""))
            end = start + 1
            if end < n and tokens[end].key in _SCALES:
                value *= _SCALES[tokens[end].key]
                end += 1
            elif end < n and tokens[end].key == "dozen":
                value *= 12
                end += 1
            return Count(value, start, end)
        if _DECIMAL.fullmatch(key) and start + 1 < n and tokens[start + 1].key in _SCALES:
            return Count(round(float(key) * _SCALES[tokens[start + 1].key]), start, start + 2)
        return None
    if key == "half" and start + 2 < n and tokens[start + 1].key in ("a", "an"):
        following = tokens[start + 2].key
        if following == "dozen":
            return Count(6, start, start + 3)  # "half a dozen", not "a dozen" after a stray word
        if following in _SCALES:
            return Count(_SCALES[following] // 2, start, start + 3)  # "half a million"
        return None
    if key in ("a", "an") and start + 1 < n:
        following = tokens[start + 1].key
        if following == "dozen":
            return Count(12, start, start + 2)
        if following in ("hundred", "thousand", "million"):
            scale = 100 if following == "hundred" else _SCALES[following]
            return Count(scale, start, start + 2)
        return None
    return _read_words(tokens, start)


def _read_words(tokens: Sequence[Token], start: int) -> Count | None:
    total, current, i, n = 0, None, start, len(tokens)
    end = start
    while i < n:
        key = tokens[i].key
        value = word_value(key)
        if value is not None and (current is None or (current % 100 == 0 and value < 100)):
            current = (current or 0) + value
            i += 1
            end = i
        elif key == "hundred" and current is not None and current < 100:
            current *= 100
            i += 1
            end = i
        elif key in _SCALES and current is not None:
            total += current * _SCALES[key]
            current = None
            i += 1
            end = i
        elif key == "dozen" and current is not None and current < 100:
            current *= 12
            i += 1
            end = i
        elif key == "and" and current is not None and current >= 100 and i + 1 < n:
            if word_value(tokens[i + 1].key) is None:
                break
            i += 1
        else:
            break
    if end == start:
        return None
    return Count(total + (current or 0), start, end)
