"""Real interference pairs in a world, and the distance model only where they are missing.

A real FCC constraint folder (the 2013 national set SATFC shipped, or the FCC's Nov 2015
files) says which station pairs interfere, channel by channel. A world built from a station
table keeps those constraints for every pair of stations the folder covers, on the channels
of the world's domains; the distance model fills in only what the folder lacks: pairs with
a station it does not cover (Canadian stations and the cross-border pairs, US stations
missing from the file).

The model is fitted to what the real data shows: each covered station's radius factor is
set so that its model degree (covered partners only) matches its real degree, and an
uncovered station takes the mean log factor of its nearest covered stations. A station
the folder names but the table lacks cannot be placed: it is reported, never silently
dropped.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from auctool.errors import InputError
from auctool.formats.fcc import InterferenceFormat, load_constraints
from auctool.model import ConstraintData, Interference
from auctool.worlds.build import EXAMPLES, PairSet, degrees, pairs_to_constraints, station_pairs
from auctool.worlds.degrees import (
    FACTOR_BOUNDS,
    Geometry,
    agreement,
    degree_under,
    fit_factors,
    nearest,
)
from auctool.worlds.distance import UHF_LOW, DistanceModel, domain_matrix


@dataclass(frozen=True, eq=False)
class RealPairs:
    """The real constraints among a table's stations, on the table's domains."""

    folder: Path
    covered: np.ndarray  # sorted ids of the table's stations the folder has
    unknown: tuple[int, ...]  # stations of the folder the table lacks (left out)
    interference: Interference  # among ``covered``, on channels both domains hold
    file_constraints: int  # constraints in the folder before restriction

    def is_covered(self, ids: np.ndarray) -> np.ndarray:
        return np.isin(np.asarray(ids, dtype=np.int64), self.covered)

    def degrees(self, domains: Mapping[int, tuple[int, ...]]) -> pd.Series:
        """Each covered station's real degree (distinct real partners), by id."""
        data = ConstraintData({int(s): domains[int(s)] for s in self.covered}, self.interference)
        return pd.Series(degrees(data), index=np.asarray(data.ids, dtype=np.int64))


def read_real_pairs(
    folder: Path,
    stations: pd.DataFrame,
    domains: Mapping[int, tuple[int, ...]],
    fmt: InterferenceFormat | str = InterferenceFormat.AUTO,
) -> RealPairs:
    """The folder's constraints between the table's stations, cut to the table's domains."""
    real = load_constraints(folder, fmt)
    ids = np.sort(stations["station"].to_numpy(dtype=np.int64))
    in_file = np.array(sorted(real.domains), dtype=np.int64)
    covered = np.intersect1d(ids, in_file)
    unknown = tuple(int(s) for s in np.setdiff1d(in_file, ids))
    if covered.size == 0:
        raise InputError("no station of the station table is in this constraint folder", folder)
    it = real.interference
    doms = [tuple(domains[int(s)]) for s in covered]
    top = max(
        [UHF_LOW, int(it.ca.max(initial=0)), int(it.cb.max(initial=0))]
        + [max(d) for d in doms if d]
    )
    mat = domain_matrix(doms, top)
    ia = np.minimum(np.searchsorted(covered, it.a), covered.size - 1)
    ib = np.minimum(np.searchsorted(covered, it.b), covered.size - 1)
    inside = (covered[ia] == it.a) & (covered[ib] == it.b)
    on_domains = mat[ia, it.ca.astype(np.int64)] & mat[ib, it.cb.astype(np.int64)]
    kept = it.keep(inside & on_domains)
    return RealPairs(Path(folder), covered, unknown, kept, len(it))


