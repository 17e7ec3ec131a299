"""Delivery benchmarks: one alert fanned out to 1,000 chats against the fake Bot API enforcing
30 messages/s overall (real time; the floor is 33.3 s), and the transaction that enqueues the
1,000 outbox rows."""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from telegram import Bot

from bot.channels import TelegramChannel
from bot.sender import Sender
from storage.records import Facts, Figure
from tests.fakes.bot_api import FakeBotAPI
from tests.outbox_world import World
from watchers.changes import decide_changes

CHATS = 1000
FLOOR_S = CHATS / 30


def now() -> datetime:
    return datetime.now(UTC)


def subscribed_world(path: Path) -> World:
    world = World.build(path, outlets=1)
    for chat in range(1, CHATS + 1):
        world.follow(chat)
    return world


def enqueue_ms(world: World, value: int) -> float:
    entry = world.entry(f"bench{value}", hours=value)
    facts = Facts((Figure("killed", value, claimant="Russia", sentence=f"{value} killed."),))
    started = time.perf_counter()
    result = world.store.commit_entry(entry, [(world.story, facts)], decide_changes, now())
    elapsed = (time.perf_counter() - started) * 1000
    assert result.outbox_rows == CHATS
    return elapsed


async def fan_out(world: World, api: FakeBotAPI) -> tuple[float, Sender]:
    async with Bot(api.token, base_url=api.base_url) as bot:
        sender = Sender(world.store, TelegramChannel(bot), now, asyncio.sleep)
        started = time.perf_counter()
        while world.store.unsent_count() > len(world.store.failed_outbox()):
            await sender.drain()
            await asyncio.sleep(0.01)  # only after a 429 deferred a row: wait for it
        return time.perf_counter() - started, sender


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        world = subscribed_world(Path(tmp) / "bench.db")
        timings = [enqueue_ms(world, value) for value in range(1, 8)]
        print(
            f"enqueue 1,000 outbox rows in one transaction: median {statistics.median(timings):.1f}"
            f" ms, max {max(timings):.1f} ms over {len(timings)} entries (target < 50 ms)"
        )
    with tempfile.TemporaryDirectory() as tmp:
        world = subscribed_world(Path(tmp) / "bench.db")
        enqueue_ms(world, 1)
        api = FakeBotAPI()
        api.rate_limit(30, 1.0)
        with api.threaded():
            elapsed, sender = asyncio.run(fan_out(world, api))
            sent = api.sent()
        copies = Counter(message.chat_id for message in sent)
        duplicates = sum(n - 1 for n in copies.values())
        rejected = sum(1 for call in api.calls("sendMessage") if call.status == 429)
        print(
            f"fan-out to {CHATS:,} chats at 30 msg/s: {elapsed:.2f} s "
            f"({elapsed / FLOOR_S * 100 - 100:+.1f}% over the {FLOOR_S:.1f} s floor); "
            f"delivered {len(copies)}, failed rows {len(world.store.failed_outbox())}, "
            f"unsent {world.store.unsent_count()}, duplicates {duplicates}, 429s {rejected}, "
            f"retries {sender.stats.retried}"
        )
