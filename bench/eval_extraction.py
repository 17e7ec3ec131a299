"""Score the extractor on labelled JSON lines (`make eval`): figures, claimants and positions.

Reads `../shared/corpus/dev.jsonl` next to the repository when it exists, plus
`tests/data/extraction_labelled.jsonl`, `tests/data/extraction_heldout.jsonl`,
`tests/data/extraction_heldout2.jsonl`, `tests/data/blind_figures.jsonl` and
`tests/data/blind_figures2.jsonl`, `tests/data/blind_figures3.jsonl` and
`tests/data/blind_figures4.jsonl` (figures) and
`tests/data/positions_heldout.jsonl`, `tests/data/positions_heldout2.jsonl`,
`tests/data/blind_positions.jsonl`, `tests/data/blind_positions2.jsonl`,
`tests/data/blind_positions3.jsonl`, `tests/data/blind_positions4.jsonl` and
`tests/data/blind_positions5.jsonl` (positions), held-out
files written before the rules they test; each item's story comes from `tests/data/stories.toml`.
An item without a `positions` key labels figures only, and its positions are not scored;
an item without a `figures` key (`tests/data/blind_positions4.jsonl`,
`tests/data/blind_positions5.jsonl`) labels positions only.
Prints precision, recall and F1 with and without the story, then every miss and false alarm.
"""

from __future__ import annotations

import argparse
import json
import sys
import tomllib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from storage.records import Story
from watchers.extract import extract_facts

REPO = Path(__file__).resolve().parents[1]


def shared_dir() -> Path:
    """`../shared` next to the repository (a git worktree one level deeper looks one up more)."""
    for base in (REPO.parent, REPO.parent.parent):
        if (base / "shared" / "corpus").is_dir():
            return base / "shared"
    return REPO.parent / "shared"


DEFAULT_FILES = (
    shared_dir() / "corpus" / "dev.jsonl",
    REPO / "tests" / "data" / "extraction_labelled.jsonl",
    REPO / "tests" / "data" / "extraction_heldout.jsonl",
    REPO / "tests" / "data" / "extraction_heldout2.jsonl",
    REPO / "tests" / "data" / "blind_figures.jsonl",
    REPO / "tests" / "data" / "blind_figures2.jsonl",
    REPO / "tests" / "data" / "blind_figures3.jsonl",
    REPO / "tests" / "data" / "blind_figures4.jsonl",
    REPO / "tests" / "data" / "positions_heldout.jsonl",
    REPO / "tests" / "data" / "positions_heldout2.jsonl",
    REPO / "tests" / "data" / "blind_positions.jsonl",
    REPO / "tests" / "data" / "blind_positions2.jsonl",
    REPO / "tests" / "data" / "blind_positions3.jsonl",
    REPO / "tests" / "data" / "blind_positions4.jsonl",
    REPO / "tests" / "data" / "blind_positions5.jsonl",
)
STORIES = REPO / "tests" / "data" / "stories.toml"


@dataclass
class Score:
    """Counts for one kind of fact, with the items and facts behind each error."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    qualifier_ok: int = 0
    claimant_ok: int = 0
    group_ok: int = 0
    group_labelled: int = 0
    misses: list[str] = field(default_factory=list)
    false_alarms: list[str] = field(default_factory=list)

    def prf(self) -> tuple[float, float, float]:
        """Precision, recall and F1 (1.0 when there is nothing to find and nothing found)."""
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f


def load_items(paths: Iterable[Path]) -> list[dict[str, object]]:
    """Read the labelled items of every existing file in `paths`."""
    items: list[dict[str, object]] = []
    for path in paths:
        if path.exists():
            with path.open(encoding="utf-8") as lines:
                items.extend(json.loads(line) for line in lines if line.strip())
    return items


def load_stories(path: Path = STORIES) -> dict[str, Story]:
    """Read the eval stories: slug -> Story with its title and keywords."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return {
        slug: Story(slug=slug, title=str(v["title"]), keywords=tuple(v["keywords"]))
        for slug, v in data.items()
    }


def evaluate(
    items: Sequence[dict[str, object]], stories: dict[str, Story], *, with_story: bool
) -> tuple[Score, Score]:
    """Run the extractor over `items` and score figures and positions against their labels."""
    figures, positions = Score(), Score()
    for item in items:
        text = f"{item['title']}\n\n{item['summary']}"
        published = datetime.fromisoformat(str(item["published"]).replace("Z", "+00:00"))
        story = stories.get(str(item["story"])) if with_story else None
        facts = extract_facts(text, story, published)
        if "figures" in item:
            _score_figures(figures, str(item["id"]), item["figures"], facts.figures)  # type: ignore[arg-type]
        if "positions" not in item:
            continue
        gold = Counter((p["actor"], p["stance"]) for p in item["positions"])  # type: ignore[attr-defined]
        got = Counter((p.actor, p.stance) for p in facts.positions)
        for key in gold | got:
            hit = min(gold[key], got[key])
            positions.tp += hit
            for _ in range(gold[key] - hit):
                positions.fn += 1
                positions.misses.append(f"{item['id']}: {key}")
            for _ in range(got[key] - hit):
                positions.fp += 1
                positions.false_alarms.append(f"{item['id']}: {key}")
    return figures, positions


