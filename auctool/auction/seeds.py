"""Many auctions at once: one per seed, optionally each under a baseline checker too.

One auction proves nothing (it is path-dependent), so ``simulate --seeds 1-20`` runs one
per seed and compares the two checkers seed by seed (:mod:`auctool.auction.paired`).

- **Parallel**: local worker processes, each pinned to its own share of the cores (so
  two auctions never fight over one core and each checker sees the cores it really
  has), or the workers of an existing dask cluster. Each seed's run and baseline go
  one after the other in the same worker, under the same load: the pair stays fair.
- **Resumable**: with an output folder, a seed whose ``seed-N/summary.json`` exists is
  finished and is read back, not re-run; a folder made with other settings is refused.
- **Failures stay local**: a seed whose auction fails is reported with its error; the
  others still land.
"""

from __future__ import annotations

import json
import multiprocessing as mp
import os
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from auctool._atomic import write_text
from auctool._orphans import die_with_parent, release_forkserver, worker_ignores_interrupts
from auctool._runfolder import claimed, run_kind
from auctool.auction.paired import PairedDifference, paired_difference
from auctool.auction.report import seconds_stats
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


@dataclass(frozen=True)
class Figures:
    """One auction's headline figures (and its check times, for overall percentiles)."""

    cost: int
    winners: int
    frozen_by_timeout: int
    rounds: int
    checks: int
    unsat: int
    timeouts: int
    p50: float
    p99: float
    seconds: tuple[float, ...] = field(default=(), repr=False, compare=False)

    @classmethod
    def of(cls, summary: dict[str, Any], seconds: Iterable[float] = ()) -> Figures:
        checks = summary["checks"]
        return cls(
            cost=int(summary["cost"]),
            winners=int(summary["winners"]),
            frozen_by_timeout=int(summary["frozen_by_timeout"]),
            rounds=int(summary["rounds"]),
            checks=int(checks["total"]),
            unsat=int(checks["UNSAT"]),
            timeouts=int(checks["TIMEOUT"]),
            p50=float(summary["check_seconds"]["p50"]),
            p99=float(summary["check_seconds"]["p99"]),
            seconds=tuple(float(s) for s in seconds),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "cost": self.cost,
            "winners": self.winners,
            "frozen_by_timeout": self.frozen_by_timeout,
            "rounds": self.rounds,
            "checks": self.checks,
            "UNSAT": self.unsat,
            "TIMEOUT": self.timeouts,
            "check_p50": self.p50,
            "check_p99": self.p99,
        }


@dataclass(frozen=True)
class SeedOutcome:
    """One seed: its figures (run and baseline), or the error that stopped it."""

    seed: int
    run: Figures | None = None
    baseline: Figures | None = None
    error: str | None = None
    resumed: bool = False

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def difference(self) -> int | None:
        """Run cost minus baseline cost (negative: the run is cheaper)."""
        if self.run is None or self.baseline is None:
            return None
        return self.run.cost - self.baseline.cost

    def to_json(self) -> dict[str, Any]:
        return {
            "seed": self.seed,
            "status": "failed" if self.error else ("resumed" if self.resumed else "ran"),
            "error": self.error,
            "run": None if self.run is None else self.run.to_json(),
            "baseline": None if self.baseline is None else self.baseline.to_json(),
            "cost_difference": self.difference,
        }


@dataclass(frozen=True)
class SeedsResult:
    """Every seed's outcome, the overall figures, and the paired cost difference."""

    outcomes: tuple[SeedOutcome, ...]
    settings: dict[str, Any]
    paired: PairedDifference | None
    labels: dict[str, str | None] | None = None  # what run and baseline are (SeedJob.labels)

    @property
    def failed(self) -> tuple[int, ...]:
        return tuple(o.seed for o in self.outcomes if not o.ok)

    def overall(self, side: str) -> dict[str, Any] | None:
        """Means over the seeds that finished, and percentiles over all their checks."""
        figs = [getattr(o, side) for o in self.outcomes if getattr(o, side) is not None]
        if not figs:
            return None
        seconds = np.concatenate([np.asarray(f.seconds, dtype=np.float64) for f in figs])
        return {
            "seeds": len(figs),
            "cost_mean": round(float(np.mean([f.cost for f in figs])), 2),
            "winners_mean": round(float(np.mean([f.winners for f in figs])), 3),
            "frozen_by_timeout_mean": round(float(np.mean([f.frozen_by_timeout for f in figs])), 3),
            "checks": int(sum(f.checks for f in figs)),
            "UNSAT": int(sum(f.unsat for f in figs)),
            "TIMEOUT": int(sum(f.timeouts for f in figs)),
            "check_seconds": seconds_stats(seconds),
        }

    def table(self) -> pd.DataFrame:
        """One row per seed (seeds.csv)."""
        rows = []
        for o in self.outcomes:
            row: dict[str, Any] = {"seed": o.seed, "status": o.to_json()["status"]}
            for side in ("run", "baseline"):
                figs = getattr(o, side)
                for key, value in (figs.to_json() if figs else {}).items():
                    row[f"{side}_{key}"] = value
            row["cost_difference"] = o.difference
            row["error"] = o.error
            rows.append(row)
        return pd.DataFrame(rows)

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": "seeds",
            "settings": self.settings,
            "seeds": [o.to_json() for o in self.outcomes],
            "failed": list(self.failed),
            "overall": {"run": self.overall("run"), "baseline": self.overall("baseline")},
            "paired": None if self.paired is None else self.paired.to_json(),
            "labels": self.labels,
        }


