"""The chat commands and buttons (Telegram I/O): thin handlers that parse, ask the store, reply.

Every handler records the chat, checks who may do what (`bot/permissions.py`), parses with
`bot/arguments.py` and answers with `bot/views.py`. A refusal says why and what to do.
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from telegram import (
    CallbackQuery,
    LinkPreviewOptions,
    Message,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    filters,
)

from bot import views
from bot.arguments import (
    ArgumentError,
    find_story,
    parse_duration,
    parse_track,
    parse_watch,
    split_story_and_rest,
)
from bot.callbacks import SETTING_NAMES, decode
from bot.permissions import Sender, may_edit, may_see
from bot.services import SERVICES_KEY, ChatServices, services_of
from bot.slugs import unique_slug
from bot.views import USAGE, Reply, esc
from storage.core import Conflict
from storage.records import NO_THREAD, Feed, Story

log = logging.getLogger(__name__)

COMMAND_UPDATES = filters.UpdateType.MESSAGE | filters.UpdateType.CHANNEL_POST
"""PTB's default also re-runs edited messages and never sees channel posts."""

FAILURE_TEXT = "Something went wrong, it has been logged. Please try again later."
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


@dataclass(frozen=True, slots=True)
class Here:
    """Where a command came from: the chat, the forum topic, and who sent it."""

    chat_id: int
    thread_id: int
    sender: Sender
    message: Message | None

    @property
    def bot_admin(self) -> bool:
        return self.sender.bot_admin


def _chat_title(chat: Any) -> str | None:
    if chat.title:
        return str(chat.title)
    names = " ".join(part for part in (chat.first_name, chat.last_name) if part)
    return names or chat.username or None


def _where(update: Update, services: ChatServices, message: Message | None) -> Here:
    chat = update.effective_chat
    assert chat is not None
    user = update.effective_user
    if message is not None and update.callback_query is None:
        sender_chat = message.sender_chat
        as_chat_itself = sender_chat is not None and sender_chat.id == chat.id
    else:
        as_chat_itself = False
    user_id = None if (user is None or as_chat_itself) else user.id
    thread_id = (
        message.message_thread_id
        if message is not None and message.is_topic_message and message.message_thread_id
        else NO_THREAD
    )
    services.store.touch_chat(chat.id, chat.type, _chat_title(chat), services.clock.now())
    sender = Sender(
        chat_id=chat.id,
        chat_kind=chat.type,
        user_id=user_id,
        as_chat_itself=as_chat_itself,
        bot_admin=user is not None and user.id in services.admin_ids,
    )
    return Here(chat.id, thread_id, sender, message)


def _command_text(message: Message) -> str:
    """Everything after the command word, as typed (quotes and spacing kept)."""
    parts = (message.text or "").split(maxsplit=1)
    return parts[1].strip() if len(parts) > 1 else ""


async def _say(message: Message, reply: Reply) -> None:
    await message.reply_text(
        reply.text,
        parse_mode=ParseMode.HTML,
        reply_markup=reply.keyboard,
        link_preview_options=NO_PREVIEW,
    )


def _sentence(problem: Exception) -> str:
    text = str(problem)
    return text[:1].upper() + text[1:]


async def _usage(message: Message, command: str, problem: str | None = None) -> None:
    text = f"{esc(problem)}.\n" if problem else ""
    await _say(message, Reply(f"{text}Usage: {USAGE[command]}"))


async def _may_manage(services: ChatServices, here: Here) -> bool:
    return await services.admin_cache.may_manage(here.sender)


NOT_CHAT_ADMIN = (
    "Only this group's administrators can change what it follows. "
    "Ask an administrator to send the command."
)


def _start(
    update: Update, context: ContextTypes.DEFAULT_TYPE
) -> tuple[ChatServices, Here, Message]:
    services = services_of(context)
    message = update.effective_message
    assert message is not None
    return services, _where(update, services, message), message


def _visible(services: ChatServices, here: Here) -> list[Story]:
    return [
        story
        for story in services.store.list_stories(enabled=True)
        if may_see(story, here.chat_id, here.bot_admin)
    ]


async def _resolve(
    services: ChatServices, here: Here, message: Message, command: str, name: str
) -> Story | None:
    """The story `name` refers to, or None after answering with the closest matches."""
    if not name:
        await _usage(message, command, "Name a story")
        return None
    lookup = find_story(name, _visible(services, here))
    if lookup.story is None:
        await _say(message, views.render_candidates(name, command, lookup.candidates))
    return lookup.story


