"""Sentence splitting and tokenising for extraction (pure, linear time).

Sentences end at `.`, `!` or `?` followed by space and a capital, a digit or a quote, except after
a known abbreviation or a single capital initial ("U.S.", "Gen.", "Sept."); blank lines (title,
summary and content are joined by them) always end a sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from watchers.textnorm import clean

_BREAK = re.compile(r"[.!?][\"')\]]*[ \t]+(?=[\"'(\[]?[A-Z0-9])|\n\s*\n|\n(?=[A-Z])")
_LAST_WORD = re.compile(r"([A-Za-z]+)\.?[\"')\]]*$")
_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "gen",
        "lt",
        "col",
        "sgt",
        "capt",
        "cmdr",
        "adm",
        "gov",
        "sen",
        "rep",
        "st",
        "no",
        "nos",
        "vs",
        "etc",
        "inc",
        "ltd",
        "co",
        "corp",
        "jr",
        "sr",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "prof",
        "rev",
        "maj",
        "brig",
        "approx",
        "est",
        "fig",
    ]
)

# Abbreviations with dots ("U.S.", "U.N.-led"), numbers with separators and any letters glued to
# them ("1,127", "62-year-old", "1st"), hyphenated words, the possessive/negation clitics, then
# single punctuation marks.
_TOKEN = re.compile(
    r"(?:[A-Za-z]\.){2,}(?:-\w+)*|\d(?:[\d.,]*\d)?[\w-]*|[^\W\d_]\w*(?:-\w+)*|'[st]\b|[^\w\s]"
)


@dataclass(frozen=True, slots=True)
class Token:
    """One token of a sentence: its text, a lower-case key without dots, its offset."""

    text: str
    key: str
    start: int


def split_sentences(text: str) -> list[str]:
    """Return the sentences of `text` (cleaned and capped), stripped, empty ones dropped."""
    text = clean(text)
    sentences: list[str] = []
    begin = 0
    for found in _BREAK.finditer(text):
        if found.group(0)[0] in ".!?" and _after_abbreviation(text, begin, found.start() + 1):
            continue
        end = found.start() + 1 if found.group(0)[0] in ".!?" else found.start()
        piece = text[begin:end].strip()
        if piece:
            sentences.append(piece)
        begin = found.end()
    piece = text[begin:].strip()
    if piece:
        sentences.append(piece)
    return sentences


def _after_abbreviation(text: str, begin: int, end: int) -> bool:
    tail = _LAST_WORD.search(text[max(begin, end - 12) : end])
    if tail is None:
        return False
    word = tail.group(1)
    if len(word) == 1 and word.isupper():
        return True
    return word.lower() in _ABBREVIATIONS


def tokenize(sentence: str) -> list[Token]:
    """Return the tokens of one sentence."""
    tokens = []
    for found in _TOKEN.finditer(sentence):
        text = found.group(0)
        key = text.lower()
        if len(text) > 2 and text[1] == "." and text[0].isalpha():
            key = key.replace(".", "")
        tokens.append(Token(text, key, found.start()))
    return tokens
