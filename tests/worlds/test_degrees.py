"""Degree calibration: radius factors that bring each station's degree to its target."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from auctool.errors import InputError
from auctool.worlds.degrees import (
    FACTOR_BOUNDS,
    FCC_DEGREE_QUANTILES,
    Geometry,
    agreement,
    fit_factors,
    model_degrees,
    read_interference_counts,
    synthetic_targets,
)
from auctool.worlds.spec import SynthSpec
from auctool.worlds.synth import synth_world

UHF = tuple(range(14, 37))


def _line(n: int, spacing_km: float = 10.0) -> tuple[Geometry, pd.DataFrame]:
    """n stations on a line, radius 6 km each: neighbours 10 km apart interfere (12 > 10)."""
    table = pd.DataFrame(
        {
            "station": np.arange(1, n + 1),
            "x_km": np.arange(n) * spacing_km,
            "y_km": np.zeros(n),
            "radius_uhf_km": np.full(n, 6.0),
            "radius_vhf_km": np.full(n, 6.0),
        }
    )
    return Geometry.of(table, {s: UHF for s in table["station"]}), table


def test_model_degrees_on_a_line_are_one_or_two():
    geo, _ = _line(5)
    assert model_degrees(geo).tolist() == [1, 2, 2, 2, 1]


def test_stations_with_no_common_band_channel_never_interfere():
    geo, table = _line(2)
    geo = Geometry.of(table, {1: UHF, 2: (2, 3, 4)})
    assert model_degrees(geo).tolist() == [0, 0]


def test_the_fit_reaches_reachable_targets():
    geo, _ = _line(9)
    target = np.array([2, 3, 4, 4, 4, 4, 4, 3, 2], dtype=float)  # two neighbours each side
    fit = fit_factors(geo, target)
    assert model_degrees(geo, fit.factors).tolist() == target.astype(int).tolist()
    assert fit.agreement["mean_abs_error"] == 0.0
    assert fit.factors.min() >= FACTOR_BOUNDS[0] and fit.factors.max() <= FACTOR_BOUNDS[1]


def test_untargeted_stations_take_their_neighbours_factors():
    geo, _ = _line(6)
    target = np.array([3, 3, 3, np.nan, np.nan, np.nan])
    fit = fit_factors(geo, target)
    assert fit.targeted == 3
    assert np.all(fit.factors[3:] > 1.0)  # the targeted ones grew; their neighbours follow


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(0, 10), min_size=2, max_size=40))
def test_synthetic_targets_follow_the_model_order(degrees):
    model = np.array(degrees)
    targets = synthetic_targets(model, np.random.default_rng(0))
    assert targets.min() >= FCC_DEGREE_QUANTILES[0] and targets.max() <= FCC_DEGREE_QUANTILES[-1]
    order = np.argsort(model, kind="stable")
    # a station with a larger model degree never gets a smaller target
    for a, b in itertools.pairwise(order):
        if model[a] < model[b]:
            assert targets[a] <= targets[b]


def test_agreement_figures():
    out = agreement(np.array([2, 4, 6]), np.array([1.0, 2.0, 3.0, np.nan][:3]))
    assert out["mean_ratio"] == 2.0 and out["correlation"] == 1.0 and out["stations"] == 3


def test_counts_files_both_forms(tmp_path):
    fcc = tmp_path / "open_prices.csv"
    fcc.write_text("\ufeffDMA Rank,Facility ID,Interference2\n1,1328,206\n2,9610,179\n")
    assert read_interference_counts(fcc).to_dict() == {1328: 206.0, 9610: 179.0}
    own = tmp_path / "counts.csv"
    own.write_text("station,interference_count\n5,12\n")
    assert read_interference_counts(own).to_dict() == {5: 12.0}
    bad = tmp_path / "bad.csv"
    bad.write_text("station,interference_count\n5,12\n6,-1\n")
    with pytest.raises(InputError, match=r"bad.csv:3: column interference_count: negative"):
        read_interference_counts(bad)
    twice = tmp_path / "twice.csv"
    twice.write_text("station,interference_count\n5,12\n5,3\n")
    with pytest.raises(InputError, match=r"twice.csv:3: station 5 listed twice"):
        read_interference_counts(twice)


def test_a_synthetic_world_calibrated_to_counts(tmp_path):
    base = SynthSpec(stations=150, cities=6, region_km=900, seed=3)
    plain, _ = synth_world(base)
    counts = plain.stations[["station", "interference_count"]].copy()
    counts["interference_count"] = (counts["interference_count"] * 1.5).round()
    path = tmp_path / "counts.csv"
    counts.to_csv(path, index=False)
    world, report = synth_world(SynthSpec(**{**base.__dict__, "degrees": path}))
    cal = report["calibration"]
    assert cal["targeted"] == 150 and cal["fit"]["correlation"] > 0.9
    assert abs(cal["fit"]["mean_ratio"] - 1.0) < 0.1
    assert world.stations["interference_count"].mean() > plain.stations["interference_count"].mean()
    # the home channels were admitted: still interference-free in the denser world
    from auctool.worlds.build import check_assignment

    homes = dict(zip(world.stations["station"], world.stations["channel"], strict=True))
    assert check_assignment(world.data, homes).co_pairs == 0


@pytest.mark.slow
def test_a_national_synthetic_world_at_the_fcc_density():
    spec = SynthSpec(
        stations=2990, cities=210, region_km=4500, vhf_share=0.3, seed=1, degrees="fcc"
    )
    world, report = synth_world(spec)
    w = report["calibration"]["world"]
    assert len(world.stations) > 2900
    assert 0.85 < w["mean_ratio"] < 1.1 and w["correlation"] > 0.9


@pytest.mark.realdata
def test_the_quantiles_are_the_fcc_counts(fcc_data):
    counts = read_interference_counts(fcc_data / "auction1001" / "open_prices.csv").to_numpy()
    expected = np.percentile(counts, np.linspace(0, 100, len(FCC_DEGREE_QUANTILES)))
    assert np.allclose(expected, FCC_DEGREE_QUANTILES, atol=0.05)
