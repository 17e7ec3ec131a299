"""A fake Telegram Bot API server (I/O) that python-telegram-bot talks to over real HTTP.

Point PTB at `FakeBotAPI.base_url` (`http://127.0.0.1:PORT/bot`). The fake answers in the
shapes Telegram uses, holds `getUpdates` like a long poll, records every call and every message
the bot sent (raw and as a user sees it), rejects what Telegram rejects (malformed HTML, texts
over 4096 UTF-16 units), and fails on command: 429, 403, a migrated group, 400, 500, a delay,
a dropped connection, an overall rate limit, and a hook on the n-th `sendMessage`.
"""

from __future__ import annotations

import inspect
import json
import math
from collections import Counter, deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from aiohttp import web

from tests.fakes.clock import Clock, SystemClock
from tests.fakes.loopback import LoopbackServer
from tests.fakes.telegram_text import (
    MAX_MESSAGE_LENGTH,
    EntityParseError,
    command_entities,
    parse_html,
    utf16_length,
)

DEFAULT_TOKEN = "123456789:AAFakeTokenForStorywatchTests"
DEFAULT_USERNAME = "storywatch_test_bot"
# Values PTB sends as strings; every other form field is JSON-encoded by PTB (RequestData).
_STRING_FIELDS = frozenset(
    {"text", "parse_mode", "callback_query_id", "inline_message_id", "url", "language_code"}
)
# Methods that count against rate limits: what Telegram throttles is messages sent or edited.
_RATE_LIMITED = frozenset({"sendmessage", "editmessagetext"})
_SUPERGROUP_IDS_BELOW = -1_000_000_000_000
_MEMBER_STATUSES = frozenset({"creator", "administrator", "member", "restricted", "left", "kicked"})


@dataclass(slots=True)
class Call:
    """One request the bot made. `status` is the HTTP status answered (None while held or
    when the client hung up first, 0 when the fake dropped the connection)."""

    method: str
    params: dict[str, Any]
    at: datetime
    number: int  # this is the number-th call of `method`, counting from 1
    status: int | None = None

    @property
    def chat_id(self) -> int | str | None:
        return self.params.get("chat_id")


@dataclass(slots=True)
class SentMessage:
    """A message the bot sent (and maybe edited since)."""

    chat_id: int | str
    message_id: int
    text: str  # as a user sees it: HTML tags removed and entities decoded
    raw_text: str  # exactly what the bot sent
    parse_mode: str | None
    date: int
    reply_markup: dict[str, Any] | None = None
    reply_parameters: dict[str, Any] | None = None
    message_thread_id: int | None = None
    params: dict[str, Any] = field(default_factory=dict)
    earlier_texts: list[str] = field(default_factory=list)  # seen texts before each edit


@dataclass(frozen=True, slots=True)
class Fault:
    """What to answer instead of the real result. Build one with the class methods."""

    status: int = 0  # 0: answer normally (after `delay`)
    description: str = ""
    parameters: dict[str, Any] | None = None
    delay: float = 0.0
    drop: bool = False

    @classmethod
    def retry_after(cls, seconds: int = 1) -> Fault:
        return cls(429, f"Too Many Requests: retry after {seconds}", {"retry_after": seconds})

    @classmethod
    def blocked(cls) -> Fault:
        return cls(403, "Forbidden: bot was blocked by the user")

    @classmethod
    def kicked(cls) -> Fault:
        return cls(403, "Forbidden: bot was kicked from the group chat")

    @classmethod
    def migrated(cls, to_chat_id: int) -> Fault:
        return cls(
            400,
            "Bad Request: group chat was upgraded to a supergroup chat",
            {"migrate_to_chat_id": to_chat_id},
        )

    @classmethod
    def bad_entities(cls) -> Fault:
        return cls(
            400, 'Bad Request: can\'t parse entities: Unsupported start tag "x" at byte offset 0'
        )

    @classmethod
    def chat_not_found(cls) -> Fault:
        return cls(400, "Bad Request: chat not found")

    @classmethod
    def server_error(cls) -> Fault:
        return cls(500, "Internal Server Error")

    @classmethod
    def delayed(cls, seconds: float, then: Fault | None = None) -> Fault:
        """Hold the request `seconds` (real time), then answer normally or with `then`."""
        base = then or cls()
        return cls(base.status, base.description, base.parameters, seconds, base.drop)

    @classmethod
    def dropped(cls) -> Fault:
        """Close the connection without answering; PTB raises NetworkError."""
        return cls(drop=True)


