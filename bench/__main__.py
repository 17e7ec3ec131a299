"""`make bench`: run every `bench/bench_*.py` module's `main()` in turn, or only those named.

Usage: python -m bench [NAME ...]   (NAME is the part after `bench_`, e.g. `extraction`)
"""

from __future__ import annotations

import importlib
import pkgutil
import sys

import bench


def main(argv: list[str]) -> int:
    names = sorted(
        info.name.removeprefix("bench_")
        for info in pkgutil.iter_modules(bench.__path__)
        if info.name.startswith("bench_")
    )
    chosen = argv or names
    unknown = sorted(set(chosen) - set(names))
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; known: {', '.join(names)}")
        return 2
    if not chosen:
        print("no benchmarks yet")
    for name in chosen:
        print(f"== bench_{name} ==", flush=True)
        module = importlib.import_module(f"bench.bench_{name}")
        module.main()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
