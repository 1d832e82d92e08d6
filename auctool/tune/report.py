"""What a tuning run leaves behind: ``trials.csv``, ``incumbent.yaml``, ``report.json``.

All written atomically (a reader or a kill never sees half a file). Configuration ids are
ours, not SMAC's: numbered in order of first appearance over the whole run, so the same
configuration keeps its id across Hydra rounds and restarts.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from auctool._atomic import write_text
from auctool._json import write_json
from auctool.check.config.configs import AnyConfig, save_config
from auctool.tune.rounds import RoundOutcome, TrialRecord

TRIAL_COLUMNS = (
    "round",
    "trial",
    "config_id",
    "instance",
    "seed",
    "status",
    "answer",
    "seconds",
    "cost",
    "own_cost",
    "origin",
    "warm",
    "error",
)


class ConfigIds:
    """Stable ids for configurations (by their knob values)."""

    def __init__(self) -> None:
        self._ids: dict[str, int] = {}
        self.configs: dict[int, dict[str, Any]] = {}

    def __call__(self, config: Mapping[str, Any]) -> int:
        key = json.dumps(dict(config), sort_keys=True)
        if key not in self._ids:
            self._ids[key] = len(self._ids) + 1
            self.configs[self._ids[key]] = dict(config)
        return self._ids[key]


def trials_csv(rounds: Sequence[Sequence[TrialRecord]], ids: ConfigIds) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(TRIAL_COLUMNS)
    for k, records in enumerate(rounds, 1):
        for i, r in enumerate(records, 1):
            writer.writerow(
                [
                    k, i, ids(r.config), r.instance, r.seed, r.status, r.answer,
                    f"{r.seconds:.6f}", _fmt(r.cost), _fmt(r.own_cost), r.origin,
                    int(r.warm), r.error or "",
                ]
            )  # fmt: skip
    return buf.getvalue()


def _fmt(x: float) -> str:
    return f"{x:.6f}" if math.isfinite(x) else str(x)


def write_trials(path: Path, rounds: Sequence[Sequence[TrialRecord]], ids: ConfigIds) -> None:
    write_text(path, trials_csv(rounds, ids))


def write_incumbent(path: Path, config: AnyConfig, note: str) -> None:
    save_config(config, path, header=note)


def write_report(path: Path, report: Mapping[str, Any]) -> None:
    write_json(path, report)


def round_json(k: int, outcome: RoundOutcome, ids: ConfigIds) -> dict[str, Any]:
    """One SMAC run in the report: its incumbent, limits hit, trajectory."""
    own = [r.own_cost for r in outcome.records if r.config == outcome.incumbent.to_mapping()]
    return {
        "round": k,
        "trials": sum(not r.warm for r in outcome.records),
        "reused_trials": outcome.reused,
        "warm_started": outcome.warm_started,
        "stopped": outcome.stopped,
        "elapsed": round(outcome.elapsed, 3),
        "incumbent": {
            "config_id": ids(outcome.incumbent.to_mapping()),
            "config": outcome.incumbent.to_mapping(),
            "estimated_cost": outcome.incumbent_cost,
            "own_cost": sum(own) / len(own) if own else None,
            "runs": outcome.incumbent_runs,
        },
        "trajectory": [
            {**{k: v for k, v in t.items() if k != "config"}, "config_id": ids(t["config"])}
            for t in outcome.trajectory
        ],
    }


def overhead_json(outcomes: Sequence[RoundOutcome], capacity: int) -> dict[str, Any]:
    """This session's split of wall time: checks vs SMAC vs the rest (idle workers, I/O)."""
    wall = sum(o.session_wall for o in outcomes)
    check = sum(o.session_check_seconds for o in outcomes)
    smac = sum(o.session_smac_seconds for o in outcomes)
    busy = check / (wall * capacity) if wall > 0 else None
    return {
        "wall_seconds": round(wall, 3),
        "check_seconds": round(check, 3),
        "smac_seconds": round(smac, 3),
        "workers": capacity,
        "worker_busy_share": None if busy is None else round(busy, 4),
        "overhead_share": None if busy is None else round(1 - busy, 4),
    }
