"""Composition of the pipeline for `run`, `poll --once` and the demo: the real matcher, extractor
(with the config's extra aliases) and change decisions, the silent baseline, and opening the
database with the config synced into it.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from datetime import datetime
from functools import partial
from typing import Any

from bot.config import Config, load_config
from bot.settings import Settings
from storage.records import Story
from storage.store import Store
from watchers.actors import default_table
from watchers.baseline import baseline_story
from watchers.clock import Clock
from watchers.pipeline import AliasRecord, StageRecipe, Stages


def alias_records(aliases: Mapping[str, tuple[str, ...]]) -> tuple[AliasRecord, ...]:
    """The config's `[aliases]` table as alias-table records (a known state stays a state)."""
    states = default_table().states
    return tuple(
        AliasRecord(name, tuple(names), "state" if name in states else "body")
        for name, names in aliases.items()
    )


def pipeline_stages(config: Config | None = None) -> Stages:
    """The matcher, extractor (with the config's aliases) and decider every entry goes through;
    built from a recipe a parse worker can rebuild them from."""
    return StageRecipe(alias_records(config.aliases) if config else ()).build()


def baseline_for(stages: Stages) -> partial[Any]:
    """`baseline(store, story, now)`: take a new or re-keyed story's stored facts silently."""
    return partial(_baseline, stages)


def _baseline(stages: Stages, store: Store, story: Story, now: datetime) -> Any:
    return baseline_story(store, story, stages.match, stages.extract, now)


def open_synced_store(settings: Settings, clock: Clock) -> tuple[Store, Config | None]:
    """Open the database and sync the config into it; stories the sync created or re-keyed are
    baselined silently, so only facts seen from now on alert."""
    config = None if settings.config_path is None else load_config(settings.config_path)
    store = Store.open(settings.db_path)
    if config is not None:
        report = store.sync_config(config.feeds, config.stories, clock.now())
        for reason in report.skipped:
            print(f"storywatch: config item skipped: {reason}", file=sys.stderr)
        stages = pipeline_stages(config)
        for story_id in report.rekeyed:
            _baseline(stages, store, store.story_by_id(story_id), clock.now())
    return store, config
