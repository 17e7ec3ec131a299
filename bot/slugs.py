"""Story slugs: ASCII, at most 40 characters, derived from a title, unique with -2, -3 suffixes."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

MAX_SLUG_LENGTH = 40
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def slugify(title: str) -> str:
    """An ASCII slug for `title`: accents folded, other characters become single hyphens.

    Cut to 40 characters on a word boundary when one is near; "story" if nothing is left.
    """
    folded = unicodedata.normalize("NFKD", title)
    ascii_text = folded.encode("ascii", "ignore").decode("ascii").lower()
    slug = _NOT_SLUG.sub("-", ascii_text).strip("-")
    if len(slug) > MAX_SLUG_LENGTH:
        cut = slug[:MAX_SLUG_LENGTH]
        boundary = cut.rfind("-")
        slug = cut[:boundary] if boundary >= MAX_SLUG_LENGTH // 2 else cut
        slug = slug.strip("-")
    return slug or "story"


def is_valid_slug(slug: str) -> bool:
    return len(slug) <= MAX_SLUG_LENGTH and bool(_SLUG.match(slug))


def unique_slug(title: str, taken: Callable[[str], bool]) -> str:
    """`slugify(title)`, with `-2`, `-3`, ... appended (within 40 characters) while `taken`."""
    base = slugify(title)
    if not taken(base):
        return base
    number = 2
    while True:
        suffix = f"-{number}"
        candidate = base[: MAX_SLUG_LENGTH - len(suffix)].rstrip("-") + suffix
        if not taken(candidate):
            return candidate
        number += 1
