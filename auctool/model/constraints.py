"""Constraint data: every station's domain plus the interference between stations.

This is what an FCC constraint folder holds (``Domain.csv`` + ``Interference_Paired.csv``)
and what every feasibility check is asked against. It also owns the dense station index
(station id -> 0..n-1) the encoders use to vectorise clause generation.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType

import numpy as np

from auctool.model.bands import ASSIGNABLE
from auctool.model.interference import Interference


@dataclass(frozen=True, eq=False)
class DirectedIndex:
    """CSR over dense station indices: rows ``offsets[i]:offsets[i+1]`` are station i's pairs.

    Each row says: station i on channel ``cs`` forbids station ``dst`` on channel ``ct``.
    Presolvers use it to touch only the neighbourhood they work on (O(degree)).
    """

    offsets: np.ndarray
    dst: np.ndarray
    cs: np.ndarray
    ct: np.ndarray

    def rows(self, idx: int) -> slice:
        return slice(int(self.offsets[idx]), int(self.offsets[idx + 1]))

    def gather(self, indices: np.ndarray) -> np.ndarray:
        """Row numbers of every pair whose source is one of ``indices``."""
        starts = self.offsets[indices]
        lengths = self.offsets[indices + 1] - starts
        total = int(lengths.sum())
        if total == 0:
            return np.zeros(0, dtype=np.int64)
        shift = np.repeat(starts - (np.cumsum(lengths) - lengths), lengths)
        return np.arange(total, dtype=np.int64) + shift


@dataclass(frozen=True, eq=False)
class ConstraintData:
    """Domains (station -> allowed channels) and interference; immutable.

    ``name`` is the constraint folder's name, the one a ``.srpk`` file's
    ``INTERFERENCE`` line refers to.
    """

    domains: Mapping[int, tuple[int, ...]]
    interference: Interference
    name: str = ""
    source: str | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        frozen = {
            int(s): tuple(sorted(set(int(c) for c in chans))) for s, chans in self.domains.items()
        }
        object.__setattr__(self, "domains", MappingProxyType(dict(sorted(frozen.items()))))

    def __reduce__(self):  # MappingProxyType does not pickle
        return (ConstraintData, (dict(self.domains), self.interference, self.name, self.source))

    def __repr__(self) -> str:
        return f"ConstraintData({self.name!r}: {len(self.domains)} stations, {len(self.interference)} pairs)"

    @property
    def stations(self) -> tuple[int, ...]:
        return tuple(self.domains)

    def __contains__(self, station: object) -> bool:
        return station in self.domains

    @cached_property
    def domain_sets(self) -> Mapping[int, frozenset[int]]:
        """Each station's assignable channels as a set (intersecting a problem with the data
        is then one C-level subset test per station): its domain less any channel no
        station may hold (37, and numbers outside 2-51)."""
        return MappingProxyType({s: frozenset(c) & ASSIGNABLE for s, c in self.domains.items()})

    # ---- dense indexing for vectorised encoders ----------------------------------------
    @cached_property
    def ids(self) -> np.ndarray:
        """Station ids in index order (sorted): ``ids[index[s]] == s``."""
        ids = np.array(list(self.domains), dtype=np.int64)
        ids.setflags(write=False)
        return ids

    @cached_property
    def index(self) -> dict[int, int]:
        return {s: i for i, s in enumerate(self.domains)}

    @cached_property
    def pair_index(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """The interference pairs with station ids replaced by dense indices."""
        it = self.interference
        ia = np.searchsorted(self.ids, it.a).astype(np.int32)
        ib = np.searchsorted(self.ids, it.b).astype(np.int32)
        return ia, it.ca.astype(np.int32), ib, it.cb.astype(np.int32)

    @cached_property
    def directed(self) -> DirectedIndex:
        """Both directions of every pair in dense indices, grouped by source station (CSR)."""
        ia, ca, ib, cb = self.pair_index
        src = np.concatenate([ia, ib])
        dst = np.concatenate([ib, ia])
        cs = np.concatenate([ca, cb])
        ct = np.concatenate([cb, ca])
        order = np.argsort(src, kind="stable")
        src, dst, cs, ct = src[order], dst[order], cs[order], ct[order]
        offsets = np.zeros(len(self.ids) + 1, dtype=np.int64)
        np.cumsum(np.bincount(src, minlength=len(self.ids)), out=offsets[1:])
        return DirectedIndex(offsets, dst, cs, ct)

    def hop_counts(
        self, seeds: np.ndarray, links: int, allowed: np.ndarray | None = None
    ) -> np.ndarray:
        """Hops from the nearest seed (station ids) of every station, in index order (-1:
        more than ``links``); a breadth-first search over :attr:`directed`'s rows (a hop:
        any constraint between two stations, on any channel).

        ``allowed`` (a mask in index order) keeps the others out: never reached, never
        passed through, not even as seeds.
        """
        n = len(self.ids)
        allowed = np.ones(n, dtype=bool) if allowed is None else allowed
        hops = np.full(n, -1, dtype=np.int64)
        frontier = np.searchsorted(self.ids, np.asarray(seeds, dtype=np.int64))
        frontier = frontier[allowed[frontier]]
        hops[frontier] = 0
        rows = self.directed
        for hop in range(1, links + 1):
            if frontier.size == 0:
                break
            reached = np.unique(rows.dst[rows.gather(frontier)]).astype(np.int64)
            frontier = reached[(hops[reached] < 0) & allowed[reached]]
            hops[frontier] = hop
        return hops

    @cached_property
    def max_channel(self) -> int:
        top = max((max(d) for d in self.domains.values() if d), default=0)
        if len(self.interference):
            top = max(top, int(self.interference.ca.max()), int(self.interference.cb.max()))
        return top

    @cached_property
    def fingerprint(self) -> str:
        """A content hash: two folders with the same constraints share caches and solvers."""
        h = hashlib.sha256()
        for s, chans in self.domains.items():
            h.update(f"{s}:{','.join(map(str, chans))};".encode())
        h.update(self.interference.fingerprint.encode())
        return h.hexdigest()

    # ---- look-ups ---------------------------------------------------------------------
    def neighbours(self, station: int) -> np.ndarray:
        return self.interference.neighbours(station)

    def forbidden(self, s: int, t: int) -> list[tuple[int, int]]:
        return self.interference.forbidden(s, t)

    def subset(self, stations: Iterable[int]) -> ConstraintData:
        """The data of a subset of stations (domains and the pairs among them)."""
        keep = [s for s in stations if s in self.domains]
        return ConstraintData(
            {s: self.domains[s] for s in keep},
            self.interference.restrict(keep),
            self.name,
            self.source,
        )
