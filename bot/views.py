"""The text and buttons of the bot's answers in chat (pure): Telegram HTML, everything escaped.

Each `render_*` takes records and plain values and returns the message text, with an inline
keyboard where the answer has buttons. Text from users and feeds goes through `esc`.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.callbacks import SETTING_NAMES, Action, Button
from storage.chatviews import StoreStats
from storage.records import (
    Change,
    Chat,
    Feed,
    Figure,
    KnownFigure,
    Sighting,
    Story,
    StoryFacts,
)

MAX_MESSAGE = 4096
STORIES_PER_PAGE = 10
HISTORY_PER_PAGE = 10
MAX_BUTTON_TEXT = 40

COMMANDS: tuple[tuple[str, str, str], ...] = (
    ("start", "What this bot does and the stories it tracks", "/start"),
    ("help", "Every command with an example", "/help"),
    ("stories", "Stories you can follow", "/stories"),
    ("follow", "Get alerts for a story", "/follow deir-ez-zor-strike"),
    ("unfollow", "Stop alerts for a story", "/unfollow deir-ez-zor-strike"),
    ("status", "A story's current figures and positions", "/status deir-ez-zor-strike"),
    ("history", "A story's changes in order", "/history deir-ez-zor-strike"),
    ("track", "Track a story of your own", "/track Dam collapse: dam, collapse, +Libya"),
    ("untrack", "Stop tracking your story", "/untrack dam-collapse"),
    ("watch", "Add keywords to your story", '/watch dam-collapse Derna "storm Daniel" -football'),
    ("unwatch", "Remove keywords from your story", "/unwatch dam-collapse -football"),
    ("keywords", "A story's keywords", "/keywords dam-collapse"),
    ("mute", "Pause a story's alerts for a while", "/mute deir-ez-zor-strike 6h"),
    ("unmute", "Resume a muted story", "/unmute deir-ez-zor-strike"),
    ("settings", "Which kinds of alert this chat gets", "/settings"),
)
ADMIN_COMMANDS: tuple[tuple[str, str, str], ...] = (
    ("feeds", "Feed health", "/feeds"),
    ("addfeed", "Add a feed", "/addfeed https://example.org/news.rss"),
    ("removefeed", "Remove a feed", "/removefeed 3"),
    ("stats", "Counts and the outbox backlog", "/stats"),
)
USAGE: dict[str, str] = {name: example for name, _, example in COMMANDS + ADMIN_COMMANDS}
USAGE.update(
    {
        "follow": "/follow &lt;story&gt; — a slug or words of its title, e.g. /follow deir-ez-zor",
        "unfollow": "/unfollow &lt;story&gt;, e.g. /unfollow deir-ez-zor-strike",
        "status": "/status &lt;story&gt;, e.g. /status deir-ez-zor-strike",
        "history": "/history &lt;story&gt;, e.g. /history deir-ez-zor-strike",
        "track": "/track &lt;title&gt;: &lt;keyword&gt;, &lt;keyword&gt;, …  e.g. "
        "/track Dam collapse: dam collapse, Derna, +Libya",
        "untrack": "/untrack &lt;story&gt;, e.g. /untrack dam-collapse",
        "watch": "/watch &lt;story&gt; &lt;keyword&gt; …  (a phrase in quotes, +required, "
        '-excluded), e.g. /watch dam-collapse Derna "storm Daniel" -football',
        "unwatch": "/unwatch &lt;story&gt; &lt;keyword&gt; …, e.g. /unwatch dam-collapse -football",
        "keywords": "/keywords &lt;story&gt;, e.g. /keywords dam-collapse",
        "mute": "/mute &lt;story&gt; &lt;duration&gt; (30m, 6h, 2d, 1w), "
        "e.g. /mute deir-ez-zor-strike 6h",
        "unmute": "/unmute &lt;story&gt;, e.g. /unmute deir-ez-zor-strike",
        "addfeed": "/addfeed &lt;url&gt;, e.g. /addfeed https://example.org/news.rss",
        "removefeed": "/removefeed &lt;url or id&gt;, e.g. /removefeed 3",
    }
)

_QUALIFIER = {"exact": "", "at_least": "at least ", "up_to": "up to ", "about": "about "}
_STANCE = {
    "accuse": "accuses",
    "deny": "denies",
    "acknowledge": "acknowledges",
    "regret": "regrets",
    "condemn": "condemns",
    "demand": "demands",
    "investigate": "investigates",
    "meeting": "meets",
}


@dataclass(frozen=True, slots=True)
class Reply:
    """A message to send or an edit to make: HTML text and optional buttons."""

    text: str
    keyboard: InlineKeyboardMarkup | None = None


def esc(text: object) -> str:
    """`text` safe inside Telegram HTML."""
    return html.escape(str(text), quote=False)


def shown(text: str, limit: int = 60) -> str:
    """User input echoed back: cut to `limit` characters (before escaping), then escaped."""
    text = " ".join(text.split())
    return esc(text if len(text) <= limit else text[: limit - 1] + "…")


def keyword_summary(keywords: Sequence[str], limit: int = 1000) -> str:
    """A story's keywords on one line, cut to `limit` characters, escaped."""
    return shown(", ".join(keywords), limit)


