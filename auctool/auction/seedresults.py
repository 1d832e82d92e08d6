"""What many auctions found: each seed's figures (run and baseline), and over the seeds
the means, the check-time percentiles and the paired differences of the headline figures:
cost, stations frozen by a TIMEOUT, TIMEOUT checks and wall seconds (under the FCC's rule a
faster checker shows as cost; with escalating cutoffs as wall time: both are reported).

Values only: :mod:`auctool.auction.seeds` runs the seeds and makes these; ``report`` and
``summary.json`` read them back without running anything.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from auctool.auction.paired import PairedDifference, paired_difference, ratio_of_means
from auctool.auction.report import seconds_stats


@dataclass(frozen=True)
class Figures:
    """One auction's headline figures (and its check times, for overall percentiles)."""

    cost: int
    winners: int
    frozen_by_timeout: int
    rounds: int
    checks: int
    unsat: int
    timeouts: int
    p50: float
    p99: float
    wall_seconds: float | None = None  # the auction's wall time (None: an older summary)
    check_seconds_total: float | None = None  # its checks' seconds, summed
    seconds: tuple[float, ...] = field(default=(), repr=False, compare=False)

    @classmethod
    def of(cls, summary: dict[str, Any], seconds: Iterable[float] = ()) -> Figures:
        checks = summary["checks"]
        wall = (summary.get("timing") or {}).get("wall_seconds")
        total = summary["check_seconds"].get("total")
        return cls(
            cost=int(summary["cost"]),
            winners=int(summary["winners"]),
            frozen_by_timeout=int(summary["frozen_by_timeout"]),
            rounds=int(summary["rounds"]),
            checks=int(checks["total"]),
            unsat=int(checks["UNSAT"]),
            timeouts=int(checks["TIMEOUT"]),
            p50=float(summary["check_seconds"]["p50"]),
            p99=float(summary["check_seconds"]["p99"]),
            wall_seconds=None if wall is None else float(wall),
            check_seconds_total=None if total is None else float(total),
            seconds=tuple(float(s) for s in seconds),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "cost": self.cost,
            "winners": self.winners,
            "frozen_by_timeout": self.frozen_by_timeout,
            "rounds": self.rounds,
            "checks": self.checks,
            "UNSAT": self.unsat,
            "TIMEOUT": self.timeouts,
            "check_p50": self.p50,
            "check_p99": self.p99,
            "wall_seconds": self.wall_seconds,
            "check_seconds_total": self.check_seconds_total,
        }


@dataclass(frozen=True)
class PairedFigure:
    """A figure compared seed by seed (lower is better for each): its key in
    :meth:`Figures.to_json` and ``paired_figures``, the attribute, the table's label and
    decimals (after ``scale``), and what the side with the lower figure is."""

    key: str
    attr: str
    label: str
    lower: str
    digits: int
    scale: float = 1.0


PAIRED_FIGURES = (
    PairedFigure("cost", "cost", "cost $M", "cheaper", 1, 1e6),
    PairedFigure("frozen_by_timeout", "frozen_by_timeout", "frozen by TIMEOUT", "lower", 1),
    PairedFigure("TIMEOUT", "timeouts", "TIMEOUT checks", "lower", 1),
    PairedFigure("wall_seconds", "wall_seconds", "wall s", "faster", 3),
)


@dataclass(frozen=True)
class SeedOutcome:
    """One seed: its figures (run and baseline), or the error that stopped it."""

    seed: int
    run: Figures | None = None
    baseline: Figures | None = None
    error: str | None = None
    resumed: bool = False

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def difference(self) -> int | None:
        """Run cost minus baseline cost (negative: the run is cheaper)."""
        if self.run is None or self.baseline is None:
            return None
        return self.run.cost - self.baseline.cost

    def to_json(self) -> dict[str, Any]:
        return {
            "seed": self.seed,
            "status": "failed" if self.error else ("resumed" if self.resumed else "ran"),
            "error": self.error,
            "run": None if self.run is None else self.run.to_json(),
            "baseline": None if self.baseline is None else self.baseline.to_json(),
            "cost_difference": self.difference,
        }


