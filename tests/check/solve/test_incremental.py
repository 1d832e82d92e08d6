"""The persistent incremental solver agrees with fresh solves over a sequence of checks."""

import math

import pytest

from auctool.check import Answer, Checker, CheckerConfig
from auctool.check.budget import Budget
from auctool.check.solve.incremental import IncrementalSolver, SolverPool
from auctool.model import Problem, violations
from auctool.worlds.problems import packing_sequence
from auctool.worlds.synth import SynthSpec, synth_world
from tests.helpers import triangle


def test_assumptions_select_stations_and_domains():
    data, _ = triangle(3)
    inc = IncrementalSolver(data, frozenset({14, 15, 16}), "minisat22")
    out, assignment = inc.solve({1: (14, 15), 2: (14, 15)}, {}, Budget(math.inf))
    assert out.status and set(assignment) == {1, 2}
    out, _ = inc.solve({1: (14, 15), 2: (14, 15), 3: (14, 15)}, {}, Budget(math.inf))
    assert out.status is False  # same solver, now three stations on two channels
    out, assignment = inc.solve(
        {1: (16,), 2: (14, 15, 16), 3: (14, 15, 16)}, {2: 14}, Budget(math.inf)
    )
    assert out.status and assignment[1] == 16
    assert inc.size[0] == 3
    inc.close()


@pytest.mark.parametrize("solver", ["minisat22", "mergesat3", "maplesat", "cadical195", "glucose3"])
def test_incremental_checker_agrees_with_fresh_checks(solver):
    data = synth_world(SynthSpec(stations=40, seed=3, region_km=300))[0].data
    channels = tuple(range(14, 24))
    fresh = Checker(
        data,
        CheckerConfig(previous=False, neighbourhood=False, clique=False, incremental=False),
    )
    incremental = Checker(
        data,
        CheckerConfig(
            incremental=True,
            solver=solver,
            previous=False,
            neighbourhood=False,
            local_search=False,
            cache=False,
        ),
    )
    seen = set()
    for problem, reference in packing_sequence(
        data, channels, lambda p: fresh.check(p, 30), seed=1
    ):
        result = incremental.check(problem, 30)
        assert result.answer is reference.answer, problem.name
        if result.sat:
            assert violations(result.assignment, problem, data) == []
            assert result.solved_by == f"incremental:{solver}"
        seen.add(result.answer)
    incremental.close()
    assert seen == {Answer.SAT, Answer.UNSAT}


def test_channels_outside_the_universe_get_their_own_solver():
    data, _ = triangle(3)
    checker = Checker(
        data,
        CheckerConfig(
            incremental=True,
            solver="minisat22",
            previous=False,
            neighbourhood=False,
            clique=False,
            local_search=False,
        ),
    )
    assert checker.check(Problem({1: (14, 15), 2: (14, 15), 3: (14, 15)}), 5).answer is Answer.UNSAT
    assert (
        checker.check(Problem({1: (14, 15, 16), 2: (14, 15, 16), 3: (14, 15, 16)}), 5).answer
        is Answer.SAT
    )
    assert len(checker.solvers) == 2
    checker.close()


def test_warm_loads_every_station_and_the_race_solves_the_loaded_formula():
    """The default (incremental CaDiCaL in the race's child) after ``warm``: every answer
    agrees with a fresh solve, and the persistent solver never grows inside a check."""
    data = synth_world(SynthSpec(stations=40, seed=3, region_km=300))[0].data
    channels = tuple(range(14, 24))
    band = {s: tuple(c for c in data.domains[s] if c in channels) for s in data.ids}
    everyone = Problem({s: d for s, d in band.items() if d})
    fresh = Checker(data, CheckerConfig(incremental=False, race=False))
    checker = Checker(data, CheckerConfig(cache=False))
    assert checker.config.incremental and checker.config.solver == "cadical195"
    checker.warm(everyone)
    (solver,) = checker.solvers
    loaded = solver.size
    assert loaded[0] == len(everyone.domains)
    answers = set()
    for problem, reference in packing_sequence(
        data, channels, lambda p: fresh.check(p, 30), seed=2
    ):
        result = checker.check(problem, 30)
        assert result.answer is reference.answer, problem.name
        answers.add(result.answer)
    assert solver.size == loaded
    assert answers == {Answer.SAT, Answer.UNSAT}
    checker.close()
    fresh.close()


def test_checkers_of_different_configurations_share_one_pooled_solver():
    data = synth_world(SynthSpec(stations=40, seed=3, region_km=300))[0].data
    problem = Problem({s: tuple(range(14, 24)) for s in sorted(data.domains)[:25]})
    pool = SolverPool(size=2)
    plain = CheckerConfig(incremental=True, solver="glucose3", previous=False, cache=False)
    other = plain.replace(local_search=False, clique=False)
    with Checker(data, plain, solvers=pool) as a:
        a.warm(problem)
        first = a.check(problem, 5.0)
        loaded = pool.get(data, frozenset(range(14, 24)), "glucose3", True)
        assert loaded.size[0] == 25  # warm loaded every station
    with Checker(data, other, solvers=pool) as b:  # the first checker's close kept the pool
        assert pool.get(data, frozenset(range(14, 24)), "glucose3", True) is loaded
        second = b.check(problem, 5.0)
    assert first.answer is second.answer is not Answer.TIMEOUT
    # another solver is another entry; the least recently used goes beyond the pool's size
    pool.get(data, frozenset(range(14, 24)), "minisat22", True)
    pool.get(data, frozenset(range(14, 22)), "minisat22", True)
    assert pool.get(data, frozenset(range(14, 24)), "glucose3", True) is not loaded
    pool.close()


def test_a_failed_assumption_core_names_stations_and_the_channels_it_struck():
    """Three stations kept off channel 16: the core is them, with those exclusions; a core
    that leans on a channel the problem itself allows (one arc consistency struck) is not
    reported, because it depends on stations outside it."""
    from auctool.check.methods.complete import _solver_core

    data, _ = triangle(3)
    inc = IncrementalSolver(data, frozenset({14, 15, 16}), "minisat22")
    inc.ensure([1, 2, 3])
    two = {s: (14, 15) for s in (1, 2, 3)}
    out, _ = inc.solve(two, {}, Budget(math.inf))
    assert out.status is False and out.core
    stations, excluded = inc.explain(out.core)
    assert sorted(stations) == [1, 2, 3]
    assert {c for _, c in excluded} == {16} and {s for s, _ in excluded} <= {1, 2, 3}
    assert _solver_core(inc, out.core, Problem(two)) == tuple(stations)
    assert _solver_core(inc, out.core, Problem({s: (14, 15, 16) for s in (1, 2, 3)})) is None
    inc.close()
