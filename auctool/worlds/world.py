"""A world: constraint data plus the station table the auction needs (population, home channel...).

On disk a world is a constraint folder (``Domain.csv``, ``Interference_Paired.csv``)
with two more files: ``stations.csv`` (one row per station) and ``manifest.json`` (the
command and seed that made it, and the counts of stations and constraints every load
compares, so a file cut at a line break is caught). Any FCC constraint folder plus a
``stations.csv`` is a world.
A world built around a real repack also keeps it, completed, as ``packing.csv``
(``station,channel``: a packing the world admits, e.g. the post-auction channels): an
auction can start from it instead of searching for a first packing. A world may also
say who bids in it, ``participants.csv`` (one ``station`` column, e.g. the stations of a
region that took part in Auction 1001): an auction on it uses that list unless told
otherwise, so a region cut with its real bidders replays with them by default.
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
    read_stations_column,
    require_columns,
)
from auctool.worlds.writing import write_folder

STATIONS_FILE = "stations.csv"
WORLD_MANIFEST = MANIFEST_FILE
PACKING_FILE = "packing.csv"
PARTICIPANTS_FILE = "participants.csv"
#: Columns every station table has; others (lat, lon, x_km, y_km, volume, dma, ...) are optional.
REQUIRED_COLUMNS = ("station", "population", "channel")


@dataclass(frozen=True, eq=False)
class World:
    data: ConstraintData
    stations: pd.DataFrame  # indexed 0..n-1; column "station" holds the ids
    meta: dict[str, Any] = field(default_factory=dict)
    packing: Mapping[int, int] | None = None  # a packing the world admits (packing.csv)
    participants: tuple[int, ...] | None = None  # who bids by default (participants.csv)

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
    meta = read_manifest(folder)
    return World(data, stations, meta, packing, read_participants(folder, data, meta))


def read_participants(
    folder: Path, data: ConstraintData, meta: Mapping[str, Any]
) -> tuple[int, ...] | None:
    """The world's ``participants.csv`` (None without one), checked like its other files:
    every station in the world, the count its manifest records."""
    path = folder / PARTICIPANTS_FILE
    if not path.is_file():
        return None
    listed = read_stations_column(path, data.ids.tolist(), "participants", empty_ok=True)
    check_count(dict(meta), "participants", len(listed), path)
    return tuple(listed)


def recording(meta: Mapping[str, Any], written: ConstraintData) -> dict[str, Any]:
    """``meta`` with its summary counting the constraints as written: the channel-specific
    format adds pairs that cannot matter (:func:`~auctool.worlds.writing.compact_ready`),
    and every load compares the count."""
    out = dict(meta)
    summary = out.get("summary")
    if isinstance(summary, dict) and "constraints" in summary:
        out["summary"] = {**summary, "constraints": len(written.interference)}
    return out


def _counting_participants(
    meta: dict[str, Any], participants: tuple[int, ...] | None
) -> dict[str, Any]:
    """``meta`` with its summary (if any) counting the participants written, or not
    counting any when none are: the count a load compares is always the file's."""
    summary = meta.get("summary")
    if not isinstance(summary, dict):
        return meta
    summary = {k: v for k, v in summary.items() if k != "participants"}
    if participants is not None:
        summary["participants"] = len(participants)
    return {**meta, "summary": summary}


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
    if world.participants is not None:
        rows = "".join(f"{s}\n" for s in world.participants)
        write_text(folder / PARTICIPANTS_FILE, "station\n" + rows)
    else:
        (folder / PARTICIPANTS_FILE).unlink(missing_ok=True)
    write_manifest(
        folder, _counting_participants(recording(world.meta, written), world.participants)
    )
    return folder
