"""Plots of a simulation: per round, the base clock, the stations by status, cumulative cost
and check time, for the run and (when there is one) the baseline.

One colour per status and one line style per configuration (run solid, baseline dashed), so
a reader needs no legend lookup to tell six lines apart; the rounds in which a check timed
out are marked, since a TIMEOUT freezes a station that might have been paid less.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from auctool.errors import InputError
from auctool.plots._figure import pyplot, read_json, save

#: Stations by status: (rounds.csv column, what it means in the auction, colour).
STATUSES = (
    ("active", "bidding", "#1f77b4"),
    ("frozen", "frozen (provisionally winning)", "#2ca02c"),
    ("exited", "exited", "#ff7f0e"),
)
TIMEOUT_COLOUR = "#d62728"
#: Rounds with a TIMEOUT on the clock line: the run's a cross over the baseline's ring.
TIMEOUT_MARKS: tuple[dict[str, Any], ...] = (
    {"marker": "X", "s": 40, "color": TIMEOUT_COLOUR, "zorder": 4},
    {"marker": "o", "s": 90, "facecolor": "none", "edgecolor": TIMEOUT_COLOUR, "zorder": 3},
)
LINE = "#333333"  # cost and check time: one colour, the style says which configuration
STYLES = ("-", "--")


@dataclass(frozen=True)
class Auction:
    """One auction's tables as ``simulate --out`` wrote them."""

    name: str
    rounds: pd.DataFrame
    stations: pd.DataFrame
    timeout_rounds: tuple[int, ...]  # rounds with at least one TIMEOUT answer
    timeout_frozen: pd.Series  # by round: stations frozen after a TIMEOUT


def _read(folder: Path, name: str) -> Auction:
    try:
        rounds = pd.read_csv(folder / "rounds.csv")
        stations = pd.read_csv(folder / "stations.csv")
        checks = (
            pd.read_csv(folder / "checks.csv", usecols=lambda c: c in ("stage", "round", "answer"))
            if (folder / "checks.csv").is_file()
            else pd.DataFrame({"round": [], "answer": []})
        )
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read the simulation's tables ({exc})", folder) from None
    for column in ("round", "base_clock", "active", "frozen", "exited", "check_seconds"):
        if column not in rounds.columns:
            raise InputError(f"rounds.csv has no column {column!r}", folder)
    rounds = _across_stages(rounds)
    at = {(int(s), int(r)): int(x) for s, r, x in rounds[["stage", "round", "x"]].to_numpy()}
    timed_out = checks.loc[checks["answer"] == "TIMEOUT"]
    stage_of = timed_out["stage"] if "stage" in timed_out.columns else pd.Series(1, timed_out.index)
    timeouts = sorted(
        {at[(int(s), int(r))] for s, r in zip(stage_of, timed_out["round"], strict=True)}
    )
    by_timeout = stations[(stations["status"] == "frozen") & (stations["frozen_by"] == "TIMEOUT")]
    last = int(rounds["stage"].max())
    decided = by_timeout["decided_stage"] if "decided_stage" in by_timeout.columns else last
    xs = [at.get((last if pd.isna(s) else int(s), int(r))) for s, r in zip(
        pd.Series(decided, index=by_timeout.index), by_timeout["decided_round"], strict=True
    )]  # fmt: skip
    frozen = pd.Series([x for x in xs if x is not None], dtype="int64").value_counts().sort_index()
    return Auction(name, rounds, stations, tuple(timeouts), frozen)


def _across_stages(rounds: pd.DataFrame) -> pd.DataFrame:
    """``x``: the round, counted on across the stages (a later stage starts at round 0 again)."""
    if "stage" not in rounds.columns:
        rounds = rounds.assign(stage=1)
    return rounds.assign(
        x=np.arange(len(rounds)) if rounds["stage"].nunique() > 1 else rounds["round"]
    )


def cumulative_cost(rounds: pd.DataFrame, stations: pd.DataFrame) -> pd.Series:
    """Payments committed by the end of each round (a station's price is fixed once frozen)."""
    if "frozen_cost" in rounds.columns:  # written by the auction itself (stages resume winners)
        return rounds["frozen_cost"]
    frozen = stations[stations["status"] == "frozen"]
    by_round = frozen.groupby("decided_round")["payment"].sum()
    return rounds["round"].map(by_round).fillna(0).cumsum()


def _same_clock(runs: list[Auction]) -> bool:
    if len(runs) < 2:
        return True
    a, b = (r.rounds.set_index("x")["base_clock"] for r in runs[:2])
    common = a.index.intersection(b.index)
    return bool(np.allclose(a[common], b[common]))


