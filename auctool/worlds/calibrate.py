"""Fitting the distance model to real FCC constraints, and scoring it.

The real connected subsets (``../shared/data/fcc/subsets/*``) hold real constraints and,
in ``parameters.csv``, each station's location, ERP and HAAT. Every pair of stations in
a subset is an example: per band, do they have a CO constraint (on some channel of the
band), an ADJ+-1 one? The subsets were cut to a channel range, so a pair counts for the
UHF rule only when both stations' subset domains hold UHF channels.

Fitting: the radius coefficients maximise a smoothed likelihood of "CO iff distance <
r_i + r_j" (a logistic link on the margin, its width fitted too); the ADJ share and the
co-location exception are then a grid search for the best F1. The baseline is one fixed
radius for every station (and one ADJ share), fitted the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from auctool.errors import InputError
from auctool.formats.fcc import load_constraints
from auctool.worlds.distance import UHF_LOW, BandRule, DistanceModel, RadiusModel
from auctool.worlds.geo import great_circle_km
from auctool.worlds.tables import read_tvstudy_parameters
from auctool.worlds.transmitters import BandTransmitters, ClassDraw, TransmitterMix

BANDS = ("uhf", "vhf")


@dataclass(frozen=True, eq=False)
class CalibrationSet:
    """Stations (with transmitter data) and labelled pairs from real constraint folders."""

    stations: pd.DataFrame  # station, lat, lon, erp_kw, haat_m, vhf
    pairs: pd.DataFrame  # ia, ib, dist_km, region, {co,adj}_{uhf,vhf}, eligible_{uhf,vhf}

    def radii(self, rule: BandRule, scale: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
        s = self.stations
        r = scale * rule.radius.radius_km(s["erp_kw"], s["haat_m"], s["vhf"])
        return r[self.pairs["ia"].to_numpy()], r[self.pairs["ib"].to_numpy()]


def _labels(folder: Path) -> tuple[dict[int, tuple[int, ...]], pd.DataFrame]:
    data = load_constraints(folder, use_cache=False)
    it = data.interference
    lo = np.minimum(it.ca, it.cb).astype(int)
    frame = pd.DataFrame(
        {
            "a": it.a,
            "b": it.b,
            "co": it.ca == it.cb,
            "uhf": lo >= UHF_LOW,
        }
    )
    flags = pd.DataFrame(
        {
            "a": frame["a"],
            "b": frame["b"],
            "co_uhf": frame["co"] & frame["uhf"],
            "adj_uhf": ~frame["co"] & frame["uhf"],
            "co_vhf": frame["co"] & ~frame["uhf"],
            "adj_vhf": ~frame["co"] & ~frame["uhf"],
        }
    )
    return dict(data.domains), flags.groupby(["a", "b"]).any().reset_index()


def load_subsets(folders: list[Path]) -> CalibrationSet:
    """Labelled pairs from constraint folders that each hold a TVStudy ``parameters.csv``."""
    if not folders:
        raise InputError("no calibration folders given")
    params, labels, members, bands = [], [], [], {}
    for folder in folders:
        domains, flags = _labels(folder)
        params.append(read_tvstudy_parameters(folder / "parameters.csv"))
        labels.append(flags)
        members.append(set(domains))
        for s, chans in domains.items():
            u, v = bands.get(s, (False, False))
            bands[s] = (u or any(c >= UHF_LOW for c in chans), v or any(c < UHF_LOW for c in chans))
    table = pd.concat(params).drop_duplicates("station").reset_index(drop=True)
    table = table[table["station"].isin(bands)].reset_index(drop=True)
    stations = pd.DataFrame(
        {
            "station": table["station"].to_numpy(np.int64),
            "lat": table["lat"],
            "lon": table["lon"],
            "erp_kw": table["erp"],
            "haat_m": table["haat"],
            "vhf": table["tv_channel"].fillna(UHF_LOW).to_numpy() < UHF_LOW,
        }
    )
    index = {s: k for k, s in enumerate(stations["station"].tolist())}
    region = _regions(members, [f.name for f in folders])
    rows = []
    for k, member in enumerate(members):
        ids = sorted(s for s in member if s in index)
        a, b = np.triu_indices(len(ids), 1)
        rows.append(
            pd.DataFrame({"a": np.array(ids)[a], "b": np.array(ids)[b], "region": region[k]})
        )
    pairs = pd.concat(rows).drop_duplicates(["a", "b"]).reset_index(drop=True)
    flags = pd.concat(labels).groupby(["a", "b"]).any().reset_index()
    pairs = pairs.merge(flags, on=["a", "b"], how="left")
    for col in ("co_uhf", "adj_uhf", "co_vhf", "adj_vhf"):
        pairs[col] = pairs[col].fillna(False).astype(bool)
    pairs["ia"] = pairs["a"].map(index)
    pairs["ib"] = pairs["b"].map(index)
    for n, band in enumerate(BANDS):
        pairs[f"eligible_{band}"] = [
            bands[a][n] and bands[b][n] for a, b in zip(pairs["a"], pairs["b"], strict=True)
        ]
    s = stations
    pairs["dist_km"] = great_circle_km(
        s["lat"].to_numpy()[pairs["ia"]],
        s["lon"].to_numpy()[pairs["ia"]],
        s["lat"].to_numpy()[pairs["ib"]],
        s["lon"].to_numpy()[pairs["ib"]],
    )
    return CalibrationSet(stations, pairs)


def _regions(members: list[set[int]], names: list[str]) -> list[str]:
    """Subsets that share stations form one region, named after its largest subset."""
    parent = list(range(len(members)))

    def root(k: int) -> int:
        while parent[k] != k:
            k = parent[k]
        return k

    for x in range(len(members)):
        for y in range(x):
            if members[x] & members[y]:
                parent[root(x)] = root(y)
    groups: dict[int, list[int]] = {}
    for k in range(len(members)):
        groups.setdefault(root(k), []).append(k)
    label = {
        r: names[max(ks, key=lambda k: (len(members[k]), names[k]))] for r, ks in groups.items()
    }
    return [label[root(k)] for k in range(len(members))]


def subset_folders(root: str | Path) -> list[Path]:
    root = Path(root)
    if not root.is_dir():
        raise InputError("calibration folder not found", root)
    found = sorted(p for p in root.iterdir() if (p / "parameters.csv").is_file())
    if not found:
        raise InputError("no subset with a parameters.csv", root)
    return found


# ---- fitting -----------------------------------------------------------------------
def _features(cal: CalibrationSet, idx: np.ndarray, with_vhf: bool) -> np.ndarray:
    s = cal.stations
    cols = [
        np.ones(len(s)),
        np.log(np.clip(s["erp_kw"].to_numpy(float), 0.001, None)),
        np.log(np.clip(s["haat_m"].to_numpy(float), 30.0, None)),
    ]
    if with_vhf:
        cols.append(s["vhf"].to_numpy(float))
    return np.stack(cols, axis=1)[idx]


def fit_radius(
    cal: CalibrationSet, band: str, mask: np.ndarray, fixed: bool = False
) -> RadiusModel:
    """Radius coefficients for one band (``fixed``: one radius for all, the baseline)."""
    from scipy.optimize import minimize

    p = cal.pairs[mask]
    y = p[f"co_{band}"].to_numpy(bool)
    d = p["dist_km"].to_numpy(float)
    with_vhf = band == "vhf" and bool(cal.stations["vhf"].any())
    fa = _features(cal, p["ia"].to_numpy(), with_vhf)
    fb = _features(cal, p["ib"].to_numpy(), with_vhf)
    if fixed:
        fa, fb = fa[:, :1], fb[:, :1]
    k = fa.shape[1]

    def loss(theta: np.ndarray) -> float:
        w, width = theta[:k], np.exp(theta[k])
        z = np.clip((np.exp(fa @ w) + np.exp(fb @ w) - d) / width, -50, 50)
        return float(np.mean(np.where(y, np.logaddexp(0, -z), np.logaddexp(0, z))))

    start = np.zeros(k + 1)
    start[0], start[k] = np.log(max(np.median(d[y]) / 2, 1.0)) if y.any() else 4.0, 3.0
    theta = minimize(loss, start, method="L-BFGS-B").x
    coef = list(theta[:k]) + [0.0] * (4 - k)
    return RadiusModel(*(round(float(c), 3) for c in coef))


def _f1(pred: np.ndarray, truth: np.ndarray) -> float:
    tp = float((pred & truth).sum())
    return 2 * tp / max(float(pred.sum() + truth.sum()), 1.0)


def fit_band_rule(
    cal: CalibrationSet, band: str, mask: np.ndarray, fixed: bool = False
) -> BandRule:
    radius = fit_radius(cal, band, mask, fixed)
    rule = BandRule(radius, 0.5, 0.0, 1.0)
    ri, rj = cal.radii(rule)
    p = cal.pairs
    d, y = p["dist_km"].to_numpy(float), p[f"adj_{band}"].to_numpy(bool)
    ri, rj, d, y = ri[mask], rj[mask], d[mask], y[mask]
    best = (-1.0, rule)
    km_grid = (0.0,) if fixed else (0.0, 1.0, 5.0, 10.0, 15.0)
    ratio_grid = (1.0,) if fixed else (1.1, 1.3, 1.5, 2.0)
    for share in np.arange(0.20, 0.90, 0.01):
        for km in km_grid:
            for ratio in ratio_grid:
                cand = BandRule(radius, round(float(share), 2), km, ratio)
                f1 = _f1(cand.classify(d, ri, rj)[1], y)
                if f1 > best[0] + 1e-12:
                    best = (f1, cand)
    return best[1]


def fit_model(
    cal: CalibrationSet, mask: np.ndarray | None = None, fixed: bool = False
) -> DistanceModel:
    """The calibrated model (or the fixed-radius baseline) on the pairs in ``mask``."""
    base = np.ones(len(cal.pairs), dtype=bool) if mask is None else mask
    rules = {
        band: fit_band_rule(cal, band, base & cal.pairs[f"eligible_{band}"].to_numpy(), fixed)
        for band in BANDS
    }
    return DistanceModel(uhf=rules["uhf"], vhf=rules["vhf"])


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float
    predicted: int
    real: int

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def score(
    cal: CalibrationSet, model: DistanceModel, mask: np.ndarray | None = None
) -> dict[str, Score]:
    """Precision / recall of the model's CO and ADJ pairs per band (keys like 'co_uhf')."""
    base = np.ones(len(cal.pairs), dtype=bool) if mask is None else mask
    out = {}
    d = cal.pairs["dist_km"].to_numpy(float)
    for band in BANDS:
        rule = getattr(model, band)
        ri, rj = cal.radii(rule, model.scale)
        co, adj = rule.classify(d, ri, rj)
        m = base & cal.pairs[f"eligible_{band}"].to_numpy()
        for kind, pred in (("co", co), ("adj", adj)):
            truth = cal.pairs[f"{kind}_{band}"].to_numpy(bool)
            tp = int((pred[m] & truth[m]).sum())
            npred, nreal = int(pred[m].sum()), int(truth[m].sum())
            out[f"{kind}_{band}"] = Score(tp / max(npred, 1), tp / max(nreal, 1), npred, nreal)
    return out


def fit_transmitters(table: pd.DataFrame) -> TransmitterMix:
    """Class shares and log-normal ERP / HAAT per home band from a real table.

    ``table``: columns channel (home), erp_kw, haat_m, full_power (bool).
    """
    bands = {}
    for name, mask in (("uhf", table["channel"] >= UHF_LOW), ("vhf", table["channel"] < UHF_LOW)):
        t = table[mask]
        draws = []
        for cls in (True, False):
            c = t[t["full_power"] == cls]
            le = np.log10(np.clip(c["erp_kw"].to_numpy(float), 0.001, None))
            lh = np.log10(np.clip(c["haat_m"].to_numpy(float), 30.0, None))
            draws.append(
                ClassDraw(
                    (round(float(le.mean()), 3), round(float(le.std()), 3)),
                    (round(float(lh.mean()), 3), round(float(lh.std()), 3)),
                )
            )
        share = round(float(t["full_power"].mean()), 3)
        bands[name] = BandTransmitters(share, draws[0], draws[1])
    return TransmitterMix(uhf=bands["uhf"], vhf=bands["vhf"])