def utf16_length(text: str) -> int:
    """Telegram counts message length in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def fit(lines: Sequence[str], limit: int = MAX_MESSAGE) -> str:
    """Join whole lines while they fit in `limit` UTF-16 units; an ellipsis marks a cut.

    Measured on the HTML, which is never shorter than the text a user sees.
    """
    kept: list[str] = []
    size = 0
    for line in lines:
        length = utf16_length(line) + 1
        if size + length > limit - 2:
            kept.append("…")
            break
        kept.append(line)
        size += length
    return "\n".join(kept)


def button_text(text: str) -> str:
    """Button labels are plain text; long titles are cut so a row stays readable."""
    return text if len(text) <= MAX_BUTTON_TEXT else text[: MAX_BUTTON_TEXT - 1] + "…"


def when(moment: datetime) -> str:
    """`17 Sep 14:05 UTC`."""
    return moment.strftime("%d %b %H:%M UTC").lstrip("0")


def value_text(figure: Figure) -> str:
    """`62`, `up to 80`, `about 100`, with the group when stated."""
    group = f" {figure.group}" if figure.group else ""
    return f"{_QUALIFIER[figure.qualifier]}{figure.value:,}{group}"


def _credit(claimant: str | None, seen: Sighting) -> str:
    parts = [esc(claimant)] if claimant else []
    if seen.outlet:
        parts.append(f"via {esc(seen.outlet)}")
    parts.append(when(seen.published))
    return ", ".join(parts)


def latest_figures(facts: StoryFacts) -> list[KnownFigure]:
    """The latest value of each metric (and group), in the order metrics were first seen."""
    latest: dict[tuple[str, str | None], KnownFigure] = {}
    for known in facts.figures:
        key = (known.figure.metric, known.figure.group)
        current = latest.get(key)
        if current is None or known.seen.published >= current.seen.published:
            latest[key] = known
    return list(latest.values())


def figures_line(facts: StoryFacts) -> str:
    """`killed 62 · injured about 100`, or an empty string."""
    return " · ".join(
        f"{known.figure.metric} {esc(value_text(known.figure))}" for known in latest_figures(facts)
    )


def command_list(admin: bool) -> list[str]:
    commands = COMMANDS + (ADMIN_COMMANDS if admin else ())
    return [
        f"/{name} — {esc(description)}\n    <code>{esc(example)}</code>"
        for name, description, example in commands
    ]


def render_help(admin: bool) -> Reply:
    lines = ["<b>Commands</b>", *command_list(admin)]
    lines.append(
        "\nIn groups, only chat administrators change subscriptions and keywords. "
        "In a forum topic, /follow sends that story's alerts to the topic."
    )
    return Reply(fit(lines))


def render_start(stories: Sequence[Story], followed: set[int], reactivated: bool) -> Reply:
    lines = [
        "<b>storywatch</b> follows developing news stories for you.",
        "It reads news feeds and tells you when a figure (a death toll, the injured, "
        "the missing) or an official position changes.",
        "One alert per new fact, with who said it and a link — not every article.",
    ]
    if reactivated:
        lines.append("\nWelcome back: alerts to this chat are on again.")
    if stories:
        lines.append("\n<b>Stories tracked now</b>")
        lines.extend(f"• {esc(story.title)} (<code>{esc(story.slug)}</code>)" for story in stories)
    else:
        lines.append("\nNo stories are tracked yet.")
    lines.append(
        "\nTrack your own: <code>/track Dam collapse: dam, collapse, +Libya</code>\n"
        "All commands: /help"
    )
    shown = stories[:STORIES_PER_PAGE]
    return Reply(fit(lines), _follow_keyboard(shown, followed, page=None, pages=1))


def _follow_keyboard(
    stories: Sequence[Story], followed: set[int], page: int | None, pages: int
) -> InlineKeyboardMarkup | None:
    rows: list[list[InlineKeyboardButton]] = []
    for story in stories:
        story_id = story.id or 0
        action: Action
        if story_id in followed:
            label, action = f"Unfollow {story.title}", "unfollow"
        else:
            label, action = f"Follow {story.title}", "follow"
        rows.append(
            [
                InlineKeyboardButton(
                    button_text(label),
                    callback_data=Button(action, story_id, page or 0).encode(),
                )
            ]
        )
    if page is not None and pages > 1:
        rows.append(_pager("stories", 0, page, pages))
    return InlineKeyboardMarkup(rows) if rows else None


def _pager(action: Action, story_id: int, page: int, pages: int) -> list[InlineKeyboardButton]:
    row = []
    if page > 0:
        row.append(
            InlineKeyboardButton(
                "‹ Previous",
                callback_data=Button(action, story_id, page - 1).encode(),
            )
        )
    row.append(InlineKeyboardButton(f"{page + 1}/{pages}", callback_data=Button("noop").encode()))
    if page < pages - 1:
        row.append(
            InlineKeyboardButton(
                "Next ›",
                callback_data=Button(action, story_id, page + 1).encode(),
            )
        )
    return row


def page_count(total: int, per_page: int) -> int:
    return max(1, -(-total // per_page))


def render_stories(
    stories: Sequence[Story],
    page: int,
    followed: set[int],
    followers: Mapping[int, int],
    figures: Mapping[int, str],
) -> Reply:
    """One page of /stories: title, slug, latest figures and followers, with buttons."""
    if not stories:
        return Reply("No stories are tracked yet. Track one: " + USAGE["track"])
    pages = page_count(len(stories), STORIES_PER_PAGE)
    page = min(max(page, 0), pages - 1)
    shown = stories[page * STORIES_PER_PAGE : (page + 1) * STORIES_PER_PAGE]
    lines = [f"<b>Stories</b> ({len(stories)})"]
    for story in shown:
        story_id = story.id or 0
        count = followers.get(story_id, 0)
        mark = " ✓" if story_id in followed else ""
        lines.append(
            f"\n<b>{esc(story.title)}</b>{mark}\n<code>{esc(story.slug)}</code>"
            f" · {count} follower{'' if count == 1 else 's'}"
        )
        if figures.get(story_id):
            lines.append(figures[story_id])
    return Reply(fit(lines), _follow_keyboard(shown, followed, page, pages))


def render_status(
    story: Story, facts: StoryFacts, sources: int, articles: int, heading: str | None = None
) -> Reply:
    """A story's current picture: figures with earlier values, positions, source counts.

    `heading` (HTML) goes first, e.g. the confirmation of a /follow.
    """
    lines = [heading, ""] if heading else []
    lines.append(f"<b>{esc(story.title)}</b> (<code>{esc(story.slug)}</code>)")
    latest = latest_figures(facts)
    if latest:
        lines.append("\n<b>Figures</b>")
    for known in latest:
        figure = known.figure
        earlier = [
            value_text(other.figure)
            for other in facts.figures
            if other.figure.metric == figure.metric
            and other.figure.group == figure.group
            and other is not known
        ]
        earlier_values = list(dict.fromkeys(v for v in earlier if v != value_text(figure)))
        line = (
            f"• {figure.metric}: <b>{esc(value_text(figure))}</b> "
            f"({_credit(figure.claimant, known.seen)})"
        )
        if earlier_values:
            line += f"; earlier {esc(', '.join(earlier_values))}"
        lines.append(line)
    actors: dict[str, list[str]] = {}
    for known_position in facts.positions:
        stances = actors.setdefault(known_position.position.actor, [])
        if known_position.position.stance not in stances:
            stances.append(known_position.position.stance)
    if actors:
        lines.append("\n<b>Positions</b>")
    for actor, stances in actors.items():
        lines.append(f"• {esc(actor)}: {', '.join(_STANCE[s] for s in stances)}")
    if not latest and not actors:
        lines.append("\nNo figures or official positions reported yet.")
    lines.append(
        f"\n{articles} matching article{'' if articles == 1 else 's'} "
        f"from {sources} source{'' if sources == 1 else 's'}"
    )
    return Reply(fit(lines))


def change_line(change: Change, seen: Sighting) -> str:
    """One history line: when, what changed, who said it and where."""
    if change.figure is not None:
        figure = change.figure
        old = value_text(change.previous.figure) if change.previous else "first report"
        what = f"{figure.metric}: {esc(old)} → <b>{esc(value_text(figure))}</b>"
        claimant = figure.claimant
    else:
        assert change.position is not None
        what = f"{esc(change.position.actor)} {_STANCE[change.position.stance]}"
        claimant = None
    credit = ", ".join(
        [
            *([esc(claimant)] if claimant else []),
            *([f"via {esc(seen.outlet)}"] if seen.outlet else []),
        ]
    )
    line = f"{when(seen.published)} — {what}"
    if credit:
        line += f" ({credit})"
    if change.silent:
        line += " <i>(already reported when tracking began)</i>"
    return line


def render_history(
    story: Story, items: Sequence[tuple[Change, Sighting]], page: int, total: int
) -> Reply:
    """One page of a story's changes, oldest first, with page buttons."""
    pages = page_count(total, HISTORY_PER_PAGE)
    lines = [f"<b>{esc(story.title)}</b>: changes"]
    if not items:
        lines.append("Nothing has changed yet." if total == 0 else "No more changes.")
    lines.extend(change_line(change, seen) for change, seen in items)
    keyboard = (
        InlineKeyboardMarkup([_pager("history", story.id or 0, page, pages)]) if pages > 1 else None
    )
    return Reply(fit(lines), keyboard)


