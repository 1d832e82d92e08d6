"""Calibrating a world's density to real interference counts, station by station.

The distance model (``auctool.worlds.distance``) is fitted on the real connected subsets,
and inside them it reproduces the real pairs (precision and recall ~0.87). Yet the same
stations have far more interfering partners in the FCC's national data than the model
gives them: the FCC's per-station *interference count* (``auction1001/open_prices.csv``,
column ``Interference2``, mean 85.5 over the 2,197 US stations) is 1.5-1.9 times the
model's in every home band. The subsets are cut around a seed, so they hold a station's
near partners and miss its far ones; the national count is the figure that decides how
hard an auction's checks are.

So every station gets a radius factor: its interference radii (both bands) are
multiplied by ``f_i``, and the factors are fitted so that each station's degree
(stations it shares a constraint with) matches its target. The update is multiplicative
on the log scale, ``log f_i += step_k * (log(T_i + 1/2) - log(deg_i + 1/2))`` with a
decaying step, clipped to ``[1/4, 4]``; degree is monotone in every factor, so it
settles in a few dozen sweeps (~2 s for a national world). Stations without a target (Canadian ones have
no FCC count) take the geometric mean of their nearest targeted stations' factors.

A synthetic world has no real counts: :func:`synthetic_targets` deals out the FCC's
distribution (:data:`FCC_DEGREE_QUANTILES`) to its stations in the order of their model
degree, so a dense market keeps the high counts and a rural station the low ones.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from auctool.errors import InputError
from auctool.worlds.distance import UHF_LOW
from auctool.worlds.geo import plane_pairs, sphere_pairs, unit_vectors
from auctool.worlds.tables import numeric_column, read_csv_text, require_columns

#: The FCC's interference counts of the 2,197 US stations (``open_prices.csv``,
#: ``Interference2``): the 0th, 5th, ..., 100th percentiles. Mean 85.5, median 81.
FCC_DEGREE_QUANTILES: tuple[float, ...] = (
    0.0, 16.0, 24.0, 32.0, 39.2, 48.0, 56.0, 64.0, 70.0, 76.0, 81.0,
    88.0, 94.0, 103.0, 111.0, 120.0, 129.0, 138.0, 149.0, 168.0, 245.0,
)  # fmt: skip
FCC_DEGREE_MEAN = 85.5

FACTOR_BOUNDS = (0.25, 4.0)


def read_interference_counts(path: str | Path) -> pd.Series:
    """Target degrees by station id: the FCC's ``open_prices.csv`` (``Facility ID``,
    ``Interference2``) or any CSV with ``station`` and ``interference_count`` columns."""
    path = Path(path)
    frame, header = read_csv_text(path)
    frame.columns = [c.lstrip("\ufeff") for c in frame.columns]
    if "Facility ID" in frame.columns:
        require_columns(frame, ("Facility ID", "Interference2"), path)
        id_col, count_col = "Facility ID", "Interference2"
    else:
        require_columns(frame, ("station", "interference_count"), path)
        id_col, count_col = "station", "interference_count"
    ids = numeric_column(frame, id_col, path, header, whole=True)
    counts = numeric_column(frame, count_col, path, header)
    bad = np.flatnonzero(counts < 0)
    if bad.size:
        raise InputError(f"column {count_col}: negative", path, header + 1 + int(bad[0]))
    series = pd.Series(counts, index=pd.Index(ids, name="station"), name="target")
    dup = series.index.duplicated()
    if dup.any():
        k = int(np.flatnonzero(dup)[0])
        raise InputError(f"station {ids[k]} listed twice", path, header + 1 + k)
    return series


def synthetic_targets(model_degree: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """The FCC's count distribution dealt out in the order of the model's degrees."""
    n = model_degree.size
    q = np.linspace(0.0, 1.0, len(FCC_DEGREE_QUANTILES))
    levels = np.interp((np.arange(n) + 0.5) / max(n, 1), q, FCC_DEGREE_QUANTILES)
    order = np.lexsort((rng.random(n), model_degree))
    targets = np.empty(n)
    targets[order] = levels
    return np.round(targets)


@dataclass(frozen=True, eq=False)
class Geometry:
    """What the fit needs of a world: positions, radii per band, and the bands each
    station's domain reaches (a pair can only interfere on channels both domains hold)."""

    lat_or_x: np.ndarray
    lon_or_y: np.ndarray
    spherical: bool
    radius_uhf: np.ndarray
    radius_vhf: np.ndarray
    uhf_bits: np.ndarray  # uint64 bit c-14 set: channel c (>= 14) in the domain
    vhf_bits: np.ndarray  # uint64 bit c set: channel c (< 14) in the domain

    @classmethod
    def of(cls, stations: pd.DataFrame, domains: Mapping[int, tuple[int, ...]]) -> Geometry:
        spherical = {"lat", "lon"} <= set(stations.columns)
        cols = ("lat", "lon") if spherical else ("x_km", "y_km")
        uhf = np.zeros(len(stations), dtype=np.uint64)
        vhf = np.zeros(len(stations), dtype=np.uint64)
        for k, s in enumerate(stations["station"].tolist()):
            for c in domains[int(s)]:
                if c >= UHF_LOW:
                    uhf[k] |= np.uint64(1) << np.uint64(c - UHF_LOW)
                else:
                    vhf[k] |= np.uint64(1) << np.uint64(c)
        return cls(
            stations[cols[0]].to_numpy(float),
            stations[cols[1]].to_numpy(float),
            spherical,
            stations["radius_uhf_km"].to_numpy(float),
            stations["radius_vhf_km"].to_numpy(float),
            uhf,
            vhf,
        )

    def candidates(self, reach_km: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        find = sphere_pairs if self.spherical else plane_pairs
        return find(self.lat_or_x, self.lon_or_y, reach_km)

    def points(self) -> np.ndarray:
        if self.spherical:
            return unit_vectors(self.lat_or_x, self.lon_or_y)
        return np.column_stack([self.lat_or_x, self.lon_or_y])


@dataclass(frozen=True)
class DegreeFit:
    """Radius factors and how well the resulting degrees match the targets."""

    factors: np.ndarray
    sweeps: int
    targeted: int  # stations with a target
    agreement: dict[str, float]  # on the targeted stations, before admitting assignments


def agreement(degree: np.ndarray, target: np.ndarray) -> dict[str, float]:
    """Mean degree vs mean target, their ratio, Pearson correlation, mean absolute error."""
    mask = np.isfinite(target)
    d, t = degree[mask].astype(float), target[mask].astype(float)
    if d.size < 2:
        return {"stations": int(d.size)}
    corr = float(np.corrcoef(d, t)[0, 1]) if d.std() > 0 and t.std() > 0 else 0.0
    return {
        "stations": int(d.size),
        "mean_degree": round(float(d.mean()), 2),
        "mean_target": round(float(t.mean()), 2),
        "mean_ratio": round(float(d.mean() / t.mean()), 3) if t.mean() > 0 else 0.0,
        "correlation": round(corr, 3),
        "mean_abs_error": round(float(np.abs(d - t).mean()), 2),
    }


def model_degrees(geo: Geometry, factors: np.ndarray | None = None) -> np.ndarray:
    """Each station's degree under the CO rule with these radius factors."""
    f = np.ones(geo.radius_uhf.size) if factors is None else factors
    i, j, d = geo.candidates(2 * float((f * np.maximum(geo.radius_uhf, geo.radius_vhf)).max()))
    return degree_under(geo, f, i, j, d)


def degree_under(geo: Geometry, f: np.ndarray, i, j, d) -> np.ndarray:
    """Degrees over the candidate pairs ``i``, ``j`` (at ``d`` km) with radius factors ``f``."""
    share_u = (geo.uhf_bits[i] & geo.uhf_bits[j]) != 0
    share_v = (geo.vhf_bits[i] & geo.vhf_bits[j]) != 0
    co_u = share_u & (d < f[i] * geo.radius_uhf[i] + f[j] * geo.radius_uhf[j])
    co_v = share_v & (d < f[i] * geo.radius_vhf[i] + f[j] * geo.radius_vhf[j])
    hit = co_u | co_v
    n = f.size
    return np.bincount(i[hit], minlength=n) + np.bincount(j[hit], minlength=n)


def nearest(known: np.ndarray, query: np.ndarray, k: int) -> np.ndarray:
    """Per query point, the rows of its ``k`` nearest ``known`` points (shape (q, k))."""
    from scipy.spatial import cKDTree

    k = min(k, len(known))
    _, near = cKDTree(known).query(query, k=k)
    return np.asarray(near).reshape(len(query), k)


def fit_factors(
    geo: Geometry,
    target: np.ndarray,
    sweeps: int = 60,
    step: float = 0.5,
    neighbours: int = 8,
) -> DegreeFit:
    """Radius factors that bring every targeted station's degree to its target."""
    n = target.size
    has = np.isfinite(target)
    lo, hi = np.log(FACTOR_BOUNDS[0]), np.log(FACTOR_BOUNDS[1])
    g = np.zeros(n)
    reach = 2 * FACTOR_BOUNDS[1] * float(np.maximum(geo.radius_uhf, geo.radius_vhf).max(initial=0))
    i, j, d = geo.candidates(reach)
    # the candidates within reach of the largest possible radii; drop what can never hit
    keep = d < FACTOR_BOUNDS[1] * (
        np.maximum(geo.radius_uhf[i], geo.radius_vhf[i])
        + np.maximum(geo.radius_uhf[j], geo.radius_vhf[j])
    )
    i, j, d = i[keep], j[keep], d[keep]
    fill = None
    if has.any() and not has.all():
        fill = np.flatnonzero(has)[nearest(geo.points()[has], geo.points()[~has], neighbours)]
    want = np.log(np.where(has, target, 0.0) + 0.5)
    best, best_g = np.inf, g.copy()
    for sweep in range(sweeps):
        deg = degree_under(geo, np.exp(g), i, j, d)
        gap = want[has] - np.log(deg[has] + 0.5)
        score = float(np.abs(gap).mean()) if has.any() else 0.0
        if score < best:
            best, best_g = score, g.copy()
        # a decaying step: whole tower farms enter a radius at once, so a fixed step
        # keeps overshooting; the best sweep seen is kept
        g[has] = np.clip(g[has] + step * 0.96**sweep * gap, lo, hi)
        if fill is not None:
            g[~has] = g[fill].mean(axis=1)
    deg = degree_under(geo, np.exp(g), i, j, d)
    if has.any() and float(np.abs(want[has] - np.log(deg[has] + 0.5)).mean()) > best:
        g = best_g
    factors = np.exp(g)
    deg = degree_under(geo, factors, i, j, d)
    return DegreeFit(factors, sweeps, int(has.sum()), agreement(deg, target))


def calibrate_radii(
    stations: pd.DataFrame,
    domains: Mapping[int, tuple[int, ...]],
    degrees: str | Path,
    rng: np.random.Generator,
) -> dict:
    """Scale the table's radius columns in place so degrees follow ``degrees`` ("fcc": the
    FCC's distribution dealt by model degree; else a counts file by station id).

    Adds ``radius_factor`` and ``target_degree`` columns; returns the fit's report.
    """
    geo = Geometry.of(stations, domains)
    if str(degrees) == "fcc":
        target = synthetic_targets(model_degrees(geo), rng)
        source = "FCC distribution, dealt by model degree"
    else:
        counts = read_interference_counts(degrees)
        target = stations["station"].map(counts).to_numpy(dtype=float)
        if not np.isfinite(target).any():
            raise InputError("no station of the world has a count in this file", Path(degrees))
        source = str(degrees)
    fit = fit_factors(geo, target)
    stations["radius_factor"] = fit.factors.round(4)
    for col in ("radius_uhf_km", "radius_vhf_km"):
        stations[col] = (stations[col] * fit.factors).round(2)
    stations["target_degree"] = target
    return {"source": source, "targeted": fit.targeted, "fit": fit.agreement}


def world_agreement(stations: pd.DataFrame, column: str = "target_degree") -> dict[str, float]:
    """Degree vs a target column in a finished world's table (after admitted assignments);
    {} when the table has no such column."""
    if column not in stations.columns:
        return {}
    target = pd.to_numeric(stations[column], errors="coerce").to_numpy(dtype=float)
    return agreement(stations["interference_count"].to_numpy(), target)
