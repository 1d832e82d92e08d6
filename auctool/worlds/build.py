"""From a station table to constraint data: neighbour search, pair rules, admitted assignments.

The steps are separate so a caller can look at (and correct) the station pairs before
they become ~millions of channel constraints:

1. :func:`station_pairs`: candidate pairs from a KD-tree, then the band rules of the
   distance model decide which pairs interfere (CO, ADJ) in UHF and in VHF;
2. :func:`admit`: a channel assignment known to be feasible in reality (the pre-auction
   channels, the real post-auction repack) *demotes* the pairs it would violate in that
   band: two stations that really shared a channel do not interfere co-channel there;
3. :func:`pairs_to_constraints`: the FCC constraints on the channels of both domains.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from auctool.model import ConstraintData, Interference
from auctool.worlds.distance import (
    NOT_ADJACENT,
    UHF_LOW,
    DistanceModel,
    band_constraints,
    domain_matrix,
    to_interference,
)
from auctool.worlds.geo import plane_pairs, sphere_pairs


@dataclass(frozen=True)
class PairSet:
    """Station index pairs (i < j) within reach, and how they interfere in each band."""

    i: np.ndarray
    j: np.ndarray
    dist_km: np.ndarray
    co_uhf: np.ndarray
    adj_uhf: np.ndarray
    co_vhf: np.ndarray
    adj_vhf: np.ndarray

    def keep(self, mask: np.ndarray) -> PairSet:
        return PairSet(*(getattr(self, f)[mask] for f in self.__dataclass_fields__))

    def join(self, other: PairSet) -> PairSet:
        """Both sets' pairs (they must not share a pair)."""
        fields = self.__dataclass_fields__
        return PairSet(*(np.concatenate([getattr(self, f), getattr(other, f)]) for f in fields))

    @property
    def interfering(self) -> np.ndarray:
        return self.co_uhf | self.adj_uhf | self.co_vhf | self.adj_vhf


def station_pairs(stations: pd.DataFrame, model: DistanceModel) -> PairSet:
    """Pairs of the table's stations that interfere, by the model's band rules.

    Positions: ``lat``/``lon`` (great-circle distances) when present, else ``x_km``/``y_km``.
    Radii: the ``radius_uhf_km`` and ``radius_vhf_km`` columns.
    """
    r_u = stations["radius_uhf_km"].to_numpy(dtype=float)
    r_v = stations["radius_vhf_km"].to_numpy(dtype=float)
    reach = 2 * float(max(r_u.max(initial=0.0), r_v.max(initial=0.0)))
    if {"lat", "lon"} <= set(stations.columns):
        i, j, d = sphere_pairs(
            stations["lat"].to_numpy(float), stations["lon"].to_numpy(float), reach
        )
    else:
        i, j, d = plane_pairs(
            stations["x_km"].to_numpy(float), stations["y_km"].to_numpy(float), reach
        )
    co_u, adj_u = model.uhf.classify(d, r_u[i], r_u[j])
    co_v, adj_v = model.vhf.classify(d, r_v[i], r_v[j])
    pairs = PairSet(i, j, d, co_u, adj_u, co_v, adj_v)
    return pairs.keep(pairs.interfering)


#: How many broken pairs an admission report names (the rest are counted).
EXAMPLES = 5


@dataclass(frozen=True)
class Admitted:
    """What admitting one assignment changed."""

    name: str
    stations: int  # stations the assignment places
    co_demoted: int  # pairs that lost their CO (and ADJ) constraints in a band
    adj_demoted: int  # pairs that lost their ADJ constraints in a band
    stations_involved: int = 0  # stations on either side of a broken pair
    examples: tuple[str, ...] = ()  # the first broken pairs, "a-b on ca/cb"
    by_source: dict[str, dict[str, int]] = field(default_factory=dict)  # real / model counts


