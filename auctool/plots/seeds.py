"""Plots of a multi-seed simulation (``simulate --seeds ... --out``): each seed's cost under
the run and the baseline, and the distribution of the paired differences with the interval
the verdict uses (the paired t interval: the plot never says otherwise than the table)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from auctool.auction.paired import PairedDifference
from auctool.plots._figure import COLOURS, pyplot, read_json, save


def seeds_plots(folder: Path, out: Path) -> tuple[list[Path], dict[str, Any]]:
    summary = read_json(folder / "summary.json")
    rows = [s for s in summary.get("seeds", []) if s.get("run")]
    plt = pyplot()
    paired = [s for s in rows if s.get("baseline")]
    if not paired:  # no baseline: the cost per seed alone
        fig, ax = plt.subplots(figsize=(6, 3.5))
        ax.bar([str(s["seed"]) for s in rows], [s["run"]["cost"] / 1e6 for s in rows])
        ax.set_xlabel("seed")
        ax.set_ylabel("cost ($ M)")
        ax.set_title("auction cost by seed")
        return [save(fig, out / "seeds-cost.png")], summary
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2))
    run = [s["run"]["cost"] / 1e6 for s in paired]
    base = [s["baseline"]["cost"] / 1e6 for s in paired]
    left.scatter(base, run, color=COLOURS[0], zorder=3)
    for s, x, y in zip(paired, base, run, strict=True):
        left.annotate(str(s["seed"]), (x, y), textcoords="offset points", xytext=(4, 3), fontsize=7)
    low, high = min(base + run), max(base + run)
    left.plot([low, high], [low, high], color="grey", linestyle="--", label="equal cost")
    labels = summary.get("labels") or {}  # what run and baseline are, when the run says
    left.set_xlabel("baseline cost ($ M)" + (f": {labels['baseline']}" if labels else ""))
    left.set_ylabel("run cost ($ M)" + (f": {labels['run']}" if labels else ""))
    left.set_title("each seed: below the line, the run is cheaper")
    left.legend(loc="upper left", fontsize=8)
    diffs = [s["cost_difference"] / 1e6 for s in paired]
    jitter = [0.25 * ((k * 7919) % 11 / 10 - 0.5) for k in range(len(diffs))]  # fixed, no RNG
    right.scatter(diffs, [1 + j for j in jitter], color=COLOURS[0], alpha=0.8, label="a seed")
    right.axvline(0, color="grey", linewidth=1)
    stats = summary.get("paired")
    paired_diff = None if stats is None else PairedDifference.from_json(stats)
    if paired_diff is not None and paired_diff.t_interval is not None:
        # the verdict's interval, and only it: the title's verdict is read from it too
        a, b = (v / 1e6 for v in paired_diff.t_interval)
        mean = paired_diff.mean / 1e6
        right.errorbar(
            [mean], [0], xerr=[[mean - a], [b - mean]], fmt="o", color=COLOURS[1], capsize=5
        )
        right.annotate(
            f"{paired_diff.confidence:.0%} t [{a:+,.1f}, {b:+,.1f}]",
            (mean, 0),
            xytext=(0, 7),
            textcoords="offset points",
            ha="center",
            fontsize=8,
        )
    pct = f"{paired_diff.confidence:.0%}" if paired_diff is not None else "95%"
    right.set_yticks([1, 0], ["seeds", f"mean, {pct} t"])
    right.set_ylim(-0.6, 1.6)
    right.set_xlabel("run cost - baseline cost ($ M)")
    verdict = "no interval" if paired_diff is None else paired_diff.headline
    right.set_title(f"paired differences over {len(diffs)} seeds ({verdict})")
    return [save(fig, out / "paired-differences.png")], summary
