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

Two auctions run, one after the other in the same run, same seed and values: under the
FCC's rule (``--on-timeout freeze``: a TIMEOUT at the cutoff freezes the station) and
under ``auctool simulate``'s default rules (a timed-out question asked again at doubling
cutoffs, then held at its price and revisited), each as ``auctool simulate`` in a child
process that reports its own peak RSS. The last column is the real
Auction 1001 at 84 MHz (175 winners, $10.05 B): what a simulation on a good-enough world
with a good-enough checker should come near. Targets: winners frozen by a TIMEOUT at most
5%, at most 10 minutes (20 under escalation) and 2 GB on 2 cores.

``AUCTOOL_BENCH_NATIONAL_CUTOFF`` (default 1), ``AUCTOOL_BENCH_NATIONAL_CONFIG`` (a
configuration file; default: the built-in default), ``AUCTOOL_BENCH_NATIONAL_SEED``,
``AUCTOOL_BENCH_NATIONAL_RULES`` (the second auction's simulate flags, default none:
simulate's defaults; ``off``: only the FCC rule).
"""

from __future__ import annotations

import json
import os
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


#: The FCC's rule: a TIMEOUT at the cutoff freezes its station.
FCC_RULE = ["--on-timeout", "freeze"]

#: Runs ``auctool`` and says its own peak RSS last on stderr (a second child's
#: RUSAGE_CHILDREN would be the maximum over both).
_PEAK = (
    "import resource, runpy, sys\n"
    "sys.argv = ['auctool', *sys.argv[1:]]\n"
    "try:\n"
    "    runpy.run_module('auctool', run_name='__main__')\n"
    "finally:\n"
    "    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
    "    print(f'PEAK_RSS_KB={kb}', file=sys.stderr)\n"
)


def run_auction(
    world: Path,
    cutoff: float,
    seed: int,
    config: str | None,
    record: Path | None = None,
    rules: list[str] | None = None,
) -> dict:
    args = ["simulate", str(world), "--cutoff", f"{cutoff:g}", "--seed", str(seed), "--json"]
    if record is not None:
        args += ["--record", str(record), "--record-sat-share", f"{SAT_SHARE:g}"]
    args += participation_args() + (rules or [])
    if config:
        args += ["--config", config]
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _PEAK, *args], capture_output=True, text=True, check=False
    )
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"the national auction failed: {done.stderr.strip()}")
    body = json.loads(done.stdout)
    peak = [ln for ln in done.stderr.splitlines() if ln.startswith("PEAK_RSS_KB=")]
    rss = int(peak[-1].split("=")[1]) / 1024 if peak else float("nan")
    body["bench"] = {"wall_seconds": wall, "peak_rss_mb": rss}
    return body


def _auction_rows(runs: list[dict]) -> list[list]:
    """One row per figure, one column per auction (then Auction 1001 / the target)."""

    def each(f) -> list:
        return [f(b) for b in runs]

    def frozen(b: dict, key: str) -> str:
        return f"{b[key]} ({100 * b[key] / max(b['winners'], 1):.0f}%)"

    def answered(b: dict) -> str:
        return f"{100 * (1 - b['checks']['TIMEOUT'] / max(b['checks']['total'], 1)):.2f}%"

    def escalated(b: dict) -> str:
        e = b.get("escalation")
        if not e:
            return "-"
        done = e["answered"]["SAT"] + e["answered"]["UNSAT"]
        return f"{e['questions']} ({done} answered, {e['seconds']:.0f} s)"

    return [
        ["on TIMEOUT", *each(lambda b: b.get("on_timeout", "freeze")), "freeze (FCC)"],
        ["questions escalated", *each(escalated), ""],
        ["start packing", *each(lambda b: f"{b['start']['method']}, {b['start']['seconds']:.1f} s"), ""],
        ["rounds", *each(lambda b: b["rounds"]), "52 (stage 4)"],
        ["checks", *each(lambda b: b["checks"]["total"]), ""],
        ["  SAT / UNSAT / TIMEOUT",
         *each(lambda b: "{SAT} / {UNSAT} / {TIMEOUT}".format(**b["checks"])), ""],
        ["  answered", *each(answered), "target 99.9%"],
        ["check p50 s", *each(lambda b: b["check_seconds"]["p50"]), "target <= 0.010"],
        ["check p99 s", *each(lambda b: b["check_seconds"]["p99"]), ""],
        ["winners", *each(lambda b: b["winners"]), REAL_WINNERS],
        ["  frozen by a TIMEOUT", *each(lambda b: frozen(b, "frozen_by_timeout")), "target <= 5%"],
        ["  frozen by UNSAT", *each(lambda b: frozen(b, "frozen_by_unsat")), ""],
        ["  held at their price once or more", *each(lambda b: b.get("winners_held", "-")), ""],
        ["exited (of the bidders)",
         *each(lambda b: f"{b['exited']} (of {b['participants']})"), f"{REAL_EXITED} (of 1,030)"],
        ["cost", *each(lambda b: f"${b['cost'] / 1e9:.2f} B"), f"${REAL_COST / 1e9:.2f} B"],
        ["cost vs Auction 1001", *each(lambda b: b["cost"] / REAL_COST), 1.0],
        ["auction wall seconds", *each(lambda b: b["bench"]["wall_seconds"]),
         f"target <= {60 * MINUTES_TARGET}"],
        ["peak RSS MB", *each(lambda b: b["bench"]["peak_rss_mb"]), f"target <= {RSS_TARGET_MB}"],
    ]  # fmt: skip


def main() -> None:
    cutoff = float(os.environ.get("AUCTOOL_BENCH_NATIONAL_CUTOFF", "1"))
    seed = int(os.environ.get("AUCTOOL_BENCH_NATIONAL_SEED", "1"))
    config = os.environ.get("AUCTOOL_BENCH_NATIONAL_CONFIG")
    rules = os.environ.get("AUCTOOL_BENCH_NATIONAL_RULES", "").split()
    world = WORLD
    record = CACHE / "national-set"
    for old in (world, record):
        shutil.rmtree(old, ignore_errors=True)
    CACHE.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    kind, made = build_world(world)
    build_seconds = time.perf_counter() - t0
    # the FCC's rule (recorded: the hard tail's questions), then the escalating rules, same
    # seed and values, one after the other on the same machine
    runs = [run_auction(world, cutoff, seed, config, record, FCC_RULE)]
    if rules != ["off"]:
        runs.append(run_auction(world, cutoff, seed, config, None, rules))
    cal = made["report"].get("calibration", {})
    w = cal.get("reference") or cal.get("world", {})  # the degrees against Interference2
    sub = cal.get("subsets", {})
    admitted = made["report"].get("admitted", [])
    post = admitted[1] if len(admitted) > 1 else None
    prov = made["report"].get("provenance")
    body = runs[0]
    pad = [""] * (len(runs) - 1)
    rows = [
        ["world", kind, *pad, ""],
        ["world build seconds", build_seconds, *pad, ""],
        ["stations / UHF market / bidders", f"{made['summary']['stations']} / "
         f"{body['stations']} / {body['participants']}", *pad, "1,030 participants (930 UHF)"],
        ["stations real / modelled (pairs)",
         f"{prov['stations']['real']} ({prov['pairs']['real']:,}) / "
         f"{prov['stations']['modelled']} ({prov['pairs']['modelled']:,})" if prov else "-",
         *pad, ""],
        ["degree mean vs FCC Interference2 (ratio, correlation)",
         f"{w.get('mean_degree', '-')} ({w.get('mean_ratio', '-')}, {w.get('correlation', '-')})",
         *pad, "85.5"],
        ["real subsets UHF precision / recall",
         f"{sub['uhf']['precision']} / {sub['uhf']['recall']}" if sub else "-", *pad, ""],
        ["real post-auction packing: CO / ADJ pairs broken before admission",
         f"{post['co_demoted']} / {post['adj_demoted']}" if post else "-", *pad, "0 / 0"],
        *_auction_rows(runs),
    ]  # fmt: skip
    columns = ["figure", f"FCC rule, {cutoff:g} s"]
    if len(runs) > 1:
        columns.append(" ".join(rules) or "simulate's default rules")
    show(
        f"National auction at 84 MHz, cutoff {cutoff:g} s, seed {seed}, "
        f"{Path(config).name if config else 'default checker'}",
        [*columns, "Auction 1001 / target"],
        rows,
        "national",
    )


if __name__ == "__main__":
    main()
