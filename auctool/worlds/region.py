"""A region of a world: the stations of a city (or a DMA, or a list) and every station
within k interference hops of them, with the real constraints among them.

The UBC auction simulator (SATFC's ``-START-CITY NEW YORK -CITY-LINKS 2``) runs fast,
realistic auctions on such regions: the national auction takes hours, a region of a few
hundred stations minutes, and its feasibility checks are the national ones in miniature
(same constraints, same crowded cities). A region is a world of its own: the kept
stations' rows of the station table unchanged (volumes, populations, home channels,
eligibility), their domains, the constraints among them, the world's packing and
participants restricted to them, and a manifest saying how it was cut.

A hop is any interference constraint between two stations, on any channel. With
``us_only`` the stations outside the US are left out before the region grows, as UBC's
``-IGNORE-CANADA`` removes them from the station set first: a Canadian station then
links nothing.
"""

from __future__ import annotations

import difflib
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from auctool._version import __version__
from auctool.errors import InputError
from auctool.formats.fcc import InterferenceFormat
from auctool.formats.fcc.recorded import read_manifest
from auctool.model import ConstraintData
from auctool.worlds.distance import UHF_LOW
from auctool.worlds.info import station_pair_counts
from auctool.worlds.tables import read_stations_column
from auctool.worlds.world import PARTICIPANTS_FILE, World, load_world, save_world

#: Where a region's seed stations come from: a ``city`` name, a ``dma`` name (or a
#: unique prefix of one), or a ``stations`` file (a ``station`` or ``facility_id`` column).
RULES = ("city", "dma", "stations")
#: Close matches an unmatched name is answered with.
CLOSE_MATCHES = 5


@dataclass(frozen=True)
class RegionSpec:
    """How a region is cut from a world (recorded in its manifest)."""

    rule: str  # one of RULES
    value: str  # the name asked for, or the stations file
    links: int = 1  # interference hops from the seeds (0: the seeds alone)
    us_only: bool = False  # leave out the stations whose country is not US
    participants: Path | None = None  # who bids (any list); None: the source world's own

    def __post_init__(self) -> None:
        if self.rule not in RULES:
            raise InputError(f"a region's seeds come from one of {', '.join(RULES)}")
        if not isinstance(self.links, int) or self.links < 0:
            raise InputError(f"links must be a whole number of at least 0, got {self.links!r}")


@dataclass(frozen=True, eq=False)
class Region:
    """A cut: the region as a world, its seeds, and each kept station's hop count."""

    world: World
    seeds: tuple[int, ...]
    hops: dict[int, int]  # station -> hops from the nearest seed (0: a seed)
    matched: tuple[str, ...]  # the city or DMA names the seeds matched (none for a file)
    listed: int | None  # stations the participants list named (None: no list)


def _names(table: pd.DataFrame, column: str) -> pd.Series:
    """The column as stripped text (empty where missing), or an InputError without it."""
    if column not in table.columns:
        raise InputError(f"the world's station table has no {column!r} column")
    return table[column].fillna("").astype(str).str.strip()


def _no_match(rule: str, name: str, names: list[str]) -> InputError:
    """No station in ``name``: the error names the closest of ``names`` (any case)."""
    folded = {n.casefold(): n for n in names if n}
    close = difflib.get_close_matches(name.casefold(), list(folded), n=CLOSE_MATCHES, cutoff=0.5)
    hint = f"; close: {', '.join(folded[c] for c in close)}" if close else ""
    return InputError(f"no station has {rule} {name!r}{hint}")


def _matching(names: pd.Series, rule: str, name: str) -> tuple[np.ndarray, tuple[str, ...]]:
    """Rows whose name is ``name`` (any case); for a DMA also a unique prefix of one."""
    wanted = name.strip().casefold()
    folded = names.str.casefold()
    rows = (folded == wanted).to_numpy()
    if not rows.any() and rule == "dma" and wanted:
        prefixed = sorted(set(names[folded.str.startswith(wanted)]))
        if len(prefixed) > 1:
            shown = ", ".join(prefixed[:CLOSE_MATCHES])
            raise InputError(f"dma {name!r} is the start of {len(prefixed)} DMAs: {shown}")
        rows = (names == prefixed[0]).to_numpy() if prefixed else rows
    if not rows.any():
        raise _no_match(rule, name, sorted(set(names)))
    return rows, tuple(sorted(set(names[rows])))


def seed_stations(world: World, spec: RegionSpec) -> tuple[np.ndarray, tuple[str, ...]]:
    """The seed station ids (sorted) and the names they matched."""
    table = world.stations
    if spec.rule == "stations":
        ids = read_stations_column(spec.value, table["station"].tolist(), "seed stations")
        return np.unique(np.array(ids, dtype=np.int64)), ()
    rows, matched = _matching(_names(table, spec.rule), spec.rule, spec.value)
    return np.unique(table["station"].to_numpy(dtype=np.int64)[rows]), matched


def _us_mask(table: pd.DataFrame) -> np.ndarray:
    """Per table row: is the station's country US?"""
    return (_names(table, "country").str.upper() == "US").to_numpy()


