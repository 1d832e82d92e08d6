"""The national auction: the national world, the real participants, 84 MHz, 1 s.

With ``../shared/data/fcc`` the world is ``auctool data national`` (the FCC's tables and
the real interference pairs of its 2013 national constraint set, the distance model only
for the Canadian stations and the US ones the set lacks; the real post-auction packing
admitted and completed) and the bidders are the real 1,030 participants of Auction 1001
(``reverse-stations.csv``). Without it: the calibrated synthetic national world
(2,990 stations, the FCC's count distribution) and the pop-value model with
``--participation packable``.

The world is kept in ``bench/.cache/national-world`` and the auction's hard questions
(every UNSAT and TIMEOUT, 3% of the SAT ones) are recorded to
``bench/.cache/national-set`` for ``bench.hardtail``.

The auction runs as ``auctool simulate`` in a child process (its peak RSS is the
auction's alone). The baseline column is the real Auction 1001 at 84 MHz (175 winners,
$10.05 B): what a simulation on a good-enough world with a good-enough checker should
come near. Targets: at most 10 minutes and 2 GB on 2 cores.

``AUCTOOL_BENCH_NATIONAL_CUTOFF`` (default 1), ``AUCTOOL_BENCH_NATIONAL_CONFIG`` (a
configuration file; default: the built-in default), ``AUCTOOL_BENCH_NATIONAL_SEED``.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bench._table import show

ROOT = Path(__file__).resolve().parents[1]
FCC = ROOT.parent / "shared" / "data" / "fcc"
CACHE = ROOT / "bench" / ".cache"
WORLD = CACHE / "national-world"
SAT_SHARE = 0.03
REAL_WINNERS = 175
REAL_EXITED = 855  # reverse-statistics.csv, the last round: 151 in stage 4 + 704 before
REAL_COST = 10_054_676_822  # reverse-winning_bids.csv, sum of compensation
MINUTES_TARGET = 10
RSS_TARGET_MB = 2048


def _auctool(*args: str) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "auctool", *args]
    return subprocess.run(cmd, capture_output=True, text=True, check=False)


def build_world(folder: Path) -> tuple[str, dict]:
    """The national world the bench runs on, and its calibration report."""
    if FCC.is_dir():
        args = ["data", "national", str(folder), "--fcc", str(FCC), "--json"]
        kind = "national world on the FCC's real pairs (satfc2013; the model for what it lacks)"
    else:
        args = ["data", "synth", str(folder), "--stations", "2990", "--cities", "210"]
        args += ["--region-km", "4500", "--vhf-share", "0.3", "--degrees", "fcc", "--seed", "1"]
        args += ["--json"]
        kind = "synthetic national world (FCC count distribution)"
    made = _auctool(*args)
    if made.returncode != 0:
        raise SystemExit(f"building the national world failed: {made.stderr.strip()}")
    return kind, json.loads(made.stdout)


def participation_args() -> list[str]:
    """Auction 1001's real participants when the FCC data is here, else the packable ones."""
    if FCC.is_dir():
        return ["--participants", str(FCC / "auction1001" / "reverse-stations.csv")]
    return ["--participation", "packable"]


def run_auction(
    world: Path, cutoff: float, seed: int, config: str | None, record: Path | None = None
) -> dict:
    args = ["simulate", str(world), "--cutoff", f"{cutoff:g}", "--seed", str(seed), "--json"]
    if record is not None:
        args += ["--record", str(record), "--record-sat-share", f"{SAT_SHARE:g}"]
    args += participation_args()
    if config:
        args += ["--config", config]
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    done = _auctool(*args)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"the national auction failed: {done.stderr.strip()}")
    body = json.loads(done.stdout)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    body["bench"] = {"wall_seconds": wall, "peak_rss_mb": max(peak, before) / 1024}
    return body