def _followed_here(services: ChatServices, here: Here) -> set[int]:
    return {
        sub.story_id
        for sub in services.store.subscriptions_for_chat(here.chat_id)
        if sub.thread_id == here.thread_id
    }


# -- everyone ---------------------------------------------------------------------------------


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    services, here, message = _start(update, context)
    chat = services.store.get_chat(here.chat_id)
    reactivated = not chat.active
    if reactivated:
        services.store.set_chat_active(here.chat_id, True)
    await _say(
        message,
        views.render_start(_visible(services, here), _followed_here(services, here), reactivated),
    )


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    _, here, message = _start(update, context)
    await _say(message, views.render_help(here.bot_admin))


def _stories_page(services: ChatServices, here: Here, page: int) -> Reply:
    stories = _visible(services, here)
    ids = [story.id or 0 for story in stories]
    start = min(max(page, 0), views.page_count(len(stories), views.STORIES_PER_PAGE) - 1)
    shown = stories[start * views.STORIES_PER_PAGE : (start + 1) * views.STORIES_PER_PAGE]
    figures = {
        story.id or 0: views.figures_line(services.store.story_facts(story.id or 0))
        for story in shown
    }
    return views.render_stories(
        stories, start, _followed_here(services, here), services.store.follower_counts(ids), figures
    )


