"""The tuning target: one check of one configuration on one instance, runnable anywhere.

:func:`run_task` is a module-level function of a frozen, picklable :class:`CheckTask`, so
dask can ship it to worker processes (local or on other machines sharing the files).
Each worker process loads a constraint folder once and keeps it (a national folder takes
seconds to load; a trial takes milliseconds), and keeps parsed problems likewise.

The cutoff is enforced by the checker itself (never by SMAC's pynisher wrapper, which
rounds limits up to whole seconds and costs seconds per trial, measured with smac 2.4):
in wall seconds, or in work mode as solver conflicts and local-search flips
(``auctool.check.budget``), so which checks are answered does not depend on the load.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from auctool.check.config.configs import AnyConfig
from auctool.check.factory import make_checker
from auctool.check.solve.incremental import TUNER_SOLVERS, SolverPool
from auctool.formats.fcc import load_constraints
from auctool.formats.srpk import read_srpk
from auctool.model.constraints import ConstraintData
from auctool.model.problem import Problem
from auctool.tune.scoring import CRASHED, Measurement

# per-process caches (each dask worker has its own)
_DATA: dict[str, ConstraintData] = {}
_PROBLEMS: dict[str, Problem] = {}
# loaded persistent solvers, shared by every trial this process runs: an auction loads its
# market's formula once before the clock starts (Checker.warm), so a trial measures a check
# against a loaded solver too, never the formula's ~1 s national build
_SOLVERS = SolverPool(size=TUNER_SOLVERS)


@dataclass(frozen=True)
class CheckTask:
    """Everything a worker needs for one check (paths must be valid where it runs)."""

    problem: str  # .srpk path
    constraints: str  # constraint folder
    config: AnyConfig
    cutoff: float
    instance: str = ""  # the name the result is reported under (default: the path)
    budget_mode: str = "time"  # "work": the cutoff buys conflicts, no clock is read


def constraint_data(folder: str) -> ConstraintData:
    """A constraint folder, loaded once per process."""
    data = _DATA.get(folder)
    if data is None:
        data = _DATA[folder] = load_constraints(Path(folder))
    return data


def problem_at(path: str) -> Problem:
    problem = _PROBLEMS.get(path)
    if problem is None:
        problem = _PROBLEMS[path] = read_srpk(Path(path))
    return problem


def run_task(task: CheckTask) -> Measurement:
    """Check one instance with one configuration; any exception is a CRASHED measurement."""
    name = task.instance or task.problem
    start = time.monotonic()
    try:
        data = constraint_data(task.constraints)
        # work mode promises the same answer whatever ran before: a shared solver's learnt
        # clauses depend on which trials this worker happened to run, so it gets its own
        solvers = _SOLVERS if task.budget_mode == "time" else None
        checker = make_checker(data, task.config, budget_mode=task.budget_mode, solvers=solvers)
        try:
            problem = problem_at(task.problem)
            checker.warm(problem)  # outside the measured check, as in an auction
            result = checker.check(problem, task.cutoff, instance=name)
        finally:
            checker.close()
    except Exception as exc:  # a crash is a (costed) trial outcome, not the end of the run
        seconds = time.monotonic() - start
        error = f"{type(exc).__name__}: {exc}"
        return Measurement(name, CRASHED, seconds, task.cutoff, error, task.budget_mode)
    return Measurement(name, result.answer, result.seconds, task.cutoff, None, task.budget_mode)
