"""Admin notices end to end: a feed the tick disables (410 Gone) becomes one `admin_notice` row per
admin, and the sender delivers each through python-telegram-bot to the fake Bot API."""

from __future__ import annotations

from pathlib import Path

from telegram import Bot

from bot.channels import TelegramChannel
from bot.sender import Sender
from bot.wiring import pipeline_stages
from storage.records import Feed
from storage.store import Store
from tests.fakes.bot_api import FakeBotAPI
from tests.fakes.clock import FakeClock
from tests.fakes.feeds import FeedServer, Reply, rss
from watchers.tick import Poller, PollSettings

ADMINS = (4242, 4343)


async def test_a_gone_feed_is_told_to_every_admin_once(
    feed_server: FeedServer, bot_api: FakeBotAPI, clock: FakeClock, tmp_path: Path
) -> None:
    store = Store.open(tmp_path / "notices.db")
    healthy = feed_server.publish("/fine.xml", rss("Fine", []))
    gone_url = feed_server.url_for("/gone.xml?edition=world&lang=en")
    feed_server.always("/gone.xml", Reply(status=410))
    for url in (healthy, gone_url):
        store.add_feed(Feed(url, allow_private=True), clock.now())
    poller = Poller(
        store, pipeline_stages(), PollSettings(fetch_timeout_s=2, admin_ids=frozenset(ADMINS))
    )
    try:
        report = await poller.tick(clock.now())
    finally:
        await poller.close()
    assert (report.polled, report.disabled) == (2, 1)
    rows = store.db.execute("SELECT chat_id, kind FROM outbox ORDER BY chat_id").fetchall()
    assert [tuple(row) for row in rows] == [(4242, "admin_notice"), (4343, "admin_notice")]

    async with Bot(bot_api.token, base_url=bot_api.base_url) as bot:
        sender = Sender(store, TelegramChannel(bot), clock.now, clock.sleep)
        assert await sender.drain() == 2

    for admin in ADMINS:
        (notice,) = bot_api.sent(admin)
        assert notice.text == (
            f"Feed {gone_url} disabled: 410 Gone: the publisher removed the feed"
        ), notice.text
        assert "edition=world&amp;lang=en" in notice.raw_text  # escaped for HTML
    assert bot_api.sent(1001) == []
    assert store.waiting_outbox_rows() == 0
    store.close()
