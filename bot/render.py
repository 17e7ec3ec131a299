"""Message text (pure): alerts, article notices and admin notices as Telegram HTML or plain text.

Every string that came from a feed or a user is escaped for HTML; a message that would pass
Telegram's 4096-character limit has its quoted sentences cut on a word boundary with "…"
(before escaping), so it is never split into two messages.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from storage.records import Alert, Change, Figure

MAX_MESSAGE = 4096
"""Telegram's limit on a message's text, in UTF-16 code units."""

MAX_TITLE = 256
ELLIPSIS = "…"

QUALIFIER_WORDS = {"exact": "", "at_least": "at least ", "up_to": "up to ", "about": "about "}


@dataclass(frozen=True, slots=True)
class Rendered:
    """A message ready to send: HTML, and the plain text to fall back to if HTML is refused."""

    html: str
    plain: str


def telegram_length(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def cut_words(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters on a word boundary, ending in "…" if cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    if limit <= len(ELLIPSIS):
        return ELLIPSIS if limit >= len(ELLIPSIS) else ""
    room = text[: limit - len(ELLIPSIS)]
    space = room.rfind(" ")
    if space > 0:
        room = room[:space]
    return room.rstrip(" ,;:.-—") + ELLIPSIS


def when(moment: datetime) -> str:
    """`17 Sep 14:05 UTC`."""
    return moment.strftime("%d %b %H:%M UTC").lstrip("0")


def amount(figure: Figure) -> str:
    """`up to 80`, `62`, `about 100`."""
    return f"{QUALIFIER_WORDS.get(figure.qualifier, '')}{figure.value}"


class _Markup:
    """HTML or plain: the only difference between the two renderings."""

    def __init__(self, as_html: bool) -> None:
        self.as_html = as_html

    def text(self, value: str) -> str:
        return html.escape(value, quote=False) if self.as_html else value

    def bold(self, value: str) -> str:
        return f"<b>{self.text(value)}</b>" if self.as_html else value

    def quote(self, value: str) -> str:
        if not value:
            return ""
        return f"<i>“{self.text(value)}”</i>" if self.as_html else f"“{value}”"

    def link(self, url: str | None) -> str:
        if not url:
            return ""
        return html.escape(url, quote=True) if self.as_html else url


def _credit(claimant: str | None, alert: Alert) -> str:
    parts = [part for part in (claimant, f"via {cut_words(alert.outlet, MAX_TITLE)}") if part]
    return f"({', '.join(parts)}, {when(alert.entry.published)})"


def _change_lines(change: Change, alert: Alert, m: _Markup, sentence_limit: int) -> list[str]:
    if change.figure is not None:
        figure = change.figure
        old = "first report" if change.previous is None else amount(change.previous.figure)
        group = f" ({figure.group})" if figure.group else ""
        head = f"{figure.metric}: {old} → {amount(figure)}{group} {_credit(figure.claimant, alert)}"
        lines = [m.text(head)]
        sentence = cut_words(figure.sentence, sentence_limit)
        if sentence:
            lines.append(m.quote(sentence))
        return lines
    assert change.position is not None
    position = change.position
    head = f"{position.actor}: {position.stance}"
    if change.earlier_stances:
        head += f" (earlier: {', '.join(change.earlier_stances)})"
    sentence = cut_words(position.sentence, sentence_limit)
    line = m.text(head)
    if sentence:
        line += " — " + m.quote(sentence)
    return [line + " " + m.text(_credit(None, alert))]


def _same_figure_sentence(changes: Sequence[Change], index: int) -> bool:
    """True when change `index` and the next are figures quoted from the same sentence."""
    if index + 1 >= len(changes):
        return False
    this, following = changes[index].figure, changes[index + 1].figure
    return this is not None and following is not None and this.sentence == following.sentence


def _alert_text(alert: Alert, m: _Markup, sentence_limit: int, shown: int) -> str:
    title = m.bold(cut_words(alert.story.title, MAX_TITLE))
    changes = alert.changes[:shown]
    blocks = [_change_lines(change, alert, m, sentence_limit) for change in changes]
    if len(blocks) == 1:
        first, *rest = blocks[0]
        lines = [f"{title} — {first}", *rest]
    else:
        lines = [title]
        for index, block in enumerate(blocks):
            lines.append("• " + block[0])
            # Figures read from one sentence ("62 killed and about 100 wounded") quote it once,
            # after the last of them.
            if not _same_figure_sentence(changes, index):
                lines.extend(block[1:])
    hidden = len(alert.changes) - shown
    if hidden:
        lines.append(m.text(f"…and {hidden} more"))
    link = m.link(alert.entry.link)
    if link:
        lines.append(link)
    return "\n".join(lines)


def _fit(render: Callable[[int, int], str], changes: int) -> str | None:
    """The longest rendering within the limit: sentences as long as possible, then fewer
    changes shown (only if even bare lines do not fit); None if nothing fits."""
    longest = render(10**6, changes)
    if telegram_length(longest) <= MAX_MESSAGE:
        return longest
    for shown in range(max(changes, 1), 0, -1):
        low, high = 0, MAX_MESSAGE
        if telegram_length(render(low, shown)) > MAX_MESSAGE:
            continue
        while low < high:
            middle = (low + high + 1) // 2
            if telegram_length(render(middle, shown)) <= MAX_MESSAGE:
                low = middle
            else:
                high = middle - 1
        return render(low, shown)
    return None


def _render_both(render: Callable[[_Markup, int, int], str], changes: int) -> Rendered:
    plain = _fit(lambda limit, shown: render(_Markup(False), limit, shown), changes)
    html_text = _fit(lambda limit, shown: render(_Markup(True), limit, shown), changes)
    if plain is None or html_text is None:
        # Only absurd outlet names or links get here: fall back to cutting the plain text.
        return render_notice(render(_Markup(False), 0, 1))
    return Rendered(html=html_text, plain=plain)


def render_alert(alert: Alert) -> Rendered:
    """One message with every change an entry makes to a story, e.g.
    `Deir ez-Zor strike — killed: up to 80 → 62 (Russia, via The Guardian, 17 Sep 14:05 UTC)`,
    then the sentence it came from, then the link."""
    return _render_both(
        lambda m, limit, shown: _alert_text(alert, m, limit, shown), len(alert.changes)
    )


def render_article(alert: Alert) -> Rendered:
    """A new article on a story, for chats that asked for every article."""

    def text(m: _Markup, limit: int, _shown: int) -> str:
        head = f"{m.bold(cut_words(alert.story.title, MAX_TITLE))} — "
        head += m.text(f"new article {_credit(None, alert)}")
        lines = [head, m.quote(cut_words(alert.entry.title, limit))]
        link = m.link(alert.entry.link)
        return "\n".join(line for line in (*lines, link) if line)

    return _render_both(text, 0)


def render_notice(text: str) -> Rendered:
    """An admin notice: plain text written by the watchers, escaped for HTML."""
    plain = cut_words(text, MAX_MESSAGE) if telegram_length(text) > MAX_MESSAGE else text
    while telegram_length(plain) > MAX_MESSAGE:
        plain = cut_words(plain, len(plain) - 1)
    html_text = html.escape(plain, quote=False)
    while telegram_length(html_text) > MAX_MESSAGE:
        plain = cut_words(plain, len(plain) - 16)
        html_text = html.escape(plain, quote=False)
    return Rendered(html=html_text, plain=plain)
