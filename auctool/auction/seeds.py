"""Many auctions at once: one per seed, optionally each under a baseline checker too.

One auction proves nothing (it is path-dependent), so ``simulate --seeds 1-20`` runs one
per seed and compares the two checkers seed by seed (:mod:`auctool.auction.paired`).

- **Parallel** (:mod:`auctool.auction.seedpool`): pinned local worker processes or a dask
  cluster. Each seed's run and baseline go one after the other in the same worker, under
  the same load: the pair stays fair.
- **Resumable**: with an output folder, a seed whose ``seed-N/summary.json`` exists is
  finished and is read back, not re-run; a folder made with other settings is refused.
- **Failures stay local**: a seed whose auction fails is reported with its error; the
  others still land.

What the seeds found (figures, overall means, the paired differences) are the values of
:mod:`auctool.auction.seedresults`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd

from auctool._atomic import write_text
from auctool._json import write_json
from auctool._runfolder import changed_settings, claimed, read_settings, run_kind
from auctool.auction.seedpool import on_dask, on_processes
from auctool.auction.seedresults import Figures, SeedOutcome, SeedsResult
from auctool.auction.simulate import SimulationOptions, config_json
from auctool.check.config.configs import AnyConfig, CheckerConfig
from auctool.errors import InputError

SEED_DIR = "seed-{seed}"
SETTINGS_FILE = "settings.json"


@dataclass(frozen=True)
class SeedJob:
    """What every seed's auction shares: the world, the options, the two checkers."""

    world_dir: Path
    options: SimulationOptions
    config: AnyConfig = field(default_factory=CheckerConfig)
    baseline: AnyConfig | None = None
    out_dir: Path | None = None
    config_file: str | None = None
    baseline_file: str | None = None
    baseline_fcc_rule: bool = False  # the baseline under the FCC's rule (rule sets paired)

    def settings(self) -> dict[str, Any]:
        """Everything but the seed: what a resumed folder must have been made with."""
        options = {k: v for k, v in self.options.to_json().items() if k != "seed"}
        out = {
            "world": str(Path(self.world_dir).resolve()),
            "options": options,
            "config": config_json(self.config),
            "baseline": None if self.baseline is None else config_json(self.baseline),
        }
        if self.baseline_fcc_rule:  # only when used: older folders still resume
            out["baseline_fcc_rule"] = True
        return out

    def labels(self) -> dict[str, str | None]:
        """What the two sides are, in words a table can carry (None: no baseline)."""
        run = Path(self.config_file).name if self.config_file else "built-in default"
        if self.baseline is None and not self.baseline_fcc_rule:
            return {"run": run, "baseline": None}
        if self.baseline_file:
            base = Path(self.baseline_file).name
        else:  # the run's own configuration (rules paired), or one given in Python
            base = run if self.baseline is None else "baseline configuration"
        return {"run": run, "baseline": base + (", FCC rule" if self.baseline_fcc_rule else "")}


# ---- one seed (runs in a worker) --------------------------------------------------------
_WORLDS: dict[str, Any] = {}


def run_seed(job: SeedJob, seed: int) -> SeedOutcome:
    """One seed's auction (and its baseline), written to ``out_dir/seed-N`` when given."""
    from auctool.auction.report import run_body, write_outputs
    from auctool.auction.simulate import simulate
    from auctool.worlds.world import load_world

    try:
        key = str(job.world_dir)
        world = _WORLDS.get(key) or _WORLDS.setdefault(key, load_world(job.world_dir))
        main, other = simulate(
            world,
            replace(job.options, seed=seed),
            job.config,
            job.baseline,
            baseline_fcc_rule=job.baseline_fcc_rule,
        )
        body = run_body(main, other, job.config_file, job.baseline_file)
        if job.out_dir is not None:
            write_outputs(Path(job.out_dir) / SEED_DIR.format(seed=seed), main, other, body)
    except Exception as exc:  # a failed seed is reported, the others go on
        return SeedOutcome(seed, error=f"{type(exc).__name__}: {exc}")
    return SeedOutcome(
        seed,
        Figures.of(body, (c.seconds for c in main.checks)),
        None if other is None else Figures.of(body["baseline"], (c.seconds for c in other.checks)),
    )


