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
  A station that fits on no channel would never have been licensed: it is left out
  (at most :data:`MAX_DROPPED` of them; the report counts them).

Everything is drawn from one seeded generator: the same spec gives the same world.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from auctool.model.bands import UNASSIGNABLE
from auctool.worlds.build import admit, station_pairs
from auctool.worlds.degrees import calibrate_radii, world_agreement
from auctool.worlds.distance import NOT_ADJACENT
from auctool.worlds.finish import finish_world
from auctool.worlds.geo import plane_pairs
from auctool.worlds.homes import home_channels
from auctool.worlds.spec import SynthSpec
from auctool.worlds.world import World

UHF_CHANNELS = tuple(c for c in range(14, 52) if c not in UNASSIGNABLE)
HVHF_CHANNELS = tuple(range(7, 14))
#: Stations per city grow slowly with its population (~ population^0.35): in the real
#: table no UHF station has more than 22 UHF stations within 25 km (New York), while
#: markets 20 times smaller still have a handful.
MARKET_EXPONENT = 0.35
#: Stations that fit on no channel of their band are left out (never licensed), up to
#: this share of the requested stations; beyond it the world is refused as too dense.
MAX_DROPPED = 0.05
LVHF_CHANNELS = tuple(range(2, 7))


def _layout(
    spec: SynthSpec, rng: np.random.Generator
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """Station positions, tower sites and markets; city centres and populations."""
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
    ids = np.arange(spec.first_id, spec.first_id + spec.stations)
    dma = np.concatenate([[f"city-{k + 1}" for k in city_of], ["rural"] * n_rural])
    table = pd.DataFrame(
        {
            "station": ids,
            "x_km": xy[:, 0],
            "y_km": xy[:, 1],
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


def _transmitters(
    spec: SynthSpec, site: np.ndarray, vhf: bool, rng: np.random.Generator
) -> dict[str, np.ndarray]:
    """Transmitters of one home band for every station; full-power stations of one tower
    farm share its height (their own masts differ little)."""
    n = site.size
    drawn = spec.transmitters.draw(np.full(n, vhf), rng)
    site_haat = spec.transmitters.draw(np.full(site.max(initial=-1) + 1, vhf), rng)["haat_m"]
    shared = (site >= 0) & drawn["full_power"]
    drawn["haat_m"][shared] = (
        site_haat[site[shared]] * rng.lognormal(0, 0.05, shared.sum())
    ).round(1)
    return drawn


def _vhf_homes(
    spec: SynthSpec, table: pd.DataFrame, tx: dict[str, np.ndarray], rng: np.random.Generator
) -> dict[int, int]:
    """Which stations broadcast in VHF, and on which channel (station index -> channel).

    VHF has only 12 channels, so VHF stations were historically spread out: candidates
    in random order become VHF only if a channel of their band (high VHF, or low VHF for
    one in five) is still free of their VHF neighbours; until the share is reached.
    """
    n = len(table)
    rule = spec.model.vhf
    r = spec.scale * rule.radius.radius_km(tx["erp_kw"], tx["haat_m"], np.ones(n))
    i, j, d = plane_pairs(table["x_km"].to_numpy(), table["y_km"].to_numpy(), 2 * r.max())
    co, adj = rule.classify(d, r[i], r[j])
    keep = co | adj
    near: list[list[tuple[int, bool, bool]]] = [[] for _ in range(n)]
    for a, b, c, ad in zip(
        i[keep].tolist(), j[keep].tolist(), co[keep].tolist(), adj[keep].tolist(), strict=True
    ):
        near[a].append((b, c, ad))
        near[b].append((a, c, ad))
    want = round(spec.vhf_share * n)
    chosen: dict[int, int] = {}
    for k in rng.permutation(n).tolist():
        if len(chosen) >= want:
            break
        band = LVHF_CHANNELS if rng.random() < 0.2 else HVHF_CHANNELS
        blocked: set[int] = set()
        for other, is_co, is_adj in near[k]:
            ch = chosen.get(other)
            if ch is None:
                continue
            if is_co:
                blocked.add(ch)
            if is_adj:
                blocked |= {c for c in (ch - 1, ch + 1) if min(c, ch) not in NOT_ADJACENT}
        free = [c for c in band if c not in blocked]
        if free:
            chosen[k] = free[int(rng.integers(len(free)))]
    return chosen


def synth_world(spec: SynthSpec) -> tuple[World, dict]:
    """The world and a short report (how the home channels were found)."""
    from scipy.spatial import cKDTree

    rng = np.random.default_rng(spec.seed)
    table, centres, city_pop = _layout(spec, rng)
    site = table["site"].to_numpy()
    tx_uhf = _transmitters(spec, site, False, rng)
    tx_vhf = _transmitters(spec, site, True, rng)
    vhf_homes = _vhf_homes(spec, table, tx_vhf, rng) if spec.vhf_share > 0 else {}
    vhf = np.zeros(len(table), dtype=bool)
    vhf[list(vhf_homes)] = True
    for col in ("erp_kw", "haat_m"):
        table[col] = np.where(vhf, tx_vhf[col], tx_uhf[col])
    table["eligible"] = np.where(vhf, tx_vhf["full_power"], tx_uhf["full_power"])
    r_u, r_v = spec.model.scaled(spec.scale).radii_km(table["erp_kw"], table["haat_m"], vhf)
    table["radius_uhf_km"], table["radius_vhf_km"] = r_u.round(2), r_v.round(2)
    points, weight = _people(spec, centres, city_pop, rng)
    service = spec.service_share * np.where(vhf, r_v, r_u)  # before any density calibration
    reach = cKDTree(points).query_ball_point(
        table[["x_km", "y_km"]].to_numpy(), service, return_length=True
    )
    table["population"] = np.round(np.asarray(reach) * weight).astype(np.int64)
    table["x_km"], table["y_km"] = table["x_km"].round(3), table["y_km"].round(3)
    ids = table["station"].tolist()
    vhf_domain = {
        c: LVHF_CHANNELS if c in LVHF_CHANNELS else LVHF_CHANNELS + HVHF_CHANNELS
        for c in range(2, 14)
    }
    uhf_domain = (LVHF_CHANNELS + HVHF_CHANNELS if vhf_homes else ()) + UHF_CHANNELS
    domains = {s: uhf_domain for s in ids}
    bands = {s: UHF_CHANNELS for s in ids}
    for k, channel in vhf_homes.items():
        domains[ids[k]] = vhf_domain[channel]
        bands[ids[k]] = (channel,)  # already interference-free among VHF stations
    table["channel"] = 0  # set below, once the constraints are known
    world = finish_world(table, domains, station_pairs(table, spec.model), spec.name, uhf_home=~vhf)
    homes, stats = home_channels(world.data, bands, rng, max_dropped=MAX_DROPPED)
    keep = table["station"].isin(list(homes)).to_numpy()
    if stats["dropped"]:  # never licensed: left out
        table, vhf = table[keep].reset_index(drop=True), vhf[keep]
    table["channel"] = table["station"].map(homes).astype(np.int64)
    calibration = admitted = None
    if spec.degrees is not None:
        # the density the FCC counts: the homes were found in the model's world, and
        # stay interference-free by admission, as a real table's home channels do
        calibration = calibrate_radii(table, domains, spec.degrees, rng)
        pairs, admitted = admit(
            station_pairs(table, spec.model), table["channel"].to_numpy(), "home channels"
        )
        world = finish_world(table, domains, pairs, spec.name, uhf_home=~vhf)
    elif stats["dropped"]:
        world = finish_world(
            table, domains, station_pairs(table, spec.model), spec.name, uhf_home=~vhf
        )
    stations = world.stations
    stations["channel"] = stations["station"].map(homes).astype(np.int64)
    stations = stations.drop(columns=["site"])
    world = World(world.data, stations)
    report = {
        "home_channels": stats,
        "vhf_stations": len(vhf_homes),
        "constraints": len(world.data.interference),
    }
    if calibration is not None and admitted is not None:
        report["admitted"] = [admitted.__dict__]
        report["calibration"] = {**calibration, "world": world_agreement(stations)}
    return world, report
