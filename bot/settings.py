"""Process settings from flags and the environment: the only module that reads `os.environ`.

Precedence is flag, then environment, then default (DESIGN "Interfaces").
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

DEFAULT_DB = "./storywatch.db"
DEFAULT_API_URL = "https://api.telegram.org/bot"


@dataclass(frozen=True, slots=True)
class Settings:
    """Where the database and config are, and how to reach Telegram."""

    db_path: str = DEFAULT_DB
    config_path: str | None = None
    token: str | None = None
    api_url: str = DEFAULT_API_URL


def bot_api_base_url(value: str | None) -> str:
    """python-telegram-bot's `base_url`: the Bot API URL up to and including `/bot`."""
    if not value or not value.strip():
        return DEFAULT_API_URL
    url = value.strip().rstrip("/")
    return url if url.endswith("/bot") else f"{url}/bot"


def resolve_settings(
    db_flag: str | None, config_flag: str | None, environ: Mapping[str, str] | None = None
) -> Settings:
    """Combine flags with the environment (the process's own unless given)."""
    env = os.environ if environ is None else environ
    token = env.get("TELEGRAM_BOT_TOKEN", "").strip() or None
    return Settings(
        db_path=db_flag or env.get("STORYWATCH_DB") or DEFAULT_DB,
        config_path=config_flag or env.get("STORYWATCH_CONFIG") or None,
        token=token,
        api_url=bot_api_base_url(env.get("TELEGRAM_API_URL")),
    )
