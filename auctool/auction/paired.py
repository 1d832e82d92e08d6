"""Paired comparison of two checkers over many auctions: is the saving real?

An auction is path-dependent: one run proves nothing. Run both checkers on the same
seeds (same values, same order), take each seed's cost difference (run minus
baseline), and report the mean with a 95% Student-t interval (the differences are
roughly normal once there are a dozen seeds) and, as a check that needs no normality,
a seeded percentile bootstrap of the mean. "Significant" means the t interval excludes 0.

The t interval is the one every reader is shown (the verdict, the table, the plot): the
percentile bootstrap is in ``--json`` only, as it is too narrow for a few seeds (three
seeds of one sign always exclude 0) and would disagree with the verdict.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

BOOTSTRAP_RESAMPLES = 10_000


@dataclass(frozen=True)
class PairedDifference:
    """Run minus baseline over ``n`` paired seeds (negative: the run is cheaper)."""

    n: int
    mean: float
    stdev: float | None  # sample standard deviation (None for one seed)
    confidence: float
    t_interval: tuple[float, float] | None  # None for fewer than two seeds
    bootstrap_interval: tuple[float, float] | None
    run_cheaper: int
    baseline_cheaper: int
    ties: int

    @property
    def significant(self) -> bool:
        """The t interval excludes 0."""
        low, high = self.t_interval or (0.0, 0.0)
        return low > 0 or high < 0

    @property
    def headline(self) -> str:
        """The verdict in a few words (a plot's title): from the same interval."""
        if self.t_interval is None:
            return "one seed: no interval"
        return "significant" if self.significant else "not significant"

    def verdict(self, what: str = "saving", millions: bool = False) -> str:
        """One sentence a market designer can read (``millions``: the interval in $ M)."""
        if self.t_interval is None:
            return f"one paired seed: no interval (run at least two seeds for a {what})"
        low, high = self.t_interval
        if millions:
            interval = f"[{low / 1e6:+,.1f}, {high / 1e6:+,.1f}] $ M"
        else:
            interval = f"[{low:+,.0f}, {high:+,.0f}]"
        pct = f"{self.confidence:.0%} t interval"
        if not self.significant:
            return f"{self.headline}: the {pct} {interval} contains 0"
        side = "run" if self.mean < 0 else "baseline"
        return f"{self.headline}: the {side} is cheaper, {pct} {interval} excludes 0"

    def to_json(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "mean": round(self.mean, 2),
            "stdev": None if self.stdev is None else round(self.stdev, 2),
            "confidence": self.confidence,
            "t_interval": _rounded(self.t_interval),
            "bootstrap_interval": _rounded(self.bootstrap_interval),
            "interval_method": "Student t on the paired differences (the verdict's, the table's "
            "and the plot's); the percentile bootstrap of the mean beside it, for reference: "
            "too narrow for a few seeds",
            "significant": self.significant,
            "run_cheaper": self.run_cheaper,
            "baseline_cheaper": self.baseline_cheaper,
            "ties": self.ties,
            "verdict": self.verdict(),
        }

    @classmethod
    def from_json(cls, body: dict[str, Any]) -> PairedDifference:
        """Back from :meth:`to_json` (a run's summary.json): what ``report``'s table and
        plot read, so they say what the run said."""
        return cls(
            n=int(body["n"]),
            mean=float(body["mean"]),
            stdev=body.get("stdev"),
            confidence=float(body["confidence"]),
            t_interval=_pair(body.get("t_interval")),
            bootstrap_interval=_pair(body.get("bootstrap_interval")),
            run_cheaper=int(body["run_cheaper"]),
            baseline_cheaper=int(body["baseline_cheaper"]),
            ties=int(body["ties"]),
        )


def paired_difference(
    differences: Sequence[float], confidence: float = 0.95, seed: int = 0
) -> PairedDifference:
    """The mean paired difference and its intervals (``differences``: run minus baseline)."""
    d = np.asarray(differences, dtype=np.float64)
    if d.size == 0:
        raise ValueError("no paired differences")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be in (0, 1), got {confidence}")
    mean = float(d.mean())
    stdev = t_interval = boot = None
    if d.size >= 2:
        from scipy import stats

        stdev = float(d.std(ddof=1))
        half = float(stats.t.ppf(0.5 + confidence / 2, d.size - 1)) * stdev / math.sqrt(d.size)
        t_interval = (mean - half, mean + half)
        rng = np.random.default_rng(seed)
        means = d[rng.integers(0, d.size, size=(BOOTSTRAP_RESAMPLES, d.size))].mean(axis=1)
        tail = (1 - confidence) / 2 * 100
        low, high = np.percentile(means, [tail, 100 - tail])
        boot = (float(low), float(high))
    return PairedDifference(
        n=int(d.size),
        mean=mean,
        stdev=stdev,
        confidence=confidence,
        t_interval=t_interval,
        bootstrap_interval=boot,
        run_cheaper=int((d < 0).sum()),
        baseline_cheaper=int((d > 0).sum()),
        ties=int((d == 0).sum()),
    )


def _rounded(pair: tuple[float, float] | None) -> list[float] | None:
    return None if pair is None else [round(pair[0], 2), round(pair[1], 2)]


def _pair(values: Sequence[float] | None) -> tuple[float, float] | None:
    return None if values is None else (float(values[0]), float(values[1]))
