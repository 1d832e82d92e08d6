"""Feasibility checking: encodings, solvers, the checker pipeline and its configuration."""

from __future__ import annotations

from typing import TYPE_CHECKING

from auctool._lazy import attach

if TYPE_CHECKING:
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

__getattr__, __dir__ = attach(
    __name__,
    {
        "Checker": "auctool.check.checker",
        "KNOBS": "auctool.check.config",
        "AnyConfig": "auctool.check.config",
        "CheckerConfig": "auctool.check.config",
        "PortfolioConfig": "auctool.check.config",
        "load_config": "auctool.check.config",
        "save_config": "auctool.check.config",
        "make_checker": "auctool.check.factory",
        "Answer": "auctool.check.result",
        "CheckResult": "auctool.check.result",
        "Stage": "auctool.check.result",
    },
)
