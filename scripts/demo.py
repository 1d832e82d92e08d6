"""``make demo``: the user's day in one command, on the bundled instances.

A script of the repository, not a module of the package: it runs on the repository's
``instances/`` and ``configs/`` (found from this file's place, so it runs from any
folder), through the installed ``auctool`` command line only.

1. tune the checker with SMAC on ``instances/sets/train`` for a short budget;
2. validate default vs tuned on the held-out ``instances/sets/test``, and the shipped
   ``configs/tuned.yaml`` (the same tune, run for 20 minutes) too;
3. run the same auction on the bundled world with the tuned and the default checker,
   and with ``configs/tuned.yaml``;
4. draw the reports and print the side-by-side: what the tuned checkers saved;
5. one auction proves nothing (auctions are path-dependent): replay ``AUCTOOL_DEMO_SEEDS``
   auctions (default 10, seeds 101-110), each under ``configs/tuned.yaml`` and the
   default, and say whether the paired saving is significant (95% Student-t interval).

Every step is an ordinary ``auctool`` command, printed before it runs, so a reader can
repeat any of them. Nothing is staged: all figures are measured in this run. The
auction uses a seed whose questions are in neither instance set (sets: seeds 1-4).
Environment: ``AUCTOOL_DEMO_BUDGET`` (tuning seconds, default 100),
``AUCTOOL_DEMO_SEEDS`` (paired auctions at the end, default 10; 0 skips them),
``AUCTOOL_DEMO_OUT`` (default ``runs/demo``).
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.panel import Panel
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]  # the repository
AUCTION_SEED = 5
FIRST_PAIRED_SEED = 101  # far from the sets' seeds (1-4) and the single auction's
CUTOFF = 1.0
#: The demo's auctions run as the FCC ran Auction 1001: a TIMEOUT at the cutoff freezes its
#: station, so a faster checker shows up as cost. simulate's default rules ask timed-out
#: questions again, which on this world takes several times the wall (README, simulate).
FCC_RULE = ["--on-timeout", "freeze"]


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


def _story(tune: dict[str, Any], shipped: dict[str, Any], sims: list[dict[str, Any]]) -> Table:
    """Columns: default, this run's tune, configs/tuned.yaml."""
    runs = [sims[0]["baseline"], sims[0], sims[1]]
    tests = [tune["validation"]["configs"][0], tune["validation"]["configs"][-1]]
    tests.append(shipped["configs"][-1])
    table = Table(title="default vs tuned checkers, measured in this run", title_justify="left")
    table.add_column("")
    for name in ("default", "tuned here", "configs/tuned.yaml"):
        table.add_column(name, justify="right")
    rows = [
        ("test set: solved", *(f"{100 * v['solved_share']:.1f}%" for v in tests)),
        ("test set: PAR10 s", *(f"{v['par10']:.3f}" for v in tests)),
        ("auction: checks", *(f"{r['checks']['total']:,}" for r in runs)),
        ("auction: timeouts", *(f"{r['checks']['TIMEOUT']:,}" for r in runs)),
    ]
    for p in ("p50", "p90", "p99", "max"):
        rows.append((f"auction: check {p} s", *(f"{r['check_seconds'][p]:.4f}" for r in runs)))
    rows += [
        ("auction: check total s", *(f"{r['check_seconds']['total']:.1f}" for r in runs)),
        ("auction: frozen by TIMEOUT", *(str(r["frozen_by_timeout"]) for r in runs)),
        ("auction: total cost", *(_money(r["cost"]) for r in runs)),
        ("auction: saved vs default", "", *(_money(runs[0]["cost"] - r["cost"]) for r in runs[1:])),
    ]
    for row in rows:
        table.add_row(*row)
    return table


def _verdict(name: str, saved: float) -> str:
    if saved > 0:
        return f"With {name}, the auction cost {_money(saved)} less than with the default."
    if saved < 0:
        return (
            f"With {name}, the auction cost {_money(-saved)} more than with the default: "
            "other timeouts change which stations freeze when, and auctions are path-dependent."
        )
    return f"With {name}, the auction cost the same as with the default."


