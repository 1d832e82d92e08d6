"""What a constraint folder or world holds: sizes, format, density, and how long it takes to load.

``auctool data info`` prints this; the figures say how hard a world will be for the
checker (station degrees: how many stations each one interferes with) and whether a
world's home channels are really interference-free.
"""

from __future__ import annotations

import csv
import time
from pathlib import Path
from typing import Any

import numpy as np

from auctool.errors import InputError
from auctool.formats.fcc import (
    DOMAIN_FILE,
    INTERFERENCE_FILE,
    InterferenceFormat,
    constraint_file,
    read_domains,
    read_interference,
)
from auctool.formats.fcc.recorded import check_recorded_counts
from auctool.model import ConstraintData, Interference
from auctool.worlds.build import check_assignment, degrees
from auctool.worlds.world import (
    PACKING_FILE,
    PARTICIPANTS_FILE,
    STATIONS_FILE,
    WORLD_MANIFEST,
    read_manifest,
    read_participants,
    read_stations,
)


def _quantiles(values: np.ndarray) -> dict[str, float]:
    if values.size == 0:
        return {"mean": 0.0, "median": 0.0, "p90": 0.0, "max": 0.0}
    return {
        "mean": round(float(values.mean()), 2),
        "median": float(np.median(values)),
        "p90": round(float(np.percentile(values, 90)), 1),
        "max": float(values.max()),
    }


def station_pair_counts(it: Interference) -> dict[str, int]:
    """Distinct interfering station pairs, and how many have CO / ADJ+-1 / ADJ+-2 constraints."""
    key = it.a.astype(np.int64) * (1 << 24) + it.b.astype(np.int64)
    off = np.abs(it.cb.astype(np.int64) - it.ca.astype(np.int64))
    out = {"station_pairs": int(np.unique(key[it.a != it.b]).size)}
    for name, k in (("co", 0), ("adj1", 1), ("adj2", 2)):
        out[f"{name}_station_pairs"] = int(np.unique(key[(off == k) & (it.a != it.b)]).size)
    return out


def constraint_counts(it: Interference) -> dict[str, int]:
    off = np.abs(it.cb.astype(np.int64) - it.ca.astype(np.int64))
    return {
        "total": len(it),
        "co": int((off == 0).sum()),
        "adj1": int((off == 1).sum()),
        "adj2": int((off == 2).sum()),
    }


def folder_info(
    folder: str | Path, fmt: InterferenceFormat | str = InterferenceFormat.AUTO
) -> dict[str, Any]:
    """The figures ``auctool data info`` shows, as one JSON-able dict."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError("not a folder" if folder.exists() else "folder not found", folder)
    start = time.perf_counter()
    domains = read_domains(constraint_file(folder, DOMAIN_FILE))
    interference, chosen = read_interference(constraint_file(folder, INTERFERENCE_FILE), fmt)
    load_seconds = time.perf_counter() - start
    check_recorded_counts(folder, len(domains), len(interference))
    unknown = np.setdiff1d(interference.stations, np.array(list(domains), dtype=np.int64))
    # stations without a domain are counted and named as a warning; the figures below are
    # of the stations that have one (``check`` refuses such a folder outright)
    known = interference.restrict(list(domains)) if unknown.size else interference
    data = ConstraintData(domains, known, folder.name, str(folder))
    sizes = [len(d) for d in domains.values()]
    deg = degrees(data)
    info: dict[str, Any] = {
        "folder": str(folder),
        "format": chosen.value,
        "load_seconds": round(load_seconds, 3),
        "stations": len(domains),
        "stations_without_domain": int(unknown.size),
        "isolated_stations": int((deg == 0).sum()),
        "constraints": constraint_counts(interference),
        **station_pair_counts(interference),
        "degree": _quantiles(deg.astype(float)),
        "domain_size": _quantiles(np.array(sizes, dtype=float)),
        "channels": [min(min(d) for d in domains.values() if d), data.max_channel]
        if any(domains.values())
        else [],
        "files_mb": {
            path.name: round(path.stat().st_size / 1e6, 2)
            for path in (
                constraint_file(folder, name)
                for name in (
                    DOMAIN_FILE,
                    INTERFERENCE_FILE,
                    STATIONS_FILE,
                    WORLD_MANIFEST,
                    PACKING_FILE,
                    PARTICIPANTS_FILE,
                )
            )
            if path.is_file()
        },
    }
    info.update(_world_part(folder, data))
    return info


def _world_part(folder: Path, data: ConstraintData) -> dict[str, Any]:
    table = folder / STATIONS_FILE
    out: dict[str, Any] = {"world": table.is_file()}
    if not table.is_file():
        return out
    with table.open(encoding="utf-8-sig", errors="replace") as fh:
        columns = next(csv.reader(fh), [])
    if "station" not in columns and "FACILITY_ID" in columns:
        # SATFC's own station list (the 2013 national set has one): a constraint folder
        return {"world": False, "station_list": f"{STATIONS_FILE} is SATFC's station list"}
    stations = read_stations(table, data)
    homes = dict(zip(stations["station"].tolist(), stations["channel"].tolist(), strict=True))
    check = check_assignment(data, homes, "home channels")
    chans = stations["channel"].to_numpy()
    out["station_table"] = {
        "rows": len(stations),
        "columns": list(stations.columns),
        "population": _quantiles(stations["population"].to_numpy(dtype=float)),
        "home_bands": {
            "LVHF": int(((chans >= 2) & (chans <= 6)).sum()),
            "HVHF": int(((chans >= 7) & (chans <= 13)).sum()),
            "UHF": int((chans >= 14).sum()),
        },
    }
    out["home_channels"] = check.to_json()
    meta = read_manifest(folder)
    if meta:
        out["manifest"] = {k: meta[k] for k in ("command", "seed", "created") if k in meta}
        report = meta.get("report") or {}
        keys = ("calibration", "admitted", "provenance")
        realism = {k: report[k] for k in keys if k in report}
        if "completed_packing" in report:
            done = dict(report["completed_packing"])
            done["contradicting"] = len(done.get("contradicting", []))
            realism["completed_packing"] = done
        if realism:
            out["realism"] = realism
    packing = folder / PACKING_FILE
    if packing.is_file():
        from auctool.worlds.tables import read_assignment

        known = read_assignment(packing).to_dict()
        check = check_assignment(data, known, PACKING_FILE)
        out["packing"] = check.to_json()
    participants = read_participants(folder, data, meta)
    if participants is not None:
        out["participants"] = len(participants)
    return out
