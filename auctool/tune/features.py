"""Per-instance features: what SMAC's random forest sees of a problem besides the configuration.

Cheap to compute (one numpy pass over the problem's interference pairs, the same pass the
direct encoding makes), finite, and about what makes a repacking question hard: size,
constraint density, degrees in the interference graph, and how boxed in the new stations
are by their neighbours' previous channels.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from auctool._atomic import write_text
from auctool.check.solve.encoding import interference_clauses, variable_table
from auctool.formats.fcc.load import DataLibrary
from auctool.formats.instances import (
    InstanceSet,
    require_known_stations,
    resolve_constraints_dir,
)
from auctool.model.constraints import ConstraintData
from auctool.model.problem import Problem

FEATURES: tuple[str, ...] = (
    "stations",
    "new_stations",
    "previous_share",
    "variables",
    "domain_mean",
    "domain_min",
    "domain_max",
    "interference_clauses",
    "clauses",
    "clause_density",
    "edges",
    "graph_density",
    "degree_mean",
    "degree_max",
    "degree_std",
    "new_degree_mean",
    "new_blocked_share",
    "components",
    "largest_component_share",
)


def problem_features(
    problem: Problem, data: ConstraintData, source: str | Path | None = None
) -> dict[str, float]:
    """The features of one problem (domains first intersected with the data's, as checks do)."""
    require_known_stations(problem, data, source)
    prepared, _ = problem.against(data)
    domains = prepared.domains
    n = len(domains)
    sizes = np.array([len(d) for d in domains.values()], dtype=float)
    var_station, var_channel, table = variable_table(domains, data)
    pairs = -interference_clauses(table, data) - 1  # (k, 2) 0-based variable indices
    stations = np.array(list(domains), dtype=np.int64)  # sorted: Problem sorts its domains
    st_of_var = np.searchsorted(stations, var_station)
    a, b = st_of_var[pairs[:, 0]], st_of_var[pairs[:, 1]]
    cross = a != b
    edges = np.unique(np.sort(np.stack([a[cross], b[cross]], axis=1), axis=1), axis=0)
    degree = np.bincount(edges.ravel(), minlength=n).astype(float) if n else np.zeros(0)
    new = np.searchsorted(stations, np.array(prepared.new_stations, dtype=np.int64))
    amo = float((sizes * (sizes - 1) / 2).sum())
    n_inter = float(pairs.shape[0])
    return {
        "stations": float(n),
        "new_stations": float(len(new)),
        "previous_share": len(prepared.previous) / n if n else 0.0,
        "variables": float(sizes.sum()),
        "domain_mean": float(sizes.mean()) if n else 0.0,
        "domain_min": float(sizes.min()) if n else 0.0,
        "domain_max": float(sizes.max()) if n else 0.0,
        "interference_clauses": n_inter,
        "clauses": n + amo + n_inter,
        "clause_density": (n + amo + n_inter) / sizes.sum() if sizes.sum() else 0.0,
        "edges": float(len(edges)),
        "graph_density": 2 * len(edges) / (n * (n - 1)) if n > 1 else 0.0,
        "degree_mean": float(degree.mean()) if n else 0.0,
        "degree_max": float(degree.max()) if n else 0.0,
        "degree_std": float(degree.std()) if n else 0.0,
        "new_degree_mean": float(degree[new].mean()) if new.size else 0.0,
        "new_blocked_share": _blocked_share(prepared, var_station, var_channel, pairs, new, sizes),
        **_components(n, edges),
    }


def _blocked_share(
    problem: Problem,
    var_station: np.ndarray,
    var_channel: np.ndarray,
    pairs: np.ndarray,
    new: np.ndarray,
    sizes: np.ndarray,
) -> float:
    """Share of the new stations' channels that a neighbour's previous channel forbids."""
    if not new.size:
        return 0.0
    prev = problem.previous
    holds = np.array(
        [prev.get(s) == c for s, c in zip(var_station.tolist(), var_channel.tolist(), strict=True)],
        dtype=bool,
    )
    is_new_var = np.isin(var_station, np.array(problem.new_stations, dtype=np.int64))
    blocked = np.zeros(var_station.size, dtype=bool)
    for x, y in ((0, 1), (1, 0)):
        hit = is_new_var[pairs[:, x]] & holds[pairs[:, y]]
        blocked[pairs[hit, x]] = True
    return float(blocked.sum() / sizes[new].sum()) if sizes[new].sum() else 0.0


def _components(n: int, edges: np.ndarray) -> dict[str, float]:
    if n == 0:
        return {"components": 0.0, "largest_component_share": 0.0}
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    graph = coo_matrix((np.ones(len(edges)), (edges[:, 0], edges[:, 1])), shape=(n, n))
    count, labels = connected_components(graph, directed=False)
    return {
        "components": float(count),
        "largest_component_share": float(np.bincount(labels).max() / n),
    }


@dataclass(frozen=True)
class FeatureTable:
    """Feature vectors by instance name (the set's file names), in the order of ``names``."""

    names: tuple[str, ...]
    rows: Mapping[str, tuple[float, ...]]

    def as_dict(self) -> dict[str, list[float]]:
        """What SMAC's ``Scenario(instance_features=...)`` takes."""
        return {k: list(v) for k, v in self.rows.items()}

    def to_json(self) -> dict[str, Any]:
        return {
            "features": list(self.names),
            "instances": [
                {"instance": k, **dict(zip(self.names, v, strict=True))}
                for k, v in self.rows.items()
            ],
        }

    def to_csv(self) -> str:
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(["instance", *self.names])
        for k, v in self.rows.items():
            writer.writerow([k, *(_num(x) for x in v)])
        return buf.getvalue()

    def write_csv(self, path: str | Path) -> Path:
        write_text(path, self.to_csv())
        return Path(path)


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:.6g}"


def set_features(
    iset: InstanceSet, data_dir: Path | None = None, library: DataLibrary | None = None
) -> tuple[FeatureTable, dict[str, Path]]:
    """Features of every instance of a set, and each instance's constraint folder.

    Also proves every problem fits its constraint data (a bad set fails here, with the
    file named, before any tuning starts).
    """
    library = library or DataLibrary()
    rows: dict[str, tuple[float, ...]] = {}
    folders: dict[str, Path] = {}
    for entry, problem in iset.problems():
        path = iset.root / entry.file
        folder = resolve_constraints_dir(data_dir, problem, path).resolve()
        feats = problem_features(problem, library.get(folder), path)
        bad = [k for k, v in feats.items() if not math.isfinite(v)]
        if bad:  # pragma: no cover - every feature above is finite by construction
            raise RuntimeError(f"{path}: non-finite features {bad}")
        rows[entry.file] = tuple(feats[k] for k in FEATURES)
        folders[entry.file] = folder
    return FeatureTable(FEATURES, rows), folders
