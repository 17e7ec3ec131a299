"""`storywatch poll --once [--send]`: one tick with the real fetcher and pipeline, a summary,
and with `--send` (and a token) the waiting messages delivered through Telegram.
"""

from __future__ import annotations

import asyncio
import sys
from datetime import datetime
from typing import TextIO

from telegram import Bot
from telegram.error import InvalidToken, NetworkError

from bot.channels import TelegramChannel
from bot.config import Config
from bot.sender import Sender
from bot.settings import Settings
from bot.wiring import pipeline_stages
from storage.store import Store
from watchers.clock import Clock
from watchers.pipeline import Stages
from watchers.tick import Poller, PollSettings


def build_poller(
    store: Store, config: Config | None, stages: Stages | None = None, parse_workers: int = 0
) -> Poller:
    """The poller for `store`, with the config's limits, interval and admins (or defaults)."""
    settings = (
        PollSettings(parse_workers=parse_workers)
        if config is None
        else PollSettings.from_limits(
            config.limits, config.poll_interval_s, config.admin_ids, parse_workers
        )
    )
    return Poller(store, stages or pipeline_stages(config), settings)


async def _tick_once(poller: Poller, now: datetime) -> str:
    try:
        return (await poller.tick(now)).summary()
    finally:
        await poller.close()


async def send_waiting(store: Store, settings: Settings, clock: Clock) -> int:
    """Deliver every message that is due through Telegram; the number sent."""
    async with Bot(token=settings.token or "", base_url=settings.api_url) as bot:
        sender = Sender(store, TelegramChannel(bot), clock.now, clock.sleep)
        return await sender.drain()


NO_SEND_TOKEN = (
    "storywatch poll --send needs a Telegram bot token in TELEGRAM_BOT_TOKEN to deliver "
    "messages;\nwithout --send, the alerts wait in the outbox for `storywatch run`.\n"
)


def poll_once(
    store: Store,
    config: Config | None,
    settings: Settings,
    clock: Clock,
    out: TextIO,
    send: bool,
    err: TextIO | None = None,
) -> int:
    """Run one tick at the clock's time and print its summary; with `send`, deliver what waits.

    Returns 0, or 2 when Telegram rejects the token or cannot be reached (the alerts stay in
    the outbox). The caller refuses `send` without a token (`NO_SEND_TOKEN`) before opening the
    database; asked anyway, this raises ValueError.
    """
    if send and settings.token is None:
        raise ValueError(NO_SEND_TOKEN)
    err = err or sys.stderr
    poller = build_poller(store, config)
    print(asyncio.run(_tick_once(poller, clock.now())), file=out)
    if send:
        try:
            sent = asyncio.run(send_waiting(store, settings, clock))
        except InvalidToken:
            print(
                "storywatch: Telegram rejected the bot token in TELEGRAM_BOT_TOKEN; "
                f"{store.waiting_outbox_rows()} messages still wait in the outbox",
                file=err,
            )
            return 2
        except NetworkError as error:
            print(
                f"storywatch: cannot reach the Telegram Bot API at {settings.api_url} ({error}); "
                f"{store.waiting_outbox_rows()} messages still wait in the outbox",
                file=err,
            )
            return 2
        print(
            f"sent {sent} message{'' if sent == 1 else 's'}; "
            f"{store.waiting_outbox_rows()} still wait",
            file=out,
        )
    else:
        waiting = store.waiting_outbox_rows()
        print(f"{waiting} messages wait in the outbox (send them with --send)", file=out)
    return 0
