"""What the chat handlers share, kept in `application.bot_data`: the store, clock, limits, admins.

The composition root (`bot/app.py`) builds one `ChatServices`; handlers read it with
`services_of(context)`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from telegram.ext import ContextTypes

from bot.arguments import KeywordLimits
from bot.config import Limits
from bot.permissions import ChatAdminCache
from storage.records import Story
from storage.store import Store
from watchers.clock import Clock

SERVICES_KEY = "services"

Baseline = Callable[[Store, Story, datetime], object]
"""Silently takes a story's facts from already stored entries (DESIGN "Baseline")."""


@dataclass(slots=True)
class ChatServices:
    """The handlers' dependencies, plus a count of handler failures for /stats and tests."""

    store: Store
    clock: Clock
    admin_cache: ChatAdminCache
    baseline: Baseline
    limits: Limits = field(default_factory=Limits)
    admin_ids: frozenset[int] = frozenset()
    handler_errors: int = 0

    @property
    def keyword_limits(self) -> KeywordLimits:
        return KeywordLimits(self.limits.max_keywords, self.limits.max_keyword_length)


def services_of(context: ContextTypes.DEFAULT_TYPE | Any) -> ChatServices:
    services = context.application.bot_data[SERVICES_KEY]
    assert isinstance(services, ChatServices)
    return services