def read_seed(folder: Path, seed: int) -> SeedOutcome | None:
    """A finished seed's outcome from its folder (None when it is not finished)."""
    path = folder / "summary.json"
    if not path.is_file():
        return None
    try:
        body = json.loads(path.read_text())
        run = Figures.of(body, _seconds(folder / "checks.csv"))
        base = body.get("baseline")
        other = None if base is None else Figures.of(base, _seconds(folder / "baseline/checks.csv"))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise InputError(f"cannot read a finished seed's results ({exc})", path) from None
    return SeedOutcome(seed, run, other, resumed=True)


def _seconds(path: Path) -> list[float]:
    return pd.read_csv(path, usecols=["seconds"])["seconds"].tolist()


# ---- many seeds ---------------------------------------------------------------------------
def run_seeds(
    job: SeedJob,
    seeds: Sequence[int],
    workers: int | None = None,
    scheduler: str | None = None,
    on_done: Callable[[SeedOutcome], None] | None = None,
) -> SeedsResult:
    """Every seed's auction: finished ones read back, the rest run ``workers`` at a time
    (default: one per core) or on the dask cluster at ``scheduler``."""
    if not seeds:
        raise InputError("seeds: the list is empty")
    if workers is not None and workers < 1:
        raise InputError(f"workers must be at least 1, got {workers}")
    with claimed(job.out_dir, "seeds"):
        return _run_seeds(job, seeds, workers, scheduler, on_done)


def _run_seeds(
    job: SeedJob,
    seeds: Sequence[int],
    workers: int | None,
    scheduler: str | None,
    on_done: Callable[[SeedOutcome], None] | None,
) -> SeedsResult:
    settings = job.settings()
    done = _resume(job, settings, seeds)
    for outcome in done.values():
        if on_done is not None:
            on_done(outcome)
    todo = [s for s in seeds if s not in done]

    def finished(outcome: SeedOutcome) -> None:
        done[outcome.seed] = outcome
        if on_done is not None:
            on_done(outcome)

    if todo:
        if scheduler is not None:
            on_dask(run_seed, job, todo, scheduler, finished)
        else:
            n = min(workers or os.cpu_count() or 1, len(todo))
            on_processes(run_seed, job, todo, n, finished)
    result = SeedsResult(tuple(done[s] for s in seeds), settings, job.labels())
    if job.out_dir is not None:
        write_summary(job.out_dir, result)
    return result


def write_summary(folder: Path, result: SeedsResult) -> None:
    """seeds.csv and summary.json at the top of a multi-seed folder."""
    folder = Path(folder)
    write_text(folder / "seeds.csv", result.table().to_csv(index=False))
    write_json(folder / "summary.json", result.to_json())


def _resume(job: SeedJob, settings: dict[str, Any], seeds: Sequence[int]) -> dict[int, SeedOutcome]:
    """Finished seeds of an earlier run into the same folder (refused if made otherwise)."""
    if job.out_dir is None:
        return {}
    folder = Path(job.out_dir)
    path = folder / SETTINGS_FILE
    before = read_settings(path)
    if before is not None:
        changed = changed_settings(before, settings)
        if changed:
            raise InputError(
                f"this folder holds seeds run with other settings ({'; '.join(changed)}); "
                "give another output folder",
                folder,
            )
    elif run_kind(folder) is not None:  # files, but not a multi-seed run's
        raise InputError("the output folder is not empty and holds no multi-seed run", folder)
    write_json(path, settings)
    found = {}
    for seed in seeds:
        outcome = read_seed(folder / SEED_DIR.format(seed=seed), seed)
        if outcome is not None:
            found[seed] = outcome
    return found
