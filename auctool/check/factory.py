"""Build the right checker for a configuration (a single pipeline or a parallel portfolio)."""

from __future__ import annotations

from pathlib import Path

from auctool.check.checker import Checker
from auctool.check.config.configs import AnyConfig, PortfolioConfig
from auctool.check.solve.incremental import SolverPool
from auctool.model.constraints import ConstraintData


def make_checker(
    data: ConstraintData,
    config: AnyConfig,
    cache_file: Path | None = None,
    budget_mode: str = "time",
    solvers: SolverPool | None = None,
):
    """A :class:`Checker`, or a :class:`PortfolioChecker` for a ``portfolio:`` configuration.

    Both have ``check(problem, cutoff, instance)``, ``warm(problem)`` (load persistent solvers
    ahead of the checks) and ``close()``; use them as context managers.
    ``budget_mode`` "work" turns cutoffs into solver conflicts (``auctool.check.budget``).
    ``solvers`` shares loaded persistent solvers between checkers (a portfolio's members
    run in their own processes and keep their own).
    """
    if isinstance(config, PortfolioConfig):
        from auctool.check.portfolio import PortfolioChecker

        return PortfolioChecker(data, config, cache_file=cache_file, budget_mode=budget_mode)
    return Checker(data, config, cache_file=cache_file, budget_mode=budget_mode, solvers=solvers)
