"""The last step of every generator: constraints, interference counts, volumes, the World."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from auctool.model import ConstraintData, Interference
from auctool.worlds.build import PairSet, constraint_data, degrees
from auctool.worlds.distance import UHF_LOW
from auctool.worlds.world import World

#: The FCC scales volumes so that the largest UHF station has this volume.
VOLUME_SCALE = 1_000_000


def computed_volumes(counts: np.ndarray, population: np.ndarray, uhf: np.ndarray) -> np.ndarray:
    """sqrt(interference count) * sqrt(population), the largest UHF station scaled to 1e6.

    The FCC's formula (DOMAIN.md section 4), applied to our world's interference counts.
    """
    raw = np.sqrt(counts.astype(float)) * np.sqrt(population.astype(float))
    top = raw[uhf].max() if uhf.any() and raw[uhf].max() > 0 else max(raw.max(initial=0.0), 1.0)
    return np.round(raw / top * VOLUME_SCALE).astype(np.int64)


def finish_world(
    stations: pd.DataFrame,
    domains: Mapping[int, tuple[int, ...]],
    pairs: PairSet | Interference,
    name: str,
    fcc_volumes: pd.Series | None = None,
    uhf_home: np.ndarray | None = None,
) -> World:
    """Constraint data from the pairs (or the constraints), plus the derived station columns.

    ``volume`` is the FCC's own figure when ``fcc_volumes`` is given (empty for stations
    it lacks, e.g. Canadian ones), else :func:`computed_volumes`. ``uhf_home`` marks the
    UHF stations (default: home channel >= 14).
    """
    stations = stations.reset_index(drop=True).copy()
    if isinstance(pairs, Interference):  # constraints already (a world on real pairs)
        ids = stations["station"].to_numpy(dtype=np.int64)
        data = ConstraintData({int(s): tuple(domains[int(s)]) for s in ids}, pairs, name)
    else:
        data = constraint_data(stations, domains, pairs, name)
    order = np.searchsorted(data.ids, stations["station"].to_numpy(dtype=np.int64))
    counts = degrees(data)[order]
    stations["interference_count"] = counts
    if fcc_volumes is not None:
        stations["volume"] = stations["station"].map(fcc_volumes).astype("Int64")
    else:
        uhf = stations["channel"].to_numpy() >= UHF_LOW if uhf_home is None else uhf_home
        stations["volume"] = computed_volumes(counts, stations["population"].to_numpy(), uhf)
    return World(data, stations)
