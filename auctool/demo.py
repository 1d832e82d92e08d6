"""``make demo``: the user's day in one command, on the bundled instances.

1. tune the checker with SMAC on ``instances/sets/train`` for a short budget;
2. validate default vs tuned on the held-out ``instances/sets/test``;
3. run the same auction on the bundled world with the tuned and the default checker;
4. draw the reports and print the side-by-side: what the tuned checker saved.

Every step is an ordinary ``auctool`` command, printed before it runs, so a reader can
repeat any of them. Nothing is staged: all figures are measured in this run. The
auction uses a seed whose questions are in neither instance set (sets: seeds 1-4).
Environment: ``AUCTOOL_DEMO_BUDGET`` (tuning seconds, default 120),
``AUCTOOL_DEMO_OUT`` (default ``runs/demo``).
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.panel import Panel
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
AUCTION_SEED = 5
CUTOFF = 1.0


def _run(console: Console, args: list[str], capture: bool = False) -> dict[str, Any] | None:
    console.print(f"\n[bold]$ auctool {shlex.join(args)}[/bold]")
    cmd = [sys.executable, "-m", "auctool", *args]
    done = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.PIPE if capture else None, text=True)
    if done.returncode != 0:
        console.print(f"[red]demo stopped: that command exited with {done.returncode}[/red]")
        sys.exit(done.returncode)
    return json.loads(done.stdout) if capture else None


def _money(x: float) -> str:
    return f"${x / 1e6:,.1f} M"


def _story(tune: dict[str, Any], sim: dict[str, Any]) -> Table:
    validation = tune["validation"]["configs"]
    default_v, tuned_v = validation[0], validation[-1]
    tuned, default = sim, sim["baseline"]
    table = Table(title="default vs tuned checker, measured in this run", title_justify="left")
    table.add_column("")
    table.add_column("default", justify="right")
    table.add_column("tuned", justify="right")
    rows = [
        ("test set: solved", *(f"{100 * v['solved_share']:.1f}%" for v in (default_v, tuned_v))),
        ("test set: PAR10 s", *(f"{v['par10']:.3f}" for v in (default_v, tuned_v))),
        ("auction: checks", *(f"{r['checks']['total']:,}" for r in (default, tuned))),
        ("auction: timeouts", *(f"{r['checks']['TIMEOUT']:,}" for r in (default, tuned))),
    ]
    for p in ("p50", "p90", "p99", "max"):
        rows.append(
            (f"auction: check {p} s", *(f"{r['check_seconds'][p]:.4f}" for r in (default, tuned)))
        )
    rows += [
        (
            "auction: check total s",
            *(f"{r['check_seconds']['total']:.1f}" for r in (default, tuned)),
        ),
        ("auction: frozen by TIMEOUT", *(str(r["frozen_by_timeout"]) for r in (default, tuned))),
        ("auction: total cost", *(_money(r["cost"]) for r in (default, tuned))),
    ]
    for row in rows:
        table.add_row(*row)
    return table


def main() -> None:
    console = Console(stderr=False, highlight=False)
    budget = float(os.environ.get("AUCTOOL_DEMO_BUDGET", "120"))
    out = Path(os.environ.get("AUCTOOL_DEMO_OUT", "runs/demo"))
    workers = str(max(1, os.cpu_count() or 1))
    console.print(
        Panel(
            "Tune the feasibility checker on problems recorded from auctions "
            "(instances/sets/train), check it on held-out ones (instances/sets/test), then "
            f"run a fresh auction (seed {AUCTION_SEED}) on the bundled 200-station world "
            "with the default and the tuned checker, and compare.",
            title="auctool demo",
        )
    )
    tune = _run(
        console,
        ["tune", "instances/sets/train", "--test", "instances/sets/test", "--cutoff", f"{CUTOFF:g}",
         "--budget", f"{budget:g}", "--workers", workers, "--out", str(out / "tune"),
         "--overwrite", "--json"],
        capture=True,
    )  # fmt: skip
    _run(console, ["report", str(out / "tune")])
    incumbent = out / "tune" / "incumbent.yaml"
    sim = _run(
        console,
        ["simulate", "instances/worlds/default", "--config", str(incumbent), "--baseline",
         "configs/default.yaml", "--seed", str(AUCTION_SEED), "--cutoff", f"{CUTOFF:g}",
         "--out", str(out / "auction"), "--json"],
        capture=True,
    )  # fmt: skip
    _run(console, ["report", str(out / "auction")])
    assert tune is not None and sim is not None
    console.print()
    console.print(_story(tune, sim))
    saved = sim["baseline"]["cost"] - sim["cost"]
    verdict = (
        f"The tuned checker saved {_money(saved)} in this auction."
        if saved > 0
        else f"This time the tuned checker's auction cost {_money(-saved)} more: "
        "auctions are path-dependent, and a short tune is a short tune."
        if saved < 0
        else "Both auctions cost the same."
    )
    console.print(
        Panel(
            f"{verdict}\nPlots: {out / 'tune' / 'plots'} and {out / 'auction' / 'plots'}.\n"
            "A configuration tuned longer on the same set: configs/tuned.yaml "
            "(auctool simulate instances/worlds/default --config configs/tuned.yaml).",
            title="what the tuned checker did",
        )
    )


if __name__ == "__main__":
    main()
