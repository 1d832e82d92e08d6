"""A world from a real station table: real locations, populations, domains, home channels.

With the FCC's ``nov2015/station_info.csv`` and ``Domain.csv`` this is a national-scale
world (2,990 stations). Interference comes from a real FCC constraint folder where there
is one (``TableSpec.interference``: its pairs are kept as they are, see
:mod:`auctool.worlds.realpairs`), and from the calibrated distance model for whatever the
folder lacks, or for everything without one: with TVStudy's ``parameters.csv`` every
station's radii follow from its own ERP and HAAT; an auctool ``stations.csv`` brings its
own (so a world can be rebuilt from its table); otherwise transmitters are drawn like real
ones (seeded).

Real assignments known to be feasible are *admitted* (``auctool.worlds.build.admit`` on
the model's pairs, ``admit_constraints`` once real constraints are in): the home channels
always (every station was on air without interference), the real post-auction repack on
request. Any assignment can be *checked* instead, without changing the world
(``auctool.worlds.build.check_assignment``): that is how we measure how realistic the
world is, on an assignment it has not seen.
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

from auctool.errors import InputError
from auctool.formats.fcc import DOMAIN_FILE, read_domains
from auctool.model import ConstraintData
from auctool.model.bands import DEFAULT_CLEARING_TARGET, Band, BandPlan
from auctool.worlds.build import admit, admit_constraints, constraint_data
from auctool.worlds.calibrate import subset_folders
from auctool.worlds.degrees import calibrate_radii, read_interference_counts, world_agreement
from auctool.worlds.distance import UHF_LOW
from auctool.worlds.finish import finish_world
from auctool.worlds.packing import complete_packing
from auctool.worlds.realism import subset_agreement
from auctool.worlds.realpairs import (
    RealPairs,
    fit_to_real,
    model_pairs,
    model_part,
    provenance,
    read_real_pairs,
)
from auctool.worlds.spec import TableSpec
from auctool.worlds.tables import (
    read_assignment,
    read_station_table,
    read_tvstudy_parameters,
    read_volumes,
)
from auctool.worlds.world import World

#: The label of the home-channel admission (every other one is an assignment file).
HOME = "home channels"


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


def _uncovered(stations: pd.DataFrame, assignments: list[pd.Series]) -> np.ndarray:
    """Stations of countries no admitted assignment covers (Canada in the post-auction file)."""
    if "country" not in stations.columns or not assignments:
        return np.zeros(len(stations), dtype=bool)
    covered = stations["station"].isin(pd.concat(assignments).index).to_numpy()
    countries = set(stations.loc[covered, "country"].tolist())
    return ~stations["country"].isin(countries).to_numpy()


def _complete(stations, domains, data: ConstraintData, spec: TableSpec, assignments):
    """The admitted assignments' packing, completed for the stations they leave out: the
    packing, what completing it took (None when nothing was left out), and the channel per
    station index to admit."""
    todo = _uncovered(stations, assignments)
    if not spec.complete or not todo.any():
        return None, None
    known_series = pd.concat(assignments)
    known_series = known_series[~known_series.index.duplicated(keep="first")]
    ids = set(stations["station"].tolist())
    known = {int(s): int(c) for s, c in known_series.items() if s in ids and c in domains[int(s)]}
    plan = BandPlan(DEFAULT_CLEARING_TARGET)
    missing = {}
    homes = {}
    for s, ch in zip(stations["station"][todo], stations["channel"][todo], strict=True):
        band = plan.channels(Band.of_channel(int(ch)))
        missing[int(s)] = tuple(c for c in domains[int(s)] if c in band)
        homes[int(s)] = int(ch)
    return complete_packing(data, known, missing, homes)


def _model_pairs(stations: pd.DataFrame, domains, spec: TableSpec, real: RealPairs | None):
    """The distance model's pairs (fitted to the real degrees, or to ``spec.degrees``) and
    the calibration report (None when not calibrated)."""
    calibration = None
    counts = None
    if real is not None and spec.degrees is not None and str(spec.degrees) != "fcc":
        counts = read_interference_counts(spec.degrees)
        stations["target_degree"] = stations["station"].map(counts).to_numpy(dtype=float)
    if real is not None and spec.fit_model:
        calibration = fit_to_real(stations, domains, real, counts)
    elif real is None and spec.degrees is not None:
        rng = np.random.default_rng(spec.seed)
        calibration = calibrate_radii(stations, domains, spec.degrees, rng)
    return model_pairs(stations, spec.model), calibration


def _admit_real(stations, domains, pairs, spec, real, assignments):
    """Admission on constraints: the real ones and the model's fill-in, one rule for both."""
    ids = stations["station"].to_numpy(dtype=np.int64)
    doms = [tuple(domains[int(s)]) for s in ids]
    it = real.interference.union(model_part(pairs, ids, doms, real))
    admitted = []
    for label, assignment in assignments:
        known = {int(s): int(c) for s, c in assignment.items()}
        it, report = admit_constraints(it, known, label, real.covered)
        admitted.append(report)
    data = ConstraintData({int(s): d for s, d in zip(ids, doms, strict=True)}, it, spec.name)
    real_assignments = [a for label, a in assignments if label != HOME]
    packing, completion = _complete(stations, domains, data, spec, real_assignments)
    if packing is not None:
        it, report = admit_constraints(it, packing, "completed packing", real.covered)
        completion = {**completion.to_json(), "admitted": report.__dict__}
    return it, packing, completion, admitted


