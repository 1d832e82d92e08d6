"""The checker's configuration: the knob table every setting is declared in once, the
configurations and YAML files built from it, the ConfigSpace SMAC tunes, the solver table.

The bottom layer: data and validation only (no solver loads), so the command line can
read it for ``--help`` and option parsing; every other layer reads it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from auctool._lazy import attach

if TYPE_CHECKING:
    from auctool.check.config.configs import (
        AnyConfig,
        CheckerConfig,
        PortfolioConfig,
        dump_config,
        load_config,
        save_config,
    )
    from auctool.check.config.kinds import EncodingKind
    from auctool.check.config.knobs import FORBIDDEN, KNOB_BY_NAME, KNOBS, Knob
    from auctool.check.config.solvertable import SOLVERS, SolverInfo
    from auctool.check.config.space import build_space

__all__ = [
    "FORBIDDEN",
    "KNOBS",
    "KNOB_BY_NAME",
    "SOLVERS",
    "AnyConfig",
    "CheckerConfig",
    "EncodingKind",
    "Knob",
    "PortfolioConfig",
    "SolverInfo",
    "build_space",
    "dump_config",
    "load_config",
    "save_config",
]

__getattr__, __dir__ = attach(
    __name__,
    {
        "AnyConfig": "auctool.check.config.configs",
        "CheckerConfig": "auctool.check.config.configs",
        "PortfolioConfig": "auctool.check.config.configs",
        "dump_config": "auctool.check.config.configs",
        "load_config": "auctool.check.config.configs",
        "save_config": "auctool.check.config.configs",
        "EncodingKind": "auctool.check.config.kinds",
        "FORBIDDEN": "auctool.check.config.knobs",
        "KNOBS": "auctool.check.config.knobs",
        "KNOB_BY_NAME": "auctool.check.config.knobs",
        "Knob": "auctool.check.config.knobs",
        "SOLVERS": "auctool.check.config.solvertable",
        "SolverInfo": "auctool.check.config.solvertable",
        "build_space": "auctool.check.config.space",
    },
)