def _clock(ax: Any, runs: list[Auction]) -> None:
    same = _same_clock(runs)
    longest = max(runs, key=lambda r: len(r.rounds))
    for k, run in enumerate([longest] if same else runs):
        ax.plot(
            run.rounds["x"],
            run.rounds["base_clock"],
            color="black",
            linestyle=STYLES[k],
            label="base clock" if same else f"base clock ({run.name})",
        )
    clock = longest.rounds.set_index("x")["base_clock"]
    for k, run in enumerate(runs):
        rounds = [r for r in run.timeout_rounds if r in clock.index]
        if not rounds:
            continue
        who = ("run", "baseline")[k]
        n = len(rounds)
        label = f"a TIMEOUT in the {who} ({n} round{'' if n == 1 else 's'})"
        ax.scatter(rounds, clock[rounds], linewidth=1.5, label=label, **TIMEOUT_MARKS[k])
    ax.set_ylabel("base clock ($ per unit of volume)")
    title = "base clock: an offer is the station's volume times it"
    ax.set_title(
        title + (" (one schedule for both)" if same and len(runs) > 1 else ""), fontsize=10
    )


def _statuses(ax: Any, runs: list[Auction]) -> None:
    from matplotlib.lines import Line2D

    for k, run in enumerate(runs):
        for column, _, colour in STATUSES:
            ax.plot(run.rounds["x"], run.rounds[column], color=colour, linestyle=STYLES[k])
        if len(run.timeout_frozen):
            at = run.rounds.set_index("x")["frozen"]
            rounds = [r for r in run.timeout_frozen.index if r in at.index]
            ax.scatter(rounds, at[rounds], marker="x", color=TIMEOUT_COLOUR, zorder=3, s=30)
    handles = [Line2D([], [], color=c, label=label) for _, label, c in STATUSES]
    if any(len(r.timeout_frozen) for r in runs):
        handles.append(
            Line2D(
                [],
                [],
                color=TIMEOUT_COLOUR,
                marker="x",
                linestyle="",
                label="froze after a TIMEOUT",
            )
        )
    ax.legend(handles=handles, fontsize=8)
    ax.set_ylabel("stations")
    ax.set_title("participating stations by status", fontsize=10)


def auction_plots(folder: Path, out: Path) -> tuple[list[Path], dict[str, Any]]:
    summary = read_json(folder / "summary.json")
    runs = [_read(folder, "run: " + _label(summary, "config_file"))]
    base = summary.get("baseline")
    if base is not None and (folder / "baseline" / "rounds.csv").is_file():
        runs.append(_read(folder / "baseline", "baseline: " + _label(base, "config_file")))
    plt = pyplot()
    fig, axes = plt.subplots(2, 2, figsize=(12, 8.4), sharex=True)
    clock, status, cost, seconds = axes.ravel()
    _clock(clock, runs)
    _statuses(status, runs)
    for k, run in enumerate(runs):
        style = {"color": LINE, "linestyle": STYLES[k], "label": run.name}
        cost.plot(run.rounds["x"], cumulative_cost(run.rounds, run.stations) / 1e6, **style)
        busy = run.rounds[run.rounds["check_seconds"] > 0]
        seconds.plot(busy["x"], busy["check_seconds"], marker=".", markersize=4, **style)
    cost.set_ylabel("committed cost ($ millions)")
    cost.set_title("cumulative cost: payments fixed by freezing", fontsize=10)
    seconds.set_yscale("log")
    seconds.set_ylabel("seconds in feasibility checks (log)")
    seconds.set_title("check time per round (rounds without a check left out)", fontsize=10)
    clock.legend(
        fontsize=8, loc="center right" if runs[0].rounds["stage"].nunique() > 1 else "best"
    )
    for ax in axes.ravel():
        ax.grid(alpha=0.3)
    staged = _stage_lines(axes.ravel(), runs[0].rounds, summary)
    for ax in (cost, seconds):
        ax.set_xlabel("round, counted on across the stages" if staged else "round")
    fig.legend(
        *cost.get_legend_handles_labels(),
        loc="upper center",
        ncol=2,
        fontsize=9,
        bbox_to_anchor=(0.5, 0.955),
        frameon=False,
    )
    fig.suptitle(
        f"auction on {summary.get('world', '')}: seed {summary.get('seed')}, "
        f"cutoff {summary.get('cutoff')} s"
    )
    fig.tight_layout(rect=(0, 0, 1, 0.93))
    files = [save(fig, out / "auction-rounds.png")]
    keep = ("cost", "winners", "frozen_by_timeout", "checks", "check_seconds", "comparison")
    drawn = {k: summary[k] for k in keep if k in summary}
    drawn["timeout_rounds"] = {
        ("run", "baseline")[k]: list(r.timeout_rounds) for k, r in enumerate(runs)
    }
    return files, drawn


def _stage_lines(axes: Any, rounds: pd.DataFrame, summary: dict[str, Any]) -> bool:
    """Where each stage begins, with its clearing target (False: one stage)."""
    if rounds["stage"].nunique() < 2:
        return False
    targets = {s["stage"]: s["clearing_target"] for s in summary.get("stages") or []}
    starts = rounds.groupby("stage")["x"].min()
    for ax in axes:
        for stage, x in starts.items():
            ax.axvline(x, color="#999999", linewidth=0.8, linestyle=":")
            label = f"stage {stage}: {targets.get(stage, '?')} MHz"
            ax.text(x + 0.5, 0.98, label, transform=ax.get_xaxis_transform(), fontsize=7,
                    va="top", color="#555555")  # fmt: skip
    return True


def _label(summary: dict[str, Any], key: str) -> str:
    value = summary.get(key)
    return Path(value).name if value else "built-in default"
