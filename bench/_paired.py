"""What the paired-auction benches share: a run folder kept only while the checker's code
is the same, and the rows of a ``simulate --seeds`` paired comparison."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def code_version() -> str:
    """The git trees of the checker's code and configs, or "dirty" (never resumed)."""

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
        return done.stdout.strip() if done.returncode == 0 else ""

    trees = [git("rev-parse", f"HEAD:{part}") for part in ("auctool", "configs")]
    if not all(trees) or git("status", "--porcelain", "--", "auctool", "configs"):
        return "dirty"
    return " ".join(trees)


def fresh_folder(out: Path, stamp: Path) -> None:
    """Keep ``out``'s finished seeds only when they were run by this very code."""
    version = code_version()
    before = stamp.read_text().strip() if stamp.is_file() else None
    if version == "dirty" or before != version:
        shutil.rmtree(out, ignore_errors=True)
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(version + "\n")


def money(value: float) -> str:
    return f"{'-' if value < 0 else '+'}${abs(value) / 1e6:,.1f} M"


def _value(key: str, value: float) -> str:
    if key == "cost":
        return f"${value / 1e6:,.1f} M"
    return f"{value:,.1f}"


def _difference(key: str, value: float) -> str:
    return money(value) if key == "cost" else f"{value:+,.1f}"


def figure_rows(label: str, body: dict[str, Any]) -> list[list[str]]:
    """One row per paired figure of a ``simulate --seeds --json`` body: the means, the mean
    difference (run minus baseline), its 95% t interval and the verdict."""
    from auctool.auction.seedresults import PAIRED_FIGURES

    figures = body.get("paired_figures") or {}
    rows = []
    for figure in PAIRED_FIGURES:
        key, name = figure.key, figure.label
        fig = figures.get(key)
        if not fig:
            continue
        low, high = fig["t_interval"] or (float("nan"), float("nan"))
        interval = f"[{_difference(key, low)}, {_difference(key, high)}]"
        verdict = "significant" if fig["significant"] else "not significant"
        if key == "wall_seconds" and fig.get("ratio"):
            verdict += f"; baseline/run {fig['ratio']['ratio']:.2f}x"
        rows.append([
            label, name, str(fig["n"]), _value(key, fig["run_mean"]),
            _value(key, fig["baseline_mean"]), _difference(key, fig["mean"]), interval, verdict,
        ])  # fmt: skip
        label = ""
    return rows