def _conflicts(pairs: PairSet, channels: np.ndarray) -> dict[str, np.ndarray]:
    """Per band, which pairs the assignment (channel per station index, 0 = none) breaks."""
    ci, cj = channels[pairs.i], channels[pairs.j]
    placed = (ci > 0) & (cj > 0)
    same = placed & (ci == cj)
    lo = np.minimum(ci, cj)
    next_to = placed & (np.abs(ci - cj) == 1) & ~np.isin(lo, list(NOT_ADJACENT))
    uhf = (ci >= UHF_LOW) & (cj >= UHF_LOW)
    vhf = placed & (ci < UHF_LOW) & (cj < UHF_LOW)
    return {
        "co_uhf": same & uhf & pairs.co_uhf,
        "adj_uhf": next_to & uhf & pairs.adj_uhf,
        "co_vhf": same & vhf & pairs.co_vhf,
        "adj_vhf": next_to & vhf & pairs.adj_vhf,
    }


def _examples(a: np.ndarray, ca: np.ndarray, b: np.ndarray, cb: np.ndarray) -> tuple[str, ...]:
    """The first broken pairs (in station order), as a user reads them."""
    order = np.lexsort((b, a))[:EXAMPLES]
    return tuple(f"{a[k]}-{b[k]} on {ca[k]}/{cb[k]}" for k in order.tolist())


def admit(
    pairs: PairSet, channels: np.ndarray, name: str, ids: np.ndarray | None = None
) -> tuple[PairSet, Admitted]:
    """Demote the pairs a real, feasible assignment would violate (see the module doc).

    ``channels``: one entry per station index, the channel it held, 0 where unknown.
    A CO violation drops the pair's CO and ADJ in that band; an ADJ one drops its ADJ.
    ``ids`` (station id per index) lets the report name the first broken pairs.
    """
    bad = _conflicts(pairs, channels)
    co_u = pairs.co_uhf & ~bad["co_uhf"]
    co_v = pairs.co_vhf & ~bad["co_vhf"]
    adj_u = pairs.adj_uhf & ~bad["adj_uhf"] & ~bad["co_uhf"]
    adj_v = pairs.adj_vhf & ~bad["adj_vhf"] & ~bad["co_vhf"]
    fixed = replace(pairs, co_uhf=co_u, adj_uhf=adj_u, co_vhf=co_v, adj_vhf=adj_v)
    broken = bad["co_uhf"] | bad["co_vhf"] | bad["adj_uhf"] | bad["adj_vhf"]
    i, j = pairs.i[broken], pairs.j[broken]
    examples: tuple[str, ...] = ()
    if ids is not None:
        examples = _examples(ids[i], channels[i], ids[j], channels[j])
    report = Admitted(
        name,
        int((channels > 0).sum()),
        int(bad["co_uhf"].sum() + bad["co_vhf"].sum()),
        int(bad["adj_uhf"].sum() + bad["adj_vhf"].sum()),
        int(np.unique(np.concatenate([i, j])).size),
        examples,
    )
    return fixed.keep(fixed.interfering), report


def _channel_lookup(assignment: Mapping[int, int]):
    """A vectorised ``station ids -> channel`` (-1 where the assignment has none)."""
    ids = np.fromiter(assignment, dtype=np.int64, count=len(assignment))
    chans = np.fromiter(assignment.values(), dtype=np.int64, count=len(assignment))
    order = np.argsort(ids)
    ids, chans = ids[order], chans[order]

    def channel_of(stations: np.ndarray) -> np.ndarray:
        if ids.size == 0:
            return np.full(np.shape(stations), -1, dtype=np.int64)
        pos = np.clip(np.searchsorted(ids, stations), 0, ids.size - 1)
        return np.where(ids[pos] == stations, chans[pos], -1)

    return channel_of


def admit_constraints(
    it: Interference,
    assignment: Mapping[int, int],
    name: str,
    real: np.ndarray | None = None,
) -> tuple[Interference, Admitted]:
    """:func:`admit` on constraints: for a world whose constraints are (partly) real data.

    The same rule per station pair and band: a CO violation drops every constraint of the
    pair in that band, an ADJ one its ADJ constraints. ``real`` (sorted station ids): the
    report splits the broken pairs into ``real`` (both stations' constraints came from a
    real file) and ``model``.
    """
    channel_of = _channel_lookup(assignment)
    bad = (channel_of(it.a) == it.ca) & (channel_of(it.b) == it.cb)
    uhf = it.ca >= UHF_LOW
    key = (it.a.astype(np.int64) << 25) | (it.b.astype(np.int64) << 1) | uhf
    same = it.ca == it.cb
    co_keys = np.unique(key[bad & same])
    adj_keys = np.setdiff1d(np.unique(key[bad & ~same]), co_keys)
    drop = np.isin(key, co_keys) | (np.isin(key, adj_keys) & ~same)
    kept = it.keep(~drop)
    a, b = it.a[bad], it.b[bad]
    by_source: dict[str, dict[str, int]] = {}
    if real is not None:
        both = lambda k: np.isin(k >> 25, real) & np.isin((k >> 1) & 0xFFFFFF, real)  # noqa: E731
        for label, pick in (("real", both), ("model", lambda k: ~both(k))):
            by_source[label] = {
                "co_demoted": int(pick(co_keys).sum()),
                "adj_demoted": int(pick(adj_keys).sum()),
            }
    report = Admitted(
        name,
        len(assignment),
        int(co_keys.size),
        int(adj_keys.size),
        int(np.unique(np.concatenate([a, b])).size),
        _examples(a, it.ca[bad], b, it.cb[bad]),
        by_source,
    )
    return kept, report


