"""Feasibility checking: encodings, solvers, the checker pipeline and its configuration."""

from auctool.check.checker import Checker
from auctool.check.config import (
    KNOBS,
    AnyConfig,
    CheckerConfig,
    PortfolioConfig,
    load_config,
    save_config,
)
from auctool.check.factory import make_checker
from auctool.check.result import Answer, CheckResult, Stage

__all__ = [
    "KNOBS",
    "Answer",
    "AnyConfig",
    "CheckResult",
    "Checker",
    "CheckerConfig",
    "PortfolioConfig",
    "Stage",
    "load_config",
    "make_checker",
    "save_config",
]
