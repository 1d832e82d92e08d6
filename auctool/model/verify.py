"""The independent witness verifier: every SAT answer passes through here before it is shown.

Deliberately shares no code with the encoders: it checks a station -> channel map
directly against the problem's domains and the raw interference pairs, so an encoder
or decoder bug cannot vouch for itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from auctool.model.constraints import ConstraintData
from auctool.model.problem import Problem


@dataclass(frozen=True)
class Violation:
    """One reason a witness is wrong, in words a person can act on."""

    kind: str  # "missing", "extra", "domain", "interference"
    message: str


def violations(
    assignment: Mapping[int, int], problem: Problem, data: ConstraintData, limit: int = 20
) -> list[Violation]:
    """Everything wrong with ``assignment`` as an answer to ``problem`` (empty list: valid)."""
    found: list[Violation] = []
    for s, chans in problem.domains.items():
        if s not in assignment:
            found.append(Violation("missing", f"station {s} has no channel"))
        elif assignment[s] not in chans:
            found.append(
                Violation("domain", f"station {s} on channel {assignment[s]}, not in its domain")
            )
    for s in assignment:
        if s not in problem.domains:
            found.append(Violation("extra", f"station {s} is not part of the problem"))
    if found:
        return found[:limit]

    it = data.interference
    stations = np.fromiter(assignment.keys(), dtype=np.int64)
    channels = np.fromiter(assignment.values(), dtype=np.int64)
    order = np.argsort(stations)
    stations, channels = stations[order], channels[order]
    if stations.size == 0 or len(it) == 0:
        return []
    in_a = np.isin(it.a, stations)
    in_b = np.isin(it.b, stations)
    mask = in_a & in_b
    a, ca, b, cb = it.a[mask], it.ca[mask], it.b[mask], it.cb[mask]
    chan_a = channels[np.searchsorted(stations, a)]
    chan_b = channels[np.searchsorted(stations, b)]
    bad = np.flatnonzero((chan_a == ca) & (chan_b == cb))
    for i in bad[:limit]:
        found.append(
            Violation(
                "interference",
                f"station {a[i]} on channel {ca[i]} interferes with station {b[i]} on channel {cb[i]}",
            )
        )
    return found


def is_valid(assignment: Mapping[int, int], problem: Problem, data: ConstraintData) -> bool:
    return not violations(assignment, problem, data, limit=1)
