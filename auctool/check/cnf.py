"""Checking a raw DIMACS CNF (no station data): same solvers, same cutoff, verified model."""

from __future__ import annotations

import time

from auctool.check.budget import Budget
from auctool.check.result import Answer, CheckResult, Component, Family, Step
from auctool.check.solve.solvers import check_budget_mode, solve_once
from auctool.errors import RunError
from auctool.formats.dimacs import Cnf
from auctool.model.cutoff import Cutoff


def unsatisfied_clause(cnf: Cnf, model: tuple[int, ...]) -> tuple[int, ...] | None:
    """The first clause the model falsifies (None: the model satisfies the formula)."""
    true = {lit for lit in model if lit > 0}
    for clause in cnf.clauses:
        if not any((lit > 0) == (abs(lit) in true) for lit in clause):
            return clause
    return None


def check_cnf(
    cnf: Cnf, solver: str, cutoff: float | None, instance: str = "", budget_mode: str = "time"
) -> CheckResult:
    cutoff = Cutoff.optional(cutoff)
    start = time.monotonic()
    work = check_budget_mode(budget_mode, [solver]) == "work"
    budget = (Budget.of_work if work else Budget.of)(cutoff)
    outcome = solve_once(solver, cnf.clauses, budget.deadline, conflicts=budget.conflicts)
    name = Component.of(Family.SOLVER, solver)
    seconds = time.monotonic() - start
    if outcome.status is None:
        return CheckResult(
            Answer.TIMEOUT, seconds, stages=(Step(name, seconds, "unknown"),), instance=instance
        )
    if not outcome.status:
        return CheckResult(
            Answer.UNSAT,
            seconds,
            solved_by=name,
            stages=(Step(name, seconds, "UNSAT"),),
            instance=instance,
        )
    model = tuple(outcome.model or ())
    bad = unsatisfied_clause(cnf, model)
    if bad is not None:
        raise RunError(
            f"internal error: {solver} returned a model that falsifies clause {list(bad)}"
        )
    return CheckResult(
        Answer.SAT,
        seconds,
        solved_by=name,
        stages=(Step(name, seconds, "SAT"),),
        instance=instance,
        model=model,
    )
