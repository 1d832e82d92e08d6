"""Solver plumbing: problems as CNF, SAT solvers held to a deadline or a conflict budget
(in this process, in a solver process or in a forked child), and persistent solvers.

The layer every solving method stands on: it knows formulas and solvers, not checks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from auctool._lazy import attach

if TYPE_CHECKING:
    from auctool.check.solve.encoding import Encoding, encode
    from auctool.check.solve.incremental import IncrementalSolver, SolverPool
    from auctool.check.solve.server import SolverServer
    from auctool.check.solve.solvers import (
        BoundedSolver,
        SolveOutcome,
        check_budget_mode,
        solve_once,
    )

__all__ = [
    "BoundedSolver",
    "Encoding",
    "IncrementalSolver",
    "SolveOutcome",
    "SolverPool",
    "SolverServer",
    "check_budget_mode",
    "encode",
    "solve_once",
]

__getattr__, __dir__ = attach(
    __name__,
    {
        "Encoding": "auctool.check.solve.encoding",
        "encode": "auctool.check.solve.encoding",
        "IncrementalSolver": "auctool.check.solve.incremental",
        "SolverPool": "auctool.check.solve.incremental",
        "SolverServer": "auctool.check.solve.server",
        "BoundedSolver": "auctool.check.solve.solvers",
        "SolveOutcome": "auctool.check.solve.solvers",
        "check_budget_mode": "auctool.check.solve.solvers",
        "solve_once": "auctool.check.solve.solvers",
    },
)
