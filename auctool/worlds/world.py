"""A world: constraint data plus the station table the auction needs (population, home channel...).

On disk a world is a constraint folder (``Domain.csv``, ``Interference_Paired.csv``)
with two more files: ``stations.csv`` (one row per station) and ``manifest.json`` (the
command and seed that made it, and the counts of stations and constraints every load
compares, so a file cut at a line break is caught). Any FCC constraint folder plus a
``stations.csv`` is a world.
A world built around a real repack also keeps it, completed, as ``packing.csv``
(``station,channel``: a packing the world admits, e.g. the post-auction channels): an
auction can start from it instead of searching for a first packing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from auctool._atomic import write_text
from auctool._json import write_json
from auctool.errors import InputError
from auctool.formats.fcc import DOMAIN_FILE, InterferenceFormat, load_constraints
from auctool.formats.fcc.recorded import MANIFEST_FILE, check_count, read_manifest
from auctool.model import ConstraintData
from auctool.worlds.tables import (
    no_duplicates,
    numeric_column,
    read_assignment,
    read_csv_text,
    require_columns,
)
from auctool.worlds.writing import write_folder

STATIONS_FILE = "stations.csv"
WORLD_MANIFEST = MANIFEST_FILE
PACKING_FILE = "packing.csv"
#: Columns every station table has; others (lat, lon, x_km, y_km, volume, dma, ...) are optional.
REQUIRED_COLUMNS = ("station", "population", "channel")


@dataclass(frozen=True, eq=False)
class World:
    data: ConstraintData
    stations: pd.DataFrame  # indexed 0..n-1; column "station" holds the ids
    meta: dict[str, Any] = field(default_factory=dict)
    packing: Mapping[int, int] | None = None  # a packing the world admits (packing.csv)

    @property
    def name(self) -> str:
        return self.data.name


def read_stations(table: Path, data: ConstraintData) -> pd.DataFrame:
    """A world's ``stations.csv``, checked against its constraint data and against the
    count of stations the world's manifest records.

    Read as text first, so every error names its line (a cut last line too); the values
    then come typed as pandas reads them (numbers, flags, names), row for row.
    """
    frame, header = read_csv_text(table, whole_lines=True)
    require_columns(frame, REQUIRED_COLUMNS, table, header)
    values = {c: numeric_column(frame, c, table, header, whole=True) for c in REQUIRED_COLUMNS}
    ids = values["station"]
    no_duplicates(ids, table, header)
    unknown = np.flatnonzero(~np.isin(ids, data.ids))
    if unknown.size:
        i = int(unknown[0])
        raise InputError(f"station {ids[i]} has no line in {DOMAIN_FILE}", table, header + 1 + i)
    check_count(read_manifest(table.parent), "stations", ids.size, table)
    stations = pd.read_csv(table, skip_blank_lines=False, encoding="utf-8-sig")
    for column, column_values in values.items():
        stations[column] = column_values
    return stations


def load_world(
    folder: str | Path, fmt: InterferenceFormat | str = InterferenceFormat.AUTO
) -> World:
    """A world folder; its files are checked against the counts its manifest records."""
    folder = Path(folder)
    data = load_constraints(folder, fmt)
    table = folder / STATIONS_FILE
    if not table.is_file():
        raise InputError(
            f"not a world: no {STATIONS_FILE} (a constraint folder alone has no populations)",
            folder,
        )
    stations = read_stations(table, data)
    packing = None
    if (folder / PACKING_FILE).is_file():
        packing = {int(s): int(c) for s, c in read_assignment(folder / PACKING_FILE).items()}
    return World(data, stations, read_manifest(folder), packing)


def recording(meta: Mapping[str, Any], written: ConstraintData) -> dict[str, Any]:
    """``meta`` with its summary counting the constraints as written: the channel-specific
    format adds pairs that cannot matter (:func:`~auctool.worlds.writing.compact_ready`),
    and every load compares the count."""
    out = dict(meta)
    summary = out.get("summary")
    if isinstance(summary, dict) and "constraints" in summary:
        out["summary"] = {**summary, "constraints": len(written.interference)}
    return out


def write_manifest(folder: Path, meta: Mapping[str, Any]) -> None:
    write_json(folder / WORLD_MANIFEST, meta)


def save_world(
    world: World, folder: str | Path, fmt: InterferenceFormat | str = "unabridged"
) -> Path:
    folder = Path(folder)
    written = write_folder(world.data, folder, fmt)
    write_text(folder / STATIONS_FILE, world.stations.to_csv(index=False))
    if world.packing is not None:
        rows = "".join(f"{s},{c}\n" for s, c in sorted(world.packing.items()))
        write_text(folder / PACKING_FILE, "station,channel\n" + rows)
    else:
        (folder / PACKING_FILE).unlink(missing_ok=True)  # never a stale one from an older world
    write_manifest(folder, recording(world.meta, written))
    return folder
