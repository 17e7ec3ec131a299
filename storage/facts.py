"""Queries on what entries say: the one transaction that stores an entry with its matches, facts,
changes and outbox rows, and the read of a story's known facts that change decisions start from.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from storage.core import StoreCore, from_db, from_db_required, to_db
from storage.records import (
    Change,
    Entry,
    Facts,
    Figure,
    KnownFigure,
    KnownPosition,
    Position,
    Sighting,
    Story,
    StoryFacts,
)

Decide = Callable[[StoryFacts, Facts, Entry], list[Change]]
"""The change decision (`watchers.contracts.ChangeDecider`), passed in, not imported."""


@dataclass(frozen=True, slots=True)
class CommitResult:
    """What `commit_entry` did: `status` is "new", "updated" or "unchanged"."""

    entry: Entry
    status: str
    changes: tuple[Change, ...] = ()
    outbox_rows: int = 0


def entry_from_row(row: dict[str, Any]) -> Entry:
    return Entry(
        id=row["id"],
        feed_id=row["feed_id"],
        key=row["key"],
        link=row["link"],
        title=row["title"],
        summary=row["summary"],
        content=row["content"],
        published=from_db_required(row["published"]),
        first_seen=from_db(row["first_seen"]),
        content_hash=row["content_hash"],
    )


def _entry_values(entry: Entry, now: datetime) -> dict[str, Any]:
    return {
        "feed_id": entry.feed_id,
        "key": entry.key,
        "link": entry.link,
        "title": entry.title,
        "summary": entry.summary,
        "content": entry.content,
        "published": to_db(entry.published),
        "first_seen": to_db(entry.first_seen or now),
        "content_hash": entry.content_hash,
    }


class FactQueries(StoreCore):
    def find_entry(self, feed_id: int, key: str) -> Entry | None:
        row = self._row("SELECT * FROM entries WHERE feed_id = ? AND key = ?", (feed_id, key))
        return None if row is None else entry_from_row(row)

    def story_facts(self, story_id: int, exclude_entry_id: int | None = None) -> StoryFacts:
        """Every figure and position stored for a story, with where each was seen.

        Facts of `exclude_entry_id` are left out, so an entry read again is decided against
        what the other entries said.
        """
        exclude = -1 if exclude_entry_id is None else exclude_entry_id
        sighting = (
            "entries.id AS entry_id, entries.published AS published, entries.link AS link, "
            "feeds.title AS outlet, feeds.url AS feed_url"
        )
        figures = self._rows(
            f"SELECT figures.*, {sighting} FROM figures "
            "JOIN entries ON entries.id = figures.entry_id "
            "JOIN feeds ON feeds.id = entries.feed_id "
            "WHERE figures.story_id = ? AND figures.entry_id != ? "
            "ORDER BY entries.published, figures.id",
            (story_id, exclude),
        )
        positions = self._rows(
            f"SELECT positions.*, {sighting} FROM positions "
            "JOIN entries ON entries.id = positions.entry_id "
            "JOIN feeds ON feeds.id = entries.feed_id "
            "WHERE positions.story_id = ? AND positions.entry_id != ? "
            "ORDER BY entries.published, positions.id",
            (story_id, exclude),
        )
        return StoryFacts(
            story_id=story_id,
            figures=tuple(
                KnownFigure(figure=_figure_from_row(row), seen=_sighting(row)) for row in figures
            ),
            positions=tuple(
                KnownPosition(
                    position=Position(
                        actor=row["actor"], stance=row["stance"], sentence=row["sentence"]
                    ),
                    seen=_sighting(row),
                )
                for row in positions
            ),
        )

    def commit_entry(
        self,
        entry: Entry,
        findings: Sequence[tuple[Story, Facts]],
        decide: Decide,
        now: datetime,
        *,
        silent: bool = False,
    ) -> CommitResult:
        """Store `entry` and what it says about each matched story, in ONE write transaction.

        Inside BEGIN IMMEDIATE: upsert the entry by (feed, key) — nothing more happens when its
        content hash is unchanged; an updated entry's old matches and facts are replaced — then
        for each (story, facts): read the story's known facts, `decide` the changes, store the
        match, the facts and the changes, and one outbox row per active, unmuted subscription
        whose chat wants that kind of alert. Deciding inside the transaction is what makes three
        outlets with the same new figure in one tick one alert. With `silent` (a baseline), the
        changes are stored as silent and no outbox row is written.
        """
        with self.transaction():
            stored = self.find_entry(entry.feed_id, entry.key)
            if stored is not None and stored.content_hash == entry.content_hash:
                return CommitResult(entry=stored, status="unchanged")
            values = _entry_values(entry, now)
            if stored is None:
                entry_id = self._insert("entries", values)
                status = "new"
            else:
                assert stored.id is not None
                entry_id = stored.id
                values["first_seen"] = to_db(stored.first_seen or now)
                self.db.table("entries").update(entry_id, values)
                for table in ("matches", "figures", "positions"):
                    self.db.execute(f"DELETE FROM {table} WHERE entry_id = ?", (entry_id,))
                status = "updated"
            saved = replace(entry, id=entry_id, first_seen=from_db(values["first_seen"]))
            all_changes: list[Change] = []
            rows = 0
            for story, facts in findings:
                assert story.id is not None
                changes = self._commit_story_facts(saved, story.id, facts, decide, now, silent)
                all_changes.extend(changes)
                if not silent:
                    rows += self._enqueue_for_story(saved, story.id, changes, status, now)
        return CommitResult(
            entry=saved, status=status, changes=tuple(all_changes), outbox_rows=rows
        )

    def entries_to_baseline(self, story_id: int) -> list[Entry]:
        """Stored entries not matched to the story yet, oldest publication first."""
        rows = self._rows(
            "SELECT * FROM entries WHERE id NOT IN "
            "(SELECT entry_id FROM matches WHERE story_id = ?) ORDER BY published, id",
            (story_id,),
        )
        return [entry_from_row(row) for row in rows]

    def commit_baseline(
        self,
        story_id: int,
        findings: Sequence[tuple[Entry, Facts]],
        decide: Decide,
        now: datetime,
    ) -> tuple[Change, ...]:
        """Store what already stored entries say about a new or re-keyed story, silently.

        In ONE write transaction, in the order of `findings` (oldest publication first reads
        best): each entry's match, facts and changes marked silent; no outbox row. An entry
        matched to the story meanwhile (a poll got there first) is skipped: its facts are in.
        """
        changes: list[Change] = []
        with self.transaction():
            for entry, facts in findings:
                assert entry.id is not None
                already = self._scalar(
                    "SELECT 1 FROM matches WHERE story_id = ? AND entry_id = ?",
                    (story_id, entry.id),
                )
                if already is not None:
                    continue
                changes.extend(
                    self._commit_story_facts(entry, story_id, facts, decide, now, silent=True)
                )
        return tuple(changes)

    def _commit_story_facts(
        self,
        entry: Entry,
        story_id: int,
        facts: Facts,
        decide: Decide,
        now: datetime,
        silent: bool,
    ) -> list[Change]:
        assert entry.id is not None
        known = self.story_facts(story_id, exclude_entry_id=entry.id)
        announced = self._announced_pairs(story_id)
        changes = [
            change for change in decide(known, facts, entry) if _pair(change) not in announced
        ]
        self.db.execute(
            "INSERT OR IGNORE INTO matches (story_id, entry_id, matched_at) VALUES (?, ?, ?)",
            (story_id, entry.id, to_db(now)),
        )
        for figure in facts.figures:
            self.db.execute(
                "INSERT INTO figures (story_id, entry_id, metric, value, qualifier, claimant, "
                "grp, sentence) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    story_id,
                    entry.id,
                    figure.metric,
                    figure.value,
                    figure.qualifier,
                    figure.claimant,
                    figure.group,
                    figure.sentence,
                ),
            )
        for position in facts.positions:
            self.db.execute(
                "INSERT INTO positions (story_id, entry_id, actor, stance, sentence) "
                "VALUES (?, ?, ?, ?, ?)",
                (story_id, entry.id, position.actor, position.stance, position.sentence),
            )
        stored: list[Change] = []
        for change in changes:
            change = replace(
                change, story_id=story_id, entry_id=entry.id, silent=silent, detected_at=now
            )
            change_id = self._insert("changes", _change_values(change))
            stored.append(replace(change, id=change_id))
        return stored

    def _announced_pairs(self, story_id: int) -> set[tuple[str, object, object]]:
        """The fact pairs a story has already had a change for, silent ones included.

        The known facts alone are not enough: an updated entry's own facts are left out of
        them, and an entry updated to drop a fact takes it out of them, yet either pair was
        already told to subscribers and must not alert again.
        """
        rows = self.db.execute(
            "SELECT kind, metric, value, actor, stance FROM changes WHERE story_id = ?",
            (story_id,),
        ).fetchall()
        return {
            ("figure", metric, value)
            if kind == "figure"
            else ("position", actor.casefold(), stance)
            for kind, metric, value, actor, stance in rows
        }

    def _enqueue_for_story(
        self, entry: Entry, story_id: int, changes: Sequence[Change], status: str, now: datetime
    ) -> int:
        subscribers = self._rows(
            "SELECT subscriptions.chat_id, subscriptions.thread_id, subscriptions.muted_until, "
            "chats.figures_on, chats.positions_on, chats.articles_on "
            "FROM subscriptions JOIN chats ON chats.id = subscriptions.chat_id "
            "WHERE subscriptions.story_id = ? AND subscriptions.active = 1 AND chats.active = 1 "
            "ORDER BY subscriptions.chat_id, subscriptions.thread_id",
            (story_id,),
        )
        written = 0
        for sub in subscribers:
            muted_until = from_db(sub["muted_until"])
            if muted_until is not None and muted_until > now:
                continue
            wanted = [
                change.id
                for change in changes
                if (change.kind == "figure" and sub["figures_on"])
                or (change.kind == "position" and sub["positions_on"])
            ]
            if wanted:
                self._enqueue(sub, "alert", story_id, entry, wanted, now)
                written += 1
            elif sub["articles_on"] and status == "new":
                self._enqueue(sub, "article", story_id, entry, [], now)
                written += 1
        return written

    def _enqueue(
        self,
        subscriber: dict[str, Any],
        kind: str,
        story_id: int,
        entry: Entry,
        change_ids: Sequence[int | None],
        now: datetime,
    ) -> None:
        self.db.execute(
            "INSERT INTO outbox (chat_id, thread_id, kind, story_id, entry_id, change_ids, "
            "created_at, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                subscriber["chat_id"],
                subscriber["thread_id"],
                kind,
                story_id,
                entry.id,
                json.dumps(list(change_ids)),
                to_db(now),
                to_db(now),
            ),
        )


def _pair(change: Change) -> tuple[str, object, object]:
    if change.figure is not None:
        return ("figure", change.figure.metric, change.figure.value)
    assert change.position is not None
    return ("position", change.position.actor.casefold(), change.position.stance)


def _figure_from_row(row: dict[str, Any]) -> Figure:
    return Figure(
        metric=row["metric"],
        value=row["value"],
        qualifier=row["qualifier"],
        claimant=row["claimant"],
        group=row["grp"],
        sentence=row["sentence"],
    )


def _sighting(row: dict[str, Any]) -> Sighting:
    return Sighting(
        entry_id=row["entry_id"],
        published=from_db_required(row["published"]),
        outlet=row["outlet"] or row["feed_url"],
        link=row["link"],
    )


def _change_values(change: Change) -> dict[str, Any]:
    values: dict[str, Any] = {
        "story_id": change.story_id,
        "entry_id": change.entry_id,
        "kind": change.kind,
        "earlier_stances": json.dumps(list(change.earlier_stances)),
        "silent": int(change.silent),
        "detected_at": to_db(change.detected_at),
    }
    if change.figure is not None:
        figure = change.figure
        values |= {
            "metric": figure.metric,
            "value": figure.value,
            "qualifier": figure.qualifier,
            "claimant": figure.claimant,
            "grp": figure.group,
            "sentence": figure.sentence,
        }
    if change.position is not None:
        values |= {
            "actor": change.position.actor,
            "stance": change.position.stance,
            "sentence": change.position.sentence,
        }
    if change.previous is not None:
        previous = change.previous
        values |= {
            "previous_entry_id": previous.seen.entry_id,
            "previous_value": previous.figure.value,
            "previous_qualifier": previous.figure.qualifier,
            "previous_claimant": previous.figure.claimant,
            "previous_grp": previous.figure.group,
            "previous_sentence": previous.figure.sentence,
            "previous_published": to_db(previous.seen.published),
            "previous_outlet": previous.seen.outlet,
            "previous_link": previous.seen.link,
        }
    return values


def change_from_db(row: dict[str, Any]) -> Change:
    """A `changes` row back as the Change it was stored from (see `_change_values`)."""
    figure = position = None
    previous = None
    if row["kind"] == "figure":
        figure = _figure_from_row(row)
        if row["previous_value"] is not None:
            previous = KnownFigure(
                figure=Figure(
                    metric=row["metric"],
                    value=row["previous_value"],
                    qualifier=row["previous_qualifier"] or "exact",
                    claimant=row["previous_claimant"],
                    group=row["previous_grp"],
                    sentence=row["previous_sentence"] or "",
                ),
                seen=Sighting(
                    entry_id=row["previous_entry_id"] or 0,
                    published=from_db_required(row["previous_published"]),
                    outlet=row["previous_outlet"],
                    link=row["previous_link"],
                ),
            )
    else:
        position = Position(actor=row["actor"], stance=row["stance"], sentence=row["sentence"])
    return Change(
        id=row["id"],
        story_id=row["story_id"],
        entry_id=row["entry_id"],
        figure=figure,
        position=position,
        previous=previous,
        earlier_stances=tuple(json.loads(row["earlier_stances"] or "[]")),
        silent=bool(row["silent"]),
        detected_at=from_db_required(row["detected_at"]),
    )
