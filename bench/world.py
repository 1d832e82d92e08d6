"""Worlds: how close the distance model comes to real FCC constraints, and what it costs.

1. Calibration: precision and recall of the model's CO / ADJ station pairs against the
   real pairs of ``../shared/data/fcc/subsets`` (in-sample, and fitted on one region then
   scored on the other), against the baseline of one fixed radius fitted the same way.
2. Generation: seconds and sizes of synthetic and national worlds; for the national
   world from the FCC table, how many interference pairs the real post-auction repack
   (held out) violates, whether its 1,537 UHF stations still fit 14-36, and how the
   world's interference counts compare with the FCC's own (Auction 1001 open prices).
3. Hardness: the auction-like packing sequence (``auctool.worlds.problems``, UHF 14-36)
   with the default checker on the shipped default world and on smaller/larger variants.

Needs ../shared/data/fcc for parts 1 and 2.
"""

from __future__ import annotations

import functools
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from bench._table import show

ROOT = Path(__file__).resolve().parents[1]
FCC = ROOT.parent / "shared" / "data" / "fcc"
DEFAULT_WORLD = ROOT / "instances" / "worlds" / "default"
UHF_84 = tuple(range(14, 37))
FIT_CHECKED = (
    "national, TVStudy transmitters",
    "national, TVStudy, admit post-auction",
    "national, real 2013 pairs",
)


def _pr(scores, keys) -> list[str]:
    """'precision / recall' of each key."""
    return [f"{scores[k].precision:.3f} / {scores[k].recall:.3f}" for k in keys]


def calibration() -> None:
    from auctool.worlds.calibrate import fit_model, load_subsets, score, subset_folders
    from auctool.worlds.distance import CALIBRATED

    cal = load_subsets(subset_folders(FCC / "subsets"))
    region = cal.pairs["region"].to_numpy()
    names = sorted(set(region))
    short = {n: chr(ord("A") + k) for k, n in enumerate(names)}
    rows = []
    keys = ("co_uhf", "adj_uhf", "co_vhf", "adj_vhf")
    for label, fixed in (("baseline: fixed radius", True), ("calibrated", False)):
        model = CALIBRATED if not fixed else fit_model(cal, fixed=True)
        s = score(cal, model)
        rows.append([label, "all (in-sample)", *_pr(s, keys)])
        for train, test in ((names[0], names[1]), (names[1], names[0])):
            m = fit_model(cal, region == train, fixed=fixed)
            s = score(cal, m, region == test)
            rows.append([label, f"{short[train]} -> {short[test]}", *_pr(s, keys)])
    s = score(cal, CALIBRATED)
    counts = ", ".join(f"{k} {s[k].real:,}" for k in keys)
    sizes = "; ".join(
        f"region {short[r]} = the subsets around {r} ({int((region == r).sum()):,} pairs)"
        for r in names
    )
    show(
        "Distance model vs the real FCC constraint pairs (subsets; precision / recall)",
        ["model", "fit -> scored", "CO UHF", "ADJ UHF", "CO VHF", "ADJ VHF"],
        rows,
        "world_calibration",
        notes=f"precision / recall. {len(cal.stations)} stations, {len(cal.pairs):,} pairs; {sizes}. "
        f"Real pairs: {counts}. UHF rules scored on pairs whose subset domains both hold "
        "UHF channels. Baseline: one radius for every station (and one ADJ share), fitted "
        "the same way on the same pairs.",
    )


def _fcc_counts(stations: pd.DataFrame) -> tuple[float, float, float]:
    """Mean interference count, the FCC's mean, and their rank correlation (US stations)."""
    from auctool.worlds.spec import FCC_LAYOUT

    op = pd.read_csv(FCC / FCC_LAYOUT["degrees"], encoding="utf-8-sig")
    real = op.set_index("Facility ID")["Interference2"]
    ours = stations.set_index("station")["interference_count"]
    both = pd.concat([ours, real], axis=1, join="inner").astype(float)
    return (
        float(both.iloc[:, 0].mean()),
        float(both.iloc[:, 1].mean()),
        float(both.corr("spearman").iloc[0, 1]),
    )


def _post_fit(world, post: pd.Series, cutoff: float = 30.0) -> str:
    """Do the real post-auction UHF 14-36 stations fit 14-36 in this world?"""
    from auctool.check import Checker, CheckerConfig
    from auctool.model import Problem

    prev = {int(s): int(c) for s, c in post.items() if 14 <= c <= 36 and s in world.data.domains}
    doms = {s: tuple(c for c in world.data.domains[s] if c in UHF_84) for s in prev}
    r = Checker(world.data, CheckerConfig(solver="cadical195")).check(Problem(doms, prev), cutoff)
    return f"{r.answer.value} {r.seconds:.1f}s ({len(prev):,})"


