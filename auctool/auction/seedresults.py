"""What many auctions found: each seed's figures (run and baseline), and over the seeds
the means, the check-time percentiles and the paired cost difference.

Values only: :mod:`auctool.auction.seeds` runs the seeds and makes these; ``report`` and
``summary.json`` read them back without running anything.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from auctool.auction.paired import PairedDifference
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
    seconds: tuple[float, ...] = field(default=(), repr=False, compare=False)

    @classmethod
    def of(cls, summary: dict[str, Any], seconds: Iterable[float] = ()) -> Figures:
        checks = summary["checks"]
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
        }


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
    """Every seed's outcome, the overall figures, and the paired cost difference."""

    outcomes: tuple[SeedOutcome, ...]
    settings: dict[str, Any]
    paired: PairedDifference | None
    labels: dict[str, str | None] | None = None  # what run and baseline are (SeedJob.labels)

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
            "labels": self.labels,
        }
