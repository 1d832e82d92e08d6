"""From station tables to constraints: neighbour search, admitted assignments, violation counts."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from auctool.worlds.build import admit, check_assignment, constraint_data, degrees, station_pairs
from auctool.worlds.distance import CALIBRATED
from auctool.worlds.geo import great_circle_km, plane_pairs, sphere_pairs

UHF = tuple(c for c in range(14, 52) if c != 37)


def _table(xs, radius=50.0) -> pd.DataFrame:
    n = len(xs)
    return pd.DataFrame(
        {
            "station": np.arange(1, n + 1),
            "x_km": np.array(xs, dtype=float),
            "y_km": np.zeros(n),
            "radius_uhf_km": np.full(n, radius),
            "radius_vhf_km": np.full(n, radius),
        }
    )


def test_station_pairs_on_the_plane():
    # 1-2 at 20 km (CO + ADJ), 2-3 at 80 km (CO only), 1-3 at 100 km and 4 far away: nothing
    pairs = station_pairs(_table([0, 20, 100, 1000]), CALIBRATED)
    found = {
        (int(i) + 1, int(j) + 1): (bool(c), bool(a))
        for i, j, c, a in zip(pairs.i, pairs.j, pairs.co_uhf, pairs.adj_uhf, strict=True)
    }
    assert found == {(1, 2): (True, True), (2, 3): (True, False)}


def test_kd_tree_pairs_match_brute_force():
    rng = np.random.default_rng(3)
    x, y = rng.uniform(0, 500, 300), rng.uniform(0, 500, 300)
    i, j, d = plane_pairs(x, y, 60.0)
    full = np.hypot(x[:, None] - x[None, :], y[:, None] - y[None, :])
    iu, ju = np.triu_indices(300, 1)
    near = full[iu, ju] < 60.0
    assert set(zip(i.tolist(), j.tolist(), strict=True)) == set(
        zip(iu[near].tolist(), ju[near].tolist(), strict=True)
    )
    assert np.allclose(d, full[i, j])
    lat, lon = rng.uniform(25, 49, 300), rng.uniform(-125, -67, 300)
    i, j, d = sphere_pairs(lat, lon, 200.0)
    gc = great_circle_km(lat[iu], lon[iu], lat[ju], lon[ju])
    assert set(zip(i.tolist(), j.tolist(), strict=True)) == set(
        zip(iu[gc < 200].tolist(), ju[gc < 200].tolist(), strict=True)
    )


def test_great_circle_distance_of_a_known_pair():
    # New York - Los Angeles, about 3,936 km
    assert great_circle_km(40.7128, -74.0060, 34.0522, -118.2437) == pytest.approx(3936, rel=0.005)


def test_admitting_an_assignment_drops_what_it_violates_in_that_band_only():
    table = _table([0, 20, 30])
    pairs = station_pairs(table, CALIBRATED)
    domains = {s: UHF for s in table["station"]}
    before = constraint_data(table, domains, pairs, "w")
    # 1 and 2 share channel 20 (a CO violation); 3 on channel 31 is clear of both
    channels = np.array([20, 20, 31])
    homes = {1: 20, 2: 20, 3: 31}
    check = check_assignment(before, homes)
    assert (check.co_pairs, check.adj_pairs, check.stations_in_violation) == (1, 0, 2)
    fixed, report = admit(pairs, channels, "homes")
    assert (report.co_demoted, report.adj_demoted) == (1, 0)
    after = constraint_data(table, domains, fixed, "w")
    assert check_assignment(after, homes).co_pairs == 0
    # the demoted pair lost every UHF constraint; the others kept theirs
    assert not after.forbidden(1, 2) and before.forbidden(1, 2)
    assert after.forbidden(2, 3) == before.forbidden(2, 3)
    adjacent = {1: 20, 2: 21, 3: 40}
    assert check_assignment(before, adjacent).adj_pairs == 1


def test_check_assignment_reports_channels_off_the_domain():
    table = _table([0, 500])
    data = constraint_data(table, {1: UHF, 2: UHF}, station_pairs(table, CALIBRATED), "w")
    check = check_assignment(data, {1: 37, 2: 14, 99: 14})
    assert (check.stations, check.off_domain, check.co_pairs) == (2, 1, 0)


def test_degrees_count_distinct_interfering_stations():
    table = _table([0, 20, 80, 1000])
    data = constraint_data(
        table, {s: UHF for s in range(1, 5)}, station_pairs(table, CALIBRATED), "w"
    )
    assert degrees(data).tolist() == [2, 2, 2, 0]
    assert dict(zip(data.stations, degrees(data).tolist(), strict=True)) == {
        s: data.interference.degree.get(s, 0) for s in data.stations
    }
