"""Loading a constraint folder: both files, cross-checked, through the on-disk cache."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from auctool.errors import InputError
from auctool.formats.fcc.cache import cache_path, load_cached, store_cached
from auctool.formats.fcc.domains import read_domains
from auctool.formats.fcc.files import DOMAIN_FILE, INTERFERENCE_FILE, constraint_file
from auctool.formats.fcc.interference import read_interference
from auctool.formats.fcc.kinds import InterferenceFormat
from auctool.formats.fcc.recorded import check_recorded_counts
from auctool.model.constraints import ConstraintData


def load_constraints(
    folder: str | Path,
    fmt: InterferenceFormat | str = InterferenceFormat.AUTO,
    use_cache: bool = True,
) -> ConstraintData:
    """Read a constraint folder (``Domain.csv`` + ``Interference_Paired.csv``).

    Every station an interference line names must have a domain; a file cut short is
    refused, and so is one short of the counts the folder's manifest records (an auctool
    world's). The parsed form is cached under ``$AUCTOOL_CACHE_DIR`` (default
    ``~/.cache/auctool``; set it empty to disable).
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(
            "constraint folder not found" if not folder.exists() else "not a folder", folder
        )
    fmt = InterferenceFormat(fmt)
    for name in (DOMAIN_FILE, INTERFERENCE_FILE):
        if not constraint_file(folder, name).is_file():
            raise InputError(f"constraint folder has no {name} (or {name}.gz)", folder)
    cache = cache_path(folder, fmt) if use_cache else None
    data = load_cached(cache, folder) if cache is not None and cache.exists() else None
    if data is not None:  # the manifest is no part of the cache key: compare on every load
        check_recorded_counts(folder, len(data.domains), len(data.interference))
        return data
    domains = read_domains(constraint_file(folder, DOMAIN_FILE))
    interference, _ = read_interference(constraint_file(folder, INTERFERENCE_FILE), fmt)
    check_recorded_counts(folder, len(domains), len(interference))
    stations = interference.stations
    known = np.array(sorted(domains), dtype=np.int64)
    unknown = stations[~np.isin(stations, known)]
    if unknown.size:
        raise InputError(
            f"station {unknown[0]} has interference constraints but no line in {DOMAIN_FILE}"
            + (f" ({unknown.size} such stations)" if unknown.size > 1 else ""),
            folder / INTERFERENCE_FILE,
        )
    data = ConstraintData(domains, interference, folder.name, str(folder))
    if cache is not None:
        store_cached(cache, data)
    return data


class DataLibrary:
    """Constraint folders loaded once each (a national folder takes seconds)."""

    def __init__(self, fmt: InterferenceFormat | str = InterferenceFormat.AUTO):
        self.fmt = InterferenceFormat(fmt)
        self._loaded: dict[Path, ConstraintData] = {}

    def get(self, folder: Path) -> ConstraintData:
        key = folder.resolve()
        if key not in self._loaded:
            self._loaded[key] = load_constraints(folder, self.fmt)
        return self._loaded[key]
