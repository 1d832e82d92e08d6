"""World folders: both interference formats written and read back, conversion, info."""

from __future__ import annotations

import pytest

from auctool.formats.fcc import InterferenceFormat, load_constraints, read_interference
from auctool.model import ConstraintData
from auctool.worlds.convert import convert_folder
from auctool.worlds.info import folder_info
from auctool.worlds.spec import SynthSpec
from auctool.worlds.synth import synth_world
from auctool.worlds.world import load_world, save_world
from auctool.worlds.writing import compact_ready
from tests.helpers import data_from

FORMATS = [InterferenceFormat.UNABRIDGED, InterferenceFormat.CHANNEL_SPECIFIC]


@pytest.fixture(scope="module")
def world():
    return synth_world(SynthSpec(stations=40, cities=4, region_km=500, vhf_share=0.3, seed=9))[0]


@pytest.mark.parametrize("fmt", FORMATS)
def test_world_round_trip_in_both_formats(world, tmp_path, fmt):
    save_world(world, tmp_path / "w", fmt)
    assert read_interference(tmp_path / "w" / "Interference_Paired.csv")[1] is fmt
    back = load_world(tmp_path / "w")
    assert back.data.interference == world.data.interference
    assert dict(back.data.domains) == dict(world.data.domains)
    assert back.stations["station"].tolist() == world.stations["station"].tolist()
    assert back.stations["channel"].tolist() == world.stations["channel"].tolist()


def _within_domains(data: ConstraintData) -> set:
    return {
        p
        for p in data.interference.as_set()
        if p[1] in data.domains[p[0]] and p[3] in data.domains[p[2]]
    }


def test_channel_specific_needs_implied_pairs_outside_domains():
    # ADJ+1 between 1 on 15 and 2 on 16, but station 2 cannot use 15: the implied
    # CO pair on 15 can never matter, and is added so the compact format can say it
    data = data_from({1: (15, 16), 2: (16,)}, [(1, 15, 2, 16), (1, 16, 2, 16)])
    ready = compact_ready(data)
    assert (1, 15, 2, 15) in ready.interference.as_set()
    assert _within_domains(ready) == _within_domains(data)


def test_convert_both_ways_keeps_the_meaning(world, tmp_path):
    save_world(world, tmp_path / "src")
    convert_folder(tmp_path / "src", tmp_path / "cs", "channelspecific")
    convert_folder(tmp_path / "cs", tmp_path / "back", "unabridged")
    a, b = load_constraints(tmp_path / "src"), load_constraints(tmp_path / "back")
    assert _within_domains(a) == _within_domains(b)
    assert (tmp_path / "cs" / "stations.csv").read_bytes() == (
        tmp_path / "src" / "stations.csv"
    ).read_bytes()
    assert load_world(tmp_path / "cs").meta == load_world(tmp_path / "src").meta
    assert not list((tmp_path / "cs").glob(".*.tmp"))  # atomic writes leave no debris


def test_info_counts_match_the_world(world, tmp_path):
    save_world(world, tmp_path / "w", "channelspecific")
    info = folder_info(tmp_path / "w")
    assert info["format"] == "channelspecific"
    assert info["stations"] == len(world.stations)
    assert info["constraints"]["total"] == len(load_constraints(tmp_path / "w").interference)
    assert info["degree"]["max"] == world.stations["interference_count"].max()
    assert info["world"] and info["home_channels"]["co_pairs"] == 0
    assert info["home_channels"]["adj_pairs"] == 0
    assert info["station_table"]["rows"] == len(world.stations)


def test_info_on_a_plain_constraint_folder(tmp_path):
    from auctool.formats.fcc import write_constraints

    data = data_from({1: (14, 15), 2: (14, 15), 3: (14,)}, [(1, 14, 2, 14), (1, 14, 2, 15)])
    write_constraints(data, tmp_path)
    info = folder_info(tmp_path)
    assert info["world"] is False
    assert info["constraints"] == {"total": 2, "co": 1, "adj1": 1, "adj2": 0}
    assert info["station_pairs"] == 1 and info["isolated_stations"] == 1


def test_a_cut_interference_file_is_refused_by_its_manifest(tmp_path):
    """Issue 33: a file cut at a line break loaded half its constraints silently."""
    import shutil
    from pathlib import Path

    from auctool.errors import InputError
    from auctool.worlds.world import load_world as load

    world = Path(__file__).resolve().parents[2] / "instances" / "worlds" / "default"
    shutil.copytree(world, tmp_path / "w")
    path = tmp_path / "w" / "Interference_Paired.csv"
    lines = path.read_text().splitlines(keepends=True)
    path.write_text("".join(lines[: len(lines) // 2]))
    with pytest.raises(InputError, match="where the world's manifest says 157,830"):
        load(tmp_path / "w")
    (tmp_path / "w" / "manifest.json").unlink()  # taken as it is, when the user says so
    assert len(load(tmp_path / "w").data.interference) < 157_830
