"""The wheel carries the three packages and their data; Docker and make agree on what runs."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> zipfile.ZipFile:
    # Build from a copy: setuptools leaves build/ and *.egg-info in the source tree otherwise.
    source = tmp_path_factory.mktemp("source")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    for package in ("bot", "watchers", "storage"):
        shutil.copytree(
            ROOT / package, source / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out), "."],
        cwd=source,
        check=True,
        capture_output=True,
    )
    (path,) = out.glob("storywatch-*.whl")
    return zipfile.ZipFile(path)


def test_the_wheel_holds_the_three_packages_and_their_package_data(wheel):
    names = wheel.namelist()
    for package in ("bot", "watchers", "storage"):
        assert f"{package}/__init__.py" in names
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"][
        "package-data"
    ]
    for package, patterns in declared.items():
        for pattern in patterns:
            expected = sorted(
                str(p.relative_to(ROOT)) for p in (ROOT / package).glob(pattern) if p.is_file()
            )
            assert set(expected) <= set(names), f"{package}/{pattern} missing from the wheel"
    assert not any(name.startswith(("tests/", "bench/")) for name in names)
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "storywatch = bot.cli:main" in wheel.read(entry_points).decode()


def extras_in(text: str, pattern: str) -> set[str]:
    match = re.search(pattern, text)
    assert match, f"no install line matching {pattern!r}"
    inside = match.group(1) or ""
    return {extra.strip() for extra in inside.split(",") if extra.strip()}


def test_docker_installs_the_runtime_extras_make_installs_minus_the_test_tools():
    dockerfile = (ROOT / "Dockerfile").read_text()
    makefile = (ROOT / "Makefile").read_text()
    docker_extras = extras_in(dockerfile, r'pip install[^\n]*"\.(?:\[([^\]]*)\])?"')
    make_extras = extras_in(makefile, r"pip install[^\n]*-e '\.\[([^\]]*)\]'")
    assert docker_extras == make_extras - {"test"}
    assert "-e " not in re.search(r"RUN pip install[^\n]*", dockerfile).group(0)


def test_docker_entry_point_is_the_console_script_make_runs():
    dockerfile = (ROOT / "Dockerfile").read_text()
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert 'ENTRYPOINT ["storywatch"]' in dockerfile and "storywatch" in scripts
    assert 'CMD ["run"]' in dockerfile
    assert re.search(r"HEALTHCHECK .*\[\"storywatch\", \"health\"\]", dockerfile)
    assert "$(BIN)/storywatch run" in (ROOT / "Makefile").read_text()
    assert "USER storywatch" in dockerfile and "STORYWATCH_DB=/data/storywatch.db" in dockerfile
