"""The console channel shows a message as a person reads it in Telegram."""

from __future__ import annotations

import io

import pytest

from bot.channels import ConsoleChannel, OutgoingMessage, html_for_terminal


@pytest.mark.parametrize(
    ("html", "color", "expected"),
    [
        pytest.param("<b>Title</b> — 80 → 62", False, "Title — 80 → 62", id="tags-dropped"),
        pytest.param("<b>T</b>", True, "\x1b[1mT\x1b[0m", id="bold-in-color"),
        pytest.param("<i>“a &lt;b&gt; &amp; c”</i>", False, "“a <b> & c”", id="entities-decoded"),
    ],
)
def test_html_for_terminal(html: str, color: bool, expected: str) -> None:
    assert html_for_terminal(html, color) == expected


async def test_console_channel_prints_and_numbers_messages() -> None:
    out = io.StringIO()
    channel = ConsoleChannel(out, names={7: "Alice"})
    first = await channel.send(OutgoingMessage(7, "<b>Strike</b> — killed: 62"))
    second = await channel.send(OutgoingMessage(7, "a & b", html=False, reply_to=first))
    assert (first, second) == (1, 2)
    assert out.getvalue() == (
        "── to Alice\nStrike — killed: 62\n\n── to Alice (reply to #1)\na & b\n\n"
    )
