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
from dataclasses import dataclass, replace

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


@dataclass(frozen=True)
class Admitted:
    """What admitting one assignment changed."""

    name: str
    stations: int  # stations the assignment places
    co_demoted: int  # pairs that lost their CO (and ADJ) constraints in a band
    adj_demoted: int  # pairs that lost their ADJ constraints in a band


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


def admit(pairs: PairSet, channels: np.ndarray, name: str) -> tuple[PairSet, Admitted]:
    """Demote the pairs a real, feasible assignment would violate (see the module doc).

    ``channels``: one entry per station index, the channel it held, 0 where unknown.
    A CO violation drops the pair's CO and ADJ in that band; an ADJ one drops its ADJ.
    """
    bad = _conflicts(pairs, channels)
    co_u = pairs.co_uhf & ~bad["co_uhf"]
    co_v = pairs.co_vhf & ~bad["co_vhf"]
    adj_u = pairs.adj_uhf & ~bad["adj_uhf"] & ~bad["co_uhf"]
    adj_v = pairs.adj_vhf & ~bad["adj_vhf"] & ~bad["co_vhf"]
    fixed = replace(pairs, co_uhf=co_u, adj_uhf=adj_u, co_vhf=co_v, adj_vhf=adj_v)
    report = Admitted(
        name,
        int((channels > 0).sum()),
        int(bad["co_uhf"].sum() + bad["co_vhf"].sum()),
        int(bad["adj_uhf"].sum() + bad["adj_vhf"].sum()),
    )
    return fixed.keep(fixed.interfering), report


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
    ids = np.fromiter(known, dtype=np.int64)
    chans = np.fromiter(known.values(), dtype=np.int64)
    order = np.argsort(ids)
    ids, chans = ids[order], chans[order]

    def channel_of(stations: np.ndarray) -> np.ndarray:
        pos = np.clip(np.searchsorted(ids, stations), 0, ids.size - 1)
        return np.where(ids[pos] == stations, chans[pos], -1)

    bad = (channel_of(it.a) == it.ca) & (channel_of(it.b) == it.cb)
    a, b = it.a[bad], it.b[bad]
    same = it.ca[bad] == it.cb[bad]
    co = {(x, y) for x, y in zip(a[same].tolist(), b[same].tolist(), strict=True)}
    adj = {(x, y) for x, y in zip(a[~same].tolist(), b[~same].tolist(), strict=True)}
    involved = set(a.tolist()) | set(b.tolist())
    return AssignmentCheck(name, len(known), off, len(co), len(adj), len(involved))
