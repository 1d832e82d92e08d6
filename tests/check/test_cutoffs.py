"""The whole checker honours its cutoff, whichever component is running when time is up.

The problem: the Mycielski graph M6 (47 stations, 5 channels, no triangle) with every
station but one on a valid previous channel. It is UNSAT and hopeless for every
component (no clique bound sees it, local search and the neighbourhood can only find
SAT), so each configuration must give up at the cutoff: wall time <= cutoff + 10% + 50 ms.
"""

from __future__ import annotations

import functools
import itertools
import time
from pathlib import Path

import pytest

from auctool.check import Answer, Checker, CheckerConfig, PortfolioConfig, make_checker
from auctool.check.config.solvertable import SOLVERS
from auctool.formats.fcc import load_constraints
from auctool.formats.instances import load_instance_set
from auctool.formats.srpk import read_srpk
from auctool.model import Problem
from auctool.model.cutoff import latest_return
from tests.helpers import mycielski_packing, mycielski_world

CUTOFF = 0.5


def _limit(cutoff: float) -> float:
    return latest_return(cutoff)


@functools.cache
def hopeless() -> tuple:
    data, full = mycielski_world(6)
    packing = mycielski_packing(data, full)
    return data, Problem(dict(full.domains), previous=packing, name="myciel6+prev")


FAMILIES = {
    "default": CheckerConfig(),
    "local search, many flips": CheckerConfig(ls_flips=20000, neighbourhood=False),
    "neighbourhood, wide": CheckerConfig(neighbourhood_rings=4, neighbourhood_share=0.6),
    "neighbourhood kissat": CheckerConfig(neighbourhood_solver="kissat404"),
    "incremental": CheckerConfig(solver="minisat22", incremental=True),
    "no presolvers": CheckerConfig.off_the_shelf("cadical195"),
    **{f"solver {s}": CheckerConfig(solver=s) for s in sorted(SOLVERS)},
}


@pytest.mark.parametrize("name", list(FAMILIES))
def test_every_family_stops_at_the_cutoff(name):
    data, problem = hopeless()
    with Checker(data, FAMILIES[name]) as checker:
        start = time.monotonic()
        result = checker.check(problem, CUTOFF)
        elapsed = time.monotonic() - start
    assert result.answer is Answer.TIMEOUT, (name, result.solved_by)
    assert elapsed <= _limit(CUTOFF), f"{name}: {elapsed:.3f} s for a {CUTOFF} s cutoff"


def test_a_portfolio_stops_at_the_cutoff_and_leaves_nothing_running():
    import multiprocessing as mp
    import threading

    data, problem = hopeless()
    threads = threading.active_count()
    config = PortfolioConfig(
        (CheckerConfig(), CheckerConfig(solver="cadical195", local_search=False)), workers=2
    )
    with make_checker(data, config) as checker:
        checker.check(Problem({1: (14, 15)}), 5)  # warm-up: the workers' imports
        start = time.monotonic()
        result = checker.check(problem, CUTOFF)
        elapsed = time.monotonic() - start
        workers = [w.process for w in checker._workers]
    assert result.answer is Answer.TIMEOUT
    assert elapsed <= _limit(CUTOFF), f"portfolio: {elapsed:.3f} s"
    assert not any(p.is_alive() for p in workers)
    assert mp.active_children() == []
    deadline = time.monotonic() + 5
    while threading.active_count() > threads and time.monotonic() < deadline:
        time.sleep(0.05)
    assert threading.active_count() <= threads


def _hard_problems(count: int = 8):
    """The bundled test set's hardest (its recorded TIMEOUTs and UNSATs on the 200-station
    world): those where the steps compete for the time."""
    root = Path(__file__).resolve().parents[2] / "instances"
    data = load_constraints(root / "worlds" / "default")
    hard = [e for e in load_instance_set(root / "sets" / "test").entries if e.answer != "SAT"]
    return data, [(e.file, read_srpk(root / "sets" / "test" / e.file)) for e in hard[:count]]


def _answers(data, problem, cutoff: float, mode: str) -> bool:
    with Checker(data, CheckerConfig(cache=False), budget_mode=mode) as checker:
        return checker.check(problem, cutoff).answer is not Answer.TIMEOUT


def test_a_longer_work_budget_never_loses_an_answer():
    """Monotone in the cutoff, exactly: work budgets (conflicts, flips) replay the same
    schedule every run, so a step that answers within a small budget answers within
    every larger one: no step takes a share that would starve another."""
    data, problems = _hard_problems()
    cutoffs = (0.05, 0.2, 0.8)
    answered = {c: {f for f, p in problems if _answers(data, p, c, "work")} for c in cutoffs}
    assert answered[0.05] <= answered[0.2] <= answered[0.8]
    assert answered[0.8]  # the set is not hopeless at these budgets


def test_a_longer_cutoff_never_loses_an_answer():
    """Monotone in the cutoff, in seconds (the race, two cores): what a short cutoff
    answers, a longer one answers too. Wall time is noisy on a loaded machine (one
    scheduling hiccup can cost a problem answered in 0.1 s its 0.6 s), so a problem that
    seems lost is asked twice more before the schedule is blamed."""
    data, problems = _hard_problems()
    cutoffs = (0.2, 0.6, 1.8)
    answered = {c: {f for f, p in problems if _answers(data, p, c, "time")} for c in cutoffs}
    for short, long in itertools.pairwise(cutoffs):
        for file, problem in problems:
            lost = file in answered[short] - answered[long]
            if lost and any(_answers(data, problem, long, "time") for _ in range(2)):
                answered[long].add(file)
    assert answered[0.2] <= answered[0.6] <= answered[1.8]
    assert answered[1.8]  # the set is not hopeless at these cutoffs
