"""`storywatch poll --once [--send]`: one tick with the real fetcher, then a summary.

The pipeline's stages are the ones `pipeline_stages()` returns; `--send` drains the outbox once
the delivery issue's sender exists, and until then says how many alerts wait.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import TextIO

from bot.config import Config
from storage.records import Change, Entry, Facts, StoryFacts
from storage.store import Store
from watchers.clock import Clock
from watchers.extract import extract_facts
from watchers.match import Matcher
from watchers.pipeline import Stages
from watchers.tick import Poller, PollSettings


def _no_changes(known: StoryFacts, facts: Facts, entry: Entry) -> list[Change]:
    return []


def pipeline_stages() -> Stages:
    """The matcher, extractor and decider `poll` and `run` use.

    Until change decisions (issue 6) are merged, matched entries and their facts are stored
    but decide no change, so no alert is queued; the lead swaps the real decider in here.
    """
    return Stages(match=Matcher(), extract=extract_facts, decide=_no_changes)


def build_poller(store: Store, config: Config | None, parse_workers: int = 0) -> Poller:
    """The poller for `store`, with the config's limits, interval and admins (or defaults)."""
    settings = (
        PollSettings(parse_workers=parse_workers)
        if config is None
        else PollSettings.from_limits(
            config.limits, config.poll_interval_s, config.admin_ids, parse_workers
        )
    )
    return Poller(store, pipeline_stages(), settings)


async def _tick_once(poller: Poller, now: datetime) -> str:
    try:
        return (await poller.tick(now)).summary()
    finally:
        await poller.close()


def poll_once(store: Store, config: Config | None, clock: Clock, out: TextIO, send: bool) -> int:
    """Run one tick at the clock's time, print its summary and the alerts waiting; exit 0."""
    poller = build_poller(store, config)
    print(asyncio.run(_tick_once(poller, clock.now())), file=out)
    waiting = store.waiting_outbox_rows()
    if send:
        print(f"{waiting} messages wait; sending is not built yet (delivery issue)", file=out)
    else:
        print(f"{waiting} messages wait in the outbox (send them with --send)", file=out)
    return 0