# ---- one seed (runs in a worker) --------------------------------------------------------
_WORLDS: dict[str, Any] = {}


def run_seed(job: SeedJob, seed: int) -> SeedOutcome:
    """One seed's auction (and its baseline), written to ``out_dir/seed-N`` when given."""
    from auctool.auction.report import comparison, summary, write_outputs
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
        body = {**summary(main), "config_file": job.config_file}
        if other is not None:
            body["baseline"] = {**summary(other), "config_file": job.baseline_file}
            body["comparison"] = comparison(main, other)
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
            _on_dask(job, todo, scheduler, finished)
        else:
            n = min(workers or os.cpu_count() or 1, len(todo))
            _on_processes(job, todo, n, finished)
    outcomes = tuple(done[s] for s in seeds)
    diffs = [o.difference for o in outcomes if o.difference is not None]
    paired = paired_difference(diffs) if diffs else None
    result = SeedsResult(outcomes, settings, paired, job.labels())
    if job.out_dir is not None:
        write_summary(job.out_dir, result)
    return result


def write_summary(folder: Path, result: SeedsResult) -> None:
    """seeds.csv and summary.json at the top of a multi-seed folder."""
    folder = Path(folder)
    write_text(folder / "seeds.csv", result.table().to_csv(index=False))
    write_text(folder / "summary.json", json.dumps(result.to_json(), indent=1) + "\n")


def _resume(job: SeedJob, settings: dict[str, Any], seeds: Sequence[int]) -> dict[int, SeedOutcome]:
    """Finished seeds of an earlier run into the same folder (refused if made otherwise)."""
    if job.out_dir is None:
        return {}
    folder = Path(job.out_dir)
    path = folder / SETTINGS_FILE
    if path.is_file():
        try:
            before = json.loads(path.read_text())
        except (OSError, ValueError) as exc:
            raise InputError(f"cannot read the earlier run's settings ({exc})", path) from None
        if before != json.loads(json.dumps(settings)):
            changed = sorted(k for k in settings if before.get(k) != settings[k])
            raise InputError(
                f"this folder holds seeds run with other settings ({', '.join(changed)}); "
                "give another output folder",
                folder,
            )
    elif run_kind(folder) is not None:  # files, but not a multi-seed run's
        raise InputError("the output folder is not empty and holds no multi-seed run", folder)
    write_text(path, json.dumps(settings, indent=1) + "\n")
    found = {}
    for seed in seeds:
        outcome = read_seed(folder / SEED_DIR.format(seed=seed), seed)
        if outcome is not None:
            found[seed] = outcome
    return found


def _worker_start(slots: Any) -> None:
    """Worker initializer: die with the run, leave interrupts to it, keep to its cores."""
    release_forkserver()
    die_with_parent()
    worker_ignores_interrupts()
    _pin(slots)


def _pin(slots: Any) -> None:
    """Keep to this worker's share of the cores."""
    cores = slots.get()
    if cores and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, cores)


def _core_shares(workers: int) -> list[set[int]]:
    """The cores split evenly among ``workers`` (empty sets: no pinning possible)."""
    try:
        cores = sorted(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return [set() for _ in range(workers)]
    if workers > len(cores):
        return [set() for _ in range(workers)]
    return [set(cores[k::workers]) for k in range(workers)]


def _on_processes(
    job: SeedJob, seeds: list[int], workers: int, finished: Callable[[SeedOutcome], None]
) -> None:
    if workers == 1:  # in this process: the auction has every core
        for seed in seeds:
            finished(run_seed(job, seed))
        return
    ctx = mp.get_context("forkserver")
    slots = ctx.Queue()
    for share in _core_shares(workers):
        slots.put(share)
    pool = ProcessPoolExecutor(
        workers, mp_context=ctx, initializer=_worker_start, initargs=(slots,)
    )
    pending: dict[Future, int] = {}
    try:
        pending = {pool.submit(run_seed, job, seed): seed for seed in seeds}
        while pending:
            ready, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in ready:
                seed = pending.pop(future)
                finished(_result(future, seed))
    except BaseException:  # an interrupt (or a failure here): stop now, start nothing new
        _stop(pool)
        raise
    pool.shutdown(wait=True)


def _stop(pool: ProcessPoolExecutor) -> None:
    """Cancel what has not started and kill the workers (their seeds are lost, their
    folders unfinished: a rerun does them again)."""
    pool.shutdown(wait=False, cancel_futures=True)
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        process.kill()
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        process.join(5)


def _on_dask(
    job: SeedJob, seeds: list[int], scheduler: str, finished: Callable[[SeedOutcome], None]
) -> None:
    from distributed import as_completed

    from auctool._cluster import dask_client

    with dask_client(scheduler=scheduler) as client:
        futures = {client.submit(run_seed, job, s, pure=False): s for s in seeds}
        try:
            for future in as_completed(futures):
                finished(_result(future, futures[future]))
        except BaseException:  # the cluster outlives us: take our seeds off it
            client.cancel(list(futures), force=True)
            raise


def _result(future: Any, seed: int) -> SeedOutcome:
    """A worker's outcome, or the seed marked failed when its worker died."""
    try:
        return future.result()
    except Exception as exc:  # a lost worker fails its seed only
        return SeedOutcome(seed, error=f"worker failed: {type(exc).__name__}: {exc}")