def _score_figures(
    score: Score, item_id: str, gold: list[dict[str, object]], got: Sequence
) -> None:  # type: ignore[type-arg]
    remaining = list(got)
    for label in gold:
        key = (label["metric"], label["value"])
        candidates = [f for f in remaining if (f.metric, f.value) == key]
        if not candidates:
            score.fn += 1
            score.misses.append(f"{item_id}: {key} {label['qualifier']} {label['claimant']}")
            continue
        best = next((f for f in candidates if f.claimant == label["claimant"]), candidates[0])
        remaining.remove(best)
        score.tp += 1
        score.qualifier_ok += best.qualifier == label["qualifier"]
        score.claimant_ok += best.claimant == label["claimant"]
        group_ok = True
        if "group" in label:  # only some files label the group (a null group is a label too)
            score.group_labelled += 1
            group_ok = _same_group(best.group, label["group"])  # type: ignore[arg-type]
            score.group_ok += group_ok
        if best.qualifier != label["qualifier"] or best.claimant != label["claimant"]:
            score.misses.append(
                f"{item_id}: {key} got {best.qualifier}/{best.claimant},"
                f" want {label['qualifier']}/{label['claimant']} (value matched)"
            )
        if not group_ok:
            score.misses.append(
                f"{item_id}: {key} group {best.group!r}, want {label['group']!r} (value matched)"
            )
    for figure in remaining:
        score.fp += 1
        score.false_alarms.append(
            f"{item_id}: ({figure.metric!r}, {figure.value}) {figure.qualifier} {figure.claimant}"
        )


def _same_group(got: str | None, want: str | None) -> bool:
    """Groups compare case-blind and singular or plural alike ("child" = "children")."""
    if got is None or want is None:
        return got is want
    return _singular(got) == _singular(want)


def _singular(word: str) -> str:
    word = word.lower().strip()
    for plural, single in (("children", "child"), ("people", "person"), ("men", "man")):
        if word.endswith(plural):
            return word[: -len(plural)] + single
    return word.removesuffix("s")


def report(name: str, figures: Score, positions: Score, *, details: bool) -> str:
    """Format one run's numbers, and its errors when `details`."""
    fp, fr, ff = figures.prf()
    pp, pr, pf = positions.prf()
    lines = [
        f"== {name}",
        f"figures (metric,value): P {fp:.3f} R {fr:.3f} F1 {ff:.3f}"
        f"  (tp {figures.tp} fp {figures.fp} fn {figures.fn})",
        f"  qualifier accuracy on matched: {figures.qualifier_ok}/{figures.tp}"
        f" = {figures.qualifier_ok / max(figures.tp, 1):.3f}",
        f"  claimant accuracy on matched:  {figures.claimant_ok}/{figures.tp}"
        f" = {figures.claimant_ok / max(figures.tp, 1):.3f}",
        *(
            [
                f"  group accuracy on matched:     {figures.group_ok}/{figures.group_labelled}"
                f" = {figures.group_ok / figures.group_labelled:.3f}"
            ]
            if figures.group_labelled
            else []
        ),
        f"positions (actor,stance): P {pp:.3f} R {pr:.3f} F1 {pf:.3f}"
        f"  (tp {positions.tp} fp {positions.fp} fn {positions.fn})",
    ]
    if details:
        lines += ["-- figure misses / wrong attributes", *figures.misses]
        lines += ["-- figure false alarms", *figures.false_alarms]
        lines += ["-- position misses", *positions.misses]
        lines += ["-- position false alarms", *positions.false_alarms]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Print the scores for the labelled files given (default: the corpus and our own)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("files", nargs="*", type=Path, default=list(DEFAULT_FILES))
    parser.add_argument("--quiet", action="store_true", help="numbers only, no error lists")
    args = parser.parse_args(argv)
    stories = load_stories()
    for path in args.files:
        items = load_items([path])
        if not items:
            print(f"(skipped {path}: not found or empty)")
            continue
        for with_story in (True, False):
            figures, positions = evaluate(items, stories, with_story=with_story)
            label = f"{path.name} ({len(items)} items), {'with' if with_story else 'without'} story"
            print(report(label, figures, positions, details=not args.quiet and with_story))
            print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
