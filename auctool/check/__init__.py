"""Feasibility checking: the checker and its configuration, solvers and solving methods.

Layers, each importing only those below it:

- ``config/``: the knob table, configurations and their files, the solver table (data);
- ``solve/``: CNF encodings and SAT solvers held to a deadline or a conflict budget;
- ``methods/``: the solving methods (reductions, clique bounds, local search, the
  neighbourhood re-solve, the complete solver);
- ``cache/``: the containment cache;
- here: the checker (``checker``, its steps and their schedule, the portfolio, raw CNF
  checks) and the vocabulary every layer shares (``result``, ``story``, ``budget``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from auctool._lazy import attach

if TYPE_CHECKING:
    from auctool.check.checker import Checker
    from auctool.check.config.configs import (
        AnyConfig,
        CheckerConfig,
        PortfolioConfig,
        load_config,
        save_config,
    )
    from auctool.check.config.knobs import KNOBS
    from auctool.check.factory import make_checker
    from auctool.check.result import Answer, CheckResult, Step

__all__ = [
    "KNOBS",
    "Answer",
    "AnyConfig",
    "CheckResult",
    "Checker",
    "CheckerConfig",
    "PortfolioConfig",
    "Step",
    "load_config",
    "make_checker",
    "save_config",
]

__getattr__, __dir__ = attach(
    __name__,
    {
        "Checker": "auctool.check.checker",
        "KNOBS": "auctool.check.config.knobs",
        "AnyConfig": "auctool.check.config.configs",
        "CheckerConfig": "auctool.check.config.configs",
        "PortfolioConfig": "auctool.check.config.configs",
        "load_config": "auctool.check.config.configs",
        "save_config": "auctool.check.config.configs",
        "make_checker": "auctool.check.factory",
        "Answer": "auctool.check.result",
        "CheckResult": "auctool.check.result",
        "Step": "auctool.check.result",
    },
)