def main() -> None:
    console = Console(stderr=False, highlight=False)
    budget = float(os.environ.get("AUCTOOL_DEMO_BUDGET", "100"))
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
         "configs/default.yaml", "--seed", str(AUCTION_SEED), "--cutoff", f"{CUTOFF:g}", *FCC_RULE,
         "--out", str(out / "auction"), "--json"],
        capture=True,
    )  # fmt: skip
    _run(console, ["report", str(out / "auction")])
    shipped = _run(
        console,
        ["validate", "instances/sets/test", "configs/tuned.yaml", "--cutoff",
         f"{CUTOFF:g}", "--workers", workers, "--json"],
        capture=True,
    )  # fmt: skip
    long_run = _run(
        console,
        ["simulate", "instances/worlds/default", "--config", "configs/tuned.yaml", "--seed",
         str(AUCTION_SEED), "--cutoff", f"{CUTOFF:g}", *FCC_RULE, "--out", str(out / "auction-tuned-yaml"),
         "--json", "--quiet"],
        capture=True,
    )  # fmt: skip
    assert tune is not None and sim is not None and shipped is not None and long_run is not None
    console.print()
    console.print(_story(tune, shipped, [sim, long_run]))
    default_cost = sim["baseline"]["cost"]
    verdicts = [
        _verdict("the checker tuned here", default_cost - sim["cost"]),
        _verdict("configs/tuned.yaml", default_cost - long_run["cost"]),
    ]
    console.print(
        Panel(
            "\n".join(verdicts)
            + f"\nPlots: {out / 'tune' / 'plots'} and {out / 'auction' / 'plots'}.\n"
            "Check times depend on the machine and its load; TIMEOUTs, and so the auction's "
            "path, can change from run to run.",
            title="what the tuned checkers did",
        )
    )
    n_seeds = int(os.environ.get("AUCTOOL_DEMO_SEEDS", "10"))
    if n_seeds > 0:
        _paired(console, out, n_seeds, workers)


def _paired(console: Console, out: Path, n_seeds: int, workers: str) -> None:
    """Many auctions, paired: the saving's distribution, not one path's luck."""
    seeds = f"{FIRST_PAIRED_SEED}-{FIRST_PAIRED_SEED + n_seeds - 1}"
    shutil.rmtree(out / "seeds", ignore_errors=True)  # measured in this run, never resumed
    result = _run(
        console,
        ["simulate", "instances/worlds/default", "--config", "configs/tuned.yaml", "--baseline",
         "configs/default.yaml", "--seeds", seeds, "--workers", workers, "--cutoff",
         f"{CUTOFF:g}", *FCC_RULE, "--out", str(out / "seeds"), "--json", "--quiet"],
        capture=True,
    )  # fmt: skip
    _run(console, ["report", str(out / "seeds")])
    assert result is not None
    paired = result["paired"]
    low, high = paired["t_interval"]
    saved = -paired["mean"]
    word = "less" if saved >= 0 else "more"
    head = (
        f"Over {paired['n']} paired auctions, configs/tuned.yaml cost {_money(abs(saved))} {word} "
        f"than the default on average; the 95% interval of the difference (tuned minus default) "
        f"is [{_money(low)}, {_money(high)}]: "
    )
    if paired["significant"]:
        head += "it excludes zero, so the difference is significant."
    else:
        head += (
            "it contains zero, so the difference is NOT significant (more seeds, "
            "AUCTOOL_DEMO_SEEDS, or a harder world would tell)."
        )
    console.print(
        Panel(
            f"{head}\nTuned cheaper in {paired['run_cheaper']} auctions, the default in "
            f"{paired['baseline_cheaper']}, ties {paired['ties']}. "
            f"Plots: {out / 'seeds' / 'plots'}.",
            title=f"the saving over {paired['n']} auctions",
        )
    )


if __name__ == "__main__":
    main()
