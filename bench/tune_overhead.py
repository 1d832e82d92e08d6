"""SMAC's share of tuning wall time on millisecond checks, per setting of SMAC's own knobs.

Each row is a short tune (``AUCTOOL_BENCH_OVERHEAD_BUDGET`` seconds, default 90, all cores)
on the bundled ``instances/sets/train`` at a 1 s cutoff, with one setting of
:class:`auctool.tune.smac_driver.SmacKnobs`; the first row is the shipped default, the
baseline of the ratios. Figures: trials (checks) finished, checks per second, the share
of wall time inside SMAC's ask/tell, the overhead (worker time not inside a check: SMAC,
dispatch, building checkers), and the incumbent's cost on the training set as SMAC saw
it (a cheaper SMAC must not tune worse). Target (issue 12): overhead <= 20%.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import asdict, replace
from pathlib import Path

from bench._table import show

ROOT = Path(__file__).resolve().parents[1]


def variants():
    from auctool.tune.smac_driver import SmacKnobs

    base = SmacKnobs()
    return {
        "shipped default": base,
        "retrain_after 8 (SMAC's)": replace(base, retrain_after=8),
        "retrain_after 16": replace(base, retrain_after=16),
        "retrain_after 64": replace(base, retrain_after=64),
        "challengers 300": replace(base, challengers=300),
    }


def run_one(knobs, budget: float, workers: int) -> dict:
    from auctool.tune.run import TuneSettings, run_tune

    with tempfile.TemporaryDirectory() as tmp:
        result = run_tune(
            TuneSettings(
                train=ROOT / "instances" / "sets" / "train",
                out=Path(tmp) / "run",
                cutoff=1.0,
                budget=budget,
                workers=workers,
                validate=False,
                seed=0,
                knobs=knobs,
            )
        )
    session = result.report["tuning"]["this_session"]
    return {
        "trials": result.report["tuning"]["trials"],
        "wall": session["wall_seconds"],
        "smac": session["smac_seconds"] / session["wall_seconds"],
        "overhead": session["overhead_share"],
        "cost": result.report["tuning"]["rounds"][-1]["incumbent"]["estimated_cost"],
    }


def main() -> None:
    budget = float(os.environ.get("AUCTOOL_BENCH_OVERHEAD_BUDGET", "90"))
    workers = os.cpu_count() or 1
    rows, base = [], None
    for name, knobs in variants().items():
        r = run_one(knobs, budget, workers)
        base = base or r
        rows.append(
            [
                name,
                r["trials"],
                r["trials"] / r["wall"],
                f"{100 * r['smac']:.0f}%",
                f"{100 * r['overhead']:.0f}%",
                r["cost"],
                r["trials"] / base["trials"],
            ]
        )
    show(
        f"SMAC's overhead: {budget:g} s tunes on instances/sets/train, {workers} workers, 1 s cutoff",
        [
            "SMAC knobs",
            "trials",
            "checks/s",
            "in SMAC",
            "overhead",
            "incumbent cost",
            "trials vs first",
        ],
        rows,
        "tune_overhead",
        notes=f"shipped default: {asdict(variants()['shipped default'])}. Target: overhead <= 20%.",
    )


if __name__ == "__main__":
    main()
