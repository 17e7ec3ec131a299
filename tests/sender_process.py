"""A sender process for the crash-safety test: drains DB's outbox into the Bot API at URL with
limits fast enough that pacing never dominates, and exits 0 once nothing is left to send.

Usage: python -m tests.sender_process DB BASE_URL TOKEN
"""

from __future__ import annotations

import asyncio
import sys
from datetime import UTC, datetime

from telegram import Bot

from bot.channels import TelegramChannel
from bot.sender import Limits, Sender
from storage.store import Store

FAST = Limits(overall_per_second=2000, private_interval_s=0.001, group_interval_s=0.001)


def now() -> datetime:
    return datetime.now(UTC)


async def main(db: str, base_url: str, token: str) -> int:
    store = Store.open(db)
    async with Bot(token, base_url=base_url) as bot:
        sender = Sender(store, TelegramChannel(bot), now, asyncio.sleep, FAST)
        while store.unsent_count():
            await sender.drain()
            await asyncio.sleep(0.005)  # real time: this process is the system under test
    return 0


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main(*sys.argv[1:4])))
