"""`storywatch demo`: the bundled timeline replayed end to end, offline, through the real
pipeline; each step's alerts are exactly the ones the timeline expects."""

from __future__ import annotations

import asyncio
import io
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from bot.demo import DemoResult, replay
from bot.replay import load_timeline, parse_timeline
from storage.records import Entry, Story
from storage.store import Store
from watchers.match import match_stories

CORPUS_TIMELINE = (
    Path(__file__).resolve().parents[2] / "shared" / "corpus" / "timeline-aleppo-convoy.json"
)


def replay_into(db: Path, timeline_path: str | None = None) -> tuple[DemoResult, str]:
    out = io.StringIO()
    with Store.open(db) as store:
        result = asyncio.run(replay(load_timeline(timeline_path), store, out))
    return result, out.getvalue()


def mismatches(result: DemoResult) -> dict[int, tuple[list, list]]:
    return {
        index + 1: (sorted(step.alerts), sorted(step.expected))
        for index, step in enumerate(result.steps)
        if Counter(step.alerts) != Counter(step.expected)
    }


def test_bundled_replay_alerts_exactly_as_the_timeline_expects(tmp_path):
    result, output = replay_into(tmp_path / "demo.db")
    assert mismatches(result) == {}
    # One message per (entry, story, chat): a step whose alerts come from two entries sends two.
    assert output.count("── to demo reader") >= sum(1 for s in result.steps if s.alerts)


def test_a_second_run_on_the_kept_database_alerts_nothing_new(tmp_path):
    db = tmp_path / "demo.db"
    first, _ = replay_into(db)
    assert sum(len(step.alerts) for step in first.steps) > 0
    second, output = replay_into(db)
    assert [step.alerts for step in second.steps] == [[] for _ in second.steps]
    assert "── to demo reader" not in output


def test_the_replay_polls_conditionally_and_sees_the_update_in_place(tmp_path):
    result, _ = replay_into(tmp_path / "demo.db")
    assert sum(step.report.not_modified for step in result.steps) > 0
    assert sum(step.report.updated for step in result.steps) == 1
    assert all(step.report.errors == 0 for step in result.steps)


# The corpus labels every item of a step, but DESIGN's matching rule lets only an entry holding
# one of the story's keywords reach extraction. Step 5's council-session item names none of them,
# so the two alerts it would give cannot fire (the test below checks that item really misses).
UNMATCHED_IN_CORPUS = {
    5: [("position", "UN Security Council", "meeting"), ("position", "United States", "demand")]
}


@pytest.mark.skipif(not CORPUS_TIMELINE.exists(), reason="shared/corpus is not beside the repo")
def test_the_corpus_timeline_alerts_as_it_expects_for_every_matching_item(tmp_path):
    result, _ = replay_into(tmp_path / "aleppo.db", str(CORPUS_TIMELINE))
    for step, unmatched in UNMATCHED_IN_CORPUS.items():
        expected = result.steps[step - 1].expected
        for alert in unmatched:
            expected.remove(alert)
    assert mismatches(result) == {}


@pytest.mark.skipif(not CORPUS_TIMELINE.exists(), reason="shared/corpus is not beside the repo")
def test_the_corpus_items_left_out_hold_none_of_the_story_keywords():
    timeline = load_timeline(str(CORPUS_TIMELINE))
    story = Story(slug="s", title=timeline.title, keywords=timeline.keywords)
    for step in UNMATCHED_IN_CORPUS:
        items = [i for items in timeline.steps[step - 1].feeds.values() for i in items]
        missing = [
            item
            for item in items
            if not match_stories(
                Entry(
                    feed_id=1,
                    key=item.guid,
                    title=item.title,
                    summary=item.summary,
                    published=item.published,
                    content_hash="",
                ),
                [story],
            )
        ]
        assert len(missing) == 1


def test_storywatch_demo_runs_offline_and_ignores_storywatch_db(tmp_path):
    env_db = tmp_path / "from-env.db"
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "demo", "--steps", "2"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={"STORYWATCH_DB": str(env_db), "PATH": "/usr/bin:/bin"},
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "[2/2]" in done.stdout and "Replayed 2 steps" in done.stdout
    assert "Database: " in done.stdout
    assert not env_db.exists()


def test_demo_with_db_keeps_the_database_there(tmp_path):
    db = tmp_path / "kept.db"
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "--db", str(db), "demo", "--steps", "1"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert f"Database: {db}" in done.stdout
    with Store.open(db) as store:
        assert len(store.list_feeds()) == 3


@pytest.mark.parametrize(
    "content",
    [
        pytest.param("not json", id="not-json"),
        pytest.param('{"steps": []}', id="no-story"),
        pytest.param('{"story": {"title": "t", "keywords": ["k"]}, "steps": [{}]}', id="no-at"),
    ],
)
def test_a_bad_timeline_exits_2_with_a_message(tmp_path, content):
    path = tmp_path / "timeline.json"
    path.write_text(content)
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "demo", "--timeline", str(path)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert "is not a timeline" in done.stderr


def test_outlets_without_a_declared_format_rotate_through_the_three():
    timeline = parse_timeline(
        json.loads(
            '{"story": {"title": "T", "keywords": ["k"]}, "steps": [{"at": "2016-01-01T00:00:00Z",'
            ' "feeds": {"a": [], "b": [], "c": []}}]}'
        )
    )
    assert [o.format for o in timeline.outlets.values()] == ["rss", "atom", "rss-html"]
