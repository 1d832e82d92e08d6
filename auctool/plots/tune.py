"""Plots of a tuning run: runtime ECDF and cactus on the test set; every trial's cost with
the incumbent over it (convergence)."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np

from auctool.plots._figure import COLOURS, pyplot, read_json, save
from auctool.plots.trials import RoundPath, convergence, round_paths
from auctool.tune.journal import digest

#: One colour per SMAC run (Hydra round); no red, which marks trials over the cutoff.
ROUND_COLOURS = ("#1f77b4", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf")


def validation_times(folder: Path, validation: dict[str, Any]) -> dict[str, list[float]]:
    """Per configuration (by name), every validation check's seconds (inf: unsolved)."""
    names = {digest(row["config"]): row["name"] for row in validation.get("configs", [])}
    times: dict[str, list[float]] = {name: [] for name in names.values()}
    path = folder / "validation.jsonl"
    if not path.is_file():
        return times
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            row = json.loads(line)
        except json.JSONDecodeError:
            continue  # a torn last line of an interrupted run
        name = names.get(row.get("config"))
        if name is None or "answer" not in row:
            continue
        solved = row["answer"] in ("SAT", "UNSAT")
        times[name].append(float(row["seconds"]) if solved else math.inf)
    return times


def _runtime_figure(times: dict[str, list[float]], cutoff: float, title: str) -> Any:
    plt = pyplot()
    fig, (ecdf, cactus) = plt.subplots(1, 2, figsize=(11, 4.2))
    floor = cutoff
    for seconds in times.values():
        finite = [t for t in seconds if math.isfinite(t) and t > 0]
        if finite:
            floor = min(floor, min(finite))
    for k, (name, seconds) in enumerate(times.items()):
        colour = COLOURS[k % len(COLOURS)]
        done = np.sort([t for t in seconds if math.isfinite(t)])
        n = len(seconds)
        if n == 0:
            continue
        share = np.arange(1, done.size + 1) / n
        label = f"{name}: {100 * done.size / n:.1f}% solved"
        ecdf.step(
            np.concatenate([[floor / 2], np.maximum(done, floor / 2), [cutoff]]),
            np.concatenate([[0], share, [share[-1] if share.size else 0]]),
            where="post",
            color=colour,
            label=label,
        )
        cactus.plot(np.arange(1, done.size + 1), done, color=colour, marker=".", label=name)
    ecdf.set_xscale("log")
    ecdf.set_xlabel("seconds per check (log)")
    ecdf.set_ylabel("share of the test set solved")
    ecdf.set_ylim(0, 1.02)
    ecdf.axvline(cutoff, color="grey", linestyle=":", label=f"cutoff {cutoff:g} s")
    ecdf.legend(loc="lower right", fontsize=8)
    ecdf.set_title("runtime ECDF (higher and further left is better)", fontsize=10)
    cactus.set_yscale("log")
    cactus.set_xlabel("problems solved")
    cactus.set_ylabel("seconds (log), sorted")
    cactus.axhline(cutoff, color="grey", linestyle=":")
    cactus.set_title("cactus plot (further right is better)", fontsize=10)
    cactus.legend(loc="upper left", fontsize=8)
    fig.suptitle(title, fontsize=11)
    return fig


