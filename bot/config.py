"""The TOML configuration file: read once, validated strictly, turned into records and limits.

A bad file raises `ConfigError` naming the file, the key and what is wrong; the CLI turns that
into exit status 2.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bot.slugs import MAX_SLUG_LENGTH, is_valid_slug, slugify
from storage.records import Feed, Story

DEFAULT_POLL_INTERVAL_S = 300


class ConfigError(Exception):
    """The config file cannot be used; the message says where and why."""


@dataclass(frozen=True, slots=True)
class Limits:
    """Tunable limits; every one can be set in the config's `[limits]` table."""

    max_per_tick: int = 50
    fetch_timeout_s: float = 30.0
    max_body_bytes: int = 10_000_000
    concurrency: int = 20
    per_host: int = 2
    retention_days: int = 30
    disable_after_days: int = 14
    max_followed: int = 20
    max_owned: int = 10
    max_keywords: int = 50
    max_keyword_length: int = 100
    fast_parser: bool = False
    """Parse with the accelerated parser (the `fast` extra) the feeds its gate approved."""


@dataclass(frozen=True, slots=True)
class Config:
    """Everything the config file says, as records and plain values."""

    feeds: tuple[Feed, ...] = ()
    stories: tuple[Story, ...] = ()
    poll_interval_s: int = DEFAULT_POLL_INTERVAL_S
    admin_ids: frozenset[int] = frozenset()
    limits: Limits = field(default_factory=Limits)
    aliases: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    path: str | None = None


_TOP_KEYS = {"poll_interval", "admins", "feeds", "stories", "limits", "aliases"}
_FEED_KEYS = {"url", "title", "interval", "allow_private"}
_STORY_KEYS = {"title", "keywords", "slug"}


def load_config(path: str | Path) -> Config:
    """Read and validate the config at `path`; raises ConfigError."""
    where = str(path)
    try:
        with open(path, "rb") as file:
            data = tomllib.load(file)
    except FileNotFoundError:
        raise ConfigError(f"config file {where} does not exist") from None
    except OSError as error:
        raise ConfigError(f"config file {where} cannot be read: {error.strerror}") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"config file {where} is not valid TOML: {error}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"config file {where} is not UTF-8 text") from None
    return parse_config(data, where)


def parse_config(data: Mapping[str, Any], where: str = "<config>") -> Config:
    """Validate already-parsed TOML; raises ConfigError."""
    reader = _Reader(where)
    reader.no_unknown_keys(data, _TOP_KEYS, "")
    poll_interval = reader.positive_int(data, "poll_interval", "", DEFAULT_POLL_INTERVAL_S)
    admins = data.get("admins", [])
    if not isinstance(admins, list) or not all(
        isinstance(a, int) and not isinstance(a, bool) for a in admins
    ):
        reader.fail("admins", "must be a list of Telegram user ids (integers)")
    feeds = tuple(
        reader.feed(item, f"feeds[{index}]")
        for index, item in enumerate(reader.tables(data, "feeds"))
    )
    urls = [feed.url for feed in feeds]
    for index, url in enumerate(urls):
        if url in urls[:index]:
            reader.fail(f"feeds[{index}].url", f"{url} is listed twice")
    stories = tuple(
        reader.story(item, f"stories[{index}]")
        for index, item in enumerate(reader.tables(data, "stories"))
    )
    slugs = [story.slug for story in stories]
    for index, slug in enumerate(slugs):
        if slug in slugs[:index]:
            reader.fail(f"stories[{index}].slug", f"the slug {slug!r} is used twice")
    return Config(
        feeds=feeds,
        stories=stories,
        poll_interval_s=poll_interval,
        admin_ids=frozenset(admins),
        limits=reader.limits(data.get("limits", {})),
        aliases=reader.aliases(data.get("aliases", {})),
        path=where,
    )


