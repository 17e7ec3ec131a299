"""The chat commands and buttons, end to end through PTB's real stack and the fake Bot API."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.app import publish_commands
from bot.callbacks import Button
from bot.views import COMMANDS
from storage.records import NO_THREAD, Figure, Position
from tests.chat_harness import ADMIN, ChatHarness
from tests.fakes.bot_api import FakeBotAPI
from tests.fakes.clock import FakeClock

USER = 1001
GROUP = -2001
FORUM = -1_000_000_000_123
MEMBER = 3003
GROUP_ADMIN = 3004


@pytest.fixture
async def chat(bot_api: FakeBotAPI, clock: FakeClock, tmp_path: Path) -> AsyncIterator[ChatHarness]:
    async with ChatHarness(bot_api, clock, tmp_path / "storywatch.db") as harness:
        yield harness


def buttons(message) -> list[tuple[str, str]]:
    markup = message.reply_markup or {"inline_keyboard": []}
    if isinstance(markup, str):
        markup = json.loads(markup)
    return [(b["text"], b["callback_data"]) for row in markup["inline_keyboard"] for b in row]


def only_text(messages) -> str:
    assert len(messages) == 1, [m.text for m in messages]
    return messages[0].text


async def test_start_lists_stories_with_follow_buttons(chat: ChatHarness) -> None:
    story = chat.add_story("deir-ez-zor-strike", "Deir ez-Zor strike")
    chat.add_story("mine", "Someone's own", source="chat", owner_chat_id=999)
    [answer] = await chat.say(USER, "/start")
    assert "follows developing news stories" in answer.text
    assert "Deir ez-Zor strike (deir-ez-zor-strike)" in answer.text
    assert "Someone's own" not in answer.text
    assert buttons(answer) == [("Follow Deir ez-Zor strike", Button("follow", story.id).encode())]


async def test_start_reactivates_a_chat_deactivated_by_forbidden(chat: ChatHarness) -> None:
    await chat.say(USER, "/help")
    chat.store.set_chat_active(USER, False)
    assert "Welcome back" in only_text(await chat.say(USER, "/start"))
    assert chat.store.get_chat(USER).active


async def test_help_lists_every_command_and_admins_see_theirs(chat: ChatHarness) -> None:
    text = only_text(await chat.say(USER, "/help"))
    assert all(f"/{name}" in text for name, _, _ in COMMANDS)
    assert "/addfeed" not in text
    assert "/addfeed" in only_text(await chat.say(ADMIN, "/help"))


async def test_set_my_commands_publishes_the_menu(chat: ChatHarness) -> None:
    await publish_commands(chat.app)
    assert [c["command"] for c in chat.api.commands()] == [name for name, _, _ in COMMANDS]


async def test_follow_by_slug_shows_the_picture_once(chat: ChatHarness) -> None:
    story = chat.add_story("strike", "Ridge strike")
    chat.add_facts(story, "a", figures=(Figure("killed", 62, claimant="Russia"),))
    text = only_text(await chat.say(USER, "/follow strike"))
    assert text.startswith("Following Ridge strike: alerts will come here")
    assert "killed: 62 (Russia, via Wire" in text
    assert chat.store.get_subscription(USER, story.id).active
    assert "already follows" in only_text(await chat.say(USER, "/follow strike"))


async def test_follow_by_title_words_and_unfollow(chat: ChatHarness) -> None:
    story = chat.add_story("deir-ez-zor-strike", "Deir ez-Zor air strike")
    assert "Following" in only_text(await chat.say(USER, "/follow deir strike"))
    assert "Stopped following" in only_text(await chat.say(USER, "/unfollow deir-ez-zor-strike"))
    assert not chat.store.get_subscription(USER, story.id).active
    assert "does not follow" in only_text(await chat.say(USER, "/unfollow deir-ez-zor-strike"))


async def test_unknown_or_ambiguous_story_offers_closest_as_buttons(chat: ChatHarness) -> None:
    first = chat.add_story("dam-collapse", "Derna dam collapse")
    second = chat.add_story("dam-burst", "Kakhovka dam burst")
    [answer] = await chat.say(USER, "/follow dam")
    assert "Which story did you mean by “dam”?" in answer.text
    assert buttons(answer) == [
        ("Follow Derna dam collapse", Button("follow", first.id).encode()),
        ("Follow Kakhovka dam burst", Button("follow", second.id).encode()),
    ]
    await chat.press(USER, answer.message_id, Button("follow", second.id).encode())
    assert chat.store.get_subscription(USER, second.id).active
    assert "No story matches “zzqqxx”" in only_text(await chat.say(USER, "/follow zzqqxx"))


@pytest.mark.parametrize(
    "command",
    [
        "follow",
        "unfollow",
        "status",
        "history",
        "keywords",
        "untrack",
        "watch",
        "unwatch",
        "mute",
        "track",
        "unmute",
    ],
)
async def test_missing_arguments_answer_with_usage(chat: ChatHarness, command: str) -> None:
    assert "Usage: /" + command in only_text(await chat.say(USER, f"/{command}"))


async def test_follow_in_a_forum_topic_sends_there(chat: ChatHarness) -> None:
    story = chat.add_story("strike", "Ridge strike")
    chat.api.add_chat(FORUM, "supergroup", title="Newsroom", is_forum=True)
    chat.api.set_member_status(FORUM, GROUP_ADMIN, "administrator")
    [answer] = await chat.say(FORUM, "/follow strike", user_id=GROUP_ADMIN, message_thread_id=77)
    assert answer.message_thread_id == 77
    assert "alerts will come here in this topic" in answer.text
    assert chat.store.get_subscription(FORUM, story.id, thread_id=77).active
    assert chat.store.find_subscription(FORUM, story.id, NO_THREAD) is None


async def test_group_members_may_not_change_subscriptions(chat: ChatHarness) -> None:
    chat.add_story("strike", "Ridge strike")
    chat.api.set_member_status(GROUP, MEMBER, "member")
    text = only_text(await chat.say(GROUP, "/follow strike", user_id=MEMBER))
    assert "Only this group's administrators" in text
    assert chat.store.subscriptions_for_chat(GROUP) == []


async def test_group_admin_is_asked_once_and_cached_for_five_minutes(chat: ChatHarness) -> None:
    chat.add_story("strike", "Ridge strike")
    chat.add_story("quake", "Quake")
    chat.api.set_member_status(GROUP, GROUP_ADMIN, "administrator")
    await chat.say(GROUP, "/follow strike", user_id=GROUP_ADMIN)
    await chat.say(GROUP, "/follow quake", user_id=GROUP_ADMIN)
    assert len(chat.api.calls("getChatMember")) == 1
    assert len(chat.store.subscriptions_for_chat(GROUP)) == 2
    chat.clock.advance(301)
    await chat.say(GROUP, "/unfollow quake", user_id=GROUP_ADMIN)
    assert len(chat.api.calls("getChatMember")) == 2


async def test_anonymous_group_admin_needs_no_lookup(chat: ChatHarness) -> None:
    story = chat.add_story("strike", "Ridge strike")
    assert "Following" in only_text(await chat.as_anonymous_admin(GROUP, "/follow strike"))
    assert chat.api.calls("getChatMember") == []
    assert chat.store.get_subscription(GROUP, story.id).active


async def test_follow_with_the_bots_name_and_not_another_bots(chat: ChatHarness) -> None:
    chat.add_story("strike", "Ridge strike")
    chat.api.set_member_status(GROUP, GROUP_ADMIN, "administrator")
    assert await chat.say(GROUP, "/follow@otherbot strike", user_id=GROUP_ADMIN) == []
    text = only_text(
        await chat.say(GROUP, f"/follow@{chat.api.username} strike", user_id=GROUP_ADMIN)
    )
    assert "Following" in text


async def test_channel_post_follows(chat: ChatHarness) -> None:
    story = chat.add_story("strike", "Ridge strike")
    assert "Following" in only_text(await chat.post(-100777, "/follow strike"))
    assert chat.store.get_subscription(-100777, story.id).active
    assert chat.store.get_chat(-100777).kind == "channel"


async def test_edited_commands_are_not_run_again(chat: ChatHarness) -> None:
    chat.add_story("strike", "Ridge strike")
    before = len(chat.api.sent())
    chat.api.queue_edited_message(USER, 1, "/follow strike")
    await chat.deliver()
    assert len(chat.api.sent()) == before


async def test_followed_stories_limit_counts_across_topics(chat: ChatHarness) -> None:
    for n in range(4):
        chat.add_story(f"s{n}", f"Story {n}")
    chat.api.set_member_status(FORUM, GROUP_ADMIN, "administrator")
    for n, topic in ((0, 1), (1, 2), (2, 3)):
        await chat.say(FORUM, f"/follow s{n}", user_id=GROUP_ADMIN, message_thread_id=topic)
    text = only_text(await chat.say(FORUM, "/follow s3", user_id=GROUP_ADMIN, message_thread_id=4))
    assert "already follows 3 stories, the most it may. Unfollow one first" in text


async def test_track_creates_follows_and_baselines_a_story(chat: ChatHarness) -> None:
    chat.add_story("dam-collapse", "Dam collapse")
    text = only_text(await chat.say(USER, '/track Dam collapse: Derna, "storm", +Libya'))
    story = chat.store.get_story("dam-collapse-2")
    assert (story.source, story.owner_chat_id) == ("chat", USER)
    assert story.keywords == ("Derna", '"storm"', "+Libya")
    assert chat.store.get_subscription(USER, story.id).active
    assert chat.baselined == ["dam-collapse-2"]
    assert "Tracking Dam collapse as dam-collapse-2" in text
    assert "0 stored articles already match" in text


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("/track no colon", "Put a colon between the title and the keywords"),
        ("/track T: " + "x" * 31, "at most 30 are allowed"),
        ("/track T: a, b, c, d, e", "a story may have at most 4"),
    ],
    ids=["no-colon", "keyword-too-long", "too-many-keywords"],
)
async def test_track_refusals_say_why(chat: ChatHarness, text: str, problem: str) -> None:
    answer = only_text(await chat.say(USER, text))
    assert problem in answer and "Usage: /track" in answer


async def test_owned_stories_limit(chat: ChatHarness) -> None:
    await chat.say(USER, "/track One: one")
    await chat.say(USER, "/track Two: two")
    text = only_text(await chat.say(USER, "/track Three: three"))
    assert "already tracks 2 stories of its own" in text and "/untrack" in text


async def test_chat_stories_are_private_to_their_owner_and_admins(chat: ChatHarness) -> None:
    await chat.say(USER, "/track Secret story: secret")
    assert "No story matches" in only_text(await chat.say(2002, "/status secret-story"))
    assert "Secret story" in only_text(await chat.say(ADMIN, "/status secret-story"))


async def test_watch_unwatch_and_keywords(chat: ChatHarness) -> None:
    await chat.say(USER, "/track Dam: dam")
    text = only_text(await chat.say(USER, '/watch dam "storm Daniel" -football'))
    assert text.startswith("Added 2 keywords.")
    assert chat.store.get_story("dam").keywords == ("dam", "storm Daniel", "-football")
    keywords = only_text(await chat.say(USER, "/keywords dam"))
    assert "any of: dam, storm Daniel" in keywords and "none of: football" in keywords
    assert "has no keyword" in only_text(await chat.say(USER, "/unwatch dam nothere"))
    assert only_text(await chat.say(USER, "/unwatch dam -football")).startswith("Removed 1")
    assert "at least one keyword" in only_text(
        await chat.say(USER, '/unwatch dam dam "storm Daniel"')
    )
    assert "at most 4" in only_text(await chat.say(USER, "/watch dam a b c"))
    assert chat.baselined == ["dam", "dam", "dam"]


async def test_only_owner_or_admin_edits_a_story(chat: ChatHarness) -> None:
    chat.add_story("strike", "Ridge strike")
    text = only_text(await chat.say(USER, "/watch strike more"))
    assert "belongs to the bot's administrators" in text
    assert only_text(await chat.say(ADMIN, "/watch strike more")).startswith("Added 1 keyword.")


async def test_untrack_disables_story_and_subscriptions(chat: ChatHarness) -> None:
    await chat.say(USER, "/track Dam: dam")
    story = chat.store.get_story("dam")
    assert "Stopped tracking Dam" in only_text(await chat.say(USER, "/untrack dam"))
    assert not chat.store.get_story("dam").enabled
    assert chat.store.subscriptions_for_story(story.id) == []


async def test_status_and_history_pages(chat: ChatHarness) -> None:
    story = chat.add_story("strike", "Ridge strike")
    for n in range(12):
        chat.add_facts(story, f"e{n}", figures=(Figure("killed", 10 + n),), hours=n)
    chat.add_facts(story, "p", positions=(Position("Russia", "condemn"),), hours=20, outlet="Other")
    status = only_text(await chat.say(USER, "/status strike"))
    assert "killed: 21 (via Wire" in status and "earlier 10, 11" in status
    assert "Russia: condemns" in status and "13 matching articles from 2 sources" in status
    [page] = await chat.say(USER, "/history strike")
    assert page.text.count("killed:") == 10
    assert [label for label, _ in buttons(page)] == ["1/2", "Next ›"]
    answer = await chat.press(USER, page.message_id, Button("history", story.id, 1).encode())
    assert answer.get("text") is None
    edited = chat.api.sent(USER)[-1]
    assert edited.message_id == page.message_id
    assert "killed: first report → 21" in edited.text and "Russia condemns" in edited.text


async def test_stories_paginate_past_ten(chat: ChatHarness) -> None:
    for n in range(12):
        chat.add_story(f"s{n:02}", f"Story {n:02}")
    [page] = await chat.say(USER, "/stories")
    assert "Stories (12)" in page.text and "Story 09" in page.text and "Story 10" not in page.text
    await chat.press(USER, page.message_id, Button("stories", 0, 1).encode())
    assert "Story 11" in chat.api.sent(USER)[-1].text


async def test_mute_and_unmute(chat: ChatHarness) -> None:
    story = chat.add_story("strike", "Ridge strike")
    assert "does not follow" in only_text(await chat.say(USER, "/mute strike 6h"))
    await chat.say(USER, "/follow strike")
    assert "write it like 6h" in only_text(await chat.say(USER, "/mute strike soon"))
    assert "Muted Ridge strike until 17 Sep 18:00 UTC" in only_text(
        await chat.say(USER, "/mute strike 6h")
    )
    assert chat.store.get_subscription(USER, story.id).muted_until is not None
    assert "on again" in only_text(await chat.say(USER, "/unmute strike"))
    assert chat.store.get_subscription(USER, story.id).muted_until is None


async def test_settings_toggle_buttons(chat: ChatHarness) -> None:
    [menu] = await chat.say(USER, "/settings")
    assert "Every new matching article: off" in menu.text
    answer = await chat.press(USER, menu.message_id, Button("setting", 0, 2).encode())
    assert answer["text"] == "Articles alerts on"
    assert chat.store.get_chat(USER).articles_on
    assert "Every new matching article: on" in chat.api.sent(USER)[-1].text


async def test_group_member_cannot_press_follow(chat: ChatHarness) -> None:
    story = chat.add_story("strike", "Ridge strike")
    chat.api.set_member_status(GROUP, MEMBER, "member")
    [menu] = await chat.say(GROUP, "/stories", user_id=MEMBER)
    answer = await chat.press(GROUP, menu.message_id, Button("follow", story.id).encode(), MEMBER)
    assert "Only this group's administrators" in answer["text"]
    assert chat.store.subscriptions_for_chat(GROUP) == []


async def test_stale_buttons_are_answered(chat: ChatHarness) -> None:
    [menu] = await chat.say(USER, "/settings")
    answer = await chat.press(USER, menu.message_id, "garbage")
    assert "no longer works" in answer["text"]


@pytest.mark.parametrize(
    "command", ["/feeds", "/addfeed https://example.org/rss", "/stats", "/removefeed 1"]
)
async def test_admin_commands_refuse_others(chat: ChatHarness, command: str) -> None:
    assert "for the bot's administrators" in only_text(await chat.say(USER, command))


async def test_admin_feed_commands(chat: ChatHarness) -> None:
    assert "Added feed 1: https://news.example/rss" in only_text(
        await chat.say(ADMIN, "/addfeed https://news.example/rss")
    )
    for private in (
        "http://127.0.0.1/rss",
        "http://localhost:8080/x",
        "http://10.1.2.3/",
        "ftp://news.example/",
    ):
        assert "Usage: /addfeed" in only_text(await chat.say(ADMIN, f"/addfeed {private}"))
    feeds = only_text(await chat.say(ADMIN, "/feeds"))
    assert "https://news.example/rss" in feeds and "last poll never" in feeds
    stats = only_text(await chat.say(ADMIN, "/stats"))
    assert "feeds: 1 (1 enabled, 0 failing)" in stats and "outbox backlog: 0" in stats
    assert "Removed feed 1" in only_text(await chat.say(ADMIN, "/removefeed 1"))
    assert "No feed" in only_text(await chat.say(ADMIN, "/removefeed 1"))


async def test_a_failing_handler_is_logged_and_the_user_told(
    bot_api: FakeBotAPI, clock: FakeClock, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    def broken_baseline(*_: object) -> None:
        raise RuntimeError("baseline broke")

    async with ChatHarness(bot_api, clock, tmp_path / "db", baseline=broken_baseline) as chat:
        text = only_text(await chat.say(USER, "/track Dam: dam"))
        assert text.startswith("Something went wrong, it has been logged")
        assert chat.services.handler_errors == 1
        assert "baseline broke" in caplog.text and "/track Dam: dam" in caplog.text
        assert "Usage" in only_text(await chat.say(USER, "/follow"))
