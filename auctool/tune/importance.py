"""Which knobs mattered in a tuning run, read off its run history.

fANOVA (Hutter, Hoos & Leyton-Brown 2014) is the classic, but its package (and DeepCAVE's)
builds on pyrfr, which has no wheel for Python 3.11 and needs swig to compile; DeepCAVE
itself wants Python < 3.11. So the method is our own, on scikit-learn (already here for
SMAC): a random forest learns each trial's cost from the knob values (ConfigSpace's vector
form, an inactive knob as -1) and the instance's features, as SMAC's model does. A knob's
importance is how much the forest's cross-validated squared error grows when that knob's
column is shuffled (among the trials where the knob is active), as a share of the cost's
variance: permutation importance. Its spread is the standard deviation over folds and
shuffles. The forest's own impurity importance (its share among the knobs, spread over
trees) is given beside it. The cross-validated R² says how far to trust both: a forest
that cannot predict the cost cannot say what drives it.

The result is cached in ``importance.json`` beside the trials it was computed from.
"""

from __future__ import annotations

import contextlib
import csv
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from auctool._json import write_json
from auctool.check.config.configs import CheckerConfig, load_config
from auctool.errors import AuctoolError

IMPORTANCE = "importance.json"
VERSION = 1  # bump when the method changes: cached results are recomputed
MIN_TRIALS = 8
MAX_TRIALS = 5000  # a larger history is subsampled (seeded): the forest costs grow with it
TREES, FOLDS, SHUFFLES = 50, 5, 3
METHOD = (
    "permutation importance of a random forest (scikit-learn) fit on the run history: "
    "knob values + instance features -> cost; the error increase when a knob is shuffled, "
    "as a share of the cost's variance, over cross-validation folds"
)


@dataclass(frozen=True)
class KnobImportance:
    knob: str
    importance: float  # mean increase of the squared error / variance of the cost
    spread: float  # its standard deviation over folds and shuffles
    impurity: float  # the forest's impurity importance, as a share among the knobs
    impurity_spread: float  # standard deviation over trees
    active_trials: int  # trials in which the knob was active
    default: Any  # None: inactive
    incumbent: Any

    def to_json(self) -> dict[str, Any]:
        return {
            "knob": self.knob,
            "importance": round(self.importance, 6),
            "spread": round(self.spread, 6),
            "impurity": round(self.impurity, 6),
            "impurity_spread": round(self.impurity_spread, 6),
            "active_trials": self.active_trials,
            "default": self.default,
            "incumbent": self.incumbent,
        }


@dataclass(frozen=True)
class Importance:
    """Every knob active in the history, most important first (empty with a ``note``)."""

    method: str
    trials: int
    configs: int
    instance_features: int
    folds: int
    r2: float | None  # the forest's cross-validated R² on the cost
    knobs: tuple[KnobImportance, ...]
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "trials": self.trials,
            "configs": self.configs,
            "instance_features": self.instance_features,
            "folds": self.folds,
            "r2": None if self.r2 is None else round(self.r2, 6),
            "knobs": [k.to_json() for k in self.knobs],
            "note": self.note,
        }

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> Importance:
        knobs = tuple(KnobImportance(**k) for k in obj["knobs"])
        return cls(**{**obj, "knobs": knobs})


# ---- the run history ------------------------------------------------------------------
@dataclass(frozen=True)
class History:
    """The trials as arrays: knob vectors (NaN: inactive), instance features, costs."""

    knobs: tuple[str, ...]
    X: np.ndarray  # trials x knobs
    F: np.ndarray  # trials x instance features
    y: np.ndarray
    configs: int


def load_history(run_dir: Path) -> History:
    """Every trial of ``trials.csv`` whose configuration the checker still knows."""
    from ConfigSpace import Configuration

    from auctool.check.config.space import build_space

    report = json.loads((run_dir / "report.json").read_text(encoding="utf-8"))
    space = build_space()
    vectors: dict[str, np.ndarray | None] = {}
    for cid, values in (report.get("configs") or {}).items():
        try:
            config = CheckerConfig.from_mapping(values)
            vectors[cid] = Configuration(space, values=config.to_mapping()).get_array()
        except (AuctoolError, ValueError, KeyError):
            vectors[cid] = None  # a knob the checker no longer has: not comparable
    features = _features(run_dir / "features.csv")
    width = len(next(iter(features.values()), ()))
    rows, feats, costs = [], [], []
    with open(run_dir / "trials.csv", encoding="utf-8", newline="") as fh:
        for t in csv.DictReader(fh):
            vector = vectors.get(t["config_id"])
            cost = float(t.get("own_cost") or t["cost"])
            if vector is None or not math.isfinite(cost):
                continue
            rows.append(vector)
            feats.append(features.get(t["instance"], [math.nan] * width))
            costs.append(cost)
    n = len(rows)
    return History(
        tuple(space.keys()),
        np.array(rows, dtype=float).reshape(n, len(space)),
        np.array(feats, dtype=float).reshape(n, width),
        np.array(costs, dtype=float),
        len({v.tobytes() for v in rows}),
    )


