"""The chat's answers as text (pure): escaped, within Telegram's limits, in the right order."""

from datetime import UTC, datetime

import pytest

from bot import views
from bot.callbacks import MAX_CALLBACK_BYTES
from storage.records import (
    Change,
    Chat,
    Figure,
    KnownFigure,
    KnownPosition,
    Position,
    Sighting,
    Story,
    StoryFacts,
)

T1 = datetime(2016, 9, 17, 14, 5, tzinfo=UTC)
T2 = datetime(2016, 9, 18, 9, 30, tzinfo=UTC)
STORY = Story(slug="strike", title="Strike <on> the ridge & more", id=7)


def seen(at: datetime, outlet: str = "Wire <b>") -> Sighting:
    return Sighting(entry_id=1, published=at, outlet=outlet, link="https://example.org/a")


def test_status_shows_latest_values_earlier_ones_and_positions_escaped() -> None:
    facts = StoryFacts(
        story_id=7,
        figures=(
            KnownFigure(Figure("killed", 80, "up_to", "Syria"), seen(T1)),
            KnownFigure(Figure("killed", 62, "exact", "Russia"), seen(T2, "Daily & Co")),
            KnownFigure(Figure("injured", 100, "about"), seen(T2)),
        ),
        positions=(
            KnownPosition(Position("Russia", "condemn"), seen(T1)),
            KnownPosition(Position("Russia", "demand"), seen(T2)),
            KnownPosition(Position("United States", "regret"), seen(T2)),
        ),
    )
    text = views.render_status(STORY, facts, sources=3, articles=5).text
    assert "Strike &lt;on&gt; the ridge &amp; more" in text
    assert (
        "• killed: <b>62</b> (Russia, via Daily &amp; Co, 18 Sep 09:30 UTC); earlier up to 80"
        in text
    )
    assert "• injured: <b>about 100</b> (via Wire &lt;b&gt;, 18 Sep 09:30 UTC)" in text
    assert "• Russia: condemns, demands" in text
    assert "• United States: regrets" in text
    assert text.endswith("5 matching articles from 3 sources")


def test_status_of_a_quiet_story() -> None:
    text = views.render_status(STORY, StoryFacts(story_id=7), 0, 1).text
    assert "No figures or official positions reported yet." in text
    assert "1 matching article from 0 sources" in text


def test_history_line_for_figure_and_position() -> None:
    previous = KnownFigure(Figure("killed", 80, "up_to"), seen(T1))
    figure_change = Change(7, 2, figure=Figure("killed", 62, claimant="Russia"), previous=previous)
    position_change = Change(7, 3, position=Position("UN Security Council", "meeting"), silent=True)
    reply = views.render_history(
        STORY, [(figure_change, seen(T1)), (position_change, seen(T2))], page=0, total=2
    )
    lines = reply.text.splitlines()
    assert (
        lines[1] == "17 Sep 14:05 UTC — killed: up to 80 → <b>62</b> (Russia, via Wire &lt;b&gt;)"
    )
    assert lines[2].startswith("18 Sep 09:30 UTC — UN Security Council meets (via Wire &lt;b&gt;)")
    assert "already reported" in lines[2]
    assert reply.keyboard is None


def test_history_pages_have_buttons() -> None:
    reply = views.render_history(STORY, [], page=1, total=25)
    labels = [button.text for button in reply.keyboard.inline_keyboard[0]]
    assert labels == ["‹ Previous", "2/3", "Next ›"]


def test_fit_cuts_on_whole_lines() -> None:
    text = views.fit(["x" * 1000] * 10)
    assert len(text) <= views.MAX_MESSAGE
    assert text.endswith("\n…")
    assert all(line in ("x" * 1000, "…") for line in text.splitlines())


def test_stories_page_buttons_stay_under_64_bytes() -> None:
    stories = [Story(slug=f"s{n}", title="Ünïcode title " * 10, id=2**62 + n) for n in range(25)]
    reply = views.render_stories(stories, 2, followed={2**62 + 21}, followers={}, figures={})
    buttons = [button for row in reply.keyboard.inline_keyboard for button in row]
    assert all(len(button.callback_data.encode()) < MAX_CALLBACK_BYTES for button in buttons)
    assert "Unfollow" in buttons[1].text and "Follow" in buttons[0].text
    assert [b.text for b in reply.keyboard.inline_keyboard[-1]] == ["‹ Previous", "3/3"]
    assert reply.text.startswith("<b>Stories</b> (25)")


@pytest.mark.parametrize(
    ("chat", "marks"),
    [
        (Chat(id=1), ["✅", "✅", "⬜"]),
        (Chat(id=1, figures_on=False, articles_on=True), ["⬜", "✅", "✅"]),
    ],
    ids=["defaults", "switched"],
)
def test_settings_toggles(chat: Chat, marks: list[str]) -> None:
    reply = views.render_settings(chat)
    assert [row[0].text[0] for row in reply.keyboard.inline_keyboard] == marks


def test_keywords_grouped_by_sign() -> None:
    story = Story(slug="s", title="T", keywords=("dam", "<b>", "+Libya", "-football match"))
    text = views.render_keywords(story).text
    assert "any of: <code>dam</code>, <code>&lt;b&gt;</code>" in text
    assert "all of: <code>Libya</code>" in text
    assert "none of: <code>football match</code>" in text
