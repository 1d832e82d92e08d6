"""Paired auctions of the shipped New York region: does the tuned checker pay (issue 38)?

Runs ``auctool simulate instances/worlds/new-york --seeds ... --config
configs/tuned-new-york.yaml --baseline ...`` under the FCC's rule at 1 s, three pairs:

- against the default, in work mode (``AUCTOOL_BENCH_REGION_SEEDS``, default 20 seeds):
  every answer, and so every auction's cost, replays exactly on any machine;
- against off-the-shelf, in work mode (``AUCTOOL_BENCH_REGION_OTS_SEEDS``, default 8: an
  off-the-shelf auction of the region takes ~5-10 minutes);
- against the default in time mode, the real auction's clock (``AUCTOOL_BENCH_REGION_TIME_SEEDS``,
  default 10), one auction at a time with every core (the default races its complete
  solver beside the neighbourhood on a second core), both sides of a seed back to back.

For each pair, one row per headline figure (cost, stations frozen by a TIMEOUT, TIMEOUT
checks, auction wall): the means, the paired mean difference (tuned minus baseline), its
95% t interval and the verdict. The issue's target: cost lower with an interval excluding
0 (or, with escalation, wall 1.5x shorter), against the default and off-the-shelf.
Work-mode seeds run one per core; finished seeds are kept in ``bench/.cache/region-paired``
while ``auctool/`` and ``configs/`` are unchanged (a rerun adds only what is missing).
"""

from __future__ import annotations

import json
import os
import sys

from bench._paired import ROOT, figure_rows, fresh_folder
from bench._table import show
from bench.national import _auctool

CACHE = ROOT / "bench" / ".cache"
OUT = CACHE / "region-paired"
WORLD = ROOT / "instances" / "worlds" / "new-york"
TUNED = ROOT / "configs" / "tuned-new-york.yaml"
FIRST_SEED = 101  # far from the seeds the region's question sets were recorded from (1-8)


def _pairs() -> list[tuple[str, str, str, int]]:
    """(name, baseline, budget mode, seeds) of each pair."""
    env = os.environ.get
    return [
        ("vs default, work mode", "default", "work", int(env("AUCTOOL_BENCH_REGION_SEEDS", "20"))),
        ("vs off-the-shelf, work mode", "off-the-shelf", "work",
         int(env("AUCTOOL_BENCH_REGION_OTS_SEEDS", "8"))),
        ("vs default, time mode", "default", "time",
         int(env("AUCTOOL_BENCH_REGION_TIME_SEEDS", "10"))),
    ]  # fmt: skip


def _run(name: str, baseline: str, mode: str, n: int) -> dict:
    folder = OUT / f"{baseline}-{mode}"
    seeds = f"{FIRST_SEED}-{FIRST_SEED + n - 1}"
    args = ["simulate", str(WORLD), "--cutoff", "1", "--on-timeout", "freeze"]
    # time mode: one auction at a time with every core, so the default races as it would
    workers = str(os.cpu_count() or 1) if mode == "work" else "1"
    args += ["--budget-mode", mode, "--seeds", seeds, "--workers", workers]
    args += ["--config", str(TUNED), "--baseline", str(ROOT / "configs" / f"{baseline}.yaml")]
    args += ["--out", str(folder), "--json", "--quiet"]
    print(f"region_paired: {name}, seeds {seeds}", file=sys.stderr)
    done = _auctool(*args)
    if done.returncode not in (0, 1):  # 1: some seed failed, the others are reported
        raise SystemExit(f"the paired region auctions failed: {done.stderr.strip()}")
    return json.loads(done.stdout)


def main() -> None:
    fresh_folder(OUT, CACHE / "region-paired.code")
    rows = []
    for name, baseline, mode, n in _pairs():
        if n > 0:
            rows += figure_rows(name, _run(name, baseline, mode, n))
    show(
        f"Paired auctions of the New York region (FCC rule, 1 s): {TUNED.name} (run) "
        "against each baseline, seeds from 101",
        ["pair", "figure", "seeds", "tuned", "baseline", "tuned - baseline", "95% t interval",
         "verdict"],
        rows,
        "region_paired",
    )  # fmt: skip


if __name__ == "__main__":
    main()
