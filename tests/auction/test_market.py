"""The market of a world: who bids, volumes, opening prices, band-restricted domains."""

import numpy as np
import pandas as pd
import pytest

from auctool.auction.market import build_market, station_volumes
from auctool.errors import InputError
from auctool.worlds.world import World
from tests.auction.worlds import THREE_STATION_VALUES, three_station_world
from tests.helpers import data_from


def _world(table: dict, pairs, domains=None) -> World:
    ids = table["station"]
    chans = (5, 9, 14, 20, 36, 38, 45)
    data = data_from(domains or dict.fromkeys(ids, chans), pairs, "w")
    return World(data, pd.DataFrame(table))


def test_volumes_from_interference_count_and_population():
    # 1 interferes with 2 and 3; 2 and 3 only with 1: counts 2, 1, 1
    pairs = [(1, 14, 2, 14), (1, 14, 3, 14), (1, 20, 2, 20)]
    world = _world(
        {"station": [1, 2, 3], "population": [800, 200, 3200], "channel": [20, 30, 8]}, pairs
    )
    # raw: sqrt(2*800)=40, sqrt(200)=14.14, sqrt(3200)=56.6 (VHF, not the scale)
    vols = station_volumes(world.stations, world.data)
    assert vols.tolist() == [1_000_000, 353_553, 1_414_214]


def test_volume_and_interference_count_columns_win():
    table = {"station": [1, 2], "population": [100, 100], "channel": [20, 30]}
    world = _world({**table, "interference_count": [4, 1]}, [(1, 14, 2, 14)])
    assert station_volumes(world.stations, world.data).tolist() == [1_000_000, 500_000]
    world = _world({**table, "volume": [7.0, 3.0]}, [(1, 14, 2, 14)])
    assert station_volumes(world.stations, world.data).tolist() == [7.0, 3.0]
    world = _world({**table, "volume": [7.0, -3.0]}, [(1, 14, 2, 14)])
    with pytest.raises(InputError, match="non-negative"):
        station_volumes(world.stations, world.data)


def test_market_holds_uhf_stations_with_band_domains(tmp_path):
    values = tmp_path / "v.csv"
    values.write_text(THREE_STATION_VALUES)
    market = build_market(three_station_world(), 84, values_file=values)
    assert market.ids.tolist() == [1, 2, 3]
    assert market.opening.tolist() == [1_800_000, 900_000, 450_000]
    assert market.participates.tolist() == [False, True, True]  # 1 has no value: no bid
    assert market.domains == ((14, 15),) * 3
    assert market.band_label == "UHF 14-36"


def test_vhf_stations_and_channels_above_the_target_are_left_out():
    table = {
        "station": [3, 1, 2],
        "population": [100, 100, 100],
        "channel": [45, 20, 9],
        "volume": [10, 10, 10],
    }
    world = _world(table, [(1, 14, 3, 14)])
    market = build_market(world, 126)  # top channel 29
    assert market.ids.tolist() == [1, 3]
    assert market.home_channel.tolist() == [20, 45]
    assert market.domains == ((14, 20), (14, 20))


def test_ineligible_stations_never_bid():
    table = {
        "station": [1, 2],
        "population": [1, 1],
        "channel": [20, 30],
        "volume": [1e6, 1e6],  # opening 9e8 beats any value of a 1-person station
        "Eligible": [True, "False"],  # as in the FCC's station_info.csv
    }
    market = build_market(_world(table, [(1, 14, 2, 14)]), 84, seed=1)
    assert market.participates.tolist() == [True, False]


def test_same_seed_same_market_values():
    a = build_market(three_station_world(), 84, seed=4)
    b = build_market(three_station_world(), 84, seed=4)
    assert np.array_equal(a.value, b.value)
    assert not np.array_equal(a.value, build_market(three_station_world(), 84, seed=5).value)


def test_unknown_clearing_target_is_an_input_error():
    with pytest.raises(InputError, match="unknown clearing target 85"):
        build_market(three_station_world(), 85)


def test_a_world_without_uhf_stations_is_an_input_error():
    table = {"station": [1], "population": [5], "channel": [9], "volume": [3]}
    with pytest.raises(InputError, match="no UHF station"):
        build_market(_world(table, []), 84)
