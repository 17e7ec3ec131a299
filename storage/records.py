"""Domain records shared by every layer: frozen, slotted dataclasses with UTC-aware datetimes.

Nothing of feedparser, sqlite rows or Telegram objects appears here; the Store turns rows into
these records and back, the watchers and the bot only ever see records.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal, get_args

Metric = Literal["killed", "injured", "missing", "displaced", "arrested"]
Qualifier = Literal["exact", "at_least", "up_to", "about"]
Stance = Literal[
    "accuse", "deny", "acknowledge", "regret", "condemn", "demand", "investigate", "meeting"
]
Source = Literal["config", "cli", "chat"]
OutboxKind = Literal["alert", "article", "admin_notice"]
ChatKind = Literal["private", "group", "supergroup", "channel"]

METRICS: tuple[Metric, ...] = get_args(Metric)
QUALIFIERS: tuple[Qualifier, ...] = get_args(Qualifier)
STANCES: tuple[Stance, ...] = get_args(Stance)

NO_THREAD = 0
"""`thread_id` of a chat without topics: 0, not NULL, so (chat, thread, story) is a key."""


def utc(moment: datetime) -> datetime:
    """Return `moment` as an aware UTC datetime; a naive datetime is taken to be UTC already."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


@dataclass(frozen=True, slots=True)
class Feed:
    """A news feed we poll, with its validators, poll schedule and health."""

    url: str
    id: int | None = None
    config_url: str | None = None
    title: str | None = None
    source: Source = "cli"
    enabled: bool = True
    allow_private: bool = False
    interval_s: int | None = None
    etag: str | None = None
    last_modified: str | None = None
    body_hash: str | None = None
    next_poll_at: datetime | None = None
    last_polled_at: datetime | None = None
    last_success_at: datetime | None = None
    last_status: int | None = None
    last_error: str | None = None
    failures: int = 0
    failing_since: datetime | None = None
    disabled_reason: str | None = None
    created_at: datetime | None = None
    fast_parse: bool = False
    """The accelerated parser gave feedparser's entries for this feed when last checked."""
    parser_checked_at: datetime | None = None
    """When the accelerated parser was last checked against feedparser on this feed."""

    @property
    def outlet(self) -> str:
        """The name an alert credits: the feed's title, else its URL."""
        return self.title or self.url


@dataclass(frozen=True, slots=True)
class Entry:
    """One feed item, normalised: plain text, UTC time, a per-feed key and a content hash."""

    feed_id: int
    key: str
    title: str
    summary: str
    published: datetime
    content_hash: str
    link: str | None = None
    content: str = ""
    first_seen: datetime | None = None
    id: int | None = None

    @property
    def text(self) -> str:
        """Title, summary and content joined by blank lines: what matching and extraction read."""
        return "\n\n".join(part for part in (self.title, self.summary, self.content) if part)


@dataclass(frozen=True, slots=True)
class Story:
    """A tracked story: a unique ASCII slug, a title and the keywords that identify it."""

    slug: str
    title: str
    keywords: tuple[str, ...] = ()
    id: int | None = None
    source: Source = "cli"
    owner_chat_id: int | None = None
    enabled: bool = True
    created_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Figure:
    """A casualty count stated by an entry: `metric` `value` (`qualifier`), per `claimant`."""

    metric: Metric
    value: int
    qualifier: Qualifier = "exact"
    claimant: str | None = None
    group: str | None = None
    sentence: str = ""


@dataclass(frozen=True, slots=True)
class Position:
    """An official position: `actor` (canonical name) takes `stance`, in `sentence`."""

    actor: str
    stance: Stance
    sentence: str = ""


@dataclass(frozen=True, slots=True)
class Facts:
    """What one entry says about one story."""

    figures: tuple[Figure, ...] = ()
    positions: tuple[Position, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.figures or self.positions)


@dataclass(frozen=True, slots=True)
class Sighting:
    """Where and when a stored fact was published: the entry, its outlet and publication time."""

    entry_id: int
    published: datetime
    outlet: str | None = None
    link: str | None = None


@dataclass(frozen=True, slots=True)
class KnownFigure:
    """A figure already stored for a story, with where it was seen."""

    figure: Figure
    seen: Sighting


@dataclass(frozen=True, slots=True)
class KnownPosition:
    """A position already stored for a story, with where it was seen."""

    position: Position
    seen: Sighting


@dataclass(frozen=True, slots=True)
class StoryFacts:
    """Everything a story's stored entries have said so far: the input of change decisions."""

    story_id: int
    figures: tuple[KnownFigure, ...] = ()
    positions: tuple[KnownPosition, ...] = ()


@dataclass(frozen=True, slots=True)
class Change:
    """A new fact for a story, as an alert reports it.

    Exactly one of `figure` and `position` is set. For a figure, `previous` is the same metric's
    value (same group when one is stated) with the latest publication time before this entry's,
    or None for "first report". For a position, `earlier_stances` are the actor's stances seen
    before, oldest first.
    """

    story_id: int
    entry_id: int
    figure: Figure | None = None
    position: Position | None = None
    previous: KnownFigure | None = None
    earlier_stances: tuple[Stance, ...] = ()
    silent: bool = False
    detected_at: datetime | None = None
    id: int | None = None

    @property
    def kind(self) -> Literal["figure", "position"]:
        return "figure" if self.figure is not None else "position"


@dataclass(frozen=True, slots=True)
class Chat:
    """A Telegram chat that talks to the bot, and which kinds of alert it wants."""

    id: int
    kind: ChatKind = "private"
    title: str | None = None
    active: bool = True
    figures_on: bool = True
    positions_on: bool = True
    articles_on: bool = False
    created_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Subscription:
    """A chat (or one forum topic of it) following a story."""

    chat_id: int
    story_id: int
    thread_id: int = NO_THREAD
    active: bool = True
    muted_until: datetime | None = None
    root_message_id: int | None = None
    created_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class OutboxRow:
    """A message waiting for (or done with) delivery to one chat."""

    chat_id: int
    kind: OutboxKind
    created_at: datetime
    thread_id: int = NO_THREAD
    story_id: int | None = None
    entry_id: int | None = None
    change_ids: tuple[int, ...] = field(default_factory=tuple)
    text: str | None = None
    attempts: int = 0
    next_attempt_at: datetime | None = None
    sent_at: datetime | None = None
    telegram_message_id: int | None = None
    last_error: str | None = None
    id: int | None = None


@dataclass(frozen=True, slots=True)
class Alert:
    """What an alert row says, loaded when it is sent: the story, the entry and its changes."""

    story: Story
    entry: Entry
    outlet: str
    changes: tuple[Change, ...] = ()