@dataclass(slots=True)
class _FaultRule:
    fault: Fault
    method: str | None
    chat_id: int | str | None
    call: int | None
    remaining: int | None


@dataclass(frozen=True, slots=True)
class RateLimit:
    """At most `messages` sent or edited messages per `per_seconds` (per chat if asked)."""

    messages: int
    per_seconds: float = 1.0
    per_chat: bool = False


SendHook = Callable[[Call], "Fault | Awaitable[Fault | None] | None"]


class _ApiError(Exception):
    def __init__(self, status: int, description: str, parameters: dict[str, Any] | None = None):
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters


class _Dropped(Exception):
    pass


_SUPERSEDED = object()


class FakeBotAPI(LoopbackServer):
    """A Bot API server on 127.0.0.1 for one bot; `base_url` is what PTB's `base_url` takes."""

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        username: str = DEFAULT_USERNAME,
        clock: Clock | None = None,
    ) -> None:
        super().__init__()
        self.token = token
        self.username = username
        self.bot_id = int(token.split(":", 1)[0])
        self._clock: Clock = clock if clock is not None else SystemClock()
        self._calls: list[Call] = []
        self._call_counts: Counter[str] = Counter()
        self._updates: list[dict[str, Any]] = []
        self._next_update_id = 700_000
        self._allowed_updates: frozenset[str] | None = None
        self._poll_generation = 0
        self._chats: dict[int | str, dict[str, Any]] = {}
        self._last_message_id: Counter[int | str] = Counter()
        self._known_messages: set[tuple[int | str, int]] = set()
        self._sent: dict[tuple[int | str, int], SentMessage] = {}
        self._member_status: dict[tuple[int | str, int], str] = {}
        self._open_callback_queries: set[str] = set()
        self._callback_answers: dict[str, dict[str, Any]] = {}
        self._commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self._fault_rules: list[_FaultRule] = []
        self._rate_limits: list[RateLimit] = []
        self._rate_windows: dict[tuple[int, int | str | None], deque[datetime]] = {}
        self._send_hooks: dict[int, tuple[SendHook, bool]] = {}
        self._methods: dict[str, Callable[[Call], Awaitable[Any]]] = {
            "getme": self._get_me,
            "deletewebhook": self._delete_webhook,
            "getupdates": self._get_updates,
            "setmycommands": self._set_my_commands,
            "getmycommands": self._get_my_commands,
            "sendmessage": self._send_message,
            "editmessagetext": self._edit_message_text,
            "editmessagereplymarkup": self._edit_message_reply_markup,
            "answercallbackquery": self._answer_callback_query,
            "getchatmember": self._get_chat_member,
            "getchatadministrators": self._get_chat_administrators,
            "getchat": self._get_chat,
        }

    @property
    def base_url(self) -> str:
        """The Bot API URL up to and including `/bot`, as PTB's `base_url` wants it."""
        return f"{self.url}/bot"

    def _build_app(self) -> web.Application:
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        return app

    # -- test side: chats and users --------------------------------------------------------

    def add_chat(self, chat_id: int | str, chat_type: str, **fields: Any) -> None:
        """Register a chat ("private", "group", "supergroup", "channel") with extra fields
        (`title`, `username`, `first_name`). Unregistered chats are derived from their id."""
        with self._lock:
            self._chats[chat_id] = {"id": chat_id, "type": chat_type, **fields}

    def set_member_status(self, chat_id: int | str, user_id: int, status: str) -> None:
        """What `getChatMember(chat_id, user_id)` answers (default "member")."""
        if status not in _MEMBER_STATUSES:
            raise ValueError(f"unknown chat member status {status!r}")
        with self._lock:
            self._member_status[(chat_id, user_id)] = status

    # -- test side: updates ----------------------------------------------------------------

    def queue_update(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Queue a raw update (without `update_id`) for `getUpdates`; return it with its id."""
        with self._lock:
            self._next_update_id += 1
            update = {"update_id": self._next_update_id, **payload}
            self._updates.append(update)
            self._notify()
            return update

    def queue_message(
        self,
        chat_id: int,
        text: str,
        *,
        user_id: int | None = None,
        first_name: str | None = None,
        username: str | None = None,
        message_thread_id: int | None = None,
        reply_to_message_id: int | None = None,
    ) -> dict[str, Any]:
        """Queue a user's text message; commands in it get `bot_command` entities.

        A positive `chat_id` is a private chat with that user; a negative one a group.
        """
        with self._lock:
            message = self._user_message(
                chat_id, text, user_id, first_name, username, message_thread_id
            )
            if reply_to_message_id is not None:
                message["reply_to_message"] = self._message_stub(chat_id, reply_to_message_id)
            return self.queue_update({"message": message})

    def queue_edited_message(
        self, chat_id: int, message_id: int, text: str, *, user_id: int | None = None
    ) -> dict[str, Any]:
        """Queue an edit by a user of their earlier message `message_id`."""
        with self._lock:
            message = self._user_message(chat_id, text, user_id, None, None, None)
            message["message_id"] = message_id
            message["edit_date"] = self._timestamp()
            return self.queue_update({"edited_message": message})

    def queue_channel_post(
        self, chat_id: int, text: str, *, title: str = "Test channel"
    ) -> dict[str, Any]:
        """Queue a post in a channel (registered as a channel if it is not known)."""
        with self._lock:
            if chat_id not in self._chats:
                self.add_chat(chat_id, "channel", title=title)
            chat = self._chat_json(chat_id)
            post = {
                "message_id": self._new_message_id(chat_id),
                "date": self._timestamp(),
                "chat": chat,
                "sender_chat": chat,
                "text": text,
            }
            if entities := command_entities(text):
                post["entities"] = entities
            return self.queue_update({"channel_post": post})

    def queue_callback_query(
        self, chat_id: int, message_id: int, data: str, *, user_id: int | None = None
    ) -> dict[str, Any]:
        """Queue a press on an inline button of the bot's message `message_id`."""
        with self._lock:
            user = self._user_json(user_id if user_id is not None else _default_user(chat_id))
            query_id = f"cbq-{self._next_update_id + 1}"
            sent = self._sent.get((chat_id, message_id))
            message = (
                self._sent_message_json(sent)
                if sent is not None
                else {"chat": self._chat_json(chat_id), "message_id": message_id, "date": 0}
            )
            self._open_callback_queries.add(query_id)
            return self.queue_update(
                {
                    "callback_query": {
                        "id": query_id,
                        "from": user,
                        "chat_instance": f"instance{chat_id}",
                        "message": message,
                        "data": data,
                    }
                }
            )

    def queue_my_chat_member(
        self,
        chat_id: int,
        new_status: str,
        *,
        old_status: str = "left",
        user_id: int | None = None,
    ) -> dict[str, Any]:
        """Queue a change of the bot's own membership in a chat (added, blocked, kicked)."""
        with self._lock:
            self.set_member_status(chat_id, self.bot_id, new_status)
            bot = self._bot_json()
            return self.queue_update(
                {
                    "my_chat_member": {
                        "chat": self._chat_json(chat_id),
                        "from": self._user_json(
                            user_id if user_id is not None else _default_user(chat_id)
                        ),
                        "date": self._timestamp(),
                        "old_chat_member": _member_json(bot, old_status),
                        "new_chat_member": _member_json(bot, new_status),
                    }
                }
            )

    def pending_updates(self) -> list[dict[str, Any]]:
        """Queued updates the bot has not confirmed yet (by a later `getUpdates` offset)."""
        with self._lock:
            return list(self._updates)

    # -- test side: what the bot did -------------------------------------------------------

    def calls(self, method: str | None = None) -> list[Call]:
        """Every call the bot made (or those to `method`), oldest first."""
        with self._lock:
            if method is None:
                return list(self._calls)
            return [c for c in self._calls if c.method.lower() == method.lower()]

    def sent(self, chat_id: int | str | None = None) -> list[SentMessage]:
        """Messages the bot sent (to `chat_id`), in the order Telegram accepted them."""
        with self._lock:
            return [m for m in self._sent.values() if chat_id is None or m.chat_id == chat_id]

    def texts(self, chat_id: int | str) -> list[str]:
        """The texts of the messages sent to `chat_id`, as the user sees them now."""
        return [m.text for m in self.sent(chat_id)]

    def callback_answers(self) -> dict[str, dict[str, Any]]:
        """`answerCallbackQuery` parameters by callback query id."""
        with self._lock:
            return dict(self._callback_answers)

    def commands(self, scope: str = "default", language_code: str = "") -> list[dict[str, Any]]:
        """The command list last set with `setMyCommands` for that scope type and language."""
        with self._lock:
            return list(self._commands.get((scope, language_code), []))

    # -- test side: faults -----------------------------------------------------------------

    def fail(
        self,
        fault: Fault,
        *,
        method: str | None = "sendMessage",
        chat_id: int | str | None = None,
        call: int | None = None,
        times: int | None = 1,
    ) -> None:
        """Answer with `fault` instead: for calls to `method` (None: any), to `chat_id`, or the
        `call`-th call of `method`; `times` times (None: for good). Earlier rules win."""
        with self._lock:
            self._fault_rules.append(_FaultRule(fault, method, chat_id, call, times))

    def block(self, chat_id: int | str) -> None:
        """The user of `chat_id` blocked the bot: every send to it answers 403 from now on."""
        self.fail(Fault.blocked(), method=None, chat_id=chat_id, times=None)

    def migrate(self, chat_id: int, to_chat_id: int) -> None:
        """The group `chat_id` became supergroup `to_chat_id`: calls to the old id answer 400
        with `migrate_to_chat_id` from now on."""
        self.fail(Fault.migrated(to_chat_id), method=None, chat_id=chat_id, times=None)

    def rate_limit(
        self, messages: int, per_seconds: float = 1.0, *, per_chat: bool = False
    ) -> None:
        """Answer 429 (with retry_after) to sends and edits beyond `messages` per `per_seconds`
        of the fake's clock, overall or per chat."""
        with self._lock:
            self._rate_limits.append(RateLimit(messages, per_seconds, per_chat))

    def on_send_message(self, number: int, hook: SendHook, *, before_recording: bool) -> None:
        """Run `hook(call)` (sync or async, in the server's loop) on the `number`-th
        `sendMessage`, before or after the message is recorded as delivered.

        If it returns a Fault, that is answered instead: `Fault.dropped()` before recording
        means Telegram never got the message; after recording, that it got it but the bot never
        heard back.
        """
        with self._lock:
            self._send_hooks[number] = (hook, before_recording)

    # -- server side -----------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        params = await _read_params(request)
        method = request.match_info["method"]
        with self._lock:
            self._call_counts[method.lower()] += 1
            call = Call(method, params, self._clock.now(), self._call_counts[method.lower()])
            self._calls.append(call)
            self._notify()
        try:
            status, payload = await self._answer(request.match_info["token"], call)
        except _Dropped:
            self._set_status(call, 0)
            if request.transport is not None:
                request.transport.close()
            # Never written: the transport is closed, so the client sees a disconnect.
            return web.Response(status=500)
        self._set_status(call, status)
        return web.json_response(payload, status=status)

    def _set_status(self, call: Call, status: int) -> None:
        with self._lock:
            call.status = status
            self._notify()

    async def _answer(self, token: str, call: Call) -> tuple[int, dict[str, Any]]:
        if token != self.token:
            return 401, _error_payload(401, "Unauthorized")
        handler = self._methods.get(call.method.lower())
        if handler is None:
            return 404, _error_payload(404, "Not Found")
        try:
            await self._apply(self._take_fault(call))
            self._check_rate(call)
            result = await handler(call)
        except _ApiError as error:
            return error.status, _error_payload(error.status, error.description, error.parameters)
        return 200, {"ok": True, "result": result}

    async def _apply(self, fault: Fault | None) -> None:
        """Carry out a fault: wait, then drop the connection or raise the error it names."""
        if fault is None:
            return
        if fault.delay:
            await self._pause(fault.delay)
        if fault.drop:
            raise _Dropped
        if fault.status:
            raise _ApiError(fault.status, fault.description, fault.parameters)

    def _take_fault(self, call: Call) -> Fault | None:
        with self._lock:
            for rule in self._fault_rules:
                if rule.remaining == 0:
                    continue
                if rule.method is not None and rule.method.lower() != call.method.lower():
                    continue
                if rule.chat_id is not None and rule.chat_id != call.chat_id:
                    continue
                if rule.call is not None and rule.call != call.number:
                    continue
                if rule.remaining is not None:
                    rule.remaining -= 1
                return rule.fault
        return None

    def _check_rate(self, call: Call) -> None:
        if call.method.lower() not in _RATE_LIMITED:
            return
        with self._lock:
            now = self._clock.now()
            windows = []
            for index, limit in enumerate(self._rate_limits):
                window = self._rate_windows.setdefault(
                    (index, call.chat_id if limit.per_chat else None), deque()
                )
                span = timedelta(seconds=limit.per_seconds)
                while window and window[0] <= now - span:
                    window.popleft()
                if len(window) >= limit.messages:
                    wait = (window[0] + span - now).total_seconds()
                    retry = max(1, math.ceil(wait))
                    raise _ApiError(
                        429, f"Too Many Requests: retry after {retry}", {"retry_after": retry}
                    )
                windows.append(window)
            for window in windows:
                window.append(now)

    async def _run_hook(self, call: Call, before_recording: bool) -> None:
        with self._lock:
            registered = self._send_hooks.get(call.number)
        if registered is None or registered[1] != before_recording:
            return
        outcome = registered[0](call)
        if inspect.isawaitable(outcome):
            outcome = await outcome
        await self._apply(outcome)

    # -- methods ---------------------------------------------------------------------------

    async def _get_me(self, call: Call) -> dict[str, Any]:
        return {
            **self._bot_json(),
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    async def _delete_webhook(self, call: Call) -> bool:
        if call.params.get("drop_pending_updates"):
            with self._lock:
                self._updates.clear()
        return True

    async def _get_updates(self, call: Call) -> list[dict[str, Any]]:
        offset = _as_int(call.params.get("offset"), 0)
        limit = min(max(_as_int(call.params.get("limit"), 100), 1), 100)
        timeout = max(_as_int(call.params.get("timeout"), 0), 0)
        allowed = call.params.get("allowed_updates")
        with self._lock:
            if isinstance(allowed, list):
                self._allowed_updates = frozenset(allowed) or None
            # A newer poll ends an older one with 409, as Telegram does for two bot instances.
            self._poll_generation += 1
            generation = self._poll_generation
            if offset > 0:
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
            elif offset < 0:
                self._updates = self._updates[offset:]
            self._notify()

        def ready() -> object:
            if self._poll_generation != generation:
                return _SUPERSEDED
            return [u for u in self._updates if self._is_allowed(u)][:limit]

        result = await self._wait_until(ready, timeout)
        if result is _SUPERSEDED:
            raise _ApiError(
                409,
                "Conflict: terminated by other getUpdates request; "
                "make sure that only one bot instance is running",
            )
        return result or []  # type: ignore[return-value]

    def _is_allowed(self, update: dict[str, Any]) -> bool:
        if self._allowed_updates is None:
            return True
        return any(kind in self._allowed_updates for kind in update if kind != "update_id")

    async def _set_my_commands(self, call: Call) -> bool:
        commands = call.params.get("commands")
        if not isinstance(commands, list):
            raise _ApiError(400, 'Bad Request: parameter "commands" can\'t be parsed')
        for command in commands:
            name = command.get("command", "") if isinstance(command, dict) else ""
            description = command.get("description", "") if isinstance(command, dict) else ""
            if not (1 <= len(name) <= 32 and name.islower() and name.replace("_", "").isalnum()):
                raise _ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(description) <= 256:
                raise _ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
        with self._lock:
            self._commands[self._commands_key(call)] = commands
            self._notify()
        return True

    async def _get_my_commands(self, call: Call) -> list[dict[str, Any]]:
        with self._lock:
            return list(self._commands.get(self._commands_key(call), []))

    @staticmethod
    def _commands_key(call: Call) -> tuple[str, str]:
        scope = call.params.get("scope")
        scope_type = scope.get("type", "default") if isinstance(scope, dict) else "default"
        return scope_type, str(call.params.get("language_code") or "")

    async def _send_message(self, call: Call) -> dict[str, Any]:
        await self._run_hook(call, before_recording=True)
        params = call.params
        if params.get("chat_id") in (None, ""):
            raise _ApiError(400, "Bad Request: chat_id is empty")
        chat_id: int | str = params["chat_id"]
        raw = str(params.get("text") or "")
        parse_mode = params.get("parse_mode") or None
        seen = _seen_text(raw, parse_mode)
        reply = params.get("reply_parameters")
        if isinstance(reply, dict):
            self._check_reply_target(chat_id, reply)
        thread_id = params.get("message_thread_id")
        with self._lock:
            message = SentMessage(
                chat_id=chat_id,
                message_id=self._new_message_id(chat_id),
                text=seen,
                raw_text=raw,
                parse_mode=parse_mode,
                date=self._timestamp(),
                reply_markup=params.get("reply_markup"),
                reply_parameters=reply if isinstance(reply, dict) else None,
                message_thread_id=thread_id if isinstance(thread_id, int) else None,
                params=dict(params),
            )
            self._sent[(chat_id, message.message_id)] = message
            self._notify()
        await self._run_hook(call, before_recording=False)
        return self._sent_message_json(message)

    def _check_reply_target(self, chat_id: int | str, reply: dict[str, Any]) -> None:
        target_chat = reply.get("chat_id", chat_id)
        with self._lock:
            known = (target_chat, reply.get("message_id")) in self._known_messages
        if not known and not reply.get("allow_sending_without_reply"):
            raise _ApiError(400, "Bad Request: message to be replied not found")

    async def _edit_message_text(self, call: Call) -> dict[str, Any]:
        message = self._message_to_edit(call)
        raw = str(call.params.get("text") or "")
        parse_mode = call.params.get("parse_mode") or None
        seen = _seen_text(raw, parse_mode)
        markup = call.params.get("reply_markup")
        with self._lock:
            if seen == message.text and markup == message.reply_markup:
                raise _not_modified()
            message.earlier_texts.append(message.text)
            message.text, message.raw_text, message.parse_mode = seen, raw, parse_mode
            # Editing the text without a reply_markup removes the inline keyboard.
            message.reply_markup = markup
            self._notify()
            return {**self._sent_message_json(message), "edit_date": self._timestamp()}

    async def _edit_message_reply_markup(self, call: Call) -> dict[str, Any]:
        message = self._message_to_edit(call)
        markup = call.params.get("reply_markup")
        with self._lock:
            if markup == message.reply_markup:
                raise _not_modified()
            message.reply_markup = markup
            self._notify()
            return {**self._sent_message_json(message), "edit_date": self._timestamp()}

    def _message_to_edit(self, call: Call) -> SentMessage:
        key = (call.params.get("chat_id"), call.params.get("message_id"))
        with self._lock:
            message = self._sent.get(key)  # type: ignore[arg-type]
        if message is None:
            raise _ApiError(400, "Bad Request: message to edit not found")
        return message

    async def _answer_callback_query(self, call: Call) -> bool:
        query_id = str(call.params.get("callback_query_id") or "")
        with self._lock:
            if query_id not in self._open_callback_queries:
                raise _ApiError(
                    400,
                    "Bad Request: query is too old and response timeout expired "
                    "or query ID is invalid",
                )
            self._open_callback_queries.discard(query_id)
            self._callback_answers[query_id] = dict(call.params)
            self._notify()
        return True

    async def _get_chat_member(self, call: Call) -> dict[str, Any]:
        chat_id = call.params.get("chat_id")
        user_id = _as_int(call.params.get("user_id"), 0)
        if not user_id:
            raise _ApiError(400, "Bad Request: user not found")
        with self._lock:
            status = self._member_status.get((chat_id, user_id), "member")  # type: ignore[arg-type]
            user = self._bot_json() if user_id == self.bot_id else self._user_json(user_id)
        return _member_json(user, status)

    async def _get_chat_administrators(self, call: Call) -> list[dict[str, Any]]:
        chat_id = call.params.get("chat_id")
        with self._lock:
            return [
                _member_json(
                    self._bot_json() if user_id == self.bot_id else self._user_json(user_id),
                    status,
                )
                for (member_chat, user_id), status in self._member_status.items()
                if member_chat == chat_id and status in ("creator", "administrator")
            ]

    async def _get_chat(self, call: Call) -> dict[str, Any]:
        if call.params.get("chat_id") in (None, ""):
            raise _ApiError(400, "Bad Request: chat_id is empty")
        with self._lock:
            chat = self._chat_json(call.params["chat_id"])
        # ChatFullInfo: PTB 22 requires these beyond the plain Chat fields.
        return {
            **chat,
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        }

    # -- shapes ----------------------------------------------------------------------------

    def _timestamp(self) -> int:
        return int(self._clock.now().timestamp())

    def _new_message_id(self, chat_id: int | str) -> int:
        self._last_message_id[chat_id] += 1
        message_id = self._last_message_id[chat_id]
        self._known_messages.add((chat_id, message_id))
        return message_id

    def _bot_json(self) -> dict[str, Any]:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": "Storywatch Test",
            "username": self.username,
        }

    @staticmethod
    def _user_json(
        user_id: int, first_name: str | None = None, username: str | None = None
    ) -> dict[str, Any]:
        return {
            "id": user_id,
            "is_bot": False,
            "first_name": first_name or f"User {user_id}",
            "username": username or f"user{user_id}",
            "language_code": "en",
        }

    def _chat_json(self, chat_id: int | str) -> dict[str, Any]:
        known = self._chats.get(chat_id)
        if known is not None:
            return dict(known)
        if isinstance(chat_id, int) and chat_id > 0:
            return {"id": chat_id, "type": "private", "first_name": f"User {chat_id}"}
        if isinstance(chat_id, int) and chat_id < _SUPERGROUP_IDS_BELOW:
            return {"id": chat_id, "type": "supergroup", "title": f"Group {chat_id}"}
        return {"id": chat_id, "type": "group", "title": f"Group {chat_id}"}

    def _user_message(
        self,
        chat_id: int,
        text: str,
        user_id: int | None,
        first_name: str | None,
        username: str | None,
        message_thread_id: int | None,
    ) -> dict[str, Any]:
        message: dict[str, Any] = {
            "message_id": self._new_message_id(chat_id),
            "from": self._user_json(
                user_id if user_id is not None else _default_user(chat_id), first_name, username
            ),
            "chat": self._chat_json(chat_id),
            "date": self._timestamp(),
            "text": text,
        }
        if entities := command_entities(text):
            message["entities"] = entities
        if message_thread_id is not None:
            message["message_thread_id"] = message_thread_id
            message["is_topic_message"] = True
        return message

    def _message_stub(self, chat_id: int, message_id: int) -> dict[str, Any]:
        sent = self._sent.get((chat_id, message_id))
        if sent is not None:
            return self._sent_message_json(sent)
        return {"message_id": message_id, "date": 0, "chat": self._chat_json(chat_id)}

    def _sent_message_json(self, message: SentMessage) -> dict[str, Any]:
        shape: dict[str, Any] = {
            "message_id": message.message_id,
            "from": self._bot_json(),
            "chat": self._chat_json(message.chat_id),
            "date": message.date,
            "text": message.text,
        }
        if message.message_thread_id is not None:
            shape["message_thread_id"] = message.message_thread_id
        if message.reply_markup:
            shape["reply_markup"] = message.reply_markup
        return shape

    def _describe(self) -> str:
        with self._lock:
            recent = [f"{c.method} -> {c.status}" for c in self._calls[-8:]]
            return f"FakeBotAPI, last calls: {recent}, {len(self._sent)} messages sent"


def _seen_text(raw: str, parse_mode: str | None) -> str:
    """The text a user sees, or the 400 Telegram answers for it. Markdown is not parsed."""
    if parse_mode is not None and parse_mode not in ("HTML", "Markdown", "MarkdownV2"):
        raise _ApiError(400, "Bad Request: unsupported parse_mode")
    seen = raw
    if parse_mode == "HTML":
        try:
            seen = parse_html(raw)
        except EntityParseError as error:
            raise _ApiError(400, f"Bad Request: can't parse entities: {error}") from error
    if not seen.strip():
        raise _ApiError(400, "Bad Request: message text is empty")
    if utf16_length(seen) > MAX_MESSAGE_LENGTH:
        raise _ApiError(400, "Bad Request: message is too long")
    return seen


def _not_modified() -> _ApiError:
    return _ApiError(
        400,
        "Bad Request: message is not modified: specified new message content and reply markup "
        "are exactly the same as a current content and reply markup of the message",
    )


def _member_json(user: dict[str, Any], status: str) -> dict[str, Any]:
    """A ChatMember in the shape PTB 22 requires for `status`."""
    if status == "creator":
        return {"status": status, "user": user, "is_anonymous": False}
    if status == "administrator":
        rights = (
            "can_be_edited is_anonymous can_manage_chat can_delete_messages "
            "can_manage_video_chats can_restrict_members can_promote_members can_change_info "
            "can_invite_users can_post_stories can_edit_stories can_delete_stories"
        )
        return {"status": status, "user": user, **dict.fromkeys(rights.split(), False)}
    if status == "restricted":
        rights = (
            "is_member can_change_info can_invite_users can_pin_messages can_send_messages "
            "can_send_polls can_send_other_messages can_add_web_page_previews can_manage_topics "
            "can_send_audios can_send_documents can_send_photos can_send_videos "
            "can_send_video_notes can_send_voice_notes can_edit_tag can_react_to_messages"
        )
        return {
            "status": status,
            "user": user,
            "until_date": 0,
            **dict.fromkeys(rights.split(), False),
        }
    if status == "kicked":
        return {"status": status, "user": user, "until_date": 0}
    return {"status": status, "user": user}


def _error_payload(
    status: int, description: str, parameters: dict[str, Any] | None = None
) -> dict[str, Any]:
    payload: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if parameters:
        payload["parameters"] = parameters
    return payload


def _default_user(chat_id: int) -> int:
    """The user behind a chat: in a private chat its id; in a group, a fixed member."""
    return chat_id if chat_id > 0 else 1001


def _as_int(value: Any, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


async def _read_params(request: web.Request) -> dict[str, Any]:
    """The call's parameters from the query, a form (what PTB sends) or a JSON body."""
    params: dict[str, Any] = {k: _decode(k, v) for k, v in request.query.items()}
    if not request.can_read_body:
        return params
    if request.content_type == "application/json":
        body = await request.json()
        if isinstance(body, dict):
            params.update(body)
        return params
    form = await request.post()
    for key, value in form.items():
        params[key] = (
            _decode(key, value) if isinstance(value, str) else getattr(value, "filename", "")
        )
    return params


def _decode(key: str, value: str) -> Any:
    """PTB sends JSON-encoded values for everything but plain strings such as `text`."""
    if key in _STRING_FIELDS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value
