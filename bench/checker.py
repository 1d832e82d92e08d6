"""The checker suite on auction-like problems: a band already packed, one new station added.

Problem sources (each problem is what a clock auction asks before a price drop):
- synthetic worlds of 200 to 2,000 stations (auctool.worlds.synth, density held constant),
  stations arriving in random order; a sample of the checks of that sequence;
- the real subset post-seed1328-st200 (../shared): the 146 stations the FCC left on UHF,
  each in turn as the new station, every other one on its real post-auction channel.

Configurations, all measured in this run on the same problems with a 1 s cutoff:
(a) off-the-shelf: one pysat solver (glucose3) on the direct encoding, no presolvers;
(b) configs/default.yaml; (c) incremental mode; (d) the clasp and cadical binaries on the
exported DIMACS, when installed (Debian packages clasp, cadical).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from bench._table import show

CUTOFF = 1.0
SIZES = (200, 500, 1000, 2000)
PER_SIZE = int(os.environ.get("AUCTOOL_BENCH_PROBLEMS", "150"))
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "fcc"


def synthetic_problems(n: int, seed: int = 1):
    from auctool.check import Checker, CheckerConfig
    from auctool.model.bands import Band, BandPlan
    from auctool.worlds.problems import packing_sequence
    from auctool.worlds.synth import SynthSpec, synth_world

    # density held at the default world's: region and city count grow with the stations
    spec = SynthSpec(
        stations=n,
        seed=seed,
        cities=max(14, 14 * n // 200),
        region_km=1000 * (n / 200) ** 0.5,
        name=f"synth{n}",
    )
    data = synth_world(spec)[0].data
    channels = tuple(sorted(BandPlan(84).channels(Band.UHF)))
    maker = Checker(data, CheckerConfig(incremental=True, solver="minisat22"))
    problems = [
        p for p, _ in packing_sequence(data, channels, lambda p: maker.check(p, CUTOFF), seed=seed)
    ]
    maker.close()
    step = max(1, len(problems) // PER_SIZE)
    return data, problems[::step][:PER_SIZE]


def real_problems():
    import csv

    from auctool.formats.fcc import load_constraints
    from auctool.model import Problem

    folder = SHARED / "subsets" / "post-seed1328-st200"
    if not folder.is_dir():
        return None, []
    data = load_constraints(folder)
    with open(folder / "post_auction_parameters.csv") as fh:
        post = {int(r["FacID"]): int(r["Ch"]) for r in csv.DictReader(fh)}
    uhf = [s for s, c in post.items() if c >= 14]
    domains = {s: tuple(c for c in data.domains[s] if 14 <= c <= 36) for s in uhf}
    problems = [
        Problem(
            domains,
            {s: post[s] for s in uhf if s != new},
            interference=data.name,
            name=f"new-{new}",
        )
        for new in uhf
    ]
    return data, problems


def run_config(data, problems, config) -> list[tuple[float, str]]:
    from auctool.check import make_checker

    out = []
    with make_checker(data, config) as checker:
        for p in problems:
            r = checker.check(p, CUTOFF)
            out.append((r.seconds, r.answer.value))
    return out


def run_binary(binary: str, data, problems) -> list[tuple[float, str]]:
    """An external solver on the exported direct encoding (wall time incl. process start)."""
    from auctool.check.solve.encoding import encode
    from auctool.formats.dimacs import write_dimacs

    out = []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "p.cnf"
        for p in problems:
            prepared, _ = p.against(data)
            enc = encode(prepared.domains, data)
            write_dimacs(path, enc.nvars, enc.clauses())
            args = [binary, str(path)] if binary == "cadical" else [binary, "--quiet=2", str(path)]
            start = time.monotonic()
            try:
                proc = subprocess.run(args, capture_output=True, text=True, timeout=CUTOFF)
                elapsed = time.monotonic() - start
                answer = {10: "SAT", 20: "UNSAT"}.get(proc.returncode, "TIMEOUT")
            except subprocess.TimeoutExpired:
                elapsed, answer = time.monotonic() - start, "TIMEOUT"
            out.append((elapsed, answer))
    return out


def summarise(
    name: str, source: str, runs: list[tuple[float, str]], base_mean: float | None
) -> list:
    t = np.array([s for s, _ in runs])
    solved = np.array([a != "TIMEOUT" for _, a in runs])
    mean = float(t.mean())
    return [
        source,
        name,
        len(runs),
        100.0 * solved.mean(),
        1000 * mean,
        1000 * float(np.percentile(t, 50)),
        1000 * float(np.percentile(t, 90)),
        1000 * float(np.percentile(t, 99)),
        (base_mean / mean) if base_mean else 1.0,
    ]


def configs() -> dict[str, Callable[[], object]]:
    from auctool.check import CheckerConfig, load_config

    root = Path(__file__).resolve().parents[1]
    return {
        "(a) off-the-shelf glucose3": CheckerConfig.off_the_shelf,
        "(b) configs/default.yaml": lambda: load_config(root / "configs" / "default.yaml"),
        "(c) incremental minisat22": lambda: load_config(root / "configs" / "default.yaml").replace(
            incremental=True, solver="minisat22"
        ),
    }


def main() -> None:
    sources = []
    for n in SIZES:
        t = time.monotonic()
        data, problems = synthetic_problems(n)
        print(
            f"synthetic {n}: {len(problems)} problems sampled ({time.monotonic() - t:.0f} s)",
            file=sys.stderr,
        )
        sources.append((f"synthetic {n}", data, problems))
    data, problems = real_problems()
    if problems:
        sources.append(("real st200 (146 UHF)", data, problems))
    rows = []
    totals: dict[str, list[tuple[float, str]]] = {}
    for source, data, problems in sources:
        base = None
        for name, make in configs().items():
            runs = run_config(data, problems, make())
            totals.setdefault(name, []).extend(runs)
            row = summarise(name, source, runs, base)
            base = base or row[4] / 1000
            rows.append(row)
        for binary in ("clasp", "cadical"):
            if shutil.which(binary):
                runs = run_binary(binary, data, problems)
                totals.setdefault(f"(d) {binary} binary", []).extend(runs)
                rows.append(summarise(f"(d) {binary} binary", source, runs, base))
        print(f"{source}: done", file=sys.stderr)
    base_all = np.mean([s for s, _ in totals["(a) off-the-shelf glucose3"]])
    for name, runs in totals.items():
        rows.append(summarise(name, "ALL", runs, float(base_all)))
    show(
        f"Checker suite on auction-like problems ({CUTOFF:g} s cutoff; times in ms)",
        [
            "problems",
            "configuration",
            "n",
            "solved %",
            "mean",
            "p50",
            "p90",
            "p99",
            "mean speed-up vs (a)",
        ],
        rows,
        "checker",
        notes="Targets: median <= 10 ms, >= 99.9% solved within 1 s, mean >= 10x faster than (a).",
    )


if __name__ == "__main__":
    main()