def _admit_model(stations, domains, pairs, spec, assignments):
    """Admission on the model's station pairs (no real data)."""
    ids = stations["station"].to_numpy(dtype=np.int64)
    admitted = []
    for label, assignment in assignments:
        pairs, report = admit(pairs, _channels_by_index(stations, assignment), label, ids)
        admitted.append(report)
    real_assignments = [a for label, a in assignments if label != HOME]
    data = constraint_data(stations, domains, pairs, spec.name)
    packing, completion = _complete(stations, domains, data, spec, real_assignments)
    if packing is not None:
        channels = _channels_by_index(stations, pd.Series(packing))
        pairs, report = admit(pairs, channels, "completed packing", ids)
        completion = {**completion.to_json(), "admitted": report.__dict__}
    return pairs, packing, completion, admitted


def world_from_table(spec: TableSpec) -> tuple[World, dict]:
    """The world and a report (timings, calibration, provenance, what admitting changed)."""
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
    real = None
    if spec.interference is not None:
        real = read_real_pairs(spec.interference, stations, domains)
    stations = _transmitters(stations, spec)
    vhf = stations["channel"].to_numpy() < UHF_LOW
    r_u, r_v = spec.model.scaled(spec.scale).radii_km(stations["erp_kw"], stations["haat_m"], vhf)
    stations["radius_uhf_km"], stations["radius_vhf_km"] = r_u.round(2), r_v.round(2)
    pairs, calibration = _model_pairs(stations, domains, spec, real)
    t1 = time.perf_counter()
    known = [(HOME, stations.set_index("station")["channel"])] if spec.admit_home else []
    assignments = known + [(str(p), read_assignment(p)) for p in spec.admit]
    if real is None:
        pairs, packing, completion, admitted = _admit_model(
            stations, domains, pairs, spec, assignments
        )
        interference = pairs
    else:
        interference, packing, completion, admitted = _admit_real(
            stations, domains, pairs, spec, real, assignments
        )
    if packing is None and spec.admit:
        ids = set(stations["station"].tolist())
        packing = {int(s): int(c) for s, c in assignments[-len(spec.admit)][1].items() if s in ids}
    fcc_volumes = read_volumes(spec.volumes) if spec.volumes is not None else None
    world = finish_world(stations, domains, interference, spec.name, fcc_volumes)
    world = World(world.data, world.stations, packing=packing)
    t2 = time.perf_counter()
    report: dict = {
        "stations_dropped_from_domains": len(domains) - len(stations),
        "transmitters_from_tvstudy": int((stations["transmitter"] == "tvstudy").sum()),
        "admitted": [a.__dict__ for a in admitted],
    }
    if real is not None:
        report["provenance"] = provenance(world.stations, real, world.data.interference)
    if completion is not None:
        report["completed_packing"] = completion
    if calibration is not None:
        report["calibration"] = calibration
        # the finished world's degrees (admissions and fill-in included) against the target
        fitted = "real_degree" if real is not None else "target_degree"
        calibration["world"] = world_agreement(world.stations, fitted)
    if real is not None and "target_degree" in world.stations.columns:
        report.setdefault("calibration", {})["reference"] = {
            "source": str(spec.degrees),
            **world_agreement(world.stations, "target_degree"),
        }
    if spec.subsets is not None:
        report.setdefault("calibration", {})["subsets"] = subset_agreement(
            world.data, subset_folders(spec.subsets)
        )
    report["seconds"] = {"read": round(t1 - t0, 3), "build": round(t2 - t1, 3)}
    return world, report
