"""``auctool report``: PNG plots of a tuning run folder or a simulation ``--out`` folder.

Reads only what the runs wrote (``report.json`` + ``validation.jsonl``; ``summary.json``
+ the round and station CSVs), so a report can be drawn again at any time, on any
machine. matplotlib runs on the Agg backend: no display needed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from auctool.errors import InputError


@dataclass(frozen=True)
class Report:
    """What ``report`` drew: the kind of run, the PNG files, the run's own summary."""

    kind: str  # "tune" | "simulate" | "seeds"
    folder: Path
    files: tuple[Path, ...]
    summary: dict[str, Any] = field(default_factory=dict)
    out: Path | None = None  # where the plots (and the HTML page) go
    fcc: dict[str, Any] | None = None  # --fcc: the simulation against Auction 1001

    def to_json(self) -> dict[str, Any]:
        out = {
            "kind": self.kind,
            "folder": str(self.folder),
            "plots": [str(f) for f in self.files],
            "summary": self.summary,
        }
        if self.fcc is not None:
            out["fcc"] = self.fcc
        return out


def run_kind(folder: Path) -> str:
    """ "tune" for a tuning run folder, "simulate" for a simulation's --out folder."""
    if not folder.is_dir():
        raise InputError("no such run folder", folder)
    if (folder / "report.json").is_file():
        return "tune"
    if (folder / "seeds.csv").is_file() and (folder / "summary.json").is_file():
        return "seeds"
    if (folder / "summary.json").is_file() and (folder / "rounds.csv").is_file():
        return "simulate"
    raise InputError(
        "not a run folder: expected report.json (a tune run), summary.json and rounds.csv "
        "(a simulation) or seeds.csv (a multi-seed simulation)",
        folder,
    )


def report(
    folder: str | Path, out: str | Path | None = None, fcc: str | Path | None = None
) -> Report:
    """Draw the plots of a run folder into ``out`` (default: ``folder/plots``); with
    ``fcc`` (the FCC's Auction 1001 folder) a simulation is also drawn against it."""
    folder = Path(folder)
    kind = run_kind(folder)
    if fcc is not None:
        from auctool.auction.fcc import read_fcc

        read_fcc(fcc)  # a folder without the FCC's files is refused before anything is drawn
        if kind != "simulate":
            raise InputError.suggesting(
                "{fcc} compares one simulation run (of a multi-seed run: one seed-N folder)",
                folder,
            )
    target = Path(out) if out is not None else folder / "plots"
    target.mkdir(parents=True, exist_ok=True)
    if kind == "tune":
        from auctool.plots.tune import tune_plots

        files, summary = tune_plots(folder, target)
    elif kind == "seeds":
        from auctool.plots.seeds import seeds_plots

        files, summary = seeds_plots(folder, target)
    else:
        from auctool.plots.auction import auction_plots

        files, summary = auction_plots(folder, target)
    against = None
    if fcc is not None:
        from auctool.plots.fcc import fcc_plots

        more, against = fcc_plots(folder, Path(fcc), target)
        files = [*files, *more]
    return Report(kind, folder, tuple(files), summary, target, against)


__all__ = ["Report", "report", "run_kind"]