def generation() -> None:
    from auctool.worlds.build import check_assignment
    from auctool.worlds.calibrate import fit_model, load_subsets, subset_folders
    from auctool.worlds.generate import make_world
    from auctool.worlds.spec import SynthSpec, TableSpec, fcc_tables
    from auctool.worlds.tables import read_assignment

    files = fcc_tables(FCC)
    post_path = files["admit"]
    post = read_assignment(post_path)
    fixed = fit_model(load_subsets(subset_folders(files["subsets"])), fixed=True)
    table = dict(stations=files["stations"], domains=files["domains"], volumes=files["volumes"])
    params = files["parameters"]
    real_pairs = dict(interference=FCC / "satfc2013", degrees=files["degrees"])
    cases = [
        ("synthetic, 200 stations (default)", SynthSpec(seed=1), False),
        (
            "synthetic, 1,000 stations",
            SynthSpec(stations=1000, cities=70, region_km=2240, seed=1),
            False,
        ),
        (
            "synthetic, 3,000 stations",
            SynthSpec(stations=3000, cities=210, region_km=3900, seed=1),
            False,
        ),
        (
            "national, baseline fixed radius",
            TableSpec(**table, parameters=params, model=fixed),
            True,
        ),
        ("national, drawn transmitters", TableSpec(**table), True),
        ("national, TVStudy transmitters", TableSpec(**table, parameters=params), True),
        ("national, TVStudy, scale 0.9", TableSpec(**table, parameters=params, scale=0.9), True),
        (
            "national, TVStudy, admit post-auction",
            TableSpec(**table, parameters=params, admit=(post_path,)),
            True,
        ),
        ("national, real 2013 pairs", TableSpec(**table, parameters=params, **real_pairs), True),
        (
            "national, real 2013 pairs, admit post-auction (data national)",
            TableSpec(**table, parameters=params, admit=(post_path,), **real_pairs),
            True,
        ),
    ]
    sizes, realism = [], []
    with tempfile.TemporaryDirectory() as tmp:
        make_world(SynthSpec(stations=20), Path(tmp) / "warm")  # imports, caches
        for k, (label, spec, real) in enumerate(cases):
            t = time.perf_counter()
            world, report = make_world(spec, Path(tmp) / f"w{k}")
            total = time.perf_counter() - t
            sizes.append(
                [
                    label,
                    len(world.stations),
                    len(world.data.interference),
                    round(float(world.stations["interference_count"].mean()), 1),
                    round(report["seconds"]["generate"], 2),
                    round(total, 2),
                ]
            )
            if not real:
                continue
            home = report["report"]["admitted"][0]
            c = check_assignment(world.data, post.to_dict())
            mean, fcc_mean, rho = _fcc_counts(world.stations)
            fits = _post_fit(world, post) if label in FIT_CHECKED else "-"
            realism.append(
                [
                    label.removeprefix("national, "),
                    f"{home['co_demoted']} / {home['adj_demoted']}",
                    f"{c.co_pairs} / {c.adj_pairs} ({c.stations_in_violation})",
                    fits,
                    f"{mean:.0f} / {fcc_mean:.0f} ({rho:.2f})",
                ]
            )
    show(
        "Generating worlds (seconds on this machine, both cores shared)",
        ["world", "stations", "constraints", "interf. count", "generate s", "+ write s"],
        sizes,
        "world_generation",
        notes="interf. count: mean number of stations each station shares a constraint with. "
        "Synthetic worlds leave out the few stations that fit on no channel (never licensed).",
    )
    show(
        "National world from the FCC table vs reality (post-auction repack held out)",
        [
            "model",
            "home admitted: CO / ADJ dropped",
            "post viol.: CO / ADJ (stations)",
            "post UHF fit 14-36",
            "interf. count ours / FCC (rank corr.)",
        ],
        realism,
        "world_national",
        notes=f"post-auction repack: {len(post):,} stations. 'home admitted': pairs the real "
        "pre-auction channels contradicted (dropped in that band). 'fit': cadical195 on the "
        "post-auction stations in UHF 14-36 with their real channels as the previous "
        "assignment, 30 s cutoff. FCC interference counts: Auction 1001 open prices (US).",
    )


def hardness() -> None:
    from auctool.check import Checker
    from auctool.worlds.problems import packing_sequence
    from auctool.worlds.spec import SynthSpec
    from auctool.worlds.synth import synth_world
    from auctool.worlds.world import load_world

    cases = [
        ("150 stations, 900 km", SynthSpec(stations=150, cities=10, region_km=900, seed=1), 1.0),
        ("200 stations (shipped default)", None, 1.0),
        ("200 stations (shipped default)", None, 5.0),
        ("300 stations, 1,000 km, 20 cities", SynthSpec(stations=300, cities=20, seed=1), 1.0),
    ]
    rows = []
    for label, spec, cutoff in cases:
        world = load_world(DEFAULT_WORLD) if spec is None else synth_world(spec)[0]
        check = functools.partial(Checker(world.data).check, cutoff=cutoff)
        seconds, answers = [], {"SAT": 0, "UNSAT": 0, "TIMEOUT": 0}
        start = time.perf_counter()
        for _, r in packing_sequence(world.data, UHF_84, check, seed=0):
            seconds.append(r.seconds)
            answers[r.answer.value] += 1
        s = np.array(seconds)
        rows.append(
            [
                label,
                cutoff,
                len(s),
                answers["SAT"],
                answers["TIMEOUT"],
                round(float((s < 0.1).mean()), 3),
                round(float(np.median(s)), 3),
                round(float(np.percentile(s, 90)), 3),
                round(float(s.max()), 2),
                round(time.perf_counter() - start, 1),
            ]
        )
    show(
        "Hardness: stations added one by one into UHF 14-36 (default checker, whole-band solve)",
        [
            "world",
            "cutoff s",
            "checks",
            "SAT (packed)",
            "TIMEOUT",
            "share < 0.1 s",
            "p50 s",
            "p90 s",
            "max s",
            "wall s",
        ],
        rows,
        "world_hardness",
        notes="packing_sequence(seed=0): each new station is checked against those already packed "
        "(their channels as the previous assignment); a TIMEOUT leaves the station out.",
    )


def main() -> None:
    if not (FCC / "subsets").is_dir():
        print(f"skipping calibration and national worlds: {FCC} not found")
    else:
        calibration()
        generation()
    hardness()


if __name__ == "__main__":
    main()