def render_keywords(story: Story) -> Reply:
    lines = [f"<b>{esc(story.title)}</b> (<code>{esc(story.slug)}</code>) matches articles with:"]
    plain = [k for k in story.keywords if not k.startswith(("+", "-"))]
    required = [k[1:] for k in story.keywords if k.startswith("+")]
    excluded = [k[1:] for k in story.keywords if k.startswith("-")]
    if plain:
        lines.append("any of: " + ", ".join(f"<code>{esc(k)}</code>" for k in plain))
    if required:
        lines.append("all of: " + ", ".join(f"<code>{esc(k)}</code>" for k in required))
    if excluded:
        lines.append("none of: " + ", ".join(f"<code>{esc(k)}</code>" for k in excluded))
    if not story.keywords:
        lines.append("no keywords yet: add some with " + USAGE["watch"])
    return Reply(fit(lines))


_SETTING_LABEL = {
    "figures": "Figures",
    "positions": "Official positions",
    "articles": "Every new matching article",
}


def render_settings(chat: Chat) -> Reply:
    state = {
        "figures": chat.figures_on,
        "positions": chat.positions_on,
        "articles": chat.articles_on,
    }
    lines = ["<b>Alerts in this chat</b> (tap to switch)"]
    rows = []
    for index, name in enumerate(SETTING_NAMES):
        mark = "on" if state[name] else "off"
        lines.append(f"• {_SETTING_LABEL[name]}: {mark}")
        rows.append(
            [
                InlineKeyboardButton(
                    f"{'✅' if state[name] else '⬜'} {_SETTING_LABEL[name]}",
                    callback_data=Button("setting", 0, index).encode(),
                )
            ]
        )
    return Reply("\n".join(lines), InlineKeyboardMarkup(rows))


