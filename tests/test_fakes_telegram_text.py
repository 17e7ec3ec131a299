"""The fake Bot API reads HTML, lengths and commands as Telegram does."""

from __future__ import annotations

import contextlib
import html

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fakes.telegram_text import EntityParseError, command_entities, parse_html, utf16_length


@pytest.mark.parametrize(
    ("text", "seen"),
    [
        ("plain", "plain"),
        ("<b>bold</b> <STRONG>loud</STRONG>", "bold loud"),
        ('<a href="http://127.0.0.1/?a=1&amp;b=2">x</a>', "x"),
        ("&lt;&gt;&amp;&quot;&#39;&#x1F600;", "<>&\"'😀"),
        ("AT&T &nbsp; 2 > 1", "AT&T &nbsp; 2 > 1"),
        ('<span class="tg-spoiler">s</span><tg-emoji emoji-id="5">👍</tg-emoji>', "s👍"),
        ('<pre><code class="language-python">x = 1</code></pre>', "x = 1"),
        ("<blockquote expandable>q</blockquote>", "q"),
    ],
    ids=[
        "plain",
        "tags-any-case",
        "link",
        "entities",
        "bare-amp-and-gt",
        "spoiler-emoji",
        "pre-code",
        "expandable-quote",
    ],
)
def test_valid_html_becomes_the_text_a_user_sees(text: str, seen: str):
    assert parse_html(text) == seen


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("<b>x", 'Can\'t find end tag corresponding to start tag "b"'),
        ("é < x", 'Unsupported start tag "" at byte offset 3'),
        ("<br>", 'Unsupported start tag "br" at byte offset 0'),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("</b>", "Unexpected end tag at byte offset 0"),
        ('<a href="x"', "Unclosed start tag at byte offset 0"),
        ("<b>x</b", "Unclosed end tag at byte offset 4"),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler"'),
    ],
    ids=[
        "unclosed",
        "less-than-offset-in-bytes",
        "unsupported",
        "crossed",
        "stray-end",
        "open-tag-cut",
        "end-tag-cut",
        "span",
    ],
)
def test_malformed_html_is_rejected_with_telegrams_wording(text: str, error: str):
    with pytest.raises(EntityParseError) as raised:
        parse_html(text)
    assert str(raised.value) == error


@pytest.mark.parametrize(
    ("text", "length"),
    [("abc", 3), ("é", 1), ("😀", 2), ("👍🏽", 4), ("", 0)],
    ids=["ascii", "bmp-accent", "astral-emoji", "emoji-with-modifier", "empty"],
)
def test_length_counts_utf16_code_units(text: str, length: int):
    assert utf16_length(text) == length


@given(st.text())
def test_escaped_text_always_parses_back_to_itself(text: str):
    assert parse_html(html.escape(text)) == text


@given(st.text(alphabet=st.sampled_from("<>/&;#abiuspre =\"'x1")))
def test_parse_html_raises_nothing_but_entity_errors(text: str):
    with contextlib.suppress(EntityParseError):
        assert isinstance(parse_html(text), str)


def test_command_entities_mark_every_command_at_a_word_start():
    assert command_entities("/follow x then /stop@bot_name") == [
        {"type": "bot_command", "offset": 0, "length": 7},
        {"type": "bot_command", "offset": 15, "length": 14},
    ]
