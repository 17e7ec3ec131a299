"""Dependencies point one way: bot -> watchers -> storage. Read from the imports, not trusted."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN = {
    "storage": {"watchers", "bot", "telegram"},
    "watchers": {"bot", "telegram"},
}


def imported_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_lower_layers_never_import_upper_ones(package):
    offenders = {
        str(path.relative_to(ROOT)): sorted(imported_packages(path) & FORBIDDEN[package])
        for path in (ROOT / package).rglob("*.py")
    }
    assert {name: found for name, found in offenders.items() if found} == {}


def test_only_storage_talks_to_sqlite():
    outside = {
        str(path.relative_to(ROOT)): sorted(imported_packages(path) & {"sqlite3", "sqlite_utils"})
        for package in ("bot", "watchers")
        for path in (ROOT / package).rglob("*.py")
    }
    assert {name: found for name, found in outside.items() if found} == {}


def test_every_module_says_what_it_is_for():
    missing = [
        str(path.relative_to(ROOT))
        for package in ("bot", "watchers", "storage")
        for path in (ROOT / package).rglob("*.py")
        if ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) is None
    ]
    assert missing == []