def render_candidates(name: str, command: str, candidates: Sequence[Story]) -> Reply:
    """No story is called `name`: offer the closest ones as buttons (follow/unfollow) or list
    them (other commands)."""
    if not candidates:
        return Reply(f"No story matches “{shown(name)}”. See /stories for the list.")
    lines = [f"Which story did you mean by “{shown(name)}”?"]
    lines.extend(
        f"• {esc(story.title)} — <code>/{command} {esc(story.slug)}</code>" for story in candidates
    )
    keyboard = None
    if command in ("follow", "unfollow"):
        action: Action = "follow" if command == "follow" else "unfollow"
        keyboard = InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(
                        button_text(f"{command.capitalize()} {story.title}"),
                        callback_data=Button(action, story.id or 0).encode(),
                    )
                ]
                for story in candidates
            ]
        )
    return Reply(fit(lines), keyboard)


def render_feeds(feeds: Sequence[Feed]) -> Reply:
    if not feeds:
        return Reply("No feeds yet. Add one: " + USAGE["addfeed"])
    lines = [f"<b>Feeds</b> ({len(feeds)})"]
    for feed in feeds:
        state = "on" if feed.enabled else f"off ({esc(feed.disabled_reason or 'by hand')})"
        polled = when(feed.last_polled_at) if feed.last_polled_at else "never"
        status = feed.last_status if feed.last_status is not None else "–"
        line = (
            f"\n{feed.id}. {esc(feed.outlet)}\n<code>{esc(feed.url)}</code>\n"
            f"{state} · last poll {polled} · status {status}"
        )
        if feed.failures:
            line += f" · {feed.failures} failures: {esc(feed.last_error or 'unknown error')}"
        lines.append(line)
    return Reply(fit(lines))


def render_stats(stats: StoreStats) -> Reply:
    lines = [
        "<b>storywatch</b>",
        f"feeds: {stats.feeds} ({stats.feeds_enabled} enabled, {stats.feeds_failing} failing)",
        f"entries: {stats.entries}",
        f"stories: {stats.stories} ({stats.stories_enabled} enabled)",
        f"chats: {stats.chats} ({stats.chats_active} active), {stats.subscriptions} subscriptions",
        f"outbox backlog: {stats.outbox_backlog}",
    ]
    return Reply("\n".join(lines))
