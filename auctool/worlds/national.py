"""A world from a real station table: real locations, populations, domains, home channels.

With the FCC's ``nov2015/station_info.csv`` and ``Domain.csv`` this is a national-scale
approximate world (2,990 stations). Interference comes from the calibrated distance
model: with TVStudy's ``parameters.csv`` every station's radii follow from its own ERP
and HAAT; an auctool ``stations.csv`` brings its own (so a world can be rebuilt from its
table); otherwise transmitters are drawn like real ones (seeded). The real national constraint file is not available, so the model stands in.

Real assignments known to be feasible are *admitted* (``auctool.worlds.build.admit``):
the home channels always (every station was on air without interference), the real
post-auction repack on request. Any assignment can be *checked* instead, without
changing the world (``auctool.worlds.build.check_assignment``): that is how we measure
how realistic the world is, on an assignment it has not seen.
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

from auctool.errors import InputError
from auctool.formats.fcc import DOMAIN_FILE, read_domains
from auctool.worlds.build import Admitted, admit, station_pairs
from auctool.worlds.distance import UHF_LOW
from auctool.worlds.finish import finish_world
from auctool.worlds.spec import TableSpec
from auctool.worlds.tables import (
    read_assignment,
    read_station_table,
    read_tvstudy_parameters,
    read_volumes,
)
from auctool.worlds.world import World


def _channels_by_index(stations: pd.DataFrame, assignment: pd.Series) -> np.ndarray:
    return stations["station"].map(assignment).fillna(0).to_numpy(dtype=np.int64)


def _transmitters(stations: pd.DataFrame, spec: TableSpec) -> pd.DataFrame:
    """ERP and HAAT per station: from TVStudy's parameters.csv when given, else from the
    table's own erp_kw / haat_m columns (an auctool stations.csv), else drawn (seeded)."""
    vhf = stations["channel"].to_numpy() < UHF_LOW
    drawn = spec.transmitters.draw(vhf, np.random.default_rng(spec.seed))
    out = stations.copy()
    source = np.full(len(out), "drawn", dtype=object)
    for col in ("erp_kw", "haat_m"):
        given = pd.to_numeric(out[col], errors="coerce") if col in out else None
        out[col] = drawn[col] if given is None else given.fillna(pd.Series(drawn[col])).to_numpy()
    if {"erp_kw", "haat_m"} <= set(stations.columns):
        has = (
            stations[["erp_kw", "haat_m"]].apply(pd.to_numeric, errors="coerce").notna().all(axis=1)
        )
        source[has.to_numpy()] = "table"
    if spec.parameters is not None:
        real = read_tvstudy_parameters(spec.parameters).set_index("station")
        known = out["station"].isin(real.index).to_numpy()
        ids = out.loc[known, "station"]
        out.loc[known, "erp_kw"] = real.loc[ids, "erp"].to_numpy()
        out.loc[known, "haat_m"] = real.loc[ids, "haat"].to_numpy()
        source[known] = "tvstudy"
    out["transmitter"] = source
    return out


def world_from_table(spec: TableSpec) -> tuple[World, dict]:
    """The world and a report (timings, what admitting the known assignments changed)."""
    t0 = time.perf_counter()
    stations = read_station_table(spec.stations)
    domains_path = spec.domains / DOMAIN_FILE if spec.domains.is_dir() else spec.domains
    domains = read_domains(domains_path)
    missing = ~stations["station"].isin(list(domains)).to_numpy()
    if missing.any():
        k = int(np.flatnonzero(missing)[0])
        raise InputError(
            f"station {stations['station'].iloc[k]} has no line in {domains_path}"
            + (f" ({int(missing.sum())} such stations)" if missing.sum() > 1 else ""),
            spec.stations,
            k + 2,
        )
    stations = _transmitters(stations, spec)
    vhf = stations["channel"].to_numpy() < UHF_LOW
    r_u, r_v = spec.model.scaled(spec.scale).radii_km(stations["erp_kw"], stations["haat_m"], vhf)
    stations["radius_uhf_km"], stations["radius_vhf_km"] = r_u.round(2), r_v.round(2)
    t1 = time.perf_counter()
    pairs = station_pairs(stations, spec.model)
    admitted: list[Admitted] = []
    known = [("home channels", stations.set_index("station")["channel"])] if spec.admit_home else []
    known += [(str(p), read_assignment(p)) for p in spec.admit]
    for label, assignment in known:
        pairs, report = admit(pairs, _channels_by_index(stations, assignment), label)
        admitted.append(report)
    fcc_volumes = read_volumes(spec.volumes) if spec.volumes is not None else None
    world = finish_world(stations, domains, pairs, spec.name, fcc_volumes)
    t2 = time.perf_counter()
    report = {
        "stations_dropped_from_domains": len(domains) - len(stations),
        "transmitters_from_tvstudy": int((stations["transmitter"] == "tvstudy").sum()),
        "admitted": [a.__dict__ for a in admitted],
        "seconds": {"read": round(t1 - t0, 3), "build": round(t2 - t1, 3)},
    }
    return world, report
