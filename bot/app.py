"""The composition root (I/O): builds the Telegram `Application` and runs `storywatch run`.

One asyncio loop holds long polling for chat updates, the poll tick on PTB's job queue (every
second; the tick itself decides which feeds are due) and the outbox sender task. SIGTERM and
SIGINT stop it gracefully: no new tick starts, a tick in flight is cancelled (its fetches hold
no transaction: the store never awaits inside one), the sender drains its current message, and
the process exits 0.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import signal
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from telegram import BotCommand, BotCommandScopeDefault
from telegram.error import TelegramError
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder, ContextTypes

from bot import handlers
from bot.channels import TelegramChannel
from bot.config import Config
from bot.permissions import ChatAdminCache
from bot.poll import build_poller
from bot.sender import Sender as OutboxSender
from bot.services import SERVICES_KEY, Baseline, ChatServices
from bot.settings import Settings
from bot.views import COMMANDS
from bot.wiring import baseline_for, open_synced_store, pipeline_stages
from storage.store import Store
from watchers.clock import Clock

log = logging.getLogger(__name__)

TICK_INTERVAL_S = 1.0
SENDER_STOP_GRACE_S = 5.0
SENDER_RESTART_CAP_S = 60.0
RUNTIME_KEY = "runtime"


class Poller(Protocol):
    """The watchers' poll loop body: polls what is due at `now`."""

    async def tick(self, now: datetime) -> object: ...

    def close(self) -> object: ...


class Sender(Protocol):
    """The outbox sender: `run(stop=...)` drains the outbox until `stop()` returns True."""

    async def run(self, idle_s: float = ..., stop: Callable[[], bool] = ...) -> None: ...


