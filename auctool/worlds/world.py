"""A world: constraint data plus the station table the auction needs (population, home channel...).

On disk a world is a constraint folder (``Domain.csv``, ``Interference_Paired.csv``)
with two more files: ``stations.csv`` (one row per station) and ``manifest.json`` (the
command and seed that made it). Any FCC constraint folder plus a ``stations.csv`` is a world.
A world built around a real repack also keeps it, completed, as ``packing.csv``
(``station,channel``: a packing the world admits, e.g. the post-auction channels): an
auction can start from it instead of searching for a first packing.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from auctool._atomic import write_text
from auctool.errors import InputError
from auctool.formats.fcc import InterferenceFormat, load_constraints
from auctool.model import ConstraintData
from auctool.worlds.writing import write_folder

STATIONS_FILE = "stations.csv"
WORLD_MANIFEST = "manifest.json"
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


def validate_stations(
    stations: pd.DataFrame, data: ConstraintData, source: Path | None = None
) -> pd.DataFrame:
    missing = [c for c in REQUIRED_COLUMNS if c not in stations.columns]
    if missing:
        raise InputError(f"station table lacks column(s) {', '.join(missing)}", source)
    stations = stations.copy()
    for col in REQUIRED_COLUMNS:
        try:
            stations[col] = pd.to_numeric(stations[col], errors="raise").astype("int64")
        except (ValueError, TypeError):
            raise InputError(f"column {col!r} must hold whole numbers", source) from None
    if stations["station"].duplicated().any():
        dup = int(stations.loc[stations["station"].duplicated(), "station"].iloc[0])
        raise InputError(f"station {dup} listed twice", source)
    unknown = [int(s) for s in stations["station"] if s not in data.domains]
    if unknown:
        raise InputError(f"station {unknown[0]} has no line in Domain.csv", source)
    return stations.reset_index(drop=True)


def load_world(
    folder: str | Path, fmt: InterferenceFormat | str = InterferenceFormat.AUTO
) -> World:
    folder = Path(folder)
    data = load_constraints(folder, fmt)
    table = folder / STATIONS_FILE
    if not table.is_file():
        raise InputError(
            f"not a world: no {STATIONS_FILE} (a constraint folder alone has no populations)",
            folder,
        )
    try:
        stations = pd.read_csv(table)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read station table ({exc})", table) from None
    packing = None
    if (folder / PACKING_FILE).is_file():
        from auctool.worlds.tables import read_assignment

        packing = {int(s): int(c) for s, c in read_assignment(folder / PACKING_FILE).items()}
    meta = read_manifest(folder)
    expected = (meta.get("summary") or {}).get("constraints")
    if isinstance(expected, int) and expected != len(data.interference):
        raise InputError(
            f"the interference file holds {len(data.interference):,} constraints where the "
            f"world's manifest says {expected:,} (a cut or edited file? remake the world, or "
            "delete manifest.json to take the files as they are)",
            folder,
        )
    return World(data, validate_stations(stations, data, table), meta, packing)


def read_manifest(folder: str | Path) -> dict[str, Any]:
    """The world's ``manifest.json`` ({} when there is none)."""
    manifest = Path(folder) / WORLD_MANIFEST
    if not manifest.is_file():
        return {}
    try:
        meta = json.loads(manifest.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise InputError(f"manifest is not valid JSON ({exc})", manifest) from None
    if not isinstance(meta, dict):
        raise InputError("manifest is not a JSON object", manifest)
    return meta


def save_world(
    world: World, folder: str | Path, fmt: InterferenceFormat | str = "unabridged"
) -> Path:
    folder = Path(folder)
    write_folder(world.data, folder, fmt)
    write_text(folder / STATIONS_FILE, world.stations.to_csv(index=False))
    if world.packing is not None:
        rows = "".join(f"{s},{c}\n" for s, c in sorted(world.packing.items()))
        write_text(folder / PACKING_FILE, "station,channel\n" + rows)
    else:
        (folder / PACKING_FILE).unlink(missing_ok=True)  # never a stale one from an older world
    write_text(folder / WORLD_MANIFEST, json.dumps(world.meta, indent=1, default=str) + "\n")
    return folder
