"""Regions: a city's (DMA's, list's) stations and every station within k interference hops,
cut from a world with the constraints among them (``auctool.worlds.region``)."""

from __future__ import annotations

from collections import deque

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from auctool.errors import InputError
from auctool.worlds.region import RegionSpec, cut_region, make_region
from auctool.worlds.world import World, load_world, save_world
from tests.helpers import UPSTATE_TABLE, upstate_world
from tests.strategies import random_data


def _kept(world: World, **spec) -> set[int]:
    region = cut_region(world, RegionSpec(**spec), "r")
    return set(region.world.data.domains)


@pytest.mark.parametrize(
    ("links", "kept"),
    [(0, {1}), (1, {1, 2}), (2, {1, 2, 3, 5}), (3, {1, 2, 3, 4, 5, 6}), (9, {1, 2, 3, 4, 5, 6})],
)
def test_links_grow_the_region_hop_by_hop(links, kept):
    assert _kept(upstate_world(), rule="city", value="BUFFALO", links=links) == kept


def test_us_only_leaves_the_canadian_station_out_before_the_region_grows():
    kept = _kept(upstate_world(), rule="city", value="BUFFALO", links=3, us_only=True)
    assert kept == {1, 2, 3, 4}  # Utica's 6 was reached only through Toronto's 5
    with pytest.raises(InputError, match="outside the US"):
        _kept(upstate_world(), rule="city", value="TORONTO", us_only=True)


def test_the_region_keeps_rows_domains_constraints_packing_among_its_stations():
    world = upstate_world()
    region = cut_region(world, RegionSpec("city", "rochester", links=1), "roc")
    r = region.world
    assert set(r.data.domains) == {1, 2, 3, 5} and r.name == "roc"
    assert r.data.interference.as_set() == {
        p for p in world.data.interference.as_set() if 4 not in (p[0], p[2]) and 6 not in p
    }  # 3-4 and 5-6 had a dropped station: gone
    assert r.packing == {1: 14, 2: 15, 3: 16, 5: 14}
    rows = world.stations.set_index("station").loc[[1, 2, 3, 5]].reset_index()
    pd.testing.assert_frame_equal(r.stations, rows)  # the rows unchanged, in the world's order
    assert region.seeds == (2,) and region.hops == {1: 1, 2: 0, 3: 1, 5: 1}
    assert r.participants is None


def test_seeds_by_city_dma_and_list(tmp_path):
    world = upstate_world()
    assert _kept(world, rule="city", value="  albany ", links=0) == {4}  # stripped, any case
    assert _kept(world, rule="dma", value="syracuse, ny", links=0) == {3}
    assert _kept(world, rule="dma", value="Utica", links=0) == {6}  # a unique prefix
    listed = tmp_path / "seeds.csv"
    listed.write_text("facility_id\n4\n1\n")
    assert _kept(world, rule="stations", value=str(listed), links=0) == {1, 4}


def test_names_that_match_nothing_name_the_close_ones(tmp_path):
    with pytest.raises(InputError, match=r"no station has city 'BUFALO'; close: BUFFALO"):
        _kept(upstate_world(), rule="city", value="BUFALO")
    with pytest.raises(InputError, match=r"no station has dma 'Nowhere'$"):
        _kept(upstate_world(), rule="dma", value="Nowhere")
    table = pd.DataFrame(UPSTATE_TABLE).replace({"Albany, NY": "Rome, NY"})
    with pytest.raises(InputError, match="'r' is the start of 2 DMAs: Rochester, NY, Rome, NY"):
        _kept(World(upstate_world().data, table), rule="dma", value="r")
    listed = tmp_path / "seeds.csv"
    listed.write_text("station\n99\n")
    with pytest.raises(InputError, match="station 99 is not in the world"):
        _kept(upstate_world(), rule="stations", value=str(listed))


def test_participants_of_a_list_or_of_the_source_world(tmp_path):
    national = tmp_path / "reverse-stations.csv"
    national.write_text("auction_id,facility_id\n1001,3\n1001,77777\n1001,1\n1001,6\n")
    spec = RegionSpec("city", "BUFFALO", links=2, participants=national)
    region = cut_region(upstate_world(), spec, "r")  # 77777: a station of another world
    assert region.world.participants == (1, 3) and region.listed == 4
    own = cut_region(upstate_world(participants=(6, 2, 4)), RegionSpec("city", "BUFFALO", 2), "r")
    assert own.world.participants == (2,) and own.listed == 3
    none = cut_region(upstate_world(participants=(6,)), RegionSpec("city", "BUFFALO", 1), "r")
    assert none.world.participants == ()  # a list, none of it here: nobody bids