def _participants(
    world: World, spec: RegionSpec, kept: set[int]
) -> tuple[tuple[int, ...] | None, int | None]:
    """The region's participants (sorted) and how many the list named (None: no list).

    An explicit list may be national (the FCC's ``reverse-stations.csv``): any station
    id is accepted and only those of the region kept. Without one, the source world's
    own list, restricted."""
    if spec.participants is not None:
        listed = read_stations_column(spec.participants, None, "participants")
    elif world.participants is not None:
        listed = list(world.participants)
    else:
        return None, None
    return tuple(sorted(s for s in listed if s in kept)), len(listed)


def cut_region(world: World, spec: RegionSpec, name: str) -> Region:
    """The region of ``world`` that ``spec`` describes, as a world named ``name`` (its
    manifest: see :func:`region_meta`)."""
    seeds, matched = seed_stations(world, spec)
    table, data = world.stations, world.data
    in_table = np.isin(data.ids, table["station"].to_numpy(dtype=np.int64))
    allowed = in_table  # a region is made of stations its table describes
    if spec.us_only:
        us = table["station"].to_numpy(dtype=np.int64)[_us_mask(table)]
        allowed = in_table & np.isin(data.ids, us)
        seeds = seeds[np.isin(seeds, us)]
        if seeds.size == 0:
            raise InputError(f"every station of {spec.rule} {spec.value!r} is outside the US")
    hops = data.hop_counts(seeds, spec.links, allowed)
    reached = hops >= 0
    kept_ids = data.ids[reached]
    kept = set(kept_ids.tolist())
    region_data = ConstraintData(
        {s: data.domains[s] for s in kept_ids.tolist()},
        data.interference.restrict(kept_ids.tolist()),
        name,
    )
    stations = table[table["station"].isin(kept)].reset_index(drop=True)
    packing = None
    if world.packing is not None:
        packing = {s: c for s, c in world.packing.items() if s in kept}
    participants, listed = _participants(world, spec, kept)
    region = World(region_data, stations, {}, packing, participants)
    by_station = dict(zip(kept_ids.tolist(), hops[reached].tolist(), strict=True))
    return Region(region, tuple(seeds.tolist()), by_station, matched, listed)


def region_meta(
    region: Region,
    source: World,
    spec: RegionSpec,
    command: str = "",
    fmt: InterferenceFormat | str = InterferenceFormat.UNABRIDGED,
) -> dict[str, Any]:
    """The region's manifest: how it was cut, from what, and what it holds (its summary
    counts are the ones every load compares)."""
    world = region.world
    by_hop = np.bincount(np.array(list(region.hops.values()), dtype=np.int64))
    participants: dict[str, Any] | None = None
    if world.participants is not None:
        own = Path(source.data.source or source.name) / PARTICIPANTS_FILE
        origin = str(spec.participants or own)
        participants = {"from": origin, "listed": region.listed, "kept": len(world.participants)}
    return {
        "name": world.name,
        "kind": "region",
        "command": command,
        "auctool_version": __version__,
        "format": InterferenceFormat(fmt).value,
        "source": {
            "name": source.name,
            "folder": source.data.source,
            "command": source.meta.get("command"),
        },
        "region": {
            "rule": spec.rule,
            "value": spec.value,
            "matched": list(region.matched),
            "links": spec.links,
            "us_only": spec.us_only,
            "participants": participants,
        },
        "summary": {
            "stations": len(world.stations),
            "constraints": len(world.data.interference),
            "seeds": len(region.seeds),
            "by_hop": by_hop.tolist(),
            "uhf_stations": int((world.stations["channel"].to_numpy() >= UHF_LOW).sum()),
            **({} if participants is None else {"participants": participants["kept"]}),
            **station_pair_counts(world.data.interference),
        },
    }


def make_region(
    source: str | Path,
    spec: RegionSpec,
    out: str | Path,
    fmt: InterferenceFormat | str = InterferenceFormat.UNABRIDGED,
    command: str = "",
    name: str | None = None,
) -> tuple[Region, dict[str, Any]]:
    """Cut the region of the world folder ``source``, write it to ``out``; returns the
    cut (its world with the manifest) and a report: the manifest as written, the folder
    and the timings."""
    out = Path(out)
    if out.resolve() == Path(source).resolve():
        raise InputError("the region would overwrite its source world: give another folder", out)
    start = time.perf_counter()
    world = load_world(source)
    loaded = time.perf_counter()
    region = cut_region(world, spec, name or out.resolve().name)
    if not len(region.world.data.interference):  # the FCC format has no empty file
        raise InputError.suggesting(
            f"the region's {len(region.world.stations)} station(s) share no interference "
            "constraint: nothing to auction there (raise {links})"
        )
    meta = region_meta(region, world, spec, command, fmt)
    region = replace(region, world=replace(region.world, meta=meta))
    cut = time.perf_counter()
    save_world(region.world, out, fmt)
    seconds = {
        "load": round(loaded - start, 3),
        "cut": round(cut - loaded, 3),
        "write": round(time.perf_counter() - cut, 3),
    }
    return region, {**read_manifest(out), "folder": str(out), "seconds": seconds}
