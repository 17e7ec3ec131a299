"""Alert, article and notice text: the DESIGN "Alert" format, escaping, and the 4096 limit."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.render import (
    MAX_MESSAGE,
    cut_words,
    render_alert,
    render_article,
    render_notice,
    telegram_length,
)
from storage.records import (
    Alert,
    Change,
    Entry,
    Figure,
    KnownFigure,
    Position,
    Sighting,
    Story,
)

PUBLISHED = datetime(2016, 9, 17, 14, 5, tzinfo=UTC)
STORY = Story("deir-ez-zor", "Deir ez-Zor strike", id=1)


def alert(
    *changes: Change, title: str = "Russian toll", link: str | None = "https://n.example/a"
) -> Alert:
    entry = Entry(1, "k", title, "", PUBLISHED, "h", link=link, id=5)
    return Alert(STORY, entry, "The Guardian", changes)


def figure_change(figure: Figure, previous: Figure | None = None) -> Change:
    known = None if previous is None else KnownFigure(previous, Sighting(2, PUBLISHED))
    return Change(1, 5, figure=figure, previous=known)


def position_change(position: Position, *earlier: str) -> Change:
    return Change(1, 5, position=position, earlier_stances=earlier)  # type: ignore[arg-type]


KILLED_62 = Figure("killed", 62, claimant="Russia", sentence="Russia said 62 soldiers were killed.")


@pytest.mark.parametrize(
    ("the_alert", "expected_plain"),
    [
        pytest.param(
            alert(figure_change(KILLED_62, Figure("killed", 80, "up_to"))),
            "Deir ez-Zor strike — killed: up to 80 → 62 "
            "(Russia, via The Guardian, 17 Sep 14:05 UTC)\n"
            "“Russia said 62 soldiers were killed.”\n"
            "https://n.example/a",
            id="design-example",
        ),
        pytest.param(
            alert(figure_change(Figure("injured", 100, "about"))),
            "Deir ez-Zor strike — injured: first report → about 100 "
            "(via The Guardian, 17 Sep 14:05 UTC)\n"
            "https://n.example/a",
            id="first-report-no-claimant-no-sentence",
        ),
        pytest.param(
            alert(
                figure_change(Figure("killed", 54, "at_least", group="foreign nationals")),
                link=None,
            ),
            "Deir ez-Zor strike — killed: first report → at least 54 (foreign nationals) "
            "(via The Guardian, 17 Sep 14:05 UTC)",
            id="group-shown-no-link",
        ),
        pytest.param(
            alert(
                position_change(Position("United States", "regret", "We regret the loss."), "deny")
            ),
            "Deir ez-Zor strike — United States: regret (earlier: deny) — “We regret the loss.” "
            "(via The Guardian, 17 Sep 14:05 UTC)\nhttps://n.example/a",
            id="position-with-earlier-stances",
        ),
        pytest.param(
            alert(
                figure_change(KILLED_62),
                position_change(Position("Russia", "meeting")),
            ),
            "Deir ez-Zor strike\n"
            "• killed: first report → 62 (Russia, via The Guardian, 17 Sep 14:05 UTC)\n"
            "“Russia said 62 soldiers were killed.”\n"
            "• Russia: meeting (via The Guardian, 17 Sep 14:05 UTC)\n"
            "https://n.example/a",
            id="two-changes-one-message",
        ),
        pytest.param(
            alert(
                figure_change(Figure("killed", 62, sentence="62 died and 100 were hurt.")),
                figure_change(Figure("injured", 100, sentence="62 died and 100 were hurt.")),
            ),
            "Deir ez-Zor strike\n"
            "• killed: first report → 62 (via The Guardian, 17 Sep 14:05 UTC)\n"
            "• injured: first report → 100 (via The Guardian, 17 Sep 14:05 UTC)\n"
            "“62 died and 100 were hurt.”\n"
            "https://n.example/a",
            id="one-sentence-two-figures-quoted-once",
        ),
    ],
)
def test_alert_text(the_alert: Alert, expected_plain: str) -> None:
    rendered = render_alert(the_alert)
    assert rendered.plain == expected_plain
    assert re.sub(r"</?[bi]>", "", rendered.html) == expected_plain.replace("&", "&amp;")


def test_feed_text_is_escaped() -> None:
    nasty = Figure("killed", 3, claimant="<b>Foo</b> & co", sentence='He said "<script>" & left')
    rendered = render_alert(
        Alert(
            Story("s", "A <i>title</i>", id=1),
            Entry(1, "k", "t", "", PUBLISHED, "h", link='https://x.example/?a=1&b="2"', id=5),
            "Outlet <x>",
            (figure_change(nasty),),
        )
    )
    assert rendered.html.startswith("<b>A &lt;i&gt;title&lt;/i&gt;</b>")
    assert "&lt;b&gt;Foo&lt;/b&gt; &amp; co" in rendered.html
    assert "&lt;script&gt;" in rendered.html
    assert "Outlet &lt;x&gt;" in rendered.html
    assert "a=1&amp;b=&quot;2&quot;" in rendered.html
    assert re.findall(r"<(/?\w+)", rendered.html) == ["b", "/b", "i", "/i"]


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        pytest.param("short enough", 20, "short enough", id="fits"),
        pytest.param("one two three four", 12, "one two…", id="cut-on-word"),
        pytest.param("onetwothreefour", 8, "onetwot…", id="one-long-word"),
        pytest.param("a,  b   c", 20, "a, b c", id="spaces-collapsed"),
        pytest.param("one, two three", 9, "one…", id="trailing-punctuation-dropped"),
    ],
)
def test_cut_words(text: str, limit: int, expected: str) -> None:
    assert cut_words(text, limit) == expected


def test_long_sentence_is_cut_not_split() -> None:
    sentence = "word " * 2000 + "<&>"
    rendered = render_alert(alert(figure_change(Figure("killed", 62, sentence=sentence))))
    for text in (rendered.html, rendered.plain):
        assert MAX_MESSAGE - 50 < telegram_length(text) <= MAX_MESSAGE
        assert "word…”" in text
        assert text.endswith("https://n.example/a")


def test_too_many_changes_shows_the_rest_as_a_count() -> None:
    changes = [figure_change(Figure("killed", n, sentence="x")) for n in range(400)]
    rendered = render_alert(alert(*changes))
    assert telegram_length(rendered.html) <= MAX_MESSAGE
    assert re.search(r"…and \d+ more", rendered.plain)


def test_article_text() -> None:
    rendered = render_article(alert(title="Pentagon <reviews> strike"))
    assert rendered.plain == (
        "Deir ez-Zor strike — new article (via The Guardian, 17 Sep 14:05 UTC)\n"
        "“Pentagon <reviews> strike”\nhttps://n.example/a"
    )
    assert "&lt;reviews&gt;" in rendered.html


def test_notice_is_escaped_and_cut() -> None:
    rendered = render_notice("feed <x> failing & " + "long " * 2000)
    assert rendered.html.startswith("feed &lt;x&gt; failing &amp;")
    assert telegram_length(rendered.html) <= MAX_MESSAGE


texts = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=3000)


@settings(max_examples=60, deadline=None)
@given(
    title=texts,
    outlet=texts,
    sentences=st.lists(texts, min_size=1, max_size=4),
    link=st.none() | texts,
)
def test_alert_always_fits_and_never_raises(
    title: str, outlet: str, sentences: list[str], link: str | None
) -> None:
    changes = tuple(
        figure_change(Figure("killed", i, claimant=outlet[:50], sentence=s))
        for i, s in enumerate(sentences)
    )
    entry = Entry(1, "k", title, "", PUBLISHED, "h", link=link, id=5)
    rendered = render_alert(Alert(Story("s", title, id=1), entry, outlet, changes))
    assert telegram_length(rendered.html) <= MAX_MESSAGE
    assert telegram_length(rendered.plain) <= MAX_MESSAGE
    stripped = re.sub(r"</?[bi]>", "", rendered.html)
    assert "<" not in stripped and ">" not in stripped
