"""``make demo``: the main job on the bundled instances, explained as it goes.

Checks every problem of the bundled example instance set with the default
configuration and prints the answers and where the time went.
"""

from __future__ import annotations

import sys
from pathlib import Path

from auctool.cli import main as cli_main

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    problems = ROOT / "instances" / "example" / "problems"
    config = ROOT / "configs" / "default.yaml"
    print(
        f"auctool demo: checking the bundled instance set {problems.relative_to(ROOT)}",
        file=sys.stderr,
    )
    cli_main(["check", "--config", str(config), str(problems)])


if __name__ == "__main__":
    main()