def pairs_to_constraints(
    pairs: PairSet, ids: np.ndarray, domains: list[tuple[int, ...]]
) -> Interference:
    top = max((max(d) for d in domains if d), default=UHF_LOW) + 1
    mat = domain_matrix(domains, top)
    chans = np.arange(top + 1)
    parts = band_constraints(
        ids, mat, pairs.i, pairs.j, pairs.co_uhf, pairs.adj_uhf, chans >= UHF_LOW
    )
    parts += band_constraints(
        ids, mat, pairs.i, pairs.j, pairs.co_vhf, pairs.adj_vhf, chans < UHF_LOW
    )
    return to_interference(parts)


def degrees(data: ConstraintData) -> np.ndarray:
    """Interfering stations per station, in ``data.stations`` order (the FCC's 'interference
    count': stations it shares at least one constraint with). Vectorised on 1-D pair keys:
    national worlds have millions of constraints."""
    ia, _, ib, _ = data.pair_index
    ia, ib = ia.astype(np.int64), ib.astype(np.int64)
    keep = ia != ib
    keys = np.unique(np.minimum(ia, ib)[keep] * len(data.ids) + np.maximum(ia, ib)[keep])
    n = len(data.ids)
    return np.bincount(keys // n, minlength=n) + np.bincount(keys % n, minlength=n)


def constraint_data(
    stations: pd.DataFrame, domains: Mapping[int, tuple[int, ...]], pairs: PairSet, name: str
) -> ConstraintData:
    ids = stations["station"].to_numpy(dtype=np.int64)
    doms = [tuple(domains[int(s)]) for s in ids]
    return ConstraintData(
        {int(s): d for s, d in zip(ids, doms, strict=True)},
        pairs_to_constraints(pairs, ids, doms),
        name,
    )


@dataclass(frozen=True)
class AssignmentCheck:
    """How far a channel assignment is from feasible in a world."""

    name: str
    stations: int  # stations the assignment places that the world knows
    off_domain: int  # ... on a channel outside their domain
    co_pairs: int  # station pairs it places on one channel though they interfere (CO)
    adj_pairs: int  # ... on adjacent channels though they interfere there (ADJ)
    stations_in_violation: int

    def to_json(self) -> dict[str, object]:
        return dict(self.__dict__)


def check_assignment(
    data: ConstraintData, assignment: Mapping[int, int], name: str = ""
) -> AssignmentCheck:
    """Count the interference pairs an assignment violates (vectorised; any size)."""
    known = {s: c for s, c in assignment.items() if s in data.domains}
    off = sum(1 for s, c in known.items() if c not in data.domains[s])
    it = data.interference
    if not known or len(it) == 0:
        return AssignmentCheck(name, len(known), off, 0, 0, 0)
    channel_of = _channel_lookup(known)
    bad = (channel_of(it.a) == it.ca) & (channel_of(it.b) == it.cb)
    a, b = it.a[bad], it.b[bad]
    same = it.ca[bad] == it.cb[bad]
    co = {(x, y) for x, y in zip(a[same].tolist(), b[same].tolist(), strict=True)}
    adj = {(x, y) for x, y in zip(a[~same].tolist(), b[~same].tolist(), strict=True)}
    involved = set(a.tolist()) | set(b.tolist())
    return AssignmentCheck(name, len(known), off, len(co), len(adj), len(involved))
