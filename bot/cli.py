"""The `storywatch` command line: argument parsing and the administrative subcommands.

`--db` and `--config` are accepted before or after the subcommand. `extract`, `--version` and
`--help` open no database.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import timedelta
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TextIO
from urllib.parse import urlsplit

from bot.config import ConfigError
from bot.opml import OpmlError, OpmlFeed, read_opml, write_opml
from bot.poll import NO_SEND_TOKEN, poll_once
from bot.replay import TimelineError
from bot.settings import Settings, resolve_settings
from bot.slugs import is_valid_slug, unique_slug
from bot.wiring import open_synced_store
from storage.core import Conflict, StorageError
from storage.records import Feed, Story
from storage.store import Store
from watchers.clock import Clock, SystemClock
from watchers.extract_cli import run_extract

HEARTBEAT_MAX_AGE = timedelta(minutes=5)
NO_TOKEN = """storywatch run needs a Telegram bot token in TELEGRAM_BOT_TOKEN.

Get one from @BotFather in Telegram (send /newbot, pick a name), then:
    export TELEGRAM_BOT_TOKEN=123456:ABC...
    storywatch run --config storywatch.toml

To see what storywatch does without a token, run: storywatch demo
"""


class CommandError(Exception):
    """A subcommand cannot do what was asked; the message is for the user, exit status 2."""


def package_version() -> str:
    try:
        return version("storywatch")
    except PackageNotFoundError:
        return "unknown"


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db", default=argparse.SUPPRESS, help="SQLite database (default ./storywatch.db)"
    )
    common.add_argument("--config", default=argparse.SUPPRESS, help="TOML config file")

    parser = argparse.ArgumentParser(
        prog="storywatch",
        description="Follow developing news stories; alert on new figures and positions.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"storywatch {package_version()}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    commands.add_parser("run", parents=[common], help="run the Telegram bot")
    demo = commands.add_parser(
        "demo", parents=[common], help="replay a bundled story offline and print the alerts"
    )
    demo.add_argument("--timeline", help="replay this timeline JSON instead of the bundled one")
    demo.add_argument("--speed", type=float, default=0.0, help="seconds to pause between steps")
    demo.add_argument("--steps", type=int, default=None, help="stop after this many steps")
    commands.add_parser("extract", parents=[common], help="extract facts from JSON lines on stdin")
    poll = commands.add_parser("poll", parents=[common], help="poll the due feeds")
    poll.add_argument("--once", action="store_true", required=True, help="one tick, then exit")
    poll.add_argument("--send", action="store_true", help="also deliver waiting alerts")
    commands.add_parser(
        "health", parents=[common], help="exit 0 if the database is current and ticking"
    )

    feeds = commands.add_parser("feeds", parents=[common], help="manage feeds")
    feed_commands = feeds.add_subparsers(dest="feeds_command", metavar="ACTION", required=True)
    add = feed_commands.add_parser("add", parents=[common], help="add a feed")
    add.add_argument("url")
    add.add_argument("--title")
    add.add_argument("--interval", type=int, help="poll interval in seconds")
    add.add_argument(
        "--allow-private", action="store_true", help="allow a private or loopback address"
    )
    feed_commands.add_parser("list", parents=[common], help="list feeds and their health")
    for action, text in (("remove", "delete"), ("enable", "enable"), ("disable", "disable")):
        sub = feed_commands.add_parser(action, parents=[common], help=f"{text} a feed")
        sub.add_argument("feed", help="the feed's URL or id")
    imp = feed_commands.add_parser("import-opml", parents=[common], help="add feeds from OPML")
    imp.add_argument("file")
    exp = feed_commands.add_parser("export-opml", parents=[common], help="write feeds as OPML")
    exp.add_argument("file", nargs="?", help="output file (default: standard output)")

    stories = commands.add_parser("stories", parents=[common], help="manage stories")
    story_commands = stories.add_subparsers(dest="stories_command", metavar="ACTION", required=True)
    sadd = story_commands.add_parser("add", parents=[common], help="track a new story")
    sadd.add_argument("title")
    sadd.add_argument(
        "keywords",
        nargs="+",
        help="keywords; each argument is one keyword, a phrase may hold spaces",
    )
    sadd.add_argument("--slug", help="the slug (default: derived from the title)")
    story_commands.add_parser("list", parents=[common], help="list stories")
    srm = story_commands.add_parser("remove", parents=[common], help="stop tracking a story")
    srm.add_argument("slug")
    skw = story_commands.add_parser(
        "keywords", parents=[common], help="show or change a story's keywords"
    )
    skw.add_argument("slug")
    skw.add_argument("--add", nargs="+", default=[], metavar="TERM")
    skw.add_argument("--remove", nargs="+", default=[], metavar="TERM")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    settings = resolve_settings(getattr(args, "db", None), getattr(args, "config", None))
    try:
        return dispatch(args, settings, SystemClock(), sys.stdout)
    except (CommandError, ConfigError, StorageError, OpmlError, TimelineError) as error:
        print(f"storywatch: {error}", file=sys.stderr)
        return 2


def dispatch(args: argparse.Namespace, settings: Settings, clock: Clock, out: TextIO) -> int:
    command = args.command
    if command == "run":
        if settings.token is None:
            print(NO_TOKEN, file=sys.stderr, end="")
            return 2
        from bot.app import run

        return run(settings, clock)
    if command == "demo":
        from bot.demo import run_demo

        # The demo never uses STORYWATCH_DB: a temporary database unless --db is given.
        return run_demo(
            out,
            timeline_path=args.timeline,
            db_path=getattr(args, "db", None),
            speed=args.speed,
            steps=args.steps,
        )
    if command == "extract":
        return run_extract(sys.stdin, out, sys.stderr)
    if command == "poll":
        if args.send and settings.token is None:
            print(NO_SEND_TOKEN, file=sys.stderr, end="")
            return 2
        store, config = open_synced_store(settings, clock)
        with store:
            return poll_once(store, config, settings, clock, out, send=args.send)
    if command == "health":
        return health(settings, clock, out)
    if command == "feeds":
        with Store.open(settings.db_path) as store:
            return feeds_command(args, store, clock, out)
    if command == "stories":
        with Store.open(settings.db_path) as store:
            return stories_command(args, store, clock, out)
    raise CommandError(f"unknown command {command}")


def health(settings: Settings, clock: Clock, out: TextIO) -> int:
    """0 when the database opens, its schema is current and a tick ran in the last 5 minutes."""
    if not Path(settings.db_path).exists():
        print(f"unhealthy: no database at {settings.db_path}", file=out)
        return 1
    try:
        with Store.open(settings.db_path, migrate=False) as store:
            current = store.schema_current()
            beat = store.heartbeat()
    except StorageError as error:
        print(f"unhealthy: {error}", file=out)
        return 1
    if not current:
        print("unhealthy: the database schema is not current (run storywatch once)", file=out)
        return 1
    if beat is None:
        print("unhealthy: no poll has run yet", file=out)
        return 1
    age = clock.now() - beat
    if age > HEARTBEAT_MAX_AGE:
        print(f"unhealthy: last poll {int(age.total_seconds())} s ago", file=out)
        return 1
    print(f"healthy: last poll {int(age.total_seconds())} s ago", file=out)
    return 0


def _require_http(url: str) -> str:
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise CommandError(f"{url!r} is not an http or https URL")
    return url.strip()


def _feed(store: Store, url_or_id: str) -> Feed:
    feed = store.find_feed(url_or_id)
    if feed is None:
        raise CommandError(f"no feed {url_or_id!r} (see: storywatch feeds list)")
    return feed


def feeds_command(args: argparse.Namespace, store: Store, clock: Clock, out: TextIO) -> int:
    action = args.feeds_command
    now = clock.now()
    if action == "add":
        if args.interval is not None and args.interval < 1:
            raise CommandError("--interval must be at least 1 second")
        feed = Feed(
            url=_require_http(args.url),
            title=args.title,
            source="cli",
            interval_s=args.interval,
            allow_private=args.allow_private,
        )
        try:
            stored = store.add_feed(feed, now)
        except Conflict as error:
            raise CommandError(str(error)) from None
        print(f"added feed {stored.id}: {stored.url}", file=out)
        return 0
    if action == "list":
        for feed in store.list_feeds():
            state = "enabled" if feed.enabled else f"disabled ({feed.disabled_reason or 'by hand'})"
            polled = (
                feed.last_polled_at.strftime("%Y-%m-%d %H:%M UTC")
                if feed.last_polled_at
                else "never"
            )
            status = feed.last_status if feed.last_status is not None else "-"
            line = "\t".join(
                (str(feed.id), feed.url, feed.title or "", state, f"last poll {polled}")
            )
            line += f"\tstatus {status}"
            if feed.failures:
                line += f"\t{feed.failures} failures: {feed.last_error or ''}"
            print(line, file=out)
        return 0
    if action in ("remove", "enable", "disable"):
        feed = _feed(store, args.feed)
        assert feed.id is not None
        if action == "remove":
            store.remove_feed(feed.id)
            print(f"removed feed {feed.id}: {feed.url}", file=out)
        else:
            store.set_feed_enabled(feed.id, action == "enable", "disabled by hand")
            print(f"{action}d feed {feed.id}: {feed.url}", file=out)
        return 0
    if action == "import-opml":
        try:
            data = Path(args.file).read_bytes()
        except OSError as error:
            raise CommandError(f"cannot read {args.file}: {error.strerror}") from None
        found, skipped = read_opml(data)
        added = 0
        for item in found:
            if store.find_feed(item.url) is not None:
                skipped.append(f"{item.url}: already added")
                continue
            store.add_feed(Feed(url=item.url, title=item.title, source="cli"), now)
            added += 1
        for reason in skipped:
            print(f"skipped {reason}", file=out)
        print(f"imported {added} feeds from {args.file}", file=out)
        return 0
    if action == "export-opml":
        document = write_opml(OpmlFeed(url=f.url, title=f.title) for f in store.list_feeds())
        if args.file:
            Path(args.file).write_bytes(document)
        else:
            out.write(document.decode("utf-8"))
        return 0
    raise CommandError(f"unknown feeds action {action}")


def stories_command(args: argparse.Namespace, store: Store, clock: Clock, out: TextIO) -> int:
    action = args.stories_command
    if action == "add":
        keywords = tuple(k.strip() for k in args.keywords if k.strip())
        if not keywords:
            raise CommandError("a story needs at least one keyword")
        if args.slug is not None and not is_valid_slug(args.slug):
            raise CommandError(
                f"{args.slug!r} is not a slug: lower-case ASCII letters, digits and hyphens, "
                "at most 40 characters"
            )
        slug = args.slug or unique_slug(args.title, store.slug_taken)
        try:
            story = store.add_story(
                Story(slug=slug, title=args.title.strip(), keywords=keywords, source="cli"),
                clock.now(),
            )
        except Conflict as error:
            raise CommandError(str(error)) from None
        print(f"tracking {story.slug}: {story.title} ({', '.join(story.keywords)})", file=out)
        return 0
    if action == "list":
        for story in store.list_stories():
            state = "" if story.enabled else "\t(disabled)"
            print(f"{story.slug}\t{story.title}\t{', '.join(story.keywords)}{state}", file=out)
        return 0
    story = store.find_story(args.slug)
    if story is None or story.id is None:
        raise CommandError(f"no story {args.slug!r} (see: storywatch stories list)")
    if action == "remove":
        store.set_story_enabled(story.id, False)
        print(f"stopped tracking {story.slug}; its history is kept", file=out)
        return 0
    if action == "keywords":
        if args.add:
            story = store.add_keywords(story.id, args.add)
        if args.remove:
            missing = [k for k in args.remove if k not in story.keywords]
            if missing:
                raise CommandError(f"{story.slug} has no keyword {', '.join(map(repr, missing))}")
            story = store.remove_keywords(story.id, args.remove)
        print("\n".join(story.keywords), file=out)
        return 0
    raise CommandError(f"unknown stories action {action}")


if __name__ == "__main__":
    raise SystemExit(main())
