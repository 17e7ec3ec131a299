"""`storywatch extract`: JSON lines in, one JSON line of facts out per line, in order.

Streams stdin to stdout; opens no database and reads no config. A malformed line yields
`{"id": ..., "error": "..."}` and the run goes on.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any, TextIO

from storage.records import Story, utc
from watchers.extract import EXTRACTION_PATH, extract_facts


class _BadItem(ValueError):
    """An input line that is not a usable item."""


def run_extract(stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    """Extract facts for every JSON line of `stdin`; return the exit status (0)."""
    print(f"storywatch extract: {EXTRACTION_PATH}-based extraction path active", file=stderr)
    for line in stdin:
        if not line.strip():
            continue
        stdout.write(json.dumps(_answer(line), ensure_ascii=False) + "\n")
        stdout.flush()
    return 0


def _answer(line: str) -> dict[str, Any]:
    item_id: Any = None
    try:
        item = json.loads(line)
        if not isinstance(item, dict):
            raise _BadItem("a line must hold a JSON object")
        item_id = item.get("id")
        text, story, published = _read_item(item)
    except (ValueError, RecursionError) as error:
        return {"id": item_id, "error": str(error) or type(error).__name__}
    facts = extract_facts(text, story, published)
    return {
        "id": item_id,
        "figures": [
            {"metric": f.metric, "value": f.value, "qualifier": f.qualifier, "claimant": f.claimant}
            for f in facts.figures
        ],
        "positions": [{"actor": p.actor, "stance": p.stance} for p in facts.positions],
    }


def _read_item(item: dict[str, Any]) -> tuple[str, Story | None, datetime | None]:
    for name in ("id", "title", "summary"):
        if name not in item:
            raise _BadItem(f"missing required field {name!r}")
    title, summary = item["title"], item["summary"]
    if not isinstance(title, str) or not isinstance(summary, str):
        raise _BadItem("title and summary must be strings")
    published = None
    if item.get("published") is not None:
        raw = item["published"]
        if not isinstance(raw, str):
            raise _BadItem("published must be an ISO-8601 string")
        moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
        published = utc(moment) if moment.tzinfo else moment.replace(tzinfo=UTC)
    story = None
    if item.get("story") is not None:
        raw_story = item["story"]
        if not isinstance(raw_story, dict):
            raise _BadItem("story must be an object with title and keywords")
        keywords = raw_story.get("keywords", [])
        if not isinstance(keywords, list) or not all(isinstance(k, str) for k in keywords):
            raise _BadItem("story keywords must be a list of strings")
        story = Story(slug="cli", title=str(raw_story.get("title", "")), keywords=tuple(keywords))
    return "\n\n".join(p for p in (title, summary) if p), story, published
