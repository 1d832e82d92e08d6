"""The data model: bands, interference, constraint data, problems, cutoffs, witness verification."""

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
