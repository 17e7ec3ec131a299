"""The real PTB `Application` of `bot/app.py` against the shared fake Bot API, for chat tests.

`ChatHarness.say(...)` queues a message as Telegram would, fetches it with a real `getUpdates`
and lets the application process it, then returns what the bot sent in answer.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from telegram import Update

from bot.app import build_application
from bot.config import Config, Limits
from bot.services import SERVICES_KEY, ChatServices
from bot.settings import Settings
from storage.records import Change, Entry, Facts, Feed, Figure, Position, Story
from storage.store import Store
from tests.fakes.bot_api import FakeBotAPI, SentMessage
from tests.fakes.clock import FakeClock

ADMIN = 4242
LIMITS = Limits(max_followed=3, max_owned=2, max_keywords=4, max_keyword_length=30)


class ChatHarness:
    def __init__(
        self,
        api: FakeBotAPI,
        clock: FakeClock,
        db_path: Path,
        limits: Limits = LIMITS,
        baseline: Callable[[Store, Story, datetime], object] | None = None,
    ) -> None:
        self.api = api
        self.clock = clock
        self.store = Store.open(db_path)
        self.baselined: list[str] = []

        def record_baseline(store: Store, story: Story, now: datetime) -> None:
            self.baselined.append(story.slug)

        settings = Settings(db_path=str(db_path), token=api.token, api_url=api.base_url)
        self.app = build_application(
            settings,
            self.store,
            clock,
            Config(admin_ids=frozenset({ADMIN}), limits=limits),
            baseline=baseline or record_baseline,
            rate_limit=False,
        )
        self.offset = 0

    async def __aenter__(self) -> ChatHarness:
        await self.app.initialize()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.app.shutdown()
        self.store.close()

    @property
    def services(self) -> ChatServices:
        services = self.app.bot_data[SERVICES_KEY]
        assert isinstance(services, ChatServices)
        return services

    async def deliver(self) -> None:
        """Fetch queued updates with getUpdates and process each, as polling would."""
        updates = await self.app.bot.get_updates(offset=self.offset, timeout=0)
        for update in updates:
            self.offset = update.update_id + 1
            await self.app.process_update(update)

    async def _answers(self, queue: Callable[[], object]) -> list[SentMessage]:
        before = len(self.api.sent())
        queue()
        await self.deliver()
        return self.api.sent()[before:]

    async def say(self, chat_id: int, text: str, **options: Any) -> list[SentMessage]:
        return await self._answers(lambda: self.api.queue_message(chat_id, text, **options))

    async def post(self, chat_id: int, text: str) -> list[SentMessage]:
        return await self._answers(lambda: self.api.queue_channel_post(chat_id, text))

    async def as_anonymous_admin(self, chat_id: int, text: str) -> list[SentMessage]:
        """A group's anonymous administrator: `sender_chat` is the group itself."""

        def queue() -> None:
            update = self.api.queue_message(chat_id, text, user_id=1087968824)
            update["message"]["sender_chat"] = update["message"]["chat"]

        return await self._answers(queue)

    async def press(
        self, chat_id: int, message_id: int, data: str, user_id: int | None = None
    ) -> dict[str, Any]:
        """Press a button; return the answerCallbackQuery parameters."""
        update = self.api.queue_callback_query(chat_id, message_id, data, user_id=user_id)
        await self.deliver()
        return self.api.callback_answers()[update["callback_query"]["id"]]

    async def process(self, payload: dict[str, Any]) -> None:
        await self.app.process_update(Update.de_json(payload, self.app.bot))

    # -- seeding the store -------------------------------------------------------------------

    def add_story(self, slug: str, title: str, *keywords: str, **fields: Any) -> Story:
        return self.store.add_story(
            Story(
                slug=slug,
                title=title,
                keywords=keywords or (slug,),
                **{"source": "config", **fields},
            ),
            self.clock.now(),
        )

    def add_facts(
        self,
        story: Story,
        key: str,
        *,
        figures: tuple[Figure, ...] = (),
        positions: tuple[Position, ...] = (),
        hours: int = 0,
        outlet: str = "Wire",
    ) -> None:
        """Store an entry saying `figures` and `positions` about `story`, each a change."""
        feed = self.store.find_feed(f"https://{outlet.lower()}.example/rss") or self.store.add_feed(
            Feed(url=f"https://{outlet.lower()}.example/rss", title=outlet), self.clock.now()
        )
        entry = Entry(
            feed_id=feed.id or 0,
            key=key,
            title=key,
            summary="",
            published=self.clock.now() + timedelta(hours=hours),
            content_hash=key,
            link=f"https://{outlet.lower()}.example/{key}",
        )

        def every_fact_is_new(known: object, facts: Facts, entry: Entry) -> list[Change]:
            return [Change(story.id or 0, 0, figure=f) for f in facts.figures] + [
                Change(story.id or 0, 0, position=p) for p in facts.positions
            ]

        self.store.commit_entry(
            entry, [(story, Facts(figures, positions))], every_fact_is_new, self.clock.now()
        )
