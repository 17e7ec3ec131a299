"""The fake Bot API answers python-telegram-bot as Telegram does, through PTB's real HTTP stack."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import threading
import urllib.request
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, ReplyParameters, Update
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    EndPointNotFound,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.ext import ApplicationBuilder, CommandHandler, ContextTypes
from telegram.request import HTTPXRequest

from tests.fakes.bot_api import Call, FakeBotAPI, Fault
from tests.fakes.clock import FakeClock

# PTB 22 warns when `RetryAfter.retry_after` is read as seconds; moving to timedeltas is the
# sender's decision, not the fake's.
pytestmark = pytest.mark.filterwarnings(
    "ignore:.*retry_after.*:telegram.warnings.PTBDeprecationWarning"
)


@pytest.fixture
async def bot(bot_api: FakeBotAPI) -> AsyncIterator[Bot]:
    """A PTB Bot (initialised: it has called getMe) with a short read timeout."""
    request = HTTPXRequest(read_timeout=2.0, connect_timeout=2.0)
    async with Bot(bot_api.token, base_url=bot_api.base_url, request=request) as client:
        yield client


async def test_application_receives_a_command_by_long_polling_and_replies(bot_api: FakeBotAPI):
    async def follow(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None
        await update.message.reply_text(
            f"<b>Following</b> {' '.join(context.args or [])} &amp; more", parse_mode="HTML"
        )

    application = ApplicationBuilder().token(bot_api.token).base_url(bot_api.base_url).build()
    application.add_handler(CommandHandler("follow", follow))
    async with application:
        await application.start()
        assert application.updater is not None
        await application.updater.start_polling(timeout=10)
        await bot_api.wait_for(lambda: bot_api.calls("getUpdates"))
        bot_api.queue_message(42, f"/follow@{bot_api.username} deir-ez-zor")
        await bot_api.wait_for(lambda: bot_api.sent(42))
        await application.updater.stop()
        await application.stop()

    assert bot_api.texts(42) == ["Following deir-ez-zor & more"]
    assert bot_api.sent(42)[0].raw_text == "<b>Following</b> deir-ez-zor &amp; more"
    assert bot_api.calls()[0].method == "getMe"
    # The poll was held until the update came, not answered empty in a loop.
    assert len(bot_api.calls("getUpdates")) <= 4
    assert bot_api.pending_updates() == []


async def test_get_updates_holds_until_an_update_is_queued(bot_api: FakeBotAPI, bot: Bot):
    poll = asyncio.create_task(bot.get_updates(timeout=30, read_timeout=35))
    await bot_api.wait_for(lambda: bot_api.calls("getUpdates"))
    assert not poll.done()
    bot_api.queue_message(7, "hello")
    updates = await asyncio.wait_for(poll, timeout=5)
    assert [u.message.text for u in updates if u.message] == ["hello"]


async def test_get_updates_honours_offset_limit_and_a_zero_timeout(bot_api: FakeBotAPI, bot: Bot):
    ids = [bot_api.queue_message(7, f"m{n}")["update_id"] for n in range(3)]
    first = await bot.get_updates(limit=2, timeout=0)
    assert [u.update_id for u in first] == ids[:2]
    rest = await bot.get_updates(offset=ids[1] + 1, timeout=0)
    assert [u.update_id for u in rest] == ids[2:]
    assert [u["update_id"] for u in bot_api.pending_updates()] == ids[2:]
    assert await bot.get_updates(offset=ids[2] + 1, timeout=0) == ()


async def test_a_newer_poll_ends_the_held_one_with_conflict(bot_api: FakeBotAPI, bot: Bot):
    held = asyncio.create_task(bot.get_updates(timeout=30, read_timeout=35))
    await bot_api.wait_for(lambda: bot_api.calls("getUpdates"))
    async with Bot(bot_api.token, base_url=bot_api.base_url) as second_instance:
        await second_instance.get_updates(timeout=0)
    with pytest.raises(Conflict):
        await held


async def test_each_kind_of_queued_update_parses_in_ptb(bot_api: FakeBotAPI, bot: Bot):
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Stop", callback_data="stop:1")]])
    sent = await bot.send_message(5, "alert", reply_markup=keyboard)
    bot_api.queue_callback_query(5, sent.message_id, "stop:1")
    bot_api.queue_channel_post(-1001234567890123, "/status")
    bot_api.queue_edited_message(5, 1, "/follow fixed")
    bot_api.queue_my_chat_member(-77, "kicked", old_status="member")

    query, post, edited, member = await bot.get_updates(timeout=0)

    assert query.callback_query is not None and query.callback_query.data == "stop:1"
    assert query.callback_query.message is not None
    assert query.callback_query.message.message_id == sent.message_id
    assert post.channel_post is not None and post.channel_post.chat.type == "channel"
    assert post.channel_post.entities[0].type == "bot_command"
    assert edited.edited_message is not None and edited.edited_message.text == "/follow fixed"
    assert member.my_chat_member is not None
    assert member.my_chat_member.new_chat_member.status == "kicked"
    assert member.my_chat_member.new_chat_member.user.id == bot_api.bot_id

    assert await query.callback_query.answer("stopped") is True
    assert bot_api.callback_answers()[query.callback_query.id]["text"] == "stopped"
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await query.callback_query.answer("again")


@pytest.mark.parametrize(
    ("text", "offset", "length"),
    [
        ("/follow", 0, 7),
        ("/follow@storywatch_test_bot deir", 0, 27),
        ("please /stop now", 7, 5),
        ("😀 /status", 3, 7),  # the emoji is two UTF-16 units
        ("no command here", None, None),
        ("a/b is not one", None, None),
    ],
    ids=["bare", "addressed", "mid-text", "after-astral-emoji", "none", "slash-inside-word"],
)
async def test_queued_messages_carry_telegram_command_entities(
    bot_api: FakeBotAPI, bot: Bot, text: str, offset: int | None, length: int | None
):
    bot_api.queue_message(9, text)
    (update,) = await bot.get_updates(timeout=0)
    assert update.message is not None
    commands = [e for e in update.message.entities if e.type == "bot_command"]
    if offset is None:
        assert commands == []
    else:
        assert [(e.offset, e.length) for e in commands] == [(offset, length)]


@pytest.mark.parametrize(
    ("fault", "error", "check"),
    [
        (Fault.retry_after(7), RetryAfter, lambda e: e.retry_after == 7),
        (Fault.blocked(), Forbidden, lambda e: "blocked by the user" in e.message.lower()),
        (Fault.kicked(), Forbidden, lambda e: "kicked" in e.message.lower()),
        (Fault.migrated(-1009876), ChatMigrated, lambda e: e.new_chat_id == -1009876),
        (Fault.bad_entities(), BadRequest, lambda e: "can't parse entities" in e.message.lower()),
        (Fault.chat_not_found(), BadRequest, lambda e: "chat not found" in e.message.lower()),
        (Fault.server_error(), NetworkError, lambda e: "Internal Server Error" in e.message),
        (Fault.dropped(), NetworkError, lambda e: True),
    ],
    ids=[
        "429",
        "403-blocked",
        "403-kicked",
        "400-migrated",
        "400-entities",
        "400-no-chat",
        "500",
        "dropped",
    ],
)
async def test_scripted_faults_raise_ptbs_exceptions(
    bot_api: FakeBotAPI, bot: Bot, fault: Fault, error: type[TelegramError], check: Any
):
    bot_api.fail(fault)
    with pytest.raises(error) as raised:
        await bot.send_message(3, "first")
    assert check(raised.value)
    await bot.send_message(3, "second")  # a fault applies once unless told otherwise
    assert bot_api.texts(3) == ["second"]
    assert [c.status for c in bot_api.calls("sendMessage")][-1] == 200


async def test_a_fault_can_target_a_call_number_or_a_chat(bot_api: FakeBotAPI, bot: Bot):
    bot_api.fail(Fault.retry_after(1), call=2)
    bot_api.block(66)
    await bot.send_message(1, "one")
    with pytest.raises(RetryAfter):
        await bot.send_message(1, "two")
    await bot.send_message(1, "three")
    for _ in range(2):
        with pytest.raises(Forbidden):
            await bot.send_message(66, "blocked for good")
    assert bot_api.texts(1) == ["one", "three"]
    assert [c.status for c in bot_api.calls("sendMessage")] == [200, 429, 200, 403, 403]


async def test_a_migrated_group_answers_with_its_new_id_every_time(bot_api: FakeBotAPI, bot: Bot):
    bot_api.migrate(-55, -1000000000055)
    for _ in range(2):
        with pytest.raises(ChatMigrated) as raised:
            await bot.send_message(-55, "to the old group")
        assert raised.value.new_chat_id == -1000000000055
    await bot.send_message(-1000000000055, "to the supergroup")
    assert bot_api.texts(-1000000000055) == ["to the supergroup"]


async def test_a_delay_longer_than_the_read_timeout_times_out(bot_api: FakeBotAPI, bot: Bot):
    bot_api.fail(Fault.delayed(30))
    with pytest.raises(TimedOut):
        await bot.send_message(3, "slow", read_timeout=0.2)
    # Teardown does not wait out the 30 s: stopping wakes the held request.


@pytest.mark.parametrize(
    ("text", "parse_mode", "description"),
    [
        ("<b>unclosed", "HTML", "Can't find end tag"),
        ("1 < 2", "HTML", "Unsupported start tag"),
        ("<script>x</script>", "HTML", 'Unsupported start tag "script"'),
        ("<b><i>x</b></i>", "HTML", "Unmatched end tag"),
        ("x</b>", "HTML", "Unexpected end tag"),
        ("<span>spoiler</span>", "HTML", "tg-spoiler"),
        ("x" * 4097, None, "message is too long"),
        ("😀" * 2049, None, "message is too long"),  # 4098 UTF-16 units
        ("<b></b>", "HTML", "message text is empty"),
        ("x", "BBCode", "unsupported parse_mode"),
    ],
    ids=[
        "unclosed-tag",
        "raw-less-than",
        "unknown-tag",
        "crossed-tags",
        "stray-end-tag",
        "span-without-class",
        "4097-chars",
        "astral-counts-double",
        "empty-after-parsing",
        "unknown-parse-mode",
    ],
)
async def test_texts_telegram_rejects_raise_bad_request(
    bot_api: FakeBotAPI, bot: Bot, text: str, parse_mode: str | None, description: str
):
    with pytest.raises(BadRequest) as raised:
        await bot.send_message(3, text, parse_mode=parse_mode)
    # PTB drops Telegram's "Bad Request: " prefix and capitalises what is left.
    assert description.lower() in raised.value.message.lower()
    assert bot_api.sent(3) == []


@pytest.mark.parametrize(
    ("text", "parse_mode", "seen"),
    [
        ("x" * 4096, None, "x" * 4096),
        ("😀" * 2048, None, "😀" * 2048),
        ("<b>" + "y" * 4096 + "</b>", "HTML", "y" * 4096),
        ("&lt;" * 4096, "HTML", "<" * 4096),
        ('<a href="https://example.org/a?b=1&amp;c=2">link</a> AT&T', "HTML", "link AT&T"),
        ("<b>1 &gt; 0</b> <tg-spoiler>s</tg-spoiler> <pre>c</pre>", "HTML", "1 > 0 s c"),
    ],
    ids=[
        "4096-chars",
        "2048-emoji",
        "tags-do-not-count",
        "entities-count-once",
        "link-and-bare-ampersand",
        "nested-tags",
    ],
)
async def test_texts_within_the_limits_are_delivered_as_seen(
    bot_api: FakeBotAPI, bot: Bot, text: str, parse_mode: str | None, seen: str
):
    await bot.send_message(3, text, parse_mode=parse_mode)
    (message,) = bot_api.sent(3)
    assert (message.text, message.raw_text, message.parse_mode) == (seen, text, parse_mode)


async def test_reply_parameters_and_thread_are_recorded(bot_api: FakeBotAPI, bot: Bot):
    asked = bot_api.queue_message(-100500, "/status", message_thread_id=12)["message"]
    await bot.send_message(
        -100500,
        "status",
        message_thread_id=12,
        reply_parameters=ReplyParameters(message_id=asked["message_id"]),
    )
    with pytest.raises(BadRequest, match=r"(?i)message to be replied not found"):
        await bot.send_message(-100500, "x", reply_parameters=ReplyParameters(message_id=999))
    (message,) = bot_api.sent(-100500)
    assert message.message_thread_id == 12
    assert message.reply_parameters == {"message_id": asked["message_id"]}


async def test_edits_change_what_the_user_sees(bot_api: FakeBotAPI, bot: Bot):
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("More", callback_data="more")]])
    sent = await bot.send_message(8, "v1", reply_markup=keyboard)
    await bot.edit_message_text("<i>v2</i>", 8, sent.message_id, parse_mode="HTML")
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_text("v2", 8, sent.message_id)
    await bot.edit_message_reply_markup(8, sent.message_id, reply_markup=keyboard)
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await bot.edit_message_text("x", 8, 999)
    (message,) = bot_api.sent(8)
    assert (message.text, message.earlier_texts) == ("v2", ["v1"])
    assert message.reply_markup == keyboard.to_dict()


@pytest.mark.parametrize(
    "status", ["creator", "administrator", "member", "restricted", "left", "kicked"]
)
async def test_get_chat_member_answers_the_configured_status(
    bot_api: FakeBotAPI, bot: Bot, status: str
):
    bot_api.set_member_status(-300, 41, status)
    member = await bot.get_chat_member(-300, 41)
    assert (member.status, member.user.id) == (status, 41)


async def test_chat_info_administrators_and_commands(bot_api: FakeBotAPI, bot: Bot):
    bot_api.add_chat(-1001000, "supergroup", title="Newsroom")
    bot_api.set_member_status(-1001000, 41, "creator")
    bot_api.set_member_status(-1001000, bot_api.bot_id, "administrator")
    bot_api.set_member_status(-1001000, 42, "member")

    chat = await bot.get_chat(-1001000)
    admins = await bot.get_chat_administrators(-1001000)
    await bot.set_my_commands([("follow", "Follow a story"), ("stop", "Stop alerts")])

    assert (chat.type, chat.title) == ("supergroup", "Newsroom")
    assert sorted(a.user.id for a in admins) == sorted([41, bot_api.bot_id])
    assert [c["command"] for c in bot_api.commands()] == ["follow", "stop"]
    assert [c.command for c in await bot.get_my_commands()] == ["follow", "stop"]
    with pytest.raises(BadRequest, match=r"(?i)bot_command_invalid"):
        await bot.set_my_commands([("Follow-Now", "bad name")])


async def test_unknown_methods_answer_404_and_wrong_tokens_401(bot_api: FakeBotAPI, bot: Bot):
    with pytest.raises(EndPointNotFound):
        await bot.do_api_request("sendHologram", api_kwargs={"chat_id": 1})
    assert bot_api.calls("sendHologram")[0].status == 404
    request = HTTPXRequest()
    stranger = Bot("999:WrongToken", base_url=bot_api.base_url, request=request)
    try:
        with pytest.raises(InvalidToken):
            await stranger.get_me()
    finally:
        await request.shutdown()


async def test_an_overall_rate_limit_answers_429_on_the_fakes_clock():
    clock = FakeClock()
    async with FakeBotAPI(clock=clock) as api, Bot(api.token, base_url=api.base_url) as client:
        api.rate_limit(2, per_seconds=1.0)
        await client.send_message(1, "a")
        await client.send_message(2, "b")
        with pytest.raises(RetryAfter) as raised:
            await client.send_message(3, "c")
        clock.advance(1.0)
        await client.send_message(3, "c")
    assert raised.value.retry_after == 1
    assert [c.status for c in api.calls("sendMessage")] == [200, 200, 429, 200]


async def test_a_per_chat_rate_limit_leaves_other_chats_alone(bot_api: FakeBotAPI, bot: Bot):
    bot_api.rate_limit(1, per_seconds=60, per_chat=True)
    await bot.send_message(1, "a")
    with pytest.raises(RetryAfter):
        await bot.send_message(1, "b")
    await bot.send_message(2, "c")


@pytest.mark.parametrize(
    ("before_recording", "recorded"),
    [(True, ["one"]), (False, ["one", "two"])],
    ids=["before-recording-never-delivered", "after-recording-delivered-unanswered"],
)
async def test_a_send_hook_runs_on_the_nth_message(
    bot_api: FakeBotAPI, bot: Bot, before_recording: bool, recorded: list[str]
):
    seen: list[Call] = []

    def hook(call: Call) -> Fault:
        seen.append(call)
        return Fault.dropped()

    bot_api.on_send_message(2, hook, before_recording=before_recording)
    await bot.send_message(4, "one")
    with pytest.raises(NetworkError):
        await bot.send_message(4, "two")
    await bot.send_message(4, "three")
    assert [c.params["text"] for c in seen] == ["two"]
    assert bot_api.texts(4) == [*recorded, "three"]


async def test_wait_for_raises_at_its_deadline(bot_api: FakeBotAPI):
    with pytest.raises(TimeoutError, match="FakeBotAPI"):
        await bot_api.wait_for(lambda: bot_api.sent(1), timeout=0.05)


def test_threaded_server_serves_a_subprocess_that_a_hook_kills():
    """The delivery crash test's shape: a sender process killed on its 2nd sendMessage."""
    sender_code = (
        "import sys, urllib.parse, urllib.request\n"
        "for n in range(1, 4):\n"
        "    data = urllib.parse.urlencode({'chat_id': 5, 'text': f'm{n}'}).encode()\n"
        "    urllib.request.urlopen(sys.argv[1] + '/sendMessage', data, timeout=5).read()\n"
    )
    api = FakeBotAPI()
    with api.threaded():
        sender = subprocess.Popen(
            [sys.executable, "-c", sender_code, f"{api.base_url}{api.token}"],
            env={**os.environ, "PYTHONPATH": ""},
        )

        def kill_sender(call: Call) -> Fault:
            sender.send_signal(signal.SIGKILL)
            sender.wait(5)
            return Fault.dropped()

        api.on_send_message(2, kill_sender, before_recording=True)
        assert api.wait_for_sync(lambda: api.calls("sendMessage")[1:2], timeout=10)
        assert sender.wait(10) == -signal.SIGKILL
        assert api.texts(5) == ["m1"]
        port = api.port
    assert not [t for t in threading.enumerate() if t.name == "FakeBotAPI-loop"]
    with pytest.raises(OSError):
        urllib.request.urlopen(f"http://127.0.0.1:{port}/bot{api.token}/getMe", timeout=2)


def test_threaded_server_accepts_json_bodies_and_query_strings(bot_api_thread: FakeBotAPI):
    api = bot_api_thread
    with httpx.Client(base_url=f"{api.base_url}{api.token}") as client:
        answer = client.post("/sendMessage", json={"chat_id": 6, "text": "json body"}).json()
        by_query = client.get("/sendMessage", params={"chat_id": 6, "text": "query"}).json()
        failed = client.post(
            "/sendMessage", json={"chat_id": 6, "text": "<b>", "parse_mode": "HTML"}
        ).json()
    assert answer["ok"] and answer["result"]["chat"] == {
        "id": 6,
        "type": "private",
        "first_name": "User 6",
    }
    assert by_query["ok"]
    assert (failed["ok"], failed["error_code"]) == (False, 400)
    assert json.loads(json.dumps(failed))["description"].startswith("Bad Request: can't parse")
    assert api.texts(6) == ["json body", "query"]
