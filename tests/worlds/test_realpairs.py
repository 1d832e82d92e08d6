"""Worlds on real interference pairs: the real constraints kept, the model only for what they lack."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auctool.errors import InputError
from auctool.model import ConstraintData, Interference
from auctool.worlds.build import (
    admit,
    admit_constraints,
    check_assignment,
    pairs_to_constraints,
    station_pairs,
)
from auctool.worlds.distance import CALIBRATED
from auctool.worlds.national import world_from_table
from auctool.worlds.spec import TableSpec
from tests.helpers import REAL_PAIRS, national_spec, real_pairs_table

UHF = tuple(c for c in range(14, 52) if c != 37)


def _fcc_like(tmp_path: Path, real: str = REAL_PAIRS) -> TableSpec:
    table, domains, folder = real_pairs_table(tmp_path, real)
    return TableSpec(table, domains, interference=folder, seed=1)


def test_real_pairs_are_kept_on_the_worlds_domains(tmp_path):
    world, report = world_from_table(_fcc_like(tmp_path))
    inner = world.data.interference.restrict([1, 2, 3])
    # 1-2: CO on the channels both domains hold (2's stops at 36), minus what the home
    # channels (20, 22, 24: none shared) break: nothing
    co = {(a, ca, b, cb) for a, ca, b, cb in inner.as_set() if {a, b} == {1, 2}}
    assert co == {(1, c, 2, c) for c in UHF if c <= 36}
    # 2-3: ADJ+1 implies CO on both channels and ADJ both ways; 1-3 has no real pair
    assert all(c <= 36 for a, c, b, _ in inner.as_set() if a == 2 or b == 2)
    assert not any({a, b} == {1, 3} for a, _, b, _ in inner.as_set())
    prov = report["provenance"]
    assert prov["stations"]["real"] == 3
    assert prov["stations"]["modelled_by_country"] == {"CA": 2, "US": 1}
    assert prov["stations"]["in_folder_not_in_table"] == 1
    assert prov["stations"]["not_in_table_first"] == [9]
    assert prov["pairs"]["real"] == 2


def test_the_model_fills_in_only_pairs_with_a_station_the_folder_lacks(tmp_path):
    spec = _fcc_like(tmp_path)
    world, _ = world_from_table(spec)
    it = world.data.interference
    covered = np.isin(it.a, [1, 2, 3]) & np.isin(it.b, [1, 2, 3])
    real_keys = {(a, b) for a, _, b, _ in it.keep(covered).as_set()}
    assert real_keys <= {(1, 2), (2, 3)}
    # station 4 sits on top of station 1: the model makes them interfere
    assert 4 in set(it.neighbours(1).tolist())
    homes = dict(zip(world.stations["station"], world.stations["channel"], strict=True))
    assert check_assignment(world.data, homes).co_pairs == 0


def test_a_folder_with_none_of_the_tables_stations_is_refused(tmp_path):
    spec = _fcc_like(tmp_path, "CO,14,51,9,8\n")
    (spec.interference / "Domain.csv").write_text("DOMAIN,8,14,15\nDOMAIN,9,14,15\n")
    with pytest.raises(InputError, match="no station of the station table is in this"):
        world_from_table(spec)


def test_a_malformed_real_file_names_its_line(tmp_path):
    spec = _fcc_like(tmp_path, "CO,14,51,1,2\nCO,14\n")
    with pytest.raises(InputError, match=r"Interference_Paired.csv:2: expected KEY"):
        world_from_table(spec)


def test_admitting_on_constraints_drops_the_pair_in_that_band_only():
    it = Interference.from_pairs(
        [(1, c, 2, c) for c in (20, 21, 22)]
        + [(1, c, 2, c + 1) for c in (20, 21)]
        + [(1, 7, 2, 7), (1, 20, 3, 21), (1, 20, 3, 20)]
    )
    # 1 and 2 shared channel 21 (CO broken: all their UHF constraints go, VHF stays);
    # 3 sat next to 1 (ADJ broken: the ADJ goes, the CO stays)
    kept, report = admit_constraints(it, {1: 20, 2: 20, 3: 21}, "real", np.array([1, 2]))
    assert kept.as_set() == {(1, 7, 2, 7), (1, 20, 3, 20)}
    assert (report.co_demoted, report.adj_demoted, report.stations_involved) == (1, 1, 3)
    assert report.examples == ("1-2 on 20/20", "1-3 on 20/21")
    assert report.by_source == {
        "real": {"co_demoted": 1, "adj_demoted": 0},
        "model": {"co_demoted": 0, "adj_demoted": 1},
    }


positions = st.lists(
    st.tuples(st.floats(40.0, 41.0), st.floats(-75.0, -74.0), st.sampled_from((20, 21, 22, 23))),
    min_size=2,
    max_size=12,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(positions)
def test_admission_on_constraints_matches_admission_on_pairs(rows):
    """The two admissions (model pairs, and constraints of any origin) are one rule."""
    table = pd.DataFrame(
        {
            "station": np.arange(1, len(rows) + 1),
            "lat": [r[0] for r in rows],
            "lon": [r[1] for r in rows],
            "radius_uhf_km": 40.0,
            "radius_vhf_km": 60.0,
        }
    )
    ids = table["station"].to_numpy()
    doms = [UHF] * len(rows)
    pairs = station_pairs(table, CALIBRATED)
    channels = np.array([r[2] for r in rows])
    by_pairs, a = admit(pairs, channels, "homes", ids)
    homes = dict(zip(ids.tolist(), channels.tolist(), strict=True))
    by_constraints, b = admit_constraints(pairs_to_constraints(pairs, ids, doms), homes, "homes")
    assert pairs_to_constraints(by_pairs, ids, doms) == by_constraints
    assert (a.co_demoted, a.adj_demoted, a.examples) == (b.co_demoted, b.adj_demoted, b.examples)
    data = ConstraintData(dict(zip(ids.tolist(), doms, strict=True)), by_constraints)
    assert check_assignment(data, homes).co_pairs == check_assignment(data, homes).adj_pairs == 0


@pytest.mark.realdata
def test_the_national_world_on_the_2013_pairs(fcc_data):
    spec = national_spec(
        fcc_data,
        admit=(fcc_data / "tvstudy" / "post_auction_parameters.csv",),
        interference=fcc_data / "satfc2013",
        degrees=fcc_data / "auction1001" / "open_prices.csv",
    )
    world, report = world_from_table(spec)
    prov = report["provenance"]
    assert prov["stations"]["real"] == 2130
    assert prov["stations"]["modelled_by_country"] == {"CA": 793, "US": 67}
    assert prov["stations"]["in_folder_not_in_table"] == 56
    assert 60_000 < prov["pairs"]["real"] < 72_000
    assert prov["pairs"]["modelled"] < prov["pairs"]["real"] / 4
    homes = dict(zip(world.stations["station"], world.stations["channel"], strict=True))
    assert check_assignment(world.data, homes).co_pairs == 0
    packing = check_assignment(world.data, dict(world.packing))
    assert packing.stations == 2840 and packing.co_pairs == packing.adj_pairs == 0
    fill = report["calibration"]["fill_in"]
    assert 1.1 < fill["reference_ratio"] < 1.6
    assert abs(fill["foreign"]["partners"] - fill["foreign"]["target_partners"]) < 50