def _features(path: Path) -> dict[str, list[float]]:
    if not path.is_file():
        return {}
    with open(path, encoding="utf-8", newline="") as fh:
        return {r.pop("instance"): [float(v) for v in r.values()] for r in csv.DictReader(fh)}


# ---- the forest -----------------------------------------------------------------------
def importance(h: History, default: CheckerConfig, incumbent: CheckerConfig | None, seed: int = 0):
    """Permutation and impurity importance of every knob active in ``h`` (see the module)."""
    active = ~np.isnan(h.X)
    keep = [j for j in range(len(h.knobs)) if active[:, j].any()]
    n = len(h.y)
    base = dict(method=METHOD, trials=n, configs=h.configs, instance_features=h.F.shape[1])
    if n < MIN_TRIALS:
        return Importance(**base, folds=0, r2=None, knobs=(), note=f"{n} trials: too few")
    rng = np.random.default_rng(seed)
    if n > MAX_TRIALS:
        pick = np.sort(rng.choice(n, MAX_TRIALS, replace=False))
        h = History(h.knobs, h.X[pick], h.F[pick], h.y[pick], h.configs)
        active, n = active[pick], MAX_TRIALS
    X = np.hstack([np.where(active, h.X, -1.0), np.nan_to_num(h.F, nan=-1.0)])
    folds = min(FOLDS, n // 4)
    variance = float(h.y.var())
    perm, r2, impurity = _fit(X, h.y, active, keep, folds, rng, seed, variance)
    d, inc = default.to_mapping(), incumbent.to_mapping() if incumbent else {}
    knobs = [
        KnobImportance(
            knob=h.knobs[j],
            importance=float(np.mean(perm[j])),
            spread=float(np.std(perm[j])),
            impurity=float(np.mean(impurity[j])),
            impurity_spread=float(np.std(impurity[j])),
            active_trials=int(active[:, j].sum()),
            default=d.get(h.knobs[j]),
            incumbent=inc.get(h.knobs[j]),
        )
        for j in keep
    ]
    knobs.sort(key=lambda k: (-k.importance, -k.impurity, k.knob))
    note = "every trial cost the same: nothing to explain" if variance == 0 else ""
    return Importance(**base, folds=folds, r2=r2, knobs=tuple(knobs), note=note)


def _fit(X, y, active, keep, folds, rng, seed, variance):
    """Per knob: ΔMSE/variance per fold and shuffle; the CV R²; impurity shares per tree."""
    from sklearn.ensemble import RandomForestRegressor
    from sklearn.model_selection import KFold

    def forest() -> Any:
        return RandomForestRegressor(
            n_estimators=TREES, min_samples_leaf=2, max_features=0.5, random_state=seed, n_jobs=1
        )

    perm: dict[int, list[float]] = {j: [] for j in keep}
    sse = 0.0
    for train, test in KFold(folds, shuffle=True, random_state=seed).split(X):
        model = forest().fit(X[train], y[train])
        Xt, yt = X[test], y[test]
        pred = model.predict(Xt)
        sse += float(((pred - yt) ** 2).sum())
        mse = float(((pred - yt) ** 2).mean())
        batch, where = [], []
        for j in keep:
            rows = np.flatnonzero(active[test, j])
            for _ in range(SHUFFLES):
                shuffled = Xt.copy()
                shuffled[rows, j] = rng.permutation(Xt[rows, j])
                batch.append(shuffled)
                where.append(j)
        preds = model.predict(np.vstack(batch)).reshape(len(batch), len(test))
        for j, p in zip(where, preds, strict=True):
            grown = float(((p - yt) ** 2).mean()) - mse
            perm[j].append(grown / variance if variance > 0 else 0.0)
    r2 = 1.0 - sse / (variance * len(y)) if variance > 0 else None
    full = forest().fit(X, y)
    per_tree = np.array([t.feature_importances_[: active.shape[1]] for t in full.estimators_])
    sums = per_tree.sum(axis=1, keepdims=True)
    shares = np.divide(per_tree, sums, out=np.zeros_like(per_tree), where=sums > 0)
    return perm, r2, {j: shares[:, j] for j in keep}


def run_importance(run_dir: str | Path) -> Importance:
    """The importance of a tune run's knobs, from ``importance.json`` when still current."""
    from auctool.tune.journal import digest, file_digest

    run_dir = Path(run_dir)
    path = run_dir / "incumbent.yaml"
    incumbent = load_config(path) if path.is_file() else None
    single = incumbent if isinstance(incumbent, CheckerConfig) else None
    sources = [run_dir / n for n in ("trials.csv", "features.csv", "report.json")]
    key = digest([VERSION, *(file_digest(p) if p.is_file() else None for p in sources)])
    with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
        cached = json.loads((run_dir / IMPORTANCE).read_text(encoding="utf-8"))
        if cached.get("source") == key:
            return Importance.from_json({k: v for k, v in cached.items() if k != "source"})
    if not (run_dir / "trials.csv").is_file():
        found = Importance(METHOD, 0, 0, 0, 0, None, (), "no trials.csv: no trials yet")
    else:
        found = importance(load_history(run_dir), CheckerConfig(), single)
    with contextlib.suppress(OSError):  # a read-only run folder: just not cached
        write_json(run_dir / IMPORTANCE, {"source": key, **found.to_json()})
    return found
