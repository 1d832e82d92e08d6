"""``python -m bench [NAME ...]``: run the benchmarks (all by default) and print their tables."""

from __future__ import annotations

import importlib
import sys
import time

BENCHES = [
    "parse",
    "world",
    "cache",
    "localsearch",
    "checker",
    "auction",
    "national",
    "hardtail",
    "escalation",
    "hardunsat",
    "tune",
    "tune_overhead",
    "region_paired",
    "national_paired",
]


def main(argv: list[str]) -> None:
    names = argv or BENCHES
    unknown = [n for n in names if n not in BENCHES]
    if unknown:
        sys.exit(f"unknown benchmark {unknown[0]!r} (known: {', '.join(BENCHES)})")
    for name in names:
        start = time.monotonic()
        importlib.import_module(f"bench.{name}").main()
        print(f"[{name}: {time.monotonic() - start:.0f} s]\n")


if __name__ == "__main__":
    main(sys.argv[1:])
