"""Interference constraints: the forbidden (station, channel) pairs, stored as numpy arrays.

A constraint says station ``a`` on channel ``ca`` and station ``b`` on channel ``cb``
may not both hold. That is symmetric, so each pair is stored once, canonically
``(a, ca) < (b, cb)``. The FCC keys (CO, ADJ+-1, ADJ+-2) are just the channel offset
``cb - ca`` seen from one side; files list both directions, the model keeps one.

The national FCC file holds ~2.7 million directed pairs: Python objects per pair would
cost gigabytes and seconds, so everything is columnar (int64 ids, int16 channels) with
a CSR index built on first use for the look-ups the checker and the auction need.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

import numpy as np

#: FCC constraint keys -> channel offset of the target relative to the subject.
KEY_OFFSETS: dict[str, int] = {"CO": 0, "ADJ+1": 1, "ADJ-1": -1, "ADJ+2": 2, "ADJ-2": -2}
OFFSET_KEYS: dict[int, str] = {v: k for k, v in KEY_OFFSETS.items()}

#: Station ids must fit 24 bits and channels 8 bits so a (station, channel) node packs
#: into 32 bits and a pair into one uint64 (fast set operations with numpy).
MAX_STATION_ID = (1 << 24) - 1
MAX_CHANNEL = 255


def pack_nodes(stations: np.ndarray, channels: np.ndarray) -> np.ndarray:
    """(station, channel) -> one uint64 node key, ordered like the tuple."""
    return (stations.astype(np.uint64) << np.uint64(8)) | channels.astype(np.uint64)


def pack_pairs(a: np.ndarray, ca: np.ndarray, b: np.ndarray, cb: np.ndarray) -> np.ndarray:
    """A pair of nodes -> one uint64 key (first node in the high half)."""
    return (pack_nodes(a, ca) << np.uint64(32)) | pack_nodes(b, cb)


def canonical_keys(a, ca, b, cb) -> np.ndarray:
    """Pair keys with each pair oriented (a, ca) < (b, cb); order and duplicates kept."""
    a = np.asarray(a, dtype=np.int64)
    b = np.asarray(b, dtype=np.int64)
    ca = np.asarray(ca, dtype=np.int64)
    cb = np.asarray(cb, dtype=np.int64)
    swap = (a > b) | ((a == b) & (ca > cb))
    return pack_pairs(
        np.where(swap, b, a), np.where(swap, cb, ca), np.where(swap, a, b), np.where(swap, ca, cb)
    )


def unpack_pairs(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    hi = keys >> np.uint64(32)
    lo = keys & np.uint64(0xFFFFFFFF)
    return (
        (hi >> np.uint64(8)).astype(np.int64),
        (hi & np.uint64(0xFF)).astype(np.int16),
        (lo >> np.uint64(8)).astype(np.int64),
        (lo & np.uint64(0xFF)).astype(np.int16),
    )


def sorted_unique(values: np.ndarray) -> np.ndarray:
    """np.unique by sorting (numpy 2's hash-based unique is several times slower here)."""
    out = np.sort(values)
    if out.size:
        keep = np.empty(out.size, dtype=bool)
        keep[0] = True
        np.not_equal(out[1:], out[:-1], out=keep[1:])
        out = out[keep]
    return out


def canonical(
    a: np.ndarray, ca: np.ndarray, b: np.ndarray, cb: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Orient every pair so that (a, ca) < (b, cb), sort and drop duplicates."""
    return unpack_pairs(sorted_unique(canonical_keys(a, ca, b, cb)))


@dataclass(frozen=True, eq=False)
class Interference:
    """A set of forbidden (station, channel) pairs; immutable, columnar, canonical.

    Build one with :meth:`from_arrays` (any orientation, duplicates allowed) or
    :meth:`from_pairs`; the constructor expects canonical arrays.
    """

    a: np.ndarray
    ca: np.ndarray
    b: np.ndarray
    cb: np.ndarray

    @classmethod
    def from_arrays(cls, a, ca, b, cb) -> Interference:
        arrays = canonical(a, ca, b, cb)
        for arr in arrays:
            arr.setflags(write=False)
        return cls(*arrays)

    @classmethod
    def from_pairs(cls, pairs: Iterable[tuple[int, int, int, int]]) -> Interference:
        """From ``(station, channel, station, channel)`` tuples (tests, small data)."""
        arr = np.array(list(pairs), dtype=np.int64).reshape(-1, 4)
        return cls.from_arrays(arr[:, 0], arr[:, 1], arr[:, 2], arr[:, 3])

    @classmethod
    def empty(cls) -> Interference:
        return cls.from_arrays([], [], [], [])

    def __len__(self) -> int:
        return int(self.a.size)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Interference):
            return NotImplemented
        return len(self) == len(other) and bool(np.array_equal(self.keys, other.keys))

    def __hash__(self) -> int:
        return hash(self.fingerprint)

    def __repr__(self) -> str:
        return f"Interference({len(self)} pairs, {self.stations.size} stations)"

    # ---- derived forms -------------------------------------------------------------
    @cached_property
    def keys(self) -> np.ndarray:
        """Sorted uint64 pair keys (canonical): the constraint set as one array."""
        return pack_pairs(self.a, self.ca, self.b, self.cb)

    @cached_property
    def fingerprint(self) -> str:
        return hashlib.sha256(self.keys.tobytes()).hexdigest()

    @cached_property
    def stations(self) -> np.ndarray:
        """Every station id that appears in some constraint, sorted."""
        return sorted_unique(np.concatenate([self.a, self.b]))

    def as_set(self) -> set[tuple[int, int, int, int]]:
        return set(
            zip(self.a.tolist(), self.ca.tolist(), self.b.tolist(), self.cb.tolist(), strict=True)
        )

    @cached_property
    def _directed(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Both directions sorted by (source, target, source ch, target ch) + CSR offsets.

        Self-pairs (a station against itself on two channels) appear once per direction.
        """
        src = np.concatenate([self.a, self.b])
        dst = np.concatenate([self.b, self.a])
        cs = np.concatenate([self.ca, self.cb])
        ct = np.concatenate([self.cb, self.ca])
        order = np.lexsort((ct, cs, dst, src))
        src, dst, cs, ct = src[order], dst[order], cs[order], ct[order]
        starts = np.searchsorted(src, self.stations, side="left")
        ends = np.searchsorted(src, self.stations, side="right")
        return src, dst, cs, ct, np.stack([starts, ends], axis=1)

    def _slice(self, station: int) -> slice:
        stations = self.stations
        i = int(np.searchsorted(stations, station))
        if i >= stations.size or stations[i] != station:
            return slice(0, 0)
        lo, hi = self._directed[4][i]
        return slice(int(lo), int(hi))

    # ---- look-ups --------------------------------------------------------------------
    def neighbours(self, station: int) -> np.ndarray:
        """Stations sharing at least one constraint with ``station`` (sorted, itself excluded)."""
        dst = self._directed[1][self._slice(station)]
        out = np.unique(dst)
        return out[out != station]

    def forbidden(self, s: int, t: int) -> list[tuple[int, int]]:
        """Channel pairs (channel of s, channel of t) that s and t may not hold together."""
        sl = self._slice(s)
        _, dst, cs, ct, _ = self._directed
        d = dst[sl]
        lo, hi = np.searchsorted(d, t, side="left"), np.searchsorted(d, t, side="right")
        base = sl.start
        return list(
            zip(cs[base + lo : base + hi].tolist(), ct[base + lo : base + hi].tolist(), strict=True)
        )

    @cached_property
    def degree(self) -> dict[int, int]:
        """Number of distinct interfering stations per station (the FCC 'interference count').

        Canonical pairs have a <= b, so each station pair is one uint64 key (a << 32 | b);
        unique keys count each neighbour once (national data: ~0.5 s, not ~20 s for a
        row-wise unique over both directions).
        """
        mask = self.a != self.b
        keys = sorted_unique(
            (self.a[mask].astype(np.uint64) << np.uint64(32)) | self.b[mask].astype(np.uint64)
        )
        ends = np.concatenate([keys >> np.uint64(32), keys & np.uint64(0xFFFFFFFF)])
        ids, counts = np.unique(ends.astype(np.int64), return_counts=True)
        return dict(zip(ids.tolist(), counts.tolist(), strict=True))

    def keep(self, mask: np.ndarray) -> Interference:
        """The pairs ``mask`` marks (a subset of a canonical set is canonical)."""
        return Interference(self.a[mask], self.ca[mask], self.b[mask], self.cb[mask])

    def restrict(self, stations: Iterable[int]) -> Interference:
        """Only the pairs between stations of the given set."""
        keep = np.fromiter(stations, dtype=np.int64)
        return self.keep(np.isin(self.a, keep) & np.isin(self.b, keep))

    def union(self, other: Interference) -> Interference:
        return Interference.from_arrays(
            np.concatenate([self.a, other.a]),
            np.concatenate([self.ca, other.ca]),
            np.concatenate([self.b, other.b]),
            np.concatenate([self.cb, other.cb]),
        )

    def contains(self, a: int, ca: int, b: int, cb: int) -> bool:
        """Is (a on ca, b on cb) forbidden (either orientation)?"""
        if (a, ca) > (b, cb):
            a, ca, b, cb = b, cb, a, ca
        key = pack_pairs(np.array([a]), np.array([ca]), np.array([b]), np.array([cb]))[0]
        i = int(np.searchsorted(self.keys, key))
        return i < self.keys.size and self.keys[i] == key
