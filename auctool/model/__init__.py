"""The data model: bands, interference, constraint data, problems, cutoffs, witness verification."""

from __future__ import annotations

from typing import TYPE_CHECKING

from auctool._lazy import attach

if TYPE_CHECKING:
    from auctool.model.bands import CLEARING_TARGETS, Band, BandPlan, top_uhf_channel
    from auctool.model.constraints import ConstraintData
    from auctool.model.cutoff import Cutoff
    from auctool.model.interference import KEY_OFFSETS, Interference
    from auctool.model.problem import Problem
    from auctool.model.verify import Violation, is_valid, violations

__all__ = [
    "CLEARING_TARGETS",
    "KEY_OFFSETS",
    "Band",
    "BandPlan",
    "ConstraintData",
    "Cutoff",
    "Interference",
    "Problem",
    "Violation",
    "is_valid",
    "top_uhf_channel",
    "violations",
]

__getattr__, __dir__ = attach(
    __name__,
    {
        "CLEARING_TARGETS": "auctool.model.bands",
        "Band": "auctool.model.bands",
        "BandPlan": "auctool.model.bands",
        "top_uhf_channel": "auctool.model.bands",
        "ConstraintData": "auctool.model.constraints",
        "Cutoff": "auctool.model.cutoff",
        "KEY_OFFSETS": "auctool.model.interference",
        "Interference": "auctool.model.interference",
        "Problem": "auctool.model.problem",
        "Violation": "auctool.model.verify",
        "is_valid": "auctool.model.verify",
        "violations": "auctool.model.verify",
    },
)