def main() -> None:
    cutoff = float(os.environ.get("AUCTOOL_BENCH_NATIONAL_CUTOFF", "1"))
    seed = int(os.environ.get("AUCTOOL_BENCH_NATIONAL_SEED", "1"))
    config = os.environ.get("AUCTOOL_BENCH_NATIONAL_CONFIG")
    world = WORLD
    record = CACHE / "national-set"
    for old in (world, record):
        shutil.rmtree(old, ignore_errors=True)
    CACHE.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    kind, made = build_world(world)
    build_seconds = time.perf_counter() - t0
    body = run_auction(world, cutoff, seed, config, record)
    cal = made["report"].get("calibration", {})
    w = cal.get("reference") or cal.get("world", {})  # the degrees against Interference2
    sub = cal.get("subsets", {})
    admitted = made["report"].get("admitted", [])
    post = admitted[1] if len(admitted) > 1 else None
    prov = made["report"].get("provenance")
    checks = body["checks"]
    secs = body["check_seconds"]
    wall = body["bench"]["wall_seconds"]
    rss = body["bench"]["peak_rss_mb"]
    frozen_timeout = body["frozen_by_timeout"]
    winners = body["winners"]
    answered = 1 - checks["TIMEOUT"] / max(checks["total"], 1)
    rows = [
        ["world", kind, ""],
        ["world build seconds", build_seconds, ""],
        ["stations / UHF market / bidders", f"{made['summary']['stations']} / "
         f"{body['stations']} / {body['participants']}", "1,030 participants (930 UHF)"],
        ["stations real / modelled (pairs)",
         f"{prov['stations']['real']} ({prov['pairs']['real']:,}) / "
         f"{prov['stations']['modelled']} ({prov['pairs']['modelled']:,})" if prov else "-",
         ""],
        ["degree mean vs FCC Interference2 (ratio, correlation)",
         f"{w.get('mean_degree', '-')} ({w.get('mean_ratio', '-')}, {w.get('correlation', '-')})",
         "85.5"],
        ["real subsets UHF precision / recall",
         f"{sub['uhf']['precision']} / {sub['uhf']['recall']}" if sub else "-", ""],
        ["real post-auction packing: CO / ADJ pairs broken before admission",
         f"{post['co_demoted']} / {post['adj_demoted']}" if post else "-", "0 / 0"],
        ["start packing", f"{body['start']['method']}, {body['start']['seconds']:.1f} s",
         ""],
        ["rounds", body["rounds"], "52 (stage 4)"],
        ["checks", checks["total"], ""],
        ["  SAT / UNSAT / TIMEOUT", f"{checks['SAT']} / {checks['UNSAT']} / {checks['TIMEOUT']}",
         ""],
        ["  answered within the cutoff", f"{100 * answered:.2f}%", "target 99.9%"],
        ["check p50 s", secs["p50"], "target <= 0.010"],
        ["check p99 s", secs["p99"], ""],
        ["winners", winners, REAL_WINNERS],
        ["exited (of the bidders)", f"{body['exited']} (of {body['participants']})",
         f"{REAL_EXITED} (of 1,030)"],
        ["  frozen by a TIMEOUT", f"{frozen_timeout} ({100 * frozen_timeout / max(winners, 1):.0f}%)",
         "target <= 5%"],
        ["cost", f"${body['cost'] / 1e9:.2f} B", f"${REAL_COST / 1e9:.2f} B"],
        ["cost vs Auction 1001", body["cost"] / REAL_COST, 1.0],
        ["auction wall seconds", wall, f"target <= {60 * MINUTES_TARGET}"],
        ["peak RSS MB", rss, f"target <= {RSS_TARGET_MB}"],
    ]  # fmt: skip
    show(
        f"National auction at 84 MHz, cutoff {cutoff:g} s, seed {seed}, "
        f"{Path(config).name if config else 'default checker'}",
        ["figure", "this run", "Auction 1001 / target"],
        rows,
        "national",
    )


if __name__ == "__main__":
    main()