def test_a_region_saved_and_loaded_again_is_what_was_cut(tmp_path):
    save_world(upstate_world(participants=(3, 2, 6)), tmp_path / "src")
    spec = RegionSpec("dma", "rochester", links=1)
    region, report = make_region(tmp_path / "src", spec, tmp_path / "r", command="auctool ...")
    back, cut = load_world(tmp_path / "r"), region.world
    assert dict(back.data.domains) == dict(cut.data.domains)
    assert back.data.interference == cut.data.interference
    pd.testing.assert_frame_equal(back.stations, cut.stations)
    assert back.packing == cut.packing and back.participants == cut.participants == (2, 3)
    assert back.meta == cut.meta == {k: report[k] for k in back.meta}
    summary = back.meta["summary"]
    assert summary["stations"] == 4 and summary["seeds"] == 1 and summary["by_hop"] == [1, 3]
    assert summary["participants"] == 2 and summary["uhf_stations"] == 4
    assert summary["constraints"] == len(back.data.interference) == 6
    region_ = back.meta["region"]
    assert region_["matched"] == ["Rochester, NY"] and region_["links"] == 1
    assert region_["participants"]["from"].endswith("participants.csv")
    assert back.meta["source"]["command"] == "made by hand"


def test_a_short_participants_file_is_caught_by_the_manifest(tmp_path):
    save_world(upstate_world(participants=(1, 2, 3)), tmp_path / "src")
    make_region(tmp_path / "src", RegionSpec("city", "BUFFALO", 2), tmp_path / "r")
    (tmp_path / "r" / "participants.csv").write_text("station\n1\n")
    with pytest.raises(InputError, match="1 participants where the world's manifest says 3"):
        load_world(tmp_path / "r")


def test_the_region_may_not_overwrite_its_source(tmp_path):
    save_world(upstate_world(), tmp_path / "src")
    with pytest.raises(InputError, match="overwrite its source"):
        make_region(tmp_path / "src", RegionSpec("city", "BUFFALO"), tmp_path / "src")


STATIONS = list(range(1, 9))


@st.composite
def worlds_and_cuts(draw):
    data = draw(random_data(STATIONS, range(14, 17), max_pairs=14, max_offset=1))
    cities = draw(st.lists(st.sampled_from("AB"), min_size=len(STATIONS), max_size=len(STATIONS)))
    cities[draw(st.integers(0, len(STATIONS) - 1))] = "A"  # some station is a seed
    table = pd.DataFrame({"station": STATIONS, "city": cities, "population": 1000, "channel": 20})
    return World(data, table), draw(st.integers(0, 4))


def _distances(pairs: set, seeds: list[int]) -> dict[int, int]:
    """Hops from the nearest seed, by a plain breadth-first search over station pairs."""
    graph: dict[int, set[int]] = {}
    for a, _, b, _ in pairs:
        graph.setdefault(a, set()).add(b)
        graph.setdefault(b, set()).add(a)
    dist = dict.fromkeys(seeds, 0)
    queue = deque(seeds)
    while queue:
        s = queue.popleft()
        for t in graph.get(s, ()):
            if t not in dist:
                dist[t] = dist[s] + 1
                queue.append(t)
    return dist


@settings(max_examples=60, deadline=None)
@given(worlds_and_cuts())
def test_the_region_is_exactly_the_ball_of_k_hops(case):
    world, links = case
    region = cut_region(world, RegionSpec("city", "a", links=links), "r")
    seeds = [s for s, c in zip(STATIONS, world.stations["city"], strict=True) if c == "A"]
    source = world.data.interference.as_set()
    dist = _distances(source, seeds)
    kept = set(region.world.data.domains)
    assert kept == {s for s, d in dist.items() if d <= links}  # within k: kept, and only they
    assert region.hops == {s: dist[s] for s in kept}
    assert region.world.data.interference.as_set() == {
        p for p in source if p[0] in kept and p[2] in kept
    }
    assert set(region.world.stations["station"]) == kept


def test_hop_counts_of_seeds_outside_the_allowed_set_reach_nothing():
    import numpy as np

    data = upstate_world().data
    allowed = np.array([True, False, True, True, True, True])  # station 2 left out
    hops = data.hop_counts(np.array([1]), 5, allowed)
    assert hops.tolist() == [0, -1, -1, -1, -1, -1]