@dataclass(slots=True)
class Runtime:
    """The background work beside the chat handlers, and how it stops."""

    clock: Clock
    poller: Poller | None = None
    sender: Sender | None = None
    stopping: bool = False
    tick_task: asyncio.Task[object] | None = None
    sender_task: asyncio.Task[None] | None = None
    signals: list[int] = field(default_factory=list)

    async def tick_job(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        """The job queue's callback: one tick, never two at once, none once stopping."""
        if self.stopping or self.poller is None:
            return
        if self.tick_task is not None and not self.tick_task.done():
            return
        self.tick_task = asyncio.create_task(self.poller.tick(self.clock.now()))
        try:
            await self.tick_task
        except asyncio.CancelledError:
            if not self.stopping:
                raise

    def start_sender(self) -> None:
        if self.sender is not None:
            # Not application.create_task: Application.stop() waits for those forever.
            self.sender_task = asyncio.create_task(self.keep_sending(self.sender))

    async def keep_sending(self, sender: Sender) -> None:
        """Run the sender until stopping. A crash (a database error, a rejected token) is
        logged and the sender started again after a capped pause: a dead sender task would
        leave every alert waiting while the bot looks alive."""
        failures = 0
        while not self.stopping:
            try:
                await sender.run(stop=self.is_stopping)
            except Exception:
                failures += 1
                pause = min(SENDER_RESTART_CAP_S, 2.0**failures)
                log.exception("the outbox sender failed; starting it again in %.0f s", pause)
                await self.clock.sleep(pause)

    def is_stopping(self) -> bool:
        return self.stopping

    async def stop_sender(self) -> None:
        """Ask the sender to stop, wait up to 5 s for it, then cancel it."""
        self.stopping = True
        if self.sender_task is None:
            return
        try:
            await asyncio.wait_for(asyncio.shield(self.sender_task), SENDER_STOP_GRACE_S)
        except TimeoutError:
            self.sender_task.cancel()
            await asyncio.gather(self.sender_task, return_exceptions=True)

    def begin_stopping(self, application: Application[Any, Any, Any, Any, Any, Any]) -> None:
        """The signal handler: start nothing new, cancel the tick in flight, stop the loop."""
        if self.stopping:
            return
        log.info("stopping")
        self.stopping = True
        if self.tick_task is not None and not self.tick_task.done():
            self.tick_task.cancel()
        if application.running:
            application.stop_running()
        else:
            # Still starting (e.g. retrying an unreachable Telegram): leave run_polling now.
            raise SystemExit(0)

    async def close_poller(self) -> None:
        if self.tick_task is not None:
            await asyncio.gather(self.tick_task, return_exceptions=True)
        if self.poller is not None:
            closing = self.poller.close()
            if inspect.isawaitable(closing):
                await closing


def build_application(
    settings: Settings,
    store: Store,
    clock: Clock,
    config: Config | None = None,
    *,
    baseline: Baseline | None = None,
    rate_limit: bool = True,
) -> Application[Any, Any, Any, Any, Any, Any]:
    """The `Application` with every handler and the chat services in `bot_data`; `baseline`
    defaults to the real silent baseline with the config's stages."""
    if settings.token is None:
        raise ValueError("a bot token is needed to build the Telegram application")
    builder = ApplicationBuilder().token(settings.token).base_url(settings.api_url)
    if rate_limit:
        builder = builder.rate_limiter(AIORateLimiter(max_retries=3))
    application = builder.build()
    bot = application.bot

    async def member_status(chat_id: int, user_id: int) -> str:
        member = await bot.get_chat_member(chat_id, user_id)
        return str(member.status)

    config = config or Config()
    application.bot_data[SERVICES_KEY] = ChatServices(
        store=store,
        clock=clock,
        admin_cache=ChatAdminCache(member_status, clock.now),
        baseline=baseline or baseline_for(pipeline_stages(config)),
        limits=config.limits,
        admin_ids=config.admin_ids,
    )
    handlers.register(application)
    return application


async def publish_commands(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """setMyCommands, so Telegram's menu lists the commands everyone may use."""
    await application.bot.set_my_commands(
        [BotCommand(name, description) for name, description, _ in COMMANDS],
        scope=BotCommandScopeDefault(),
    )


def run_bot(
    settings: Settings,
    store: Store,
    clock: Clock,
    config: Config | None = None,
    *,
    poller: Poller | None = None,
    sender_factory: Callable[[Any], Sender] | None = None,
    baseline: Baseline | None = None,
) -> int:
    """Run the bot until SIGTERM or SIGINT; returns the exit status (0 on a clean stop)."""
    application = build_application(settings, store, clock, config, baseline=baseline)
    runtime = Runtime(clock=clock, poller=poller)
    application.bot_data[RUNTIME_KEY] = runtime

    async def post_init(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
        try:
            await publish_commands(app)
        except TelegramError as error:
            # The menu is a convenience; a bot that answers without it beats one that exits.
            log.warning("could not publish the command menu (setMyCommands): %s", error)
        if sender_factory is not None:
            runtime.sender = sender_factory(app.bot)
        runtime.start_sender()
        assert app.job_queue is not None
        app.job_queue.run_repeating(
            runtime.tick_job,
            interval=TICK_INTERVAL_S,
            first=0,
            name="tick",
            job_kwargs={"max_instances": 2, "coalesce": True},
        )

    async def post_stop(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
        await runtime.stop_sender()
        await runtime.close_poller()

    application.post_init = post_init
    application.post_stop = post_stop
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, runtime.begin_stopping, application)
    log.info("connecting to the Telegram Bot API at %s", settings.api_url)
    try:
        application.run_polling(
            bootstrap_retries=-1,
            stop_signals=None,
            drop_pending_updates=False,
            allowed_updates=["message", "channel_post", "callback_query", "my_chat_member"],
        )
    except SystemExit as leaving:
        return int(leaving.code or 0)
    return 0


def run(settings: Settings, clock: Clock) -> int:
    """`storywatch run`: sync the config, then run the bot until a signal; the exit status."""
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    # httpx logs every long-poll request and APScheduler every tick at INFO.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    store, config = open_synced_store(settings, clock)
    stages = pipeline_stages(config)
    poller = build_poller(store, config, stages, parse_workers=1)
    poller.spread_start(clock.now())
    try:
        return run_bot(
            settings,
            store,
            clock,
            config,
            poller=poller,
            sender_factory=lambda bot: OutboxSender(
                store, TelegramChannel(bot), clock.now, clock.sleep
            ),
            baseline=baseline_for(stages),
        )
    finally:
        store.close()
