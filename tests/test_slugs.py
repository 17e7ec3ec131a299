"""Story slugs: ASCII, at most 40 characters, unique with numeric suffixes."""

import pytest

from bot.slugs import MAX_SLUG_LENGTH, is_valid_slug, slugify, unique_slug


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        pytest.param("Deir ez-Zor air strike", "deir-ez-zor-air-strike", id="plain"),
        pytest.param("Séisme à Al Haouz", "seisme-a-al-haouz", id="accents-folded"),
        pytest.param("  --Gaza: aid   convoy!! ", "gaza-aid-convoy", id="punctuation"),
        pytest.param("北京", "story", id="nothing-ascii-left"),
        pytest.param(
            "Attack on the UN and Red Crescent aid convoy near Aleppo in September 2016",
            "attack-on-the-un-and-red-crescent-aid",
            id="cut-on-a-word",
        ),
    ],
)
def test_slugify(title, slug):
    assert slugify(title) == slug
    assert is_valid_slug(slug) and len(slug) <= MAX_SLUG_LENGTH


def test_unique_slug_appends_numbers_within_the_length_limit():
    taken = {"a" * 40, "a" * 38 + "-2"}
    slug = unique_slug("a" * 60, taken.__contains__)
    assert slug == "a" * 38 + "-3"
