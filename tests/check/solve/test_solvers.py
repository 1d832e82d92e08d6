"""Every solver answers correctly and stops at the deadline, whatever its stopping method."""

import math
import time

import pytest

from auctool.check.config.solvertable import INCREMENTAL_SOLVERS, SOLVERS
from auctool.check.solve import futures
from auctool.check.solve.encoding import encode
from auctool.check.solve.solvers import BoundedSolver, check_budget_mode, solve_once
from auctool.errors import InputError
from auctool.model.cutoff import latest_return
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
    return latest_return(cutoff)


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


#: pairs (i, i+1) need one true; the phases prefer false for two in three variables
_PAIRS = [[i, i + 1] for i in range(1, 40, 2)]
_PHASES = [-i if i % 3 else i for i in range(1, 41)]


def _agree(model) -> int:
    return sum(1 for p in _PHASES if p in set(model))


def _in_a_killable_child(solve):
    """``solve()`` run the way a raced complete solve runs it (in a forked child)."""
    child = futures.ForkFuture(solve)
    try:
        assert child.wait_until(time.monotonic() + 30)
        return child.result(0.0)
    finally:
        child.cancel()


def _phase_paths(name):
    """Every way a check hands phases to this solver, each returning the model."""
    info = SOLVERS[name]
    paths = {
        "one-shot, no deadline": lambda: solve_once(name, _PAIRS, math.inf, phases=_PHASES),
        "one-shot, deadline": lambda: solve_once(
            name, _PAIRS, time.monotonic() + 10, phases=_PHASES
        ),
        "one-shot in a killable child": lambda: _in_a_killable_child(
            lambda: solve_once(name, _PAIRS, time.monotonic() + 10, phases=_PHASES)
        ),
    }
    if info.conflict_budget:
        paths["work budget"] = lambda: solve_once(
            name, _PAIRS, math.inf, phases=_PHASES, conflicts=10_000
        )
    if info.in_process or info.incremental:

        def persistent(conflicts=None):
            with BoundedSolver(name, _PAIRS) as s:
                s.set_phases(_PHASES)
                return s.solve(time.monotonic() + 10, conflicts=conflicts)

        paths["persistent"] = persistent
        paths["persistent, work budget"] = lambda: persistent(10_000)
    return paths


@pytest.mark.parametrize("name", [n for n in ALL if SOLVERS[n].method != "clasp"])
def test_every_solver_honours_the_phases_it_claims_on_every_path(name):
    """``phases`` is a knob SMAC tunes: a solver that claims it must follow it wherever
    it solves (here, in a forked copy, in a killable child, under a work budget); one
    that does not claim it is never handed any (the knob does nothing there)."""
    for path, solve in _phase_paths(name).items():
        out = solve()
        assert out.status is True, (name, path)
        if SOLVERS[name].phases:
            assert _agree(out.model) >= 30, (name, path)
        else:
            assert _agree(out.model) < 30, (name, path)  # it learned phases: claim them


def test_clasp_honours_phases():
    out = solve_once("clasp", _PAIRS, math.inf, phases=_PHASES)
    assert out.status is True and _agree(out.model) >= 30


@pytest.mark.parametrize("name", ALL)
def test_every_solver_honours_assumptions_and_the_conflict_budget_it_claims(name):
    info = SOLVERS[name]
    # assumptions (folded into the formula for a solver without them): same answer
    forced = solve_once(name, _PAIRS, math.inf, assumptions=[-1, -2])
    assert forced.status is False, name
    free = solve_once(name, _PAIRS, math.inf, assumptions=[-1])
    assert free.status is True and 2 in free.model and -1 in free.model, name
    data, problem = pigeonhole(9)
    clauses = encode(problem.domains, data).clauses()
    if info.conflict_budget:
        start = time.monotonic()
        out = solve_once(name, clauses, math.inf, conflicts=200)
        assert out.status is None and time.monotonic() - start < 5, name
    else:
        with pytest.raises(InputError, match="no conflict budget"):
            check_budget_mode("work", [name])