@dataclass(frozen=True)
class SeedsResult:
    """Every seed's outcome, the overall figures, and the paired differences."""

    outcomes: tuple[SeedOutcome, ...]
    settings: dict[str, Any]
    labels: dict[str, str | None] | None = None  # what run and baseline are (SeedJob.labels)

    @cached_property
    def paired_figures(self) -> dict[str, PairedDifference | None]:
        """Per figure (:data:`PAIRED_FIGURES`) the paired difference over the seeds where
        both sides have it (a figure an older summary lacks leaves that seed out); a
        figure no seed has on both sides (no baseline) is None."""
        return {f.key: _paired(self._pairs(f.attr)) for f in PAIRED_FIGURES}

    @property
    def paired(self) -> PairedDifference | None:
        """The paired cost difference (negative: the run is cheaper)."""
        return self.paired_figures["cost"]

    def _pairs(self, attr: str) -> list[tuple[float, float]]:
        """(run, baseline) of a figure, per seed that has it on both sides."""
        pairs = []
        for o in self.outcomes:
            if o.run is None or o.baseline is None:
                continue
            run, base = getattr(o.run, attr), getattr(o.baseline, attr)
            if run is not None and base is not None:
                pairs.append((float(run), float(base)))
        return pairs

    def paired_json(self) -> dict[str, Any] | None:
        """``paired_figures``: per figure its :meth:`PairedDifference.figure_json` with the
        means of both sides over its seeds and how many paired seeds it leaves out; wall
        seconds also as a ratio (baseline / run: above 1 the run is faster)."""
        paired = sum(o.run is not None and o.baseline is not None for o in self.outcomes)
        if not paired:  # no baseline (or no seed landed): nothing paired, as "paired"
            return None
        out: dict[str, Any] = {}
        for f in PAIRED_FIGURES:
            diff, pairs = self.paired_figures[f.key], self._pairs(f.attr)
            if diff is None:
                out[f.key] = None
                continue
            run, base = np.asarray(pairs).T
            cost = f.key == "cost"  # its verdict in whole $ and its means in cents, as "paired"
            body = diff.figure_json(f.lower, 0 if cost else f.digits)
            digits = 2 if cost else 6
            body |= {
                "run_mean": round(float(run.mean()), digits),
                "baseline_mean": round(float(base.mean()), digits),
                "seeds_left_out": paired - len(pairs),
            }
            if f.key == "wall_seconds":
                ratio = ratio_of_means(base, run)
                body["ratio"] = None if ratio is None else ratio.to_json()
            out[f.key] = body
        return out

    @property
    def failed(self) -> tuple[int, ...]:
        return tuple(o.seed for o in self.outcomes if not o.ok)

    def overall(self, side: str) -> dict[str, Any] | None:
        """Means over the seeds that finished, and percentiles over all their checks."""
        figs = [getattr(o, side) for o in self.outcomes if getattr(o, side) is not None]
        if not figs:
            return None
        seconds = np.concatenate([np.asarray(f.seconds, dtype=np.float64) for f in figs])
        return {
            "seeds": len(figs),
            "cost_mean": round(float(np.mean([f.cost for f in figs])), 2),
            "winners_mean": round(float(np.mean([f.winners for f in figs])), 3),
            "frozen_by_timeout_mean": round(float(np.mean([f.frozen_by_timeout for f in figs])), 3),
            "checks": int(sum(f.checks for f in figs)),
            "UNSAT": int(sum(f.unsat for f in figs)),
            "TIMEOUT": int(sum(f.timeouts for f in figs)),
            "check_seconds": seconds_stats(seconds),
        }

    def table(self) -> pd.DataFrame:
        """One row per seed (seeds.csv)."""
        rows = []
        for o in self.outcomes:
            row: dict[str, Any] = {"seed": o.seed, "status": o.to_json()["status"]}
            for side in ("run", "baseline"):
                figs = getattr(o, side)
                for key, value in (figs.to_json() if figs else {}).items():
                    row[f"{side}_{key}"] = value
            row["cost_difference"] = o.difference
            row["error"] = o.error
            rows.append(row)
        return pd.DataFrame(rows)

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": "seeds",
            "settings": self.settings,
            "seeds": [o.to_json() for o in self.outcomes],
            "failed": list(self.failed),
            "overall": {"run": self.overall("run"), "baseline": self.overall("baseline")},
            "paired": None if self.paired is None else self.paired.to_json(),
            "paired_figures": self.paired_json(),
            "labels": self.labels,
        }


def _paired(pairs: list[tuple[float, float]]) -> PairedDifference | None:
    return paired_difference([run - base for run, base in pairs]) if pairs else None
