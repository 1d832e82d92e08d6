"""``report RUN_DIR --fcc FOLDER``: a simulated auction against Auction 1001, one plot per
stage (bidding, provisionally winning, exited, compensation by round; simulated solid,
the FCC's dashed) and a table of the differences at the end of each stage."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
from rich.table import Table

from auctool.auction.fcc import MONEY, StageComparison, compare, read_fcc
from auctool.errors import InputError
from auctool.plots._figure import pyplot, read_json, save

COLOURS = {
    "bidding": "#1f77b4",
    "provisionally winning": "#2ca02c",
    "exited": "#ff7f0e",
    "compensation": "#333333",
    "winning compensation": "#2ca02c",
}


def fcc_plots(folder: Path, fcc: Path, out: Path) -> tuple[list[Path], dict[str, Any]]:
    """The per-stage plots of a simulation folder against the FCC's files, and the figures."""
    real = read_fcc(fcc)
    summary = read_json(folder / "summary.json")
    try:
        rounds = pd.read_csv(folder / "rounds.csv")
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read the simulation's rounds ({exc})", folder) from None
    stages = summary.get("stages") or [{"stage": 1, "clearing_target": summary["clearing_target"]}]
    targets = {int(s["stage"]): int(s["clearing_target"]) for s in stages}
    comparisons = compare(rounds, targets, real)
    files = [_draw(c, summary, out) for c in comparisons]
    body = {
        "fcc": str(fcc),
        "participants": {"simulated": summary.get("participants"), "real": real.participants},
        "stages": [c.to_json() for c in comparisons],
    }
    return files, body


def _draw(c: StageComparison, summary: dict[str, Any], out: Path) -> Path:
    plt = pyplot()
    fig, axes = plt.subplots(2, 2, figsize=(12, 8), sharex=True)
    r = c.rounds
    for ax, name in zip(
        axes.ravel()[:3], ("bidding", "provisionally winning", "exited"), strict=True
    ):
        ax.plot(r["round"], r[f"sim {name}"], color=COLOURS[name], label="simulated")
        ax.plot(
            r["round"], r[f"real {name}"], color=COLOURS[name], linestyle="--", label="Auction 1001"
        )
        ax.set_title(f"{name} (stations)", fontsize=10)
        ax.set_ylabel("stations")
        ax.legend(fontsize=8)
    money = axes[1, 1]
    for name in MONEY:
        label = "total" if name == "compensation" else "provisionally winning"
        style = {"color": COLOURS[name]}
        money.plot(r["round"], r[f"sim {name}"] / 1e9, label=f"simulated, {label}", **style)
        money.plot(
            r["round"],
            r[f"real {name}"] / 1e9,
            linestyle="--",
            label=f"Auction 1001, {label}",
            **style,
        )
    money.set_title(
        "compensation: every station not exited at its price, and the committed part", fontsize=10
    )
    money.set_ylabel("$ billions")
    money.legend(fontsize=8)
    for ax in axes.ravel():
        ax.grid(alpha=0.3)
    for ax in axes[1]:
        ax.set_xlabel("round")
    real = (
        f"Auction 1001 stage {c.real_stage}"
        if c.real_stage
        else "no Auction 1001 stage at this target"
    )
    fig.suptitle(
        f"stage {c.stage} at {c.clearing_target} MHz: simulated (solid, seed {summary.get('seed')}, "
        f"cutoff {summary.get('cutoff')} s) vs {real} (dashed)"
    )
    fig.tight_layout(rect=(0, 0, 1, 0.95))
    return save(fig, out / f"fcc-stage-{c.stage}.png")


def fcc_table(body: dict[str, Any]) -> Table:
    """At the end of each stage: simulated, Auction 1001, the difference and the ratio."""
    people = body["participants"]
    table = Table(
        title="simulated vs Auction 1001 at the end of each stage",
        title_justify="left",
        caption=f"participants: simulated {people['simulated']}, Auction 1001 {people['real']} "
        "(the simulated market is the UHF off-air one); compensation in $ M",
    )
    for name in ("stage", "figure", "simulated", "Auction 1001", "difference", "ratio"):
        table.add_column(name, justify="left" if name == "figure" else "right")
    for stage in body["stages"]:
        where = f"{stage['stage']} ({stage['clearing_target']} MHz)"
        for k, row in enumerate(stage["end"]):
            money = row["figure"] in MONEY
            cells = [_number(row[key], money) for key in ("simulated", "real", "difference")]
            ratio = "" if row["ratio"] is None else f"{row['ratio']:.2f}"
            table.add_row(where if k == 0 else "", row["figure"], *cells, ratio)
        table.add_section()
    return table


def _number(value: float | None, money: bool) -> str:
    if value is None:
        return "-"
    return f"{value / 1e6:,.1f}" if money else f"{value:,.0f}"