async def stories(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    services, here, message = _start(update, context)
    await _say(message, _stories_page(services, here, 0))


def _status_reply(services: ChatServices, story: Story, heading: str | None = None) -> Reply:
    story_id = story.id or 0
    return views.render_status(
        story,
        services.store.story_facts(story_id),
        services.store.source_count(story_id),
        services.store.matched_entry_count(story_id),
        heading=heading,
    )


def _topic_note(here: Here) -> str:
    return " in this topic" if here.thread_id != NO_THREAD else ""


def _follow(services: ChatServices, here: Here, story: Story) -> Reply:
    """Subscribe this chat (topic) to `story`, within the followed-stories limit."""
    store = services.store
    story_id = story.id or 0
    existing = store.find_subscription(here.chat_id, story_id, here.thread_id)
    if existing is not None and existing.active:
        return Reply(
            f"This chat already follows <b>{esc(story.title)}</b>{_topic_note(here)}. "
            f"See it with <code>/status {esc(story.slug)}</code>."
        )
    limit = services.limits.max_followed
    if store.count_followed(here.chat_id) >= limit:
        return Reply(
            f"This chat already follows {limit} stories, the most it may. "
            "Unfollow one first (/stories shows them)."
        )
    store.subscribe(here.chat_id, story_id, services.clock.now(), here.thread_id)
    heading = (
        f"Following <b>{esc(story.title)}</b>: alerts will come here{_topic_note(here)} "
        "when a figure or an official position changes."
    )
    return _status_reply(services, story, heading)


def _unfollow(services: ChatServices, here: Here, story: Story) -> Reply:
    story_id = story.id or 0
    existing = services.store.find_subscription(here.chat_id, story_id, here.thread_id)
    if existing is None or not existing.active:
        return Reply(
            f"This chat does not follow <b>{esc(story.title)}</b>{_topic_note(here)}, "
            "so there is nothing to stop."
        )
    services.store.unsubscribe(here.chat_id, story_id, here.thread_id)
    return Reply(
        f"Stopped following <b>{esc(story.title)}</b>{_topic_note(here)}. "
        f"Follow it again with <code>/follow {esc(story.slug)}</code>."
    )


async def follow(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _subscription_command(update, context, "follow", _follow)


async def unfollow(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _subscription_command(update, context, "unfollow", _unfollow)


async def _subscription_command(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    command: str,
    act: Callable[[ChatServices, Here, Story], Reply],
) -> None:
    services, here, message = _start(update, context)
    if not await _manager_or_refused(services, here, message):
        return
    story = await _resolve(services, here, message, command, _command_text(message))
    if story is not None:
        await _say(message, act(services, here, story))


async def _manager_or_refused(services: ChatServices, here: Here, message: Message) -> bool:
    """Whether the sender may change this chat's subscriptions; if not, say so."""
    if await _may_manage(services, here):
        return True
    await _say(message, Reply(NOT_CHAT_ADMIN))
    return False


async def status(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    services, here, message = _start(update, context)
    story = await _resolve(services, here, message, "status", _command_text(message))
    if story is not None:
        await _say(message, _status_reply(services, story))


def _history_page(services: ChatServices, story: Story, page: int) -> Reply:
    per_page = views.HISTORY_PER_PAGE
    _, total = services.store.story_history(story.id or 0, 0, 0)
    page = min(max(page, 0), views.page_count(total, per_page) - 1)
    items, total = services.store.story_history(story.id or 0, page * per_page, per_page)
    return views.render_history(story, items, page, total)


async def history(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    services, here, message = _start(update, context)
    story = await _resolve(services, here, message, "history", _command_text(message))
    if story is not None:
        await _say(message, _history_page(services, story, 0))


async def keywords(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    services, here, message = _start(update, context)
    story = await _resolve(services, here, message, "keywords", _command_text(message))
    if story is not None:
        await _say(message, views.render_keywords(story))


def _baseline(services: ChatServices, story: Story) -> int:
    """Take the facts of already stored entries silently; return how many entries match."""
    services.baseline(services.store, story, services.clock.now())
    return services.store.matched_entry_count(story.id or 0)


async def track(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    services, here, message = _start(update, context)
    if not await _manager_or_refused(services, here, message):
        return
    text = _command_text(message)
    if not text:
        await _usage(message, "track")
        return
    try:
        request = parse_track(text, services.keyword_limits)
    except ArgumentError as problem:
        await _usage(message, "track", _sentence(problem))
        return
    store, limits = services.store, services.limits
    if store.count_owned(here.chat_id) >= limits.max_owned:
        await _say(
            message,
            Reply(
                f"This chat already tracks {limits.max_owned} stories of its own, the most it "
                "may. Stop one with /untrack first."
            ),
        )
        return
    if store.count_followed(here.chat_id) >= limits.max_followed:
        await _say(
            message,
            Reply(
                f"This chat already follows {limits.max_followed} stories, the most it may, "
                "and would follow the new one. Unfollow one first (/stories shows them)."
            ),
        )
        return
    slug = unique_slug(request.title, store.slug_taken)
    now = services.clock.now()
    try:
        story = store.add_story(
            Story(
                slug=slug,
                title=request.title,
                keywords=request.keywords,
                source="chat",
                owner_chat_id=here.chat_id,
            ),
            now,
        )
    except Conflict:
        await _say(message, Reply("Another story took that name a moment ago; send it again."))
        return
    store.subscribe(here.chat_id, story.id or 0, now, here.thread_id)
    matching = _baseline(services, story)
    await _say(
        message,
        Reply(
            f"Tracking <b>{esc(story.title)}</b> as <code>{esc(story.slug)}</code>, and this "
            f"chat follows it{_topic_note(here)}.\n"
            f"Keywords: {views.keyword_summary(story.keywords)}\n"
            f"{matching} stored article{'' if matching == 1 else 's'} already match; their "
            "figures and positions are in /status and will not alert again.\n"
            f"Refine it with <code>/watch {esc(story.slug)} …</code>"
        ),
    )


async def _editable_story(
    services: ChatServices, here: Here, message: Message, command: str, name: str
) -> Story | None:
    if not await _manager_or_refused(services, here, message):
        return None
    story = await _resolve(services, here, message, command, name)
    if story is None:
        return None
    if not may_edit(story, here.chat_id, here.bot_admin):
        await _say(
            message,
            Reply(
                f"<b>{esc(story.title)}</b> belongs to the bot's administrators, so only they "
                "can change it. Track your own version with /track."
            ),
        )
        return None
    return story


async def untrack(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    services, here, message = _start(update, context)
    story = await _editable_story(services, here, message, "untrack", _command_text(message))
    if story is None:
        return
    services.store.set_story_enabled(story.id or 0, False)
    await _say(
        message,
        Reply(f"Stopped tracking <b>{esc(story.title)}</b>; nobody gets its alerts any more."),
    )


async def _change_keywords(
    update: Update, context: ContextTypes.DEFAULT_TYPE, command: str
) -> None:
    services, here, message = _start(update, context)
    text = _command_text(message)
    try:
        name, terms = parse_watch(text, services.keyword_limits)
    except ArgumentError as problem:
        await _usage(message, command, _sentence(problem))
        return
    story = await _editable_story(services, here, message, command, name)
    if story is None:
        return
    store, story_id = services.store, story.id or 0
    if command == "watch":
        new = [term for term in terms if term not in story.keywords]
        total = len(story.keywords) + len(new)
        if total > services.limits.max_keywords:
            await _say(
                message,
                Reply(
                    f"That would give <b>{esc(story.title)}</b> {total} keywords; a story may "
                    f"have at most {services.limits.max_keywords}. Remove some with /unwatch."
                ),
            )
            return
        story = store.add_keywords(story_id, new)
        done = f"Added {len(new)} keyword{'' if len(new) == 1 else 's'}"
    else:
        missing = [term for term in terms if term not in story.keywords]
        if missing:
            await _say(
                message,
                Reply(
                    f"<b>{esc(story.title)}</b> has no keyword "
                    f"{views.keyword_summary(missing, 200)}. See them with "
                    f"<code>/keywords {esc(story.slug)}</code>."
                ),
            )
            return
        if len(terms) >= len(story.keywords):
            await _say(
                message,
                Reply(
                    "A story needs at least one keyword. Add another with /watch first, "
                    "or stop it with /untrack."
                ),
            )
            return
        story = store.remove_keywords(story_id, terms)
        done = f"Removed {len(terms)} keyword{'' if len(terms) == 1 else 's'}"
    matching = _baseline(services, story)
    await _say(
        message,
        Reply(
            f"{done}. <b>{esc(story.title)}</b> now matches {matching} stored "
            f"article{'' if matching == 1 else 's'}; keywords: "
            f"{views.keyword_summary(story.keywords)}"
        ),
    )


async def watch(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _change_keywords(update, context, "watch")


async def unwatch(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _change_keywords(update, context, "unwatch")


async def _muting(update: Update, context: ContextTypes.DEFAULT_TYPE, command: str) -> None:
    services, here, message = _start(update, context)
    if not await _manager_or_refused(services, here, message):
        return
    name, rest = split_story_and_rest(_command_text(message))
    until: datetime | None = None
    if command == "mute":
        if not name or not rest:
            await _usage(message, "mute")
            return
        try:
            until = services.clock.now() + parse_duration(rest)
        except ArgumentError as problem:
            await _usage(message, "mute", _sentence(problem))
            return
    story = await _resolve(services, here, message, command, name)
    if story is None:
        return
    subscription = services.store.find_subscription(here.chat_id, story.id or 0, here.thread_id)
    if subscription is None or not subscription.active:
        await _say(
            message,
            Reply(
                f"This chat does not follow <b>{esc(story.title)}</b>{_topic_note(here)}; "
                f"follow it with <code>/follow {esc(story.slug)}</code>."
            ),
        )
        return
    services.store.set_muted_until(here.chat_id, story.id or 0, until, here.thread_id)
    if until is None:
        text = f"Alerts for <b>{esc(story.title)}</b> are on again."
    else:
        text = (
            f"Muted <b>{esc(story.title)}</b> until {views.when(until)}. "
            f"Alerts resume then, or with <code>/unmute {esc(story.slug)}</code>."
        )
    await _say(message, Reply(text))


async def mute(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _muting(update, context, "mute")


async def unmute(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _muting(update, context, "unmute")


async def settings(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    services, here, message = _start(update, context)
    await _say(message, views.render_settings(services.store.get_chat(here.chat_id)))


# -- bot administrators -------------------------------------------------------------------


NOT_BOT_ADMIN = (
    "This command is for the bot's administrators. "
    "Ask whoever runs this bot to add your Telegram user id to its config."
)


async def _admin(
    update: Update, context: ContextTypes.DEFAULT_TYPE
) -> tuple[ChatServices, Here, Message] | None:
    services, here, message = _start(update, context)
    if not here.bot_admin:
        await _say(message, Reply(NOT_BOT_ADMIN))
        return None
    return services, here, message


async def feeds(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    found = await _admin(update, context)
    if found is not None:
        services, _, message = found
        await _say(message, views.render_feeds(services.store.list_feeds()))


def public_feed_url(text: str) -> str:
    """The URL if it is http(s) on a public host; raises ArgumentError naming what is wrong.

    Only literal addresses and local names are refused here; the fetcher checks the address a
    name resolves to when it connects.
    """
    url = text.strip()
    parts = urlsplit(url)
    try:
        host = parts.hostname
    except ValueError:
        host = None
    if parts.scheme not in ("http", "https") or not host:
        raise ArgumentError("that is not an http or https address")
    if host == "localhost" or host.endswith((".localhost", ".local", ".internal")):
        raise ArgumentError("only public addresses can be added from chat")
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return url
    if not address.is_global:
        raise ArgumentError("only public addresses can be added from chat")
    return url


async def addfeed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    found = await _admin(update, context)
    if found is None:
        return
    services, _, message = found
    text = _command_text(message)
    if not text:
        await _usage(message, "addfeed")
        return
    try:
        url = public_feed_url(text)
    except ArgumentError as problem:
        await _usage(message, "addfeed", _sentence(problem))
        return
    try:
        feed = services.store.add_feed(Feed(url=url, source="chat"), services.clock.now())
    except Conflict:
        await _say(
            message, Reply(f"<code>{views.shown(url, 200)}</code> is already a feed; see /feeds.")
        )
        return
    await _say(
        message,
        Reply(
            f"Added feed {feed.id}: <code>{esc(feed.url)}</code>. It is polled on the next tick."
        ),
    )


async def removefeed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    found = await _admin(update, context)
    if found is None:
        return
    services, _, message = found
    text = _command_text(message)
    if not text:
        await _usage(message, "removefeed")
        return
    feed = services.store.find_feed(text)
    if feed is None or feed.id is None:
        await _say(
            message, Reply(f"No feed <code>{views.shown(text, 200)}</code>; /feeds lists them.")
        )
        return
    services.store.remove_feed(feed.id)
    await _say(message, Reply(f"Removed feed {feed.id}: <code>{esc(feed.url)}</code>."))


async def stats(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    found = await _admin(update, context)
    if found is not None:
        services, _, message = found
        await _say(message, views.render_stats(services.store.store_stats()))


# -- buttons -------------------------------------------------------------------------------


async def _edit(query: CallbackQuery, reply: Reply) -> None:
    try:
        await query.edit_message_text(
            reply.text,
            parse_mode=ParseMode.HTML,
            reply_markup=reply.keyboard,
            link_preview_options=NO_PREVIEW,
        )
    except BadRequest as error:
        # Pressing a button that would not change the text is harmless.
        if "not modified" not in error.message.lower():
            raise


async def button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    pressed = decode(query.data)
    message = query.message if isinstance(query.message, Message) else None
    if pressed is None or message is None or update.effective_chat is None:
        await query.answer("This button no longer works; send the command again.")
        return
    services = services_of(context)
    here = _where(update, services, message)
    if pressed.action == "noop":
        await query.answer()
        return
    if pressed.action == "stories":
        await query.answer()
        await _edit(query, _stories_page(services, here, pressed.page))
        return
    if pressed.action == "history":
        story = _visible_by_id(services, here, pressed.story_id)
        if story is None:
            await query.answer("That story is no longer tracked.")
            return
        await query.answer()
        await _edit(query, _history_page(services, story, pressed.page))
        return
    if not await _may_manage(services, here):
        await query.answer("Only this group's administrators can change this.", show_alert=True)
        return
    if pressed.action == "setting":
        if pressed.page >= len(SETTING_NAMES):
            await query.answer("This button no longer works; send /settings again.")
            return
        name = SETTING_NAMES[pressed.page]
        chat = services.store.get_chat(here.chat_id)
        on = not getattr(chat, f"{name}_on")
        chat = services.store.set_alert_kind(here.chat_id, name, on)  # type: ignore[arg-type]
        await query.answer(f"{name.capitalize()} alerts {'on' if on else 'off'}")
        await _edit(query, views.render_settings(chat))
        return
    story = _visible_by_id(services, here, pressed.story_id)
    if story is None:
        await query.answer("That story is no longer tracked.")
        return
    result = (_follow if pressed.action == "follow" else _unfollow)(services, here, story)
    await query.answer()
    await _say(message, result)


def _visible_by_id(services: ChatServices, here: Here, story_id: int) -> Story | None:
    for story in _visible(services, here):
        if story.id == story_id:
            return story
    return None


# -- errors and registration -----------------------------------------------------------------


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log a handler's exception with its update, once, and tell the user."""
    services = context.application.bot_data.get(SERVICES_KEY)
    if isinstance(services, ChatServices):
        services.handler_errors += 1
    described = update.to_dict() if isinstance(update, Update) else repr(update)
    log.error("handler failed on update %s", described, exc_info=context.error)
    if not isinstance(update, Update):
        return
    try:
        if update.callback_query is not None:
            await update.callback_query.answer(FAILURE_TEXT, show_alert=True)
        elif update.effective_message is not None:
            await update.effective_message.reply_text(FAILURE_TEXT)
    except Exception:
        log.exception("could not tell the user about the failure")


USER_COMMANDS = {
    "start": start,
    "help": help_command,
    "stories": stories,
    "follow": follow,
    "unfollow": unfollow,
    "status": status,
    "history": history,
    "track": track,
    "untrack": untrack,
    "watch": watch,
    "unwatch": unwatch,
    "keywords": keywords,
    "mute": mute,
    "unmute": unmute,
    "settings": settings,
    "feeds": feeds,
    "addfeed": addfeed,
    "removefeed": removefeed,
    "stats": stats,
}


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Add every command, the button handler and the error handler to `application`."""
    for name, callback in USER_COMMANDS.items():
        application.add_handler(CommandHandler(name, callback, filters=COMMAND_UPDATES))
    application.add_handler(CallbackQueryHandler(button))
    application.add_error_handler(on_error)
