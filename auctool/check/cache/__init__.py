"""The containment cache: answers implied by answers already found (SATFC's SAT and UNSAT
caches), kept as bitsets in memory and, optionally, in a SQLite file later runs load.

Its own layer: the checker asks it before any solving method runs, and stores its answers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from auctool._lazy import attach

if TYPE_CHECKING:
    from auctool.check.cache.containment import CacheHit, ContainmentCache

__all__ = ["CacheHit", "ContainmentCache"]

__getattr__, __dir__ = attach(
    __name__,
    {
        "CacheHit": "auctool.check.cache.containment",
        "ContainmentCache": "auctool.check.cache.containment",
    },
)
