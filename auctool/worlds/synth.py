"""Fully synthetic worlds: a region with cities, towers, people, and the interference they imply.

- Cities get Zipf-distributed populations; each has a few tower sites near its centre
  and stations on those towers (bigger cities, more stations); the rest are rural
  stations spread uniformly.
- Transmitters (ERP, HAAT) are drawn like real ones (``auctool.worlds.transmitters``) and go
  through the calibrated distance model, like a real station table would.
- A station's population is the number of people within its service radius (a share of
  its interference radius): people are sampled points around city centres plus a rural
  background, so populations come out heavy-tailed like real markets (a few stations
  near the largest city reach millions, rural ones thousands).
- Domains: UHF stations 14-51 without 37 (plus VHF 2-13 when the world has VHF stations,
  as US UHF stations had); high-VHF stations 2-13; low-VHF stations 2-6.
- Home channels: a feasible pre-auction assignment (``auctool.worlds.homes``), verified.

Everything is drawn from one seeded generator: the same spec gives the same world.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from auctool.model import ConstraintData
from auctool.model.bands import UNASSIGNABLE
from auctool.worlds.build import station_pairs
from auctool.worlds.finish import finish_world
from auctool.worlds.homes import home_channels
from auctool.worlds.spec import SynthSpec
from auctool.worlds.world import World

UHF_CHANNELS = tuple(c for c in range(14, 52) if c not in UNASSIGNABLE)
HVHF_CHANNELS = tuple(range(7, 14))
#: Stations per city grow slowly with its population (~ population^0.35): in the real
#: table no UHF station has more than 22 UHF stations within 25 km (New York), while
#: markets 20 times smaller still have a handful.
MARKET_EXPONENT = 0.35
LVHF_CHANNELS = tuple(range(2, 7))


def _layout(
    spec: SynthSpec, rng: np.random.Generator
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """Station positions, home bands and markets; city centres and populations."""
    size = spec.region_km
    centres = rng.uniform(0.1, 0.9, (spec.cities, 2)) * size
    city_pop = spec.largest_city / np.arange(1, spec.cities + 1)
    n_rural = round(spec.rural_share * spec.stations)
    n_city = spec.stations - n_rural
    weights = city_pop**MARKET_EXPONENT / (city_pop**MARKET_EXPONENT).sum()
    city_of = rng.choice(spec.cities, n_city, p=weights)
    sites_per_city = 1 + rng.poisson(1.5, spec.cities)
    first_site = np.concatenate([[0], np.cumsum(sites_per_city)[:-1]])
    site_xy = np.vstack(
        [
            centres[k] + rng.normal(0, spec.city_spread_km, (m, 2))
            for k, m in enumerate(sites_per_city)
        ]
    )
    site = first_site[city_of] + rng.integers(0, sites_per_city[city_of])
    xy_city = site_xy[site] + rng.normal(0, 0.3, (n_city, 2))  # masts of one tower farm
    xy = np.clip(np.vstack([xy_city, rng.uniform(0, size, (n_rural, 2))]), 0, size)
    band = np.where(rng.random(spec.stations) < spec.vhf_share, "HVHF", "UHF")
    band = np.where((band == "HVHF") & (rng.random(spec.stations) < 0.2), "LVHF", band)
    ids = np.arange(spec.first_id, spec.first_id + spec.stations)
    dma = np.concatenate([[f"city-{k + 1}" for k in city_of], ["rural"] * n_rural])
    table = pd.DataFrame(
        {
            "station": ids,
            "x_km": xy[:, 0],
            "y_km": xy[:, 1],
            "band": band,
            "dma": dma,
            "site": np.concatenate([site, np.full(n_rural, -1)]),
        }
    )
    return table, centres, city_pop


def _people(
    spec: SynthSpec, centres: np.ndarray, city_pop: np.ndarray, rng
) -> tuple[np.ndarray, float]:
    """Sampled people points (each standing for ``weight`` people)."""
    rural_total = spec.rural_density * spec.region_km**2
    total = city_pop.sum() + rural_total
    n_points = 40_000
    weight = total / n_points if total > 0 else 0.0
    counts = (
        rng.multinomial(n_points, np.append(city_pop, rural_total) / total)
        if total > 0
        else np.zeros(spec.cities + 1, int)
    )
    pts = [
        centres[k] + rng.normal(0, spec.city_spread_km, (c, 2)) for k, c in enumerate(counts[:-1])
    ]
    pts.append(rng.uniform(0, spec.region_km, (counts[-1], 2)))
    return np.vstack(pts), weight


def synth_world(spec: SynthSpec) -> tuple[World, dict]:
    """The world and a short report (how the home channels were found)."""
    from scipy.spatial import cKDTree

    rng = np.random.default_rng(spec.seed)
    table, centres, city_pop = _layout(spec, rng)
    vhf = (table["band"] != "UHF").to_numpy()
    drawn = spec.transmitters.draw(vhf, rng)
    table["erp_kw"], table["haat_m"] = drawn["erp_kw"], drawn["haat_m"]
    # full-power stations of one tower farm share its height (their own masts differ little)
    site = table["site"].to_numpy()
    site_haat = spec.transmitters.draw(np.zeros(site.max(initial=-1) + 1, bool), rng)["haat_m"]
    shared = (site >= 0) & drawn["full_power"]
    table.loc[shared, "haat_m"] = (
        site_haat[site[shared]] * rng.lognormal(0, 0.05, shared.sum())
    ).round(1)
    table["eligible"] = drawn["full_power"]
    r_u, r_v = spec.model.scaled(spec.scale).radii_km(table["erp_kw"], table["haat_m"], vhf)
    table["radius_uhf_km"], table["radius_vhf_km"] = r_u.round(2), r_v.round(2)
    points, weight = _people(spec, centres, city_pop, rng)
    service = spec.service_share * np.where(vhf, r_v, r_u)
    reach = cKDTree(points).query_ball_point(
        table[["x_km", "y_km"]].to_numpy(), service, return_length=True
    )
    table["population"] = np.round(np.asarray(reach) * weight).astype(np.int64)
    table["x_km"], table["y_km"] = table["x_km"].round(3), table["y_km"].round(3)
    band_channels = {"UHF": UHF_CHANNELS, "HVHF": HVHF_CHANNELS, "LVHF": LVHF_CHANNELS}
    uhf_domain = (LVHF_CHANNELS + HVHF_CHANNELS if spec.vhf_share > 0 else ()) + UHF_CHANNELS
    full_domain = {"UHF": uhf_domain, "HVHF": LVHF_CHANNELS + HVHF_CHANNELS, "LVHF": LVHF_CHANNELS}
    ids = table["station"].tolist()
    domains = {s: full_domain[b] for s, b in zip(ids, table["band"], strict=True)}
    bands = {s: band_channels[b] for s, b in zip(ids, table["band"], strict=True)}
    pairs = station_pairs(table, spec.model)
    table["channel"] = 0  # set below, once the constraints are known
    world = finish_world(table, domains, pairs, spec.name, uhf_home=~vhf)
    homes, stats = home_channels(world.data, bands, rng)
    stations = world.stations
    stations["channel"] = stations["station"].map(homes).astype(np.int64)
    stations = stations.drop(columns=["band", "site"])
    world = World(world.data, stations)
    report = {"home_channels": stats, "constraints": len(world.data.interference)}
    return world, report


def synth_constraints(spec: SynthSpec) -> ConstraintData:
    """Just the constraint data of a synthetic world (tests, benchmarks)."""
    return synth_world(spec)[0].data
