"""A gazetteer for deciding which state an item is about (pure): cities and regions -> state.

"Police in Karachi said" speaks for Pakistan although the item never names it. Places are read
from `data/places.toml` once; they are never actors, only evidence of the item's home state. A
place matches only when its first word is capitalised in the text, so "reading" is no town.
"""

from __future__ import annotations

import tomllib
import unicodedata
from collections.abc import Mapping, Sequence
from functools import lru_cache
from importlib import resources

from watchers.sentences import Token, tokenize

Gazetteer = Mapping[str, Sequence[tuple[tuple[str, ...], str]]]
"""First key of a place name -> (all its keys, its state), longest names first."""


def fold(key: str) -> str:
    """`key` without accents ("medellín" -> "medellin")."""
    decomposed = unicodedata.normalize("NFKD", key)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def build_gazetteer(places: Mapping[str, Sequence[str]]) -> Gazetteer:
    """Index `state -> place names` by first key, adding an accent-free spelling of each."""
    index: dict[str, set[tuple[tuple[str, ...], str]]] = {}
    for state, names in places.items():
        for name in names:
            keys = tuple(t.key for t in tokenize(name))
            if not keys:
                continue
            for spelling in {keys, tuple(fold(k) for k in keys)}:
                index.setdefault(spelling[0], set()).add((spelling, state))
    return {
        first: sorted(entries, key=lambda entry: -len(entry[0])) for first, entries in index.items()
    }


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    """The packaged gazetteer, read once."""
    data = resources.files("watchers").joinpath("data", "places.toml")
    return build_gazetteer(tomllib.loads(data.read_text(encoding="utf-8"))["places"])


def place_states(tokens: Sequence[Token], gazetteer: Gazetteer | None = None) -> list[str]:
    """The state of every place named in `tokens`, in order (one entry per mention)."""
    gazetteer = default_gazetteer() if gazetteer is None else gazetteer
    found: list[str] = []
    i, n = 0, len(tokens)
    while i < n:
        token = tokens[i]
        entries = gazetteer.get(token.key) if token.text[:1].isupper() else None
        width = 1
        for keys, state in entries or ():
            end = i + len(keys)
            if end <= n and all(tokens[i + k].key == keys[k] for k in range(1, len(keys))):
                found.append(state)
                width = len(keys)
                break
        i += width
    return found
