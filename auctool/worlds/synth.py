"""Synthetic worlds: stations over a region with city clusters, interference by distance.

A station interferes co-channel with another within the sum of their interference radii,
and on adjacent channels within a smaller share of it; radii grow with transmitter
power, which we draw log-normally. Populations follow the clustering (stations near a
city centre serve more people), heavy-tailed like real TV markets.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from auctool.model import ConstraintData, Interference
from auctool.model.bands import UNASSIGNABLE


@dataclass(frozen=True)
class SynthSpec:
    """Knobs of the synthetic world (defaults: a small regional market)."""

    stations: int = 120
    cities: int = 6
    region_km: float = 600.0
    city_spread_km: float = 45.0
    rural_share: float = 0.25
    radius_km: float = 70.0  # median interference radius
    radius_sigma: float = 0.35
    adjacent_share: float = 0.45  # ADJ+-1 applies within this share of the CO distance
    channels: tuple[int, ...] = tuple(c for c in range(14, 52) if c not in UNASSIGNABLE)
    first_id: int = 1
    seed: int = 0


def synth_stations(spec: SynthSpec) -> pd.DataFrame:
    """The station table: id, x/y (km), population, radius (km), home channel."""
    rng = np.random.default_rng(spec.seed)
    centres = rng.uniform(0.1, 0.9, (spec.cities, 2)) * spec.region_km
    weights = rng.pareto(1.2, spec.cities) + 1
    weights /= weights.sum()
    n_rural = round(spec.rural_share * spec.stations)
    n_city = spec.stations - n_rural
    city_of = rng.choice(spec.cities, n_city, p=weights)
    xy_city = centres[city_of] + rng.normal(0, spec.city_spread_km, (n_city, 2))
    xy_rural = rng.uniform(0, spec.region_km, (n_rural, 2))
    xy = np.clip(np.vstack([xy_city, xy_rural]), 0, spec.region_km)
    market = np.concatenate([weights[city_of] * 8e6, np.full(n_rural, 1.5e5)])
    population = np.round(market * rng.lognormal(0, 0.6, spec.stations)).astype(np.int64)
    radius = spec.radius_km * rng.lognormal(0, spec.radius_sigma, spec.stations)
    home = rng.choice(np.array(spec.channels), spec.stations)
    return pd.DataFrame(
        {
            "station": np.arange(spec.first_id, spec.first_id + spec.stations),
            "x_km": xy[:, 0].round(3),
            "y_km": xy[:, 1].round(3),
            "population": population,
            "radius_km": radius.round(3),
            "channel": home,
        }
    )


def interference_from_distances(stations: pd.DataFrame, spec: SynthSpec) -> Interference:
    """CO pairs within r_i + r_j, ADJ+-1 within adjacent_share of that, on every channel."""
    xy = stations[["x_km", "y_km"]].to_numpy()
    r = stations["radius_km"].to_numpy()
    ids = stations["station"].to_numpy()
    d = np.hypot(xy[:, None, 0] - xy[None, :, 0], xy[:, None, 1] - xy[None, :, 1])
    reach = r[:, None] + r[None, :]
    iu, ju = np.triu_indices(len(ids), k=1)
    co = d[iu, ju] < reach[iu, ju]
    adj = d[iu, ju] < spec.adjacent_share * reach[iu, ju]
    chans = np.array(spec.channels)
    a_co, b_co = ids[iu[co]], ids[ju[co]]
    k = chans.size
    parts = [
        (
            np.repeat(a_co, k),
            np.tile(chans, a_co.size),
            np.repeat(b_co, k),
            np.tile(chans, a_co.size),
        )
    ]
    a_adj, b_adj = ids[iu[adj]], ids[ju[adj]]
    lo = chans[np.isin(chans + 1, chans)]
    m = lo.size
    parts.append(
        (
            np.repeat(a_adj, m),
            np.tile(lo, a_adj.size),
            np.repeat(b_adj, m),
            np.tile(lo + 1, a_adj.size),
        )
    )
    parts.append(
        (
            np.repeat(a_adj, m),
            np.tile(lo + 1, a_adj.size),
            np.repeat(b_adj, m),
            np.tile(lo, a_adj.size),
        )
    )
    return Interference.from_arrays(*(np.concatenate(x) for x in zip(*parts, strict=True)))


def synth_world(spec: SynthSpec, name: str = "synth") -> tuple[ConstraintData, pd.DataFrame]:
    stations = synth_stations(spec)
    interference = interference_from_distances(stations, spec)
    domains = {int(s): spec.channels for s in stations["station"]}
    return ConstraintData(domains, interference, name), stations
