"""Paired comparison of two checkers over many auctions: is the saving real?

An auction is path-dependent: one run proves nothing. Run both checkers on the same
seeds (same values, same order), take each seed's cost difference (run minus
baseline), and report the mean with a 95% Student-t interval (the differences are
roughly normal once there are a dozen seeds) and, as a check that needs no normality,
a seeded percentile bootstrap of the mean. "Significant" means the t interval excludes 0.

The t interval is the one every reader is shown (the verdict, the table, the plot): the
percentile bootstrap is in ``--json`` only, as it is too narrow for a few seeds (three
seeds of one sign always exclude 0) and would disagree with the verdict.

The same holds for any figure of an auction where lower is better (cost, stations frozen by
a TIMEOUT, wall seconds): :meth:`PairedDifference.figure_json` words it for the figure, and
:func:`ratio_of_means` says how many times faster, say, one side is.
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
    """Run minus baseline over ``n`` paired seeds (negative: the run is lower, e.g. cheaper)."""

    n: int
    mean: float
    stdev: float | None  # sample standard deviation (None for one seed)
    confidence: float
    t_interval: tuple[float, float] | None  # None for fewer than two seeds
    bootstrap_interval: tuple[float, float] | None
    run_lower: int  # seeds where the run's figure is lower (for cost: cheaper)
    baseline_lower: int
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

    def verdict(
        self, what: str = "saving", millions: bool = False, lower: str = "cheaper", digits: int = 0
    ) -> str:
        """One sentence a market designer can read (``millions``: the interval in $ M; else
        with ``digits`` decimals). ``lower``: what the side with the lower figure is."""
        if self.t_interval is None:
            return f"one paired seed: no interval (run at least two seeds for a {what})"
        low, high = self.t_interval
        if millions:
            interval = f"[{low / 1e6:+,.1f}, {high / 1e6:+,.1f}] $ M"
        else:
            interval = f"[{low:+,.{digits}f}, {high:+,.{digits}f}]"
        pct = f"{self.confidence:.0%} t interval"
        if not self.significant:
            return f"{self.headline}: the {pct} {interval} contains 0"
        side = "run" if self.mean < 0 else "baseline"
        return f"{self.headline}: the {side} is {lower}, {pct} {interval} excludes 0"

    def to_json(self, digits: int = 2) -> dict[str, Any]:
        """Figures rounded to ``digits`` decimals (cents for a cost)."""
        return {
            "n": self.n,
            "mean": round(self.mean, digits),
            "stdev": None if self.stdev is None else round(self.stdev, digits),
            "confidence": self.confidence,
            "t_interval": _rounded(self.t_interval, digits),
            "bootstrap_interval": _rounded(self.bootstrap_interval, digits),
            "interval_method": "Student t on the paired differences (the verdict's, the table's "
            "and the plot's); the percentile bootstrap of the mean beside it, for reference: "
            "too narrow for a few seeds",
            "significant": self.significant,
            "run_cheaper": self.run_lower,
            "baseline_cheaper": self.baseline_lower,
            "ties": self.ties,
            "verdict": self.verdict(),
        }

    def figure_json(self, lower: str = "cheaper", digits: int = 0) -> dict[str, Any]:
        """One figure's entry in a seeds run's ``paired_figures``: :meth:`to_json` with the
        counts as ``run_lower`` / ``baseline_lower`` (every figure alike) and the verdict in
        the figure's words (``lower``: "cheaper", "faster", ...; ``digits``: its decimals).
        Cost (``lower`` "cheaper") keeps ``run_cheaper`` / ``baseline_cheaper`` too, and
        its cents; other figures keep 6 decimals (a wall time's interval of a few
        milliseconds read back says what it said)."""
        body = self.to_json(2 if lower == "cheaper" else 6)
        if lower != "cheaper":  # "cheaper" says nothing of seconds or TIMEOUTs
            del body["run_cheaper"], body["baseline_cheaper"]
        body.update(run_lower=self.run_lower, baseline_lower=self.baseline_lower)
        body["verdict"] = self.verdict("difference", lower=lower, digits=digits)
        return body

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
            run_lower=_count(body, "run"),
            baseline_lower=_count(body, "baseline"),
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
        picks = _resamples(d.size, seed)
        boot = _percentiles(d[picks].mean(axis=1), confidence)
    return PairedDifference(
        n=int(d.size),
        mean=mean,
        stdev=stdev,
        confidence=confidence,
        t_interval=t_interval,
        bootstrap_interval=boot,
        run_lower=int((d < 0).sum()),
        baseline_lower=int((d > 0).sum()),
        ties=int((d == 0).sum()),
    )


@dataclass(frozen=True)
class RatioOfMeans:
    """Mean of one side over the mean of the other over ``n`` paired seeds (baseline wall /
    run wall: above 1 the run is faster). Its t interval is the paired difference's mapped
    onto the ratio (the numerator's mean over itself plus each end), so it excludes 1 exactly
    when the difference's t interval excludes 0: it never says otherwise than the verdict.
    The percentile bootstrap of the ratio (the seeds resampled in pairs) is beside it, for
    reference (too narrow for a few seeds, as the difference's). One seed: no interval."""

    n: int
    ratio: float
    confidence: float
    t_interval: tuple[float, float] | None  # None too when the difference's reaches -mean
    bootstrap_interval: tuple[float, float] | None

    def to_json(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "ratio": round(self.ratio, 4),
            "confidence": self.confidence,
            "t_interval": _rounded(self.t_interval, 4),
            "bootstrap_interval": _rounded(self.bootstrap_interval, 4),
            "interval_method": "the paired t interval of the difference as a ratio (excludes 1 "
            "when the difference's excludes 0); the percentile bootstrap of the ratio of means "
            "over the seeds resampled in pairs beside it, for reference",
        }


def ratio_of_means(
    numerator: Sequence[float],
    denominator: Sequence[float],
    confidence: float = 0.95,
    seed: int = 0,
) -> RatioOfMeans | None:
    """mean(numerator) / mean(denominator) over paired seeds (e.g. baseline and run wall);
    None when there is no seed or a value is not positive (no ratio to speak of)."""
    num = np.asarray(numerator, dtype=np.float64)
    den = np.asarray(denominator, dtype=np.float64)
    if num.shape != den.shape:
        raise ValueError(f"unpaired: {num.size} against {den.size} values")
    if den.size == 0 or (den <= 0).any() or (num <= 0).any():
        return None
    top = float(num.mean())
    t_interval = boot = None
    if den.size >= 2:
        low, high = paired_difference(den - num, confidence).t_interval or (0.0, 0.0)
        if top + low > 0:  # mean(den) = top + difference: the ratio falls as it grows
            t_interval = (top / (top + high), top / (top + low))
        picks = _resamples(den.size, seed)
        boot = _percentiles(num[picks].mean(axis=1) / den[picks].mean(axis=1), confidence)
    ratio = top / float(den.mean())
    return RatioOfMeans(int(den.size), ratio, confidence, t_interval, boot)


def _resamples(size: int, seed: int) -> np.ndarray:
    """The bootstrap's seeded resamples of ``size`` seeds: indices, one row per resample."""
    return np.random.default_rng(seed).integers(0, size, size=(BOOTSTRAP_RESAMPLES, size))


def _percentiles(stats: np.ndarray, confidence: float) -> tuple[float, float]:
    """The percentile interval of a resampled statistic."""
    tail = (1 - confidence) / 2 * 100
    low, high = np.percentile(stats, [tail, 100 - tail])
    return float(low), float(high)


def _count(body: dict[str, Any], side: str) -> int:
    """Seeds where ``side`` is lower: ``run_lower`` (any figure) or ``run_cheaper`` (cost)."""
    return int(body[f"{side}_lower"] if f"{side}_lower" in body else body[f"{side}_cheaper"])


def _rounded(pair: tuple[float, float] | None, digits: int = 2) -> list[float] | None:
    return None if pair is None else [round(pair[0], digits), round(pair[1], digits)]


def _pair(values: Sequence[float] | None) -> tuple[float, float] | None:
    return None if values is None else (float(values[0]), float(values[1]))
