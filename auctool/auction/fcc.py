"""A simulated auction held against Auction 1001, stage by stage and round by round.

The FCC's public files give, per stage and round, how many stations were bidding,
provisionally winning and exited, and the compensation (``reverse-statistics.csv``),
and each stage's clearing target (``reverse-auction_summary.csv``). The simulator's
statuses map onto the FCC's as follows (the simulated market has only the off-air
option, so a freeze is final):

- *bidding*: FCC bidding + pending catch-up; simulated active (of them, pending);
- *provisionally winning*: FCC provisionally winning + currently infeasible; simulated frozen;
- *exited*: FCC exited voluntarily + not needed + in a previous stage; simulated exited;
- *compensation*: FCC total compensation (every station not exited, at its current
  price); simulated frozen + active stations' prices. The committed part is FCC
  provisionally winning (+ currently infeasible) compensation; simulated frozen prices.

A simulated stage is matched with the real stage of the same clearing target.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from auctool.errors import InputError

STATISTICS = "reverse-statistics.csv"
SUMMARY = "reverse-auction_summary.csv"

#: figure -> (the FCC's columns summed, the simulation's rounds.csv columns summed)
FIGURES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "bidding": (("bidding_count", "pending_catch_up_count"), ("active",)),
    "provisionally winning": (
        ("provisionally_winning_count", "currently_infeasible_count"),
        ("frozen",),
    ),
    "exited": (
        ("exited_voluntarily_count", "exited_not_needed_count", "exited_prev_stage_count"),
        ("exited",),
    ),
    "compensation": (("total_compensation",), ("frozen_cost", "active_cost")),
    "winning compensation": (
        ("provisionally_winning_compensation", "currently_infeasible_compensation"),
        ("frozen_cost",),
    ),
}
MONEY = ("compensation", "winning compensation")


@dataclass(frozen=True)
class RealAuction:
    """Auction 1001 per stage and round (the figures above) and its stages' targets."""

    rounds: pd.DataFrame  # stage, round, one column per figure
    targets: dict[int, int]  # stage -> clearing target (MHz)
    participants: int  # stations bidding or provisionally winning at the first round


def read_fcc(folder: str | Path) -> RealAuction:
    """The FCC's files of Auction 1001 (one clear error when they are not there)."""
    folder = Path(folder)
    missing = [n for n in (STATISTICS, SUMMARY) if not (folder / n).is_file()]
    if missing:
        raise InputError(
            f"not an FCC auction folder: no {' or '.join(missing)} (the FCC's public "
            "results of Auction 1001, e.g. ../shared/data/fcc/auction1001)",
            folder,
        )
    try:
        stats = pd.read_csv(folder / STATISTICS)
        summary = pd.read_csv(folder / SUMMARY, usecols=["stage", "clearing_target"])
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read the FCC's files ({exc})", folder) from None
    needed = {"stage", "round", *(c for fcc, _ in FIGURES.values() for c in fcc)}
    absent = sorted(needed - set(stats.columns))
    if absent:
        raise InputError(f"{STATISTICS} has no column {absent[0]!r}", folder)
    rounds = stats[["stage", "round"]].astype(int).copy()
    for name, (fcc, _) in FIGURES.items():
        rounds[name] = stats[list(fcc)].apply(pd.to_numeric, errors="coerce").fillna(0).sum(axis=1)
    targets = {int(s): int(t) for s, t in summary.drop_duplicates("stage").to_numpy()}
    first = rounds[(rounds["stage"] == rounds["stage"].min()) & (rounds["round"] == 0)]
    participants = int((first["bidding"] + first["provisionally winning"]).sum())
    return RealAuction(rounds, targets, participants)


@dataclass(frozen=True)
class StageComparison:
    """One simulated stage beside the real stage at the same clearing target."""

    stage: int  # the simulation's stage number
    clearing_target: int
    real_stage: int | None  # None: Auction 1001 had no stage at this target
    rounds: pd.DataFrame  # round, sim <figure>, real <figure> (outer join on the round)

    def end(self) -> list[dict[str, Any]]:
        """The differences at the end of the stage: rounds, then every figure."""
        sim = self.rounds.dropna(subset=["sim bidding"])
        real = self.rounds.dropna(subset=["real bidding"])
        rows = [_row("rounds", sim["round"].max(), real["round"].max() if len(real) else None)]
        for name in FIGURES:
            s = sim[f"sim {name}"].iloc[-1] if len(sim) else None
            r = real[f"real {name}"].iloc[-1] if len(real) else None
            rows.append(_row(name, s, r))
        return rows

    def to_json(self) -> dict[str, Any]:
        return {
            "stage": self.stage,
            "clearing_target": self.clearing_target,
            "real_stage": self.real_stage,
            "end": self.end(),
        }


def _row(name: str, sim: Any, real: Any) -> dict[str, Any]:
    def plain(v: Any) -> float | None:
        return None if v is None or pd.isna(v) else float(v)

    s, r = plain(sim), plain(real)
    diff = None if s is None or r is None else s - r
    ratio = None if diff is None or not r else round(s / r, 4)
    return {"figure": name, "simulated": s, "real": r, "difference": diff, "ratio": ratio}


def compare(
    rounds: pd.DataFrame, targets: dict[int, int], real: RealAuction
) -> list[StageComparison]:
    """Each simulated stage (``rounds.csv``; ``targets``: stage -> MHz) beside the real one."""
    if "stage" not in rounds.columns:
        rounds = rounds.assign(stage=1)
    by_target = {t: s for s, t in real.targets.items()}
    out = []
    for stage, sim in rounds.groupby("stage", sort=True):
        target = targets[int(stage)]
        frame = pd.DataFrame({"round": sim["round"].to_numpy()})
        for name, (_, cols) in FIGURES.items():
            have = all(c in sim.columns for c in cols)
            values = sim[list(cols)].sum(axis=1).to_numpy() if have else np.nan
            frame[f"sim {name}"] = values
        real_stage = by_target.get(target)
        if real_stage is not None:
            theirs = real.rounds[real.rounds["stage"] == real_stage].drop(columns="stage")
            theirs = theirs.rename(columns={n: f"real {n}" for n in FIGURES})
            frame = frame.merge(theirs, on="round", how="outer").sort_values("round")
        else:
            for name in FIGURES:
                frame[f"real {name}"] = np.nan
        out.append(StageComparison(int(stage), target, real_stage, frame.reset_index(drop=True)))
    return out
