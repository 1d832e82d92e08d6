"""Synthetic worlds: reproducible, interference-free home channels, realistic shape."""

from __future__ import annotations

import numpy as np
import pytest

from auctool.model import Problem, violations
from auctool.worlds.spec import SynthSpec
from auctool.worlds.synth import UHF_CHANNELS, synth_world

SMALL = SynthSpec(stations=60, cities=5, region_km=600, seed=4)


@pytest.fixture(scope="module")
def small():
    return synth_world(SMALL)


def test_same_seed_same_world(small):
    again, _ = synth_world(SMALL)
    world, _ = small
    assert again.data.fingerprint == world.data.fingerprint
    assert again.stations.equals(world.stations)
    other, _ = synth_world(SynthSpec(stations=60, cities=5, region_km=600, seed=5))
    assert other.data.fingerprint != world.data.fingerprint


def test_home_channels_are_an_interference_free_assignment(small):
    world, report = small
    homes = dict(zip(world.stations["station"], world.stations["channel"], strict=True))
    assert len(homes) == SMALL.stations
    assert not violations(homes, Problem(dict(world.data.domains)), world.data)
    assert report["home_channels"]["greedy"] + report["home_channels"]["checker"] == SMALL.stations


def test_uhf_world_domains_and_station_table(small):
    world, _ = small
    assert set(world.data.domains.values()) == {UHF_CHANNELS}
    assert 37 not in UHF_CHANNELS and len(UHF_CHANNELS) == 37
    s = world.stations
    for col in (
        "station",
        "population",
        "channel",
        "x_km",
        "y_km",
        "radius_uhf_km",
        "volume",
        "interference_count",
        "eligible",
        "dma",
    ):
        assert col in s.columns
    assert s["channel"].between(14, 51).all() and (s["channel"] != 37).all()
    assert s["volume"].max() == 1_000_000
    # the interference count is the number of stations sharing a constraint
    deg = world.data.interference.degree
    assert s["interference_count"].tolist() == [deg.get(x, 0) for x in s["station"]]


def test_populations_are_heavy_tailed():
    world, _ = synth_world(SynthSpec(stations=150, seed=2))
    pop = world.stations["population"].to_numpy()
    assert pop.max() > 5 * np.median(pop) > 0


def test_vhf_stations_get_vhf_homes_and_domains():
    world, report = synth_world(
        SynthSpec(stations=80, cities=5, region_km=700, vhf_share=0.5, seed=1)
    )
    s = world.stations
    vhf = s[s["channel"] < 14]
    assert len(vhf) == report["vhf_stations"] > 10
    for station, channel in zip(vhf["station"], vhf["channel"], strict=True):
        dom = world.data.domains[station]
        assert channel in dom and max(dom) <= 13
    uhf = s[s["channel"] >= 14]["station"].iloc[0]
    assert min(world.data.domains[uhf]) == 2  # UHF stations may move to VHF, as in the US


def test_denser_scale_means_more_interference():
    base = SynthSpec(stations=60, cities=5, region_km=600, seed=4, scale=0.7)
    sparse, _ = synth_world(base)
    world, _ = synth_world(SMALL)
    assert len(sparse.data.interference) < len(world.data.interference)


@pytest.mark.parametrize("field", ["stations", "region_km", "rural_share", "scale"])
def test_bad_settings_are_refused(field):
    bad = {"stations": 0, "region_km": -1.0, "rural_share": 1.5, "scale": 0.0}[field]
    with pytest.raises(ValueError, match=field):
        SynthSpec(**{field: bad})
