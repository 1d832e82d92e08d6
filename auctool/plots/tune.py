"""Plots of a tuning run: runtime ECDF and cactus on the test set, incumbent cost over time."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np

from auctool.plots._figure import COLOURS, pyplot, read_json, save
from auctool.tune.journal import digest


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


def _trajectory_figure(rounds: list[dict[str, Any]], objective: str) -> Any:
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(7, 4))
    offset = 0.0
    for k, r in enumerate(rounds):
        points = r.get("trajectory") or []
        if not points:
            continue
        x = [offset + float(p["elapsed"]) for p in points] + [offset + float(r["elapsed"])]
        y = [float(p["cost"]) for p in points]
        y.append(y[-1])
        label = f"round {r['round']}" if len(rounds) > 1 else "incumbent"
        ax.step(x, y, where="post", color=COLOURS[k % len(COLOURS)], label=label, marker="o")
        offset += float(r["elapsed"])
    ax.set_yscale("log")
    ax.set_xlabel("tuning wall time (s)")
    ax.set_ylabel(f"incumbent's estimated {objective} (s, log)")
    ax.set_title(
        "SMAC's incumbent over time (estimated on the instances run so far;\n"
        "it can rise as SMAC adds harder instances to the comparison)",
        fontsize=10,
    )
    ax.legend(fontsize=8)
    return fig


def tune_plots(folder: Path, out: Path) -> tuple[list[Path], dict[str, Any]]:
    data = read_json(folder / "report.json")
    files: list[Path] = []
    validation = data.get("validation")
    if validation:
        times = validation_times(folder, validation)
        where = "held-out test set" if validation.get("held_out") else "training set"
        title = f"{validation.get('set', '')} ({where}), cutoff {validation['cutoff']:g} s"
        if any(times.values()):
            fig = _runtime_figure(times, float(validation["cutoff"]), title)
            files.append(save(fig, out / "runtime-ecdf.png"))
    rounds = data.get("tuning", {}).get("rounds", [])
    if any(r.get("trajectory") for r in rounds):
        fig = _trajectory_figure(rounds, data.get("objective", "par10"))
        files.append(save(fig, out / "incumbent-cost.png"))
    summary = {"validation": validation, "tuning": data.get("tuning", {})}
    return files, summary