def _draw_round(ax: Any, p: RoundPath, k: int, offset: int, rounds: int) -> bool:
    """The k-th SMAC run's trials and incumbent line from x = offset + 1; True if all costs > 0."""
    colour = ROUND_COLOURS[k % len(ROUND_COLOURS)]
    new = p.trials[p.trials["warm"] == 0]
    x = offset + np.arange(1, len(new) + 1)
    cost = new["cost"].to_numpy(dtype=float)
    timeout = (new["status"] != "SUCCESS").to_numpy()
    mine = np.array([c == i for c, i in zip(new["config_id"], p.incumbent, strict=True)])
    first = k == 0
    for mask, style, label in (
        (~timeout & ~mine, {"color": "#a0a0a0", "marker": "o"}, "a trial of a challenger"),
        (~timeout & mine, {"color": colour, "marker": "o"}, "a trial of the incumbent"),
        (timeout, {"color": "#d62728", "marker": "x"}, "over the cutoff (cost: penalty)"),
    ):
        if mask.any():
            ax.scatter(x[mask], cost[mask], s=12, alpha=0.6, zorder=2,
                       label=label if first else None, **style)  # fmt: skip
    name = f"round {p.round}'s incumbent" if rounds > 1 else "SMAC's incumbent"
    ax.step(x, np.asarray(p.estimate, dtype=float), where="post", color=colour, linewidth=2,
            zorder=3, label=f"{name}: mean cost of its runs so far")  # fmt: skip
    turns = [t for t in p.takeovers if t.trial >= 1]
    ax.scatter([offset + t.trial for t in turns], [t.estimate for t in turns], s=45,
               facecolor="white", edgecolor=colour, linewidth=1.8, zorder=4,
               label="a new incumbent (config id)" if first else None)  # fmt: skip
    for t in turns if len(turns) <= 12 else ():
        ax.annotate(f"#{t.config_id}", (offset + t.trial, t.estimate), xytext=(4, -11),
                    textcoords="offset points", fontsize=7, color=colour)  # fmt: skip
    if not first:
        ax.axvline(offset + 0.5, color="grey", linestyle=":", linewidth=1)
    return bool((cost > 0).all())


def _convergence_figure(paths: list[RoundPath], objective: str, cutoff: float | None) -> Any:
    """Every trial's cost (a dot) with SMAC's incumbent over it (a line); rounds side by side."""
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(10.5, 4.8))
    offset, positive = 0, True
    for k, p in enumerate(paths):
        positive = _draw_round(ax, p, k, offset, len(paths)) and positive
        offset += int((p.trials["warm"] == 0).sum())
    if positive:
        ax.set_yscale("log")
    if cutoff:
        ax.axhline(cutoff, color="grey", linestyle="--", linewidth=1, label=f"cutoff {cutoff:g} s")
    ax.set_xlabel("trial (in the order SMAC was told)")
    unit = ", ".join(([] if objective == "solved" else ["s"]) + (["log"] if positive else []))
    ax.set_ylabel(f"{objective} cost of the trial" + (f" ({unit})" if unit else ""))
    ax.set_title(
        "every trial's cost, and SMAC's incumbent over them: its estimate rises when "
        "SMAC runs it on a hard instance,\nand drops when a challenger takes over; "
        "no new incumbent for long = converged on these instances",
        fontsize=9,
    )
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    ax.grid(alpha=0.3)
    return fig


def tune_plots(folder: Path, out: Path) -> tuple[list[Path], dict[str, Any]]:
    data = read_json(folder / "report.json")
    files: list[Path] = []
    paths = round_paths(folder, data)
    if paths:
        fig = _convergence_figure(paths, data.get("objective", "par10"), data.get("cutoff"))
        files.append(save(fig, out / "incumbent-cost.png"))
    validation = data.get("validation")
    if validation:
        times = validation_times(folder, validation)
        where = "held-out test set" if validation.get("held_out") else "training set"
        title = f"{validation.get('set', '')} ({where}), cutoff {validation['cutoff']:g} s"
        if any(times.values()):
            fig = _runtime_figure(times, float(validation["cutoff"]), title)
            files.append(save(fig, out / "runtime-ecdf.png"))
    summary = {
        "validation": validation,
        "tuning": data.get("tuning", {}),
        "convergence": convergence(paths, data),
        "incumbent": data.get("incumbent"),
        "objective": data.get("objective", "par10"),
        "cutoff": data.get("cutoff"),
        "budget_mode": data.get("budget_mode", "time"),
        "stopped": data.get("stopped"),
        "command": data.get("command"),
    }
    return files, summary