class _Reader:
    """Validation helpers that know which file they read, so every error names it."""

    def __init__(self, where: str) -> None:
        self.where = where

    def fail(self, key: str, problem: str) -> None:
        raise ConfigError(f"config file {self.where}: {key}: {problem}")

    def no_unknown_keys(self, table: Mapping[str, Any], known: set[str], prefix: str) -> None:
        for key in table:
            if key not in known:
                allowed = ", ".join(sorted(known))
                self.fail(f"{prefix}{key}", f"unknown key (allowed here: {allowed})")

    def tables(self, data: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            self.fail(key, f"must be an array of tables ([[{key}]])")
        return list(value)

    def positive_int(self, table: Mapping[str, Any], key: str, prefix: str, default: int) -> int:
        value = table.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            self.fail(f"{prefix}{key}", f"must be a positive integer of seconds, got {value!r}")
        return int(value)

    def text(self, table: Mapping[str, Any], key: str, prefix: str, required: bool) -> str | None:
        value = table.get(key)
        if value is None:
            if required:
                self.fail(f"{prefix}{key}", "is required")
            return None
        if not isinstance(value, str) or not value.strip():
            self.fail(f"{prefix}{key}", f"must be a non-empty string, got {value!r}")
        return str(value).strip()

    def feed(self, table: Mapping[str, Any], prefix: str) -> Feed:
        self.no_unknown_keys(table, _FEED_KEYS, f"{prefix}.")
        url = self.text(table, "url", f"{prefix}.", required=True) or ""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            self.fail(f"{prefix}.url", f"must be an http or https URL, got {url!r}")
        allow_private = table.get("allow_private", False)
        if not isinstance(allow_private, bool):
            self.fail(f"{prefix}.allow_private", f"must be true or false, got {allow_private!r}")
        interval = (
            self.positive_int(table, "interval", f"{prefix}.", 1) if "interval" in table else None
        )
        return Feed(
            url=url,
            config_url=url,
            title=self.text(table, "title", f"{prefix}.", required=False),
            source="config",
            allow_private=allow_private,
            interval_s=interval,
        )

    def story(self, table: Mapping[str, Any], prefix: str) -> Story:
        self.no_unknown_keys(table, _STORY_KEYS, f"{prefix}.")
        title = self.text(table, "title", f"{prefix}.", required=True) or ""
        keywords = table.get("keywords")
        if isinstance(keywords, str):
            keywords = [item for item in keywords.split(",")]
        if (
            not isinstance(keywords, list)
            or not all(isinstance(k, str) for k in keywords)
            or not any(k.strip() for k in keywords)
        ):
            self.fail(
                f"{prefix}.keywords",
                "must be a list of keywords or one comma-separated string, with at least one",
            )
        slug = self.text(table, "slug", f"{prefix}.", required=False) or slugify(title)
        if not is_valid_slug(slug):
            self.fail(
                f"{prefix}.slug",
                f"{slug!r} is not a slug (lower-case ASCII letters, digits and single hyphens, "
                f"at most {MAX_SLUG_LENGTH} characters)",
            )
        return Story(
            slug=slug,
            title=title,
            keywords=tuple(k.strip() for k in keywords if k.strip()),
            source="config",
        )

    def limits(self, table: Any) -> Limits:
        if not isinstance(table, dict):
            self.fail("limits", "must be a table ([limits])")
        known = {f.name: f for f in fields(Limits)}
        self.no_unknown_keys(table, set(known), "limits.")
        values: dict[str, Any] = {}
        for key, value in table.items():
            expected = known[key].type
            if expected == "bool":
                if not isinstance(value, bool):
                    self.fail(f"limits.{key}", f"must be true or false, got {value!r}")
                values[key] = value
                continue
            number_ok = isinstance(value, int) or (expected == "float" and isinstance(value, float))
            if isinstance(value, bool) or not number_ok or value <= 0:
                self.fail(f"limits.{key}", f"must be a positive number, got {value!r}")
            values[key] = value
        return Limits(**values)

    def aliases(self, table: Any) -> dict[str, tuple[str, ...]]:
        if not isinstance(table, dict):
            self.fail("aliases", "must be a table mapping an actor's name to its aliases")
        result: dict[str, tuple[str, ...]] = {}
        for actor, names in table.items():
            if not isinstance(names, list) or not all(
                isinstance(n, str) and n.strip() for n in names
            ):
                self.fail(f"aliases.{actor}", "must be a list of non-empty strings")
            result[actor] = tuple(n.strip() for n in names)
        return result
