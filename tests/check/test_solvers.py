"""Every solver answers correctly and stops at the deadline, whatever its stopping method."""

import math
import time

import pytest

from auctool.check.encoding import encode
from auctool.check.solvers import INCREMENTAL_SOLVERS, SOLVERS, BoundedSolver, solve_once
from tests.helpers import adjacent_pair, pigeonhole, triangle

ALL = sorted(SOLVERS)


@pytest.mark.parametrize("name", ALL)
def test_known_answers(name):
    for (data, problem), expected in (
        (triangle(3), True),
        (triangle(2), False),
        (adjacent_pair(), False),
    ):
        enc = encode(problem.domains, data)
        out = solve_once(name, enc.clauses(), math.inf)
        assert out.status is expected, (name, problem.name)
        if expected:
            assert out.model is not None


def _overshoot_limit(cutoff: float) -> float:
    return cutoff * 1.10 + 0.05


@pytest.mark.parametrize("name", ALL)
def test_cutoff_is_honoured(name):
    data, problem = pigeonhole(11)
    clauses = encode(problem.domains, data).clauses()
    cutoff = 0.5
    start = time.monotonic()
    out = solve_once(name, clauses, start + cutoff)
    elapsed = time.monotonic() - start
    assert out.status is None, f"{name} solved PHP(12,11) in {elapsed:.2f}s?"
    assert elapsed <= _overshoot_limit(cutoff), f"{name}: {elapsed:.3f}s for a {cutoff}s cutoff"


@pytest.mark.parametrize("name", ["mergesat3", "minisat22"])
def test_bounded_solver_is_incremental(name):
    data, problem = triangle(3)
    enc = encode(problem.domains, data)
    with BoundedSolver(name, enc.clauses()) as s:
        assert s.solve(math.inf).status is True
        # forbid station 1 on every channel through assumptions: UNSAT, solver still usable
        assert s.solve(math.inf, assumptions=[-1, -2, -3]).status is False
        assert s.solve(math.inf).status is True
        s.add_clause([-1])
        out = s.solve(math.inf)
        assert out.status is True and -1 in out.model


@pytest.mark.parametrize("name", INCREMENTAL_SOLVERS)
def test_every_incremental_solver_keeps_its_formula_across_deadlined_solves(name):
    """Process solvers (CaDiCaL, Glucose) solve forked copies: the formula stays here."""
    data, problem = triangle(3)
    enc = encode(problem.domains, data)
    with BoundedSolver(name, enc.clauses()) as s:
        assert s.solve(time.monotonic() + 10).status is True
        assert s.solve(time.monotonic() + 10, assumptions=[-1, -2, -3]).status is False
        s.add_clause([-1])
        out = s.solve(time.monotonic() + 10)
        assert out.status is True and -1 in out.model


@pytest.mark.parametrize("name", [n for n in INCREMENTAL_SOLVERS if not SOLVERS[n].in_process])
def test_a_forked_solve_stops_at_the_deadline_and_the_solver_survives(name):
    data, problem = pigeonhole(11)
    enc = encode(problem.domains, data)
    with BoundedSolver(name, enc.clauses()) as s:
        start = time.monotonic()
        out = s.solve(start + 0.5)
        elapsed = time.monotonic() - start
        assert out.status is None
        assert elapsed <= _overshoot_limit(0.5), f"{name}: {elapsed:.3f}s for a 0.5 s cutoff"
        first = enc.stations[0]
        off = [-enc.var(first, c) for c in problem.domains[first]]  # station 1 has no channel
        assert s.solve(time.monotonic() + 10, assumptions=off).status is False


def test_deadline_in_the_past_returns_at_once():
    data, problem = triangle(3)
    with BoundedSolver("minisat22", encode(problem.domains, data).clauses()) as s:
        out = s.solve(time.monotonic() - 1)
    assert out.status is None and out.seconds == 0


@pytest.mark.parametrize("name", list(SOLVERS))
def test_every_solver_that_claims_phases_honours_them(name):
    """``phases`` is a knob SMAC tunes: a solver that claims it must follow it, in
    process or in its child (pairs (i, i+1) need one true; the phases prefer false)."""
    clauses = [[i, i + 1] for i in range(1, 40, 2)]
    phases = [-i if i % 3 else i for i in range(1, 41)]
    out = solve_once(name, clauses, math.inf, phases=phases)
    agree = sum(1 for p in phases if p in set(out.model))
    if SOLVERS[name].phases:
        assert agree >= 30
    else:
        assert agree < 30  # if this fails, the solver learned phases: claim them
