"""Arbitrary text after every command: the bot always answers and no handler ever fails."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot.handlers import USER_COMMANDS
from tests.chat_harness import ADMIN, ChatHarness
from tests.fakes.bot_api import FakeBotAPI
from tests.fakes.clock import FakeClock

# Whatever a user can type: any text, with the characters the parsers care about made common.
TYPED = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8", exclude_categories=("Cs",)),
        st.sampled_from(list(' :,"“”+-<>&@/\n0123456789hdmw')),
    ),
    max_size=200,
)


@pytest.mark.parametrize("command", sorted(USER_COMMANDS))
def test_any_text_gets_an_answer(command: str, tmp_path: Path) -> None:
    loop = asyncio.new_event_loop()

    async def open_chat() -> tuple[FakeBotAPI, ChatHarness]:
        api = FakeBotAPI()
        await api.start()
        harness = ChatHarness(api, FakeClock(), tmp_path / "storywatch.db")
        await harness.__aenter__()
        harness.add_story("deir-ez-zor-strike", "Deir ez-Zor strike", "Deir ez-Zor")
        await harness.say(ADMIN, "/track Dam collapse: dam")
        await harness.say(ADMIN, "/follow deir-ez-zor-strike")
        return api, harness

    api, harness = loop.run_until_complete(open_chat())
    tried: list[str] = []

    @settings(
        max_examples=50,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(text=TYPED)
    # Digits that str.isdigit() admits but int() refuses, and an id past SQLite's INTEGER.
    @example(text="²")
    @example(text="99999999999999999999")
    def answers(text: str) -> None:
        tried.append(text)
        sent = loop.run_until_complete(harness.say(ADMIN, f"/{command} {text}"))
        assert len(sent) >= 1
        assert harness.services.handler_errors == 0

    try:
        answers()
        assert len(tried) >= 50
    finally:

        async def close() -> None:
            await harness.__aexit__()
            await api.stop()

        loop.run_until_complete(close())
        loop.close()