def fit_to_real(
    stations: pd.DataFrame,
    domains: Mapping[int, tuple[int, ...]],
    real: RealPairs,
    reference: pd.Series | None = None,
    neighbours: int = 8,
) -> dict:
    """Scale the radius columns in place so the model's degrees follow the real ones.

    Covered stations are fitted among themselves (their real degree counts covered
    partners only); every other station starts from the geometric mean factor of its
    ``neighbours`` nearest covered stations. With ``reference`` counts (the FCC's
    ``Interference2``) the fill-in is fitted too (:func:`_fit_fill_in`). Adds the
    ``radius_factor`` and ``real_degree`` columns.
    """
    covered = real.is_covered(stations["station"].to_numpy())
    real_degree = stations["station"].map(real.degrees(domains)).to_numpy(dtype=float)
    inner = stations[covered].reset_index(drop=True)
    geo = Geometry.of(inner, domains)
    fit = fit_factors(geo, real_degree[covered])
    factors = np.ones(len(stations))
    factors[covered] = fit.factors
    report: dict = {
        "source": f"real pairs of {real.folder}",
        "targeted": fit.targeted,
        "fit": fit.agreement,
    }
    if (~covered).any():
        outer = Geometry.of(stations[~covered].reset_index(drop=True), domains)
        near = nearest(geo.points(), outer.points(), neighbours)
        factors[~covered] = np.exp(np.log(fit.factors)[near].mean(axis=1))
        if reference is not None:
            whole = Geometry.of(stations.reset_index(drop=True), domains)
            ref = stations["station"].map(reference).to_numpy(dtype=float)
            country = stations.get("country", pd.Series("", index=stations.index))
            fill = _fit_fill_in(
                whole, covered, country.astype(str).to_numpy(), factors, real_degree, ref
            )
            report["fill_in"] = fill
            if "foreign" in fill:
                alien = ~np.isin(country.astype(str).to_numpy(), country[covered].astype(str))
                cross = np.ones(len(stations))
                cross[alien] = fill["foreign"].pop("cross_factors")
                stations["cross_border_factor"] = cross.round(4)
    stations["radius_factor"] = factors.round(4)
    for col in ("radius_uhf_km", "radius_vhf_km"):
        stations[col] = (stations[col] * factors).round(2)
    stations["real_degree"] = real_degree
    return report


def model_pairs(stations: pd.DataFrame, model: DistanceModel) -> PairSet:
    """The distance model's pairs; a pair across the border of a country the real folder
    does not cover takes that side's radii times its ``cross_border_factor`` (the pairs
    within that country keep the neighbour-filled radii its home channels agree with)."""
    pairs = station_pairs(stations, model)
    if "cross_border_factor" not in stations.columns:
        return pairs
    factor = stations["cross_border_factor"].to_numpy(dtype=float)
    foreign = factor != 1.0
    wide = stations.copy()
    for col in ("radius_uhf_km", "radius_vhf_km"):
        wide[col] = wide[col] * factor
    cross = station_pairs(wide, model)
    inside = pairs.keep(foreign[pairs.i] == foreign[pairs.j])
    return inside.join(cross.keep(foreign[cross.i] != foreign[cross.j]))


#: Stations this far from every station of an uncovered country give the ratio between
#: the reference counts and the real degrees; those this near set the cross-border reach.
FAR_KM, NEAR_KM = 400.0, 200.0
_EARTH_KM = 6371.0


