"""The names of the checker's choices that the command line offers before any solver loads.

Kept apart from the modules that implement them (numpy, python-sat), so ``--help`` and
option parsing stay instant.
"""

from __future__ import annotations

from enum import StrEnum


class EncodingKind(StrEnum):
    """How a problem becomes CNF (:mod:`auctool.check.solve.encoding`)."""

    DIRECT = "direct"
    MULTIVALUED = "multivalued"
    LADDER = "ladder"
    SEQCOUNTER = "seqcounter"
    BITWISE = "bitwise"
