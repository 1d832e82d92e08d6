"""clasp (through the ``clingo`` package) as one more SAT solver, with its search knobs.

clasp is the solver SATFC's tuned portfolio was built from. clingo's Python API gives it
without a binary: the CNF goes in through clingo's backend (one choice rule over the
variables, one integrity constraint per clause, no grounding), the previous assignment
as sign heuristics (``--heuristic=Domain``), and the search runs asynchronously so a
deadline or a stop signal cancels it within milliseconds. In work mode
(``auctool.check.budget``) ``--solve-limit`` bounds it by conflicts instead.

clasp's search options as the checker's knobs see them are data, in
:mod:`auctool.check.config.solvertable` (:data:`CLASP_OPTIONS`, :func:`clasp_arguments`).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from auctool.check.budget import StopSignal


def solve(
    clauses: Sequence[Sequence[int]],
    deadline: float,
    assumptions: Sequence[int] = (),
    phases: Sequence[int] = (),
    stop: StopSignal | None = None,
    conflicts: int | None = None,
    options: Sequence[str] = (),
) -> tuple[bool | None, tuple[int, ...] | None, int]:
    """(status, model, conflicts): True SAT, False UNSAT, None at the deadline or the budget."""
    import clingo

    args = ["--models=1", "--warn=none", *options]
    if conflicts is not None:
        args.append(f"--solve-limit={max(conflicts, 1)}")
    if phases and not any(a.startswith("--heuristic") for a in args):
        args.append("--heuristic=Domain")
    ctl = clingo.Control(args)
    top = max((abs(lit) for clause in clauses for lit in clause), default=0)
    top = max(top, max((abs(a) for a in assumptions), default=0))
    with ctl.backend() as backend:
        atoms = [backend.add_atom() for _ in range(top)]
        if atoms:
            backend.add_rule(atoms, choice=True)
        for clause in clauses:  # a clause is violated when all its literals are false
            backend.add_rule(
                [], [-atoms[lit - 1] if lit > 0 else atoms[-lit - 1] for lit in clause]
            )
        sign = clingo.backend.HeuristicType.Sign
        for lit in phases:
            if abs(lit) <= top:
                backend.add_heuristic(atoms[abs(lit) - 1], sign, 1 if lit > 0 else -1, 1, [])
    model: list[int] = []

    def on_model(m: Any) -> None:
        model[:] = [i + 1 if m.is_true(a) else -(i + 1) for i, a in enumerate(atoms)]

    marks = [atoms[a - 1] if a > 0 else -atoms[-a - 1] for a in assumptions]
    with ctl.solve(assumptions=marks, on_model=on_model, async_=True) as handle:
        if conflicts is not None:
            handle.wait()
        else:
            while not handle.wait(_slice(deadline)):
                if time.monotonic() >= deadline or (stop is not None and stop.is_set()):
                    handle.cancel()
                    return None, None, _conflicts(ctl)
        result = handle.get()
    spent = _conflicts(ctl)
    if result.satisfiable:
        return True, tuple(model), spent
    if result.unsatisfiable:
        return False, None, spent
    return None, None, spent


def _slice(deadline: float) -> float:
    return max(0.0, min(0.005, deadline - time.monotonic()))


def _conflicts(ctl: Any) -> int:
    try:
        return int(ctl.statistics["solving"]["solvers"]["conflicts"])
    except (KeyError, TypeError, RuntimeError):
        return 0
