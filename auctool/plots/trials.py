"""What a tuning run's trial log says about convergence, read back from the run folder.

``trials.csv`` lists every trial in the order SMAC was told of it; ``report.json`` says after
how many trials each incumbent took over. SMAC's estimate of its incumbent is the mean cost
over the instances the incumbent has run *so far*, so it rises whenever SMAC tries the
incumbent on a harder instance, and is never a monotone best-so-far. With every trial's own
cost beside it, a reader sees what SMAC saw: how often the incumbent changed, and whether the
challengers still come close. (Chaining each takeover's ratio on the instances both configs
ran would be monotone, but multiplies small-sample ratios: on a 2-minute run it claimed 5% of
the default's cost where validation measured 69%, so it is not drawn.)
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from auctool.check.config.configs import CheckerConfig
from auctool.errors import InputError

_COLUMNS = ("round", "config_id", "instance", "seed", "status", "cost", "warm")


@dataclass(frozen=True)
class Takeover:
    """An incumbent change: after ``trial`` trials of the round, ``config_id`` took over."""

    trial: int
    config_id: int
    estimate: float  # SMAC's mean cost of the new incumbent over its runs so far


@dataclass(frozen=True)
class RoundPath:
    """One SMAC run's trials (``warm`` ones replayed first) and its incumbent's path."""

    round: int
    trials: pd.DataFrame  # this round's rows of trials.csv, in the order SMAC was told
    takeovers: tuple[Takeover, ...]
    estimate: tuple[float, ...]  # after each new trial: SMAC's mean cost of its incumbent
    incumbent: tuple[int | None, ...]  # before each new trial: the incumbent's config id


def read_trials(folder: Path) -> pd.DataFrame:
    """``trials.csv`` of a tuning run (InputError if it is missing or not one)."""
    path = folder / "trials.csv"
    try:
        trials = pd.read_csv(path, dtype={"instance": str})
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read the run's trial log ({exc})", path) from None
    missing = [c for c in _COLUMNS if c not in trials.columns]
    if missing:
        raise InputError(f"trials.csv has no column {missing[0]!r}", path)
    return trials


Runs = dict[tuple[str, int], float]  # one configuration's cost per (instance, seed)


def _mean(costs: Runs, keys: set[tuple[str, int]] | None = None) -> float:
    values = [c for k, c in costs.items() if keys is None or k in keys]
    return sum(values) / len(values) if values else float("nan")


def _runs(rows: pd.DataFrame, config_id: int) -> Runs:
    """One configuration's cost per (instance, seed), as SMAC keys its runs."""
    mine = rows[rows["config_id"] == config_id]
    return {
        (str(i), int(s)): float(c)
        for i, s, c in zip(mine["instance"], mine["seed"], mine["cost"], strict=True)
    }


def round_path(rows: pd.DataFrame, trajectory: list[dict[str, Any]], k: int) -> RoundPath:
    """The incumbent's path through one round, replaying its trials in SMAC's order."""
    rows = rows.reset_index(drop=True)
    costs: dict[int, Runs] = defaultdict(dict)
    takeovers: list[Takeover] = []
    estimate: list[float] = []
    before: list[int | None] = []
    pending = [(int(t["trials"]), int(t["config_id"])) for t in trajectory]

    def take_over(done: int) -> None:
        while pending and pending[0][0] <= done:
            trial, cid = pending.pop(0)
            takeovers.append(Takeover(trial, cid, _mean(costs[cid])))

    done = 0
    for cid, instance, seed, cost, warm in zip(
        rows["config_id"], rows["instance"], rows["seed"], rows["cost"], rows["warm"], strict=True
    ):
        if not warm:
            take_over(done)  # a takeover during the warm replay (trajectory trials = 0)
            before.append(takeovers[-1].config_id if takeovers else None)
        costs[int(cid)][(str(instance), int(seed))] = float(cost)
        if not warm:
            done += 1
            take_over(done)
            estimate.append(_mean(costs[takeovers[-1].config_id]) if takeovers else math.nan)
    take_over(done)
    return RoundPath(k, rows, tuple(takeovers), tuple(estimate), tuple(before))


def round_paths(folder: Path, report: dict[str, Any]) -> list[RoundPath]:
    """Every round's path (a Hydra portfolio run has one SMAC run per member)."""
    trials = read_trials(folder)
    rounds = report.get("tuning", {}).get("rounds", [])
    return [
        round_path(trials[trials["round"] == r["round"]], r.get("trajectory") or [], r["round"])
        for r in rounds
        if (trials["round"] == r["round"]).any()
    ]


def default_id(report: dict[str, Any]) -> int | None:
    """The id of the built-in default configuration among the run's, if it was tried."""
    default = CheckerConfig().to_mapping()
    for key, config in (report.get("configs") or {}).items():
        if config == default:
            return int(key)
    return None


def convergence(paths: list[RoundPath], report: dict[str, Any]) -> list[dict[str, Any]]:
    """Per round: trials, TIMEOUTs, configurations, the incumbent, the default beside it."""
    rounds = {r["round"]: r for r in report.get("tuning", {}).get("rounds", [])}
    did = default_id(report)
    out = []
    for p in paths:
        new = p.trials[p.trials["warm"] == 0]
        inc = rounds[p.round]["incumbent"]
        mine = _runs(p.trials, inc["config_id"])
        default = None
        if did is not None and did != inc["config_id"]:
            theirs = _runs(p.trials, did)
            common = set(mine) & set(theirs)
            if common:
                default = {
                    "config_id": did,
                    "cost": _mean(theirs, common),
                    "incumbent_cost": _mean(mine, common),
                    "instances": len(common),
                }
        out.append(
            {
                "round": p.round,
                "trials": len(new),
                "reused_trials": len(p.trials) - len(new),
                "timeouts": int((new["status"] == "TIMEOUT").sum()),
                "configurations": int(new["config_id"].nunique()),
                "incumbent_changes": max(len(p.takeovers) - 1, 0),
                "incumbent": {
                    "config_id": inc["config_id"],
                    "estimated_cost": inc["estimated_cost"],
                    "runs": inc["runs"],
                    "is_default": inc["config_id"] == did,
                },
                "default": default,
                "takeovers": [
                    {"trial": t.trial, "config_id": t.config_id, "estimated_cost": t.estimate}
                    for t in p.takeovers
                ],
            }
        )
    return out
