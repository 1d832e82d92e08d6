"""Build the right checker for a configuration (a single pipeline or a parallel portfolio)."""

from __future__ import annotations

from pathlib import Path

from auctool.check.checker import Checker
from auctool.check.config import AnyConfig, PortfolioConfig
from auctool.model.constraints import ConstraintData


def make_checker(
    data: ConstraintData, config: AnyConfig, cache_file: Path | None = None
) -> Checker:
    if isinstance(config, PortfolioConfig):
        raise NotImplementedError("portfolio")
    return Checker(data, config)
