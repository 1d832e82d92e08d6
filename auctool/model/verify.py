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
    stations: tuple[int, ...] = ()  # the stations involved


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
                (int(a[i]), int(b[i])),
            )
        )
    return found


def is_valid(assignment: Mapping[int, int], problem: Problem, data: ConstraintData) -> bool:
    return not violations(assignment, problem, data, limit=1)


class WitnessVerifier:
    """The same verdict as :func:`violations`, in time proportional to what changed.

    It remembers the last assignment it found valid (on the same constraint data). A new
    witness can only break a pair involving a station whose channel differs from that
    one, so only those stations' pairs are examined; the first call checks everything.
    An auction's witnesses differ from the previous packing in a handful of stations, so
    verifying every answer costs microseconds instead of a scan of millions of pairs.
    """

    def __init__(self, data: ConstraintData):
        self.data = data
        self._last = np.full(len(data.ids), -1, dtype=np.int64)

    def violations(
        self, assignment: Mapping[int, int], problem: Problem, limit: int = 20
    ) -> list[Violation]:
        found: list[Violation] = []
        for s, chans in problem.domains.items():
            c = assignment.get(s)
            if c is None:
                found.append(Violation("missing", f"station {s} has no channel"))
            elif c not in chans:
                found.append(Violation("domain", f"station {s} on channel {c}, not in its domain"))
        if len(assignment) != len(problem.domains):
            found += [
                Violation("extra", f"station {s} is not part of the problem")
                for s in assignment
                if s not in problem.domains
            ]
        if found:
            return found[:limit]
        data = self.data
        current = np.full(len(data.ids), -1, dtype=np.int64)
        if assignment:
            ids = np.fromiter(assignment.keys(), dtype=np.int64, count=len(assignment))
            current[np.searchsorted(data.ids, ids)] = np.fromiter(
                assignment.values(), dtype=np.int64, count=len(assignment)
            )
        changed = np.flatnonzero((current >= 0) & (current != self._last))
        di = data.directed
        rows = di.gather(changed)
        src = np.repeat(changed, di.offsets[changed + 1] - di.offsets[changed])
        dst, cs, ct = di.dst[rows], di.cs[rows], di.ct[rows]
        bad = np.flatnonzero((current[src] == cs) & (current[dst] == ct))
        if bad.size == 0:
            self._last = current
            return []
        ids = data.ids
        for k in bad[:limit].tolist():
            found.append(
                Violation(
                    "interference",
                    f"station {ids[src[k]]} on channel {cs[k]} interferes with station "
                    f"{ids[dst[k]]} on channel {ct[k]}",
                )
            )
        return found

    def is_valid(self, assignment: Mapping[int, int], problem: Problem) -> bool:
        return not self.violations(assignment, problem, limit=1)
