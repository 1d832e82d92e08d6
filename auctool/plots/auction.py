"""Plots of a simulation: per round, the base clock, active / frozen / exited stations,
cumulative cost and check time, for the run and (when there is one) the baseline."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from auctool.errors import InputError
from auctool.plots._figure import COLOURS, pyplot, read_json, save


def _tables(folder: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    try:
        rounds = pd.read_csv(folder / "rounds.csv")
        stations = pd.read_csv(folder / "stations.csv")
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read the simulation's tables ({exc})", folder) from None
    for column in ("round", "base_clock", "active", "frozen", "exited", "check_seconds"):
        if column not in rounds.columns:
            raise InputError(f"rounds.csv has no column {column!r}", folder)
    return rounds, stations


def cumulative_cost(rounds: pd.DataFrame, stations: pd.DataFrame) -> pd.Series:
    """Payments committed by the end of each round (a station's price is fixed once frozen)."""
    frozen = stations[stations["status"] == "frozen"]
    by_round = frozen.groupby("decided_round")["payment"].sum()
    return rounds["round"].map(by_round).fillna(0).cumsum()


def auction_plots(folder: Path, out: Path) -> tuple[list[Path], dict[str, Any]]:
    summary = read_json(folder / "summary.json")
    runs = [(_label(summary, "config_file", "run"), *_tables(folder))]
    base = summary.get("baseline")
    if base is not None and (folder / "baseline" / "rounds.csv").is_file():
        runs.append((_label(base, "config_file", "baseline"), *_tables(folder / "baseline")))
    plt = pyplot()
    fig, axes = plt.subplots(2, 2, figsize=(12, 8), sharex=True)
    clock, status, cost, seconds = axes.ravel()
    for k, (name, rounds, stations) in enumerate(runs):
        style = {"color": COLOURS[k], "linestyle": "-" if k == 0 else "--"}
        clock.plot(rounds["round"], rounds["base_clock"], label=name, **style)
        for column, marker in (("active", "o"), ("frozen", "s"), ("exited", "^")):
            status.plot(
                rounds["round"],
                rounds[column],
                marker=marker,
                markersize=3,
                label=f"{column} ({name})",
                **style,
            )
        cost.plot(rounds["round"], cumulative_cost(rounds, stations) / 1e6, label=name, **style)
        seconds.plot(rounds["round"], rounds["check_seconds"], label=name, **style)
    clock.set_ylabel("base clock price")
    clock.set_title("base clock per round", fontsize=10)
    status.set_ylabel("stations")
    status.set_title("active (o), frozen (s), exited (^) bidders", fontsize=10)
    cost.set_ylabel("committed cost ($ millions)")
    cost.set_title("cumulative cost: payments fixed by freezing", fontsize=10)
    seconds.set_ylabel("seconds in feasibility checks")
    seconds.set_title("check time per round", fontsize=10)
    for ax in axes.ravel():
        ax.legend(fontsize=7)
        ax.grid(alpha=0.3)
    for ax in (cost, seconds):
        ax.set_xlabel("round")
    world = summary.get("world", "")
    fig.suptitle(
        f"auction on {world}: seed {summary.get('seed')}, cutoff {summary.get('cutoff')} s"
    )
    files = [save(fig, out / "auction-rounds.png")]
    keep = ("cost", "winners", "frozen_by_timeout", "checks", "check_seconds", "comparison")
    return files, {k: summary[k] for k in keep if k in summary}


def _label(summary: dict[str, Any], key: str, fallback: str) -> str:
    value = summary.get(key)
    return Path(value).name if value else f"{fallback} (built-in default)"
