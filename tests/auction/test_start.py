"""The auction's start: participants, a known packing, and non-bidders that cannot pack."""

from __future__ import annotations

import pandas as pd
import pytest

from auctool.auction.market import build_market
from auctool.auction.start import find_start, read_initial_assignment
from auctool.errors import InputError, RunError
from auctool.model import Problem, violations
from auctool.worlds.world import World
from tests.auction.worlds import THREE_STATION_VALUES, crowded_world, three_station_world
from tests.helpers import data_from

CH = (14, 15)


def _write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_a_known_packing_that_covers_every_non_bidder_is_used_as_is(tmp_path):
    world = three_station_world()
    market = build_market(world, 84, values_file=_write(tmp_path, "v.csv", THREE_STATION_VALUES))
    start = find_start(market, world.data, {1: 15})
    assert start.packing == {1: 15}
    assert start.report.method == "initial assignment" and start.report.seeded == 1


def test_without_a_packing_local_search_starts_from_home_channels(tmp_path):
    world = three_station_world()
    market = build_market(world, 84, values_file=_write(tmp_path, "v.csv", THREE_STATION_VALUES))
    start = find_start(market, world.data)
    assert start.packing == {1: 14}  # its home channel
    assert start.report.method.startswith("local search")


def test_participants_bid_whatever_their_eligibility(tmp_path):
    world = crowded_world()
    listed = _write(tmp_path, "p.csv", "auction_id,facility_id\n1001,1\n1001,9\n")
    market = build_market(world, 84, seed=3, participants_file=listed)
    bids = dict(zip(market.ids.tolist(), market.participates.tolist(), strict=True))
    assert bids == {1: True, 2: False, 3: False, 4: False}  # 1 is not "eligible", yet bids
    assert market.notes["not_in_uhf_market"] == [9]  # a VHF home: no UHF offer to take
    i = market.position[1]
    assert market.value[i] < market.opening[i]  # drawn below its opening price


def test_the_worlds_own_participants_bid_unless_a_file_says_otherwise(tmp_path):
    import dataclasses

    from auctool.worlds.world import load_world, save_world

    save_world(dataclasses.replace(crowded_world(), participants=(1, 9)), tmp_path / "w")
    world = load_world(tmp_path / "w")
    market = build_market(world, 84, seed=3)
    bids = dict(zip(market.ids.tolist(), market.participates.tolist(), strict=True))
    assert bids == {1: True, 2: False, 3: False, 4: False}  # as the same list in a file
    assert market.notes["participants_file"] == str(tmp_path / "w" / "participants.csv")
    assert market.notes["participants_from"] == "world" and market.notes["listed"] == 2
    listed = _write(tmp_path, "p.csv", "station\n3\n")
    market = build_market(world, 84, seed=3, participants_file=listed)
    assert market.participates.tolist() == [False, False, True, False]  # the file wins
    assert market.notes["participants_file"] == str(listed)
    assert market.notes["participants_from"] == "option"
    nobody = build_market(dataclasses.replace(world, participants=()), 84)
    assert not nobody.participates.any()  # an empty list: nobody bids


def test_a_participants_file_naming_a_station_the_world_lacks(tmp_path):
    bad = _write(tmp_path, "p.csv", "station\n1\n77\n")
    with pytest.raises(InputError, match=r"p.csv:3: station 77 is not in the world"):
        build_market(crowded_world(), 84, participants_file=bad)
    nocol = _write(tmp_path, "q.csv", "id\n1\n")
    with pytest.raises(InputError, match=r"q.csv:1: expected a header with a 'station'"):
        build_market(crowded_world(), 84, participants_file=nocol)
    word = _write(tmp_path, "r.csv", "station\nabc\n")
    with pytest.raises(InputError, match=r"r.csv:2: station id 'abc' is not a number"):
        build_market(crowded_world(), 84, participants_file=word)


def test_non_bidders_that_cannot_pack_are_named(tmp_path):
    world = crowded_world()
    market = build_market(world, 84, participants_file=_write(tmp_path, "p.csv", "station\n4\n"))
    with pytest.raises(
        RunError,
        match=r"3 stations that do not bid cannot be packed.*"
        r"3 stations need distinct channels, only 2 available",
    ):
        find_start(market, world.data, seconds=5)


def test_packable_participation_makes_the_fewest_obstacles_bid(tmp_path):
    world = crowded_world()
    market = build_market(world, 84, participants_file=_write(tmp_path, "p.csv", "station\n4\n"))
    start = find_start(market, world.data, seconds=5, packable=True)
    made = start.report.made_to_bid
    assert len(made) == 1 and made[0] in (1, 2, 3)
    m = start.market
    assert m.participates[m.position[made[0]]]
    assert m.value[m.position[made[0]]] < m.opening[m.position[made[0]]]
    stay = {s: CH for s in (1, 2, 3) if s != made[0]}
    assert set(start.packing) == set(stay)
    assert not violations(start.packing, Problem(stay), world.data)


def test_initial_assignment_files_are_validated(tmp_path):
    world = crowded_world()
    market = build_market(world, 84, participants_file=_write(tmp_path, "p.csv", "station\n4\n"))
    good = _write(tmp_path, "good.csv", "FacID,Ch\n1,14\n2,15\n9,7\n")
    assert read_initial_assignment(good, market, world.data) == {1: 14, 2: 15}
    cases = {
        "station,channel\n1,14\n77,15\n": r"a.csv:3: station 77 is not in the world",
        "station,channel\n1,30\n": r"a.csv:2: channel 30 is not in station 1's domain",
        "station,channel\n1,14\n2,14\n": r"a.csv:2: not a feasible packing: station 1 on channel 14",
        "station,channel\n1,x\n": r"a.csv:2: column channel: 'x' is not a whole number",
    }
    for text, message in cases.items():
        with pytest.raises(InputError, match=message):
            read_initial_assignment(_write(tmp_path, "a.csv", text), market, world.data)


def test_a_uhf_channel_above_the_band_is_an_error(tmp_path):
    data = data_from({1: (14, 15, 40)}, [], "wide")
    table = {"station": [1], "population": [10], "channel": [40], "volume": [100]}
    world = World(data, pd.DataFrame(table))
    market = build_market(world, 84, participants_file=_write(tmp_path, "p.csv", "station\n1\n"))
    above = _write(tmp_path, "a.csv", "station,channel\n1,40\n")
    with pytest.raises(
        InputError, match=r"a.csv:2: station 1: channel 40 is outside the band 14-36"
    ):
        read_initial_assignment(above, market, data)


def test_start_seeds_are_repaired_when_they_clash_with_home_channels():
    world = crowded_world()
    stations = world.stations.copy()
    market = build_market(World(world.data, stations), 84, seed=1)
    # pop-value participation: whoever does not bid must pack; the start is verified
    try:
        start = find_start(market, world.data, {2: 14}, seconds=5, packable=True)
    except RunError:
        pytest.fail("packable participation must always find a start")
    band = {
        int(s): CH
        for s, b in zip(start.market.ids, start.market.participates, strict=True)
        if not b
    }
    assert set(start.packing) == set(band)
    assert not violations(start.packing, Problem(band), world.data)