def _fit_fill_in(
    geo: Geometry,
    covered: np.ndarray,
    country: np.ndarray,
    factors: np.ndarray,
    real_degree: np.ndarray,
    ref: np.ndarray,
) -> dict:
    """Fit the factors of the stations the real folder lacks (``factors`` in place).

    The reference counts (``Interference2``: 2015 constraints, partners on any channel,
    Canadian ones included) are denser than the real folder: far from any station of an
    uncovered country their ratio to the real degrees is ``ratio``. So:

    - a station of a covered country that the folder lacks, with a reference count, gets
      the factor (of a grid within the bounds) whose degree is nearest ``count / ratio``;
    - the stations of countries the folder does not cover at all (Canada) keep their
      neighbour-filled factors among themselves, and share one scale on them for the
      pairs across the border, set so that covered stations within ``NEAR_KM`` of them
      have, in total, as many partners among them as their reference counts exceed
      ``ratio`` times their other partners (returned as ``cross_factors``).
    """
    alien = ~np.isin(country, np.unique(country[covered]))
    i, j, d = geo.candidates(
        2 * FACTOR_BOUNDS[1] * float(np.maximum(geo.radius_uhf, geo.radius_vhf).max())
    )
    km = np.full(covered.size, np.inf)
    if alien.any():
        near = nearest(geo.points()[alien], geo.points(), 1)[:, 0]
        chord = np.linalg.norm(geo.points() - geo.points()[alien][near], axis=1)
        km = chord * (_EARTH_KM if geo.spherical else 1.0)
    far = covered & np.isfinite(ref) & (km > FAR_KM) & (real_degree > 0)
    if not far.any():
        return {}
    ratio = float(ref[far].sum() / real_degree[far].sum())
    out: dict = {"reference_ratio": round(ratio, 3), "ratio_stations": int(far.sum())}
    own = ~covered & ~alien & np.isfinite(ref)
    if own.any():
        grid = np.exp(np.linspace(np.log(FACTOR_BOUNDS[0]), np.log(FACTOR_BOUNDS[1]), 49))
        want = np.log(ref[own] / ratio + 0.5)
        best, err = factors[own].copy(), np.full(int(own.sum()), np.inf)
        for g in grid:
            trial = factors.copy()
            trial[own] = g
            miss = np.abs(want - np.log(degree_under(geo, trial, i, j, d)[own] + 0.5))
            better = miss < err
            best[better], err[better] = g, miss[better]
        factors[own] = best
        deg = degree_under(geo, factors, i, j, d)[own]
        out["own"] = {"stations": int(own.sum()), **agreement(deg, ref[own] / ratio)}
    border = covered & np.isfinite(ref) & (km <= NEAR_KM)
    if alien.any() and border.any():
        cross = alien[i] != alien[j]
        ci, cj, cd = i[cross], j[cross], d[cross]
        others = degree_under(geo, factors, i[~cross], j[~cross], d[~cross])
        others[covered] = (
            real_degree[covered]
            + degree_under(geo, factors, *_touching(i, j, d, ~covered & ~alien))[covered]
        )
        target = float((ref[border] / ratio - others[border]).sum())
        base = factors[alien].copy()

        def partners(scale: float) -> float:
            factors[alien] = np.clip(base * scale, *FACTOR_BOUNDS)
            return float(degree_under(geo, factors, ci, cj, cd)[border].sum())

        lo, hi = np.log(FACTOR_BOUNDS[0]), np.log(FACTOR_BOUNDS[1])
        for _ in range(30):
            mid = (lo + hi) / 2
            lo, hi = (mid, hi) if partners(np.exp(mid)) < target else (lo, mid)
        scale = float(np.exp((lo + hi) / 2))
        out["foreign"] = {
            "stations": int(alien.sum()),
            "border_stations": int(border.sum()),
            "scale": round(scale, 3),
            "target_partners": round(target, 1),
            "partners": round(partners(scale), 1),
            "partners_unscaled": round(partners(1.0), 1),
        }
        factors[alien] = base
        out["foreign"]["cross_factors"] = np.clip(base * scale, *FACTOR_BOUNDS) / base
    return out


def _touching(i: np.ndarray, j: np.ndarray, d: np.ndarray, mask: np.ndarray):
    """The candidate pairs with a station ``mask`` marks."""
    keep = mask[i] | mask[j]
    return i[keep], j[keep], d[keep]


def model_part(
    pairs: PairSet, ids: np.ndarray, domains: list[tuple[int, ...]], real: RealPairs
) -> Interference:
    """The model's constraints between pairs with a station the real folder does not cover."""
    covered = real.is_covered(ids)
    return pairs_to_constraints(pairs.keep(~(covered[pairs.i] & covered[pairs.j])), ids, domains)


def provenance(stations: pd.DataFrame, real: RealPairs, it: Interference) -> dict:
    """Per source, how many of the world's stations, pairs and constraints are real data."""
    ids = stations["station"].to_numpy(dtype=np.int64)
    covered = real.is_covered(ids)
    country = (
        stations["country"].astype(str).to_numpy()
        if "country" in stations.columns
        else np.full(len(stations), "?")
    )
    by_country = pd.Series(country[~covered]).value_counts().sort_index()
    sides = real.is_covered(it.a).astype(int) + real.is_covered(it.b).astype(int)
    keys = (it.a.astype(np.int64) << 24) | it.b.astype(np.int64)

    def pairs(mask: np.ndarray) -> int:
        return int(np.unique(keys[mask & (it.a != it.b)]).size)

    return {
        "real_folder": str(real.folder),
        "stations": {
            "real": int(covered.sum()),
            "modelled": int((~covered).sum()),
            "modelled_by_country": {str(k): int(v) for k, v in by_country.items()},
            "in_folder_not_in_table": len(real.unknown),
            "not_in_table_first": list(real.unknown[:EXAMPLES]),
        },
        "pairs": {
            "real": pairs(sides == 2),
            "modelled": pairs(sides < 2),
            "modelled_with_a_real_station": pairs(sides == 1),
        },
        "constraints": {
            "in_folder": real.file_constraints,
            "real": int((sides == 2).sum()),
            "modelled": int((sides < 2).sum()),
        },
    }
