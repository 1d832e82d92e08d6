"""Paired national auctions: does the national tuned checker save money over many seeds?

One national auction proves nothing (the auction is path-dependent), so this runs
``auctool simulate WORLD --seeds ... --config configs/tuned-national.yaml --baseline
configs/default.yaml`` on the national bench's world with the real participants (or the
synthetic world with ``--participation packable``), 1 s cutoff, and prints each seed's
cost under both checkers, the paired difference, its 95% Student-t interval and the
verdict (issue 12's target: the tuned mean lower, with an interval that excludes 0).

A national auction takes ~20 minutes on 2 cores, so a paired seed takes ~40 and the 20 seeds
of the target about 13 hours: more than one ``make bench``. So each call adds
``AUCTOOL_BENCH_PAIRED_BATCH`` (default 2) seeds to those already finished, up to 20, and
reports all of them; the run folder (``bench/.cache/national-paired``) is kept for as long as
the checker's code and configs (the git trees of ``auctool/`` and ``configs/``, committed)
stay the same; any change there starts it afresh. ``AUCTOOL_BENCH_PAIRED_SEEDS`` (e.g. ``1-20``)
runs a fixed range instead; ``AUCTOOL_BENCH_PAIRED_CONFIG`` (default
``configs/tuned-national.yaml``). The auctions run one at a time, each with every core (a race
needs two).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from bench._paired import fresh_folder, money
from bench._table import show
from bench.national import CACHE, ROOT, WORLD, _auctool, build_world, participation_args

OUT = CACHE / "national-paired"
STAMP = CACHE / "national-paired.code"
BASELINE = "configs/default.yaml"
TARGET_SEEDS = 20


def _fresh_folder() -> None:
    """Keep the earlier seeds only when they were run by this very code."""
    fresh_folder(OUT, STAMP)


def _seeds() -> str:
    """The fixed range asked for, or the finished seeds plus the next batch (up to 20)."""
    fixed = os.environ.get("AUCTOOL_BENCH_PAIRED_SEEDS")
    if fixed:
        return fixed
    batch = int(os.environ.get("AUCTOOL_BENCH_PAIRED_BATCH", "2"))
    finished = sum(1 for d in OUT.glob("seed-*") if (d / "summary.json").is_file())
    return f"1-{min(TARGET_SEEDS, max(finished + batch, 1))}"


def main() -> None:
    config = os.environ.get("AUCTOOL_BENCH_PAIRED_CONFIG", "configs/tuned-national.yaml")
    world = WORLD
    if not (world / "Domain.csv").is_file():
        print("no national world yet: building it", file=sys.stderr)
        build_world(world)
    _fresh_folder()
    seeds = _seeds()
    args = ["simulate", str(world), "--cutoff", "1", "--seeds", seeds, "--workers", "1"]
    args += ["--config", str(ROOT / config), "--baseline", str(ROOT / BASELINE)]
    args += ["--out", str(OUT), "--json", "--quiet"]
    args += participation_args()
    done = _auctool(*args)
    if done.returncode not in (0, 1):  # 1: some seed failed, the others are reported
        raise SystemExit(f"the paired national auctions failed: {done.stderr.strip()}")
    body = json.loads(done.stdout)
    rows = []
    for seed in body["seeds"]:
        run, base = seed["run"], seed["baseline"]
        if run is None or base is None:
            rows.append([seed["seed"], "failed", seed["error"], "", "", ""])
            continue
        rows.append([
            seed["seed"], f"${base['cost'] / 1e9:.3f} B", f"${run['cost'] / 1e9:.3f} B",
            money(seed["cost_difference"]),
            f"{base['winners']} ({base['frozen_by_timeout']}) / {base['TIMEOUT']}",
            f"{run['winners']} ({run['frozen_by_timeout']}) / {run['TIMEOUT']}",
        ])  # fmt: skip
    paired = body.get("paired")
    if paired:
        low, high = paired["t_interval"] or (float("nan"), float("nan"))
        rows.append(["mean", "", "", money(paired["mean"]), "", ""])
        rows.append(["95% t interval", "", "", f"[{money(low)}, {money(high)}]", "", ""])
        rows.append(["verdict", "", "", paired["verdict"], "", ""])
    show(
        f"Paired national auctions, 1 s cutoff: {Path(config).name} (tuned) vs the default, "
        f"seeds {seeds}; winners (frozen by a TIMEOUT) / TIMEOUT checks",
        ["seed", "default cost", "tuned cost", "tuned - default", "default", "tuned"],
        rows,
        "national_paired",
    )


if __name__ == "__main__":
    main()
