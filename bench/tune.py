"""Tuning with SMAC: tuned vs default vs off-the-shelf on a held-out test set, and SMAC's overhead.

The sets are the bundled ones (``instances/sets/train`` and ``instances/sets/test``,
recorded from auctions on the bundled world; see their manifests). The tune runs on all
cores for ``--budget`` seconds (default 600, the issue's target setting;
``AUCTOOL_BENCH_TUNE_BUDGET`` overrides it for ``make bench``); then every configuration
runs on the test set, one check at a time, in this same run.

Figures: solved %, PAR10, mean, p90 per configuration and PAR10 relative to the default;
SMAC's overhead = the share of the workers' time during tuning not spent in the checker
(SMAC's ask/tell, waiting on it, bookkeeping), and the share of wall time inside SMAC.
Targets (issue 5): incumbent PAR10 <= 0.5x the default's; overhead <= 20%.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from bench._table import show

ROOT = Path(__file__).resolve().parents[1]


def run(budget: float = 600.0, cutoff: float = 1.0, workers: int | None = None) -> None:
    from auctool.check.config.configs import CheckerConfig, load_config, save_config
    from auctool.formats.instances import load_instance_set
    from auctool.tune.features import set_features
    from auctool.tune.parallel import Pool
    from auctool.tune.run import TuneSettings, run_tune
    from auctool.tune.validation import Contender, comparison, default_contender, validate

    workers = workers or os.cpu_count() or 1
    train = load_instance_set(ROOT / "instances" / "sets" / "train")
    test = load_instance_set(ROOT / "instances" / "sets" / "test")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        t0 = time.monotonic()
        result = run_tune(
            TuneSettings(
                train=train.root,
                out=root / "run",
                cutoff=cutoff,
                budget=budget,
                workers=workers,
                validate=False,
                seed=0,
            )
        )
        tune_wall = time.monotonic() - t0
        report = result.report
        save_config(result.incumbent, root / "incumbent.yaml")
        contenders = [
            default_contender(),
            Contender("off-the-shelf", CheckerConfig.off_the_shelf()),
            Contender(f"tuned here ({budget:g} s)", result.incumbent),
        ]
        shipped = ROOT / "configs" / "tuned.yaml"
        if shipped.is_file():
            contenders.append(Contender("configs/tuned.yaml", load_config(shipped)))
        _, folders = set_features(test)
        measured = validate(contenders, test, folders, cutoff, Pool())
        table = comparison(measured, cutoff, 1)
    session = report["tuning"]["this_session"]
    rows = [
        [
            row["name"],
            f"{100 * row['solved_share']:.1f}%",
            row["par10"],
            row["mean"],
            row["p90"],
            row["ratios"]["par10"],
        ]
        for row in table["configs"]
    ]
    smac_share = session["smac_seconds"] / session["wall_seconds"]
    notes = (
        f"sets: instances/sets/train ({len(train)} problems), held-out instances/sets/test "
        f"({len(test)}), recorded from auctions on instances/worlds/default; cutoff {cutoff:g} s.\n"
        f"tune: budget {budget:g} s on {session['workers']} workers, {report['tuning']['trials']} "
        f"trials, stopped by {report['stopped']} after {tune_wall:.0f} s wall in all (SMAC "
        f"start-up and the dask cluster included); "
        f"overhead (worker time not in the checker) {100 * session['overhead_share']:.0f}%, "
        f"time inside SMAC's ask/tell {100 * smac_share:.0f}% of the tuning wall time.\n"
        f"incumbent: {result.incumbent}\n"
        "targets: tuned PAR10 <= 0.5x default; overhead <= 20%."
    )
    show(
        f"Tuning: held-out test set, {len(test)} problems, after a {budget:g} s tune",
        ["configuration", "solved", "PAR10 (s)", "mean (s)", "p90 (s)", "PAR10 vs default"],
        rows,
        "tune",
        notes,
    )


def main() -> None:
    run(budget=float(os.environ.get("AUCTOOL_BENCH_TUNE_BUDGET", "600")))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budget", type=float, default=600.0)
    parser.add_argument("--cutoff", type=float, default=1.0)
    parser.add_argument("--workers", type=int, default=None)
    a = parser.parse_args()
    run(a.budget, a.cutoff, a.workers)
