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


# ---- files cut short, counts, line numbers (issue 36, item 9) ---------------------------


def _saved(world, folder):
    """The world saved with the counts its manifest records, as ``data synth`` writes it."""
    from auctool.worlds.generate import summary
    from auctool.worlds.world import World

    save_world(World(world.data, world.stations, {"summary": summary(world)}), folder)
    return folder


def _cut_lines(path, keep: int) -> None:
    """Keep the first ``keep`` lines: a file cut at a line break, which reads cleanly."""
    lines = path.read_text().splitlines(keepends=True)
    path.write_text("".join(lines[:keep]))


@pytest.mark.parametrize(
    ("name", "what"),
    [("Interference_Paired.csv", "constraints"), ("Domain.csv", "stations")],
)
def test_a_constraint_file_short_of_its_manifest_counts_is_refused(world, tmp_path, name, what):
    """Every load compares them, not only load_world: `check` reads the folder directly."""
    from auctool.errors import InputError

    folder = _saved(world, tmp_path / "w")
    expected = len(world.data.interference) if what == "constraints" else len(world.stations)
    _cut_lines(folder / name, 20)
    with pytest.raises(InputError) as err:
        load_constraints(folder)
    message = str(err.value)
    assert message.startswith(f"{folder / name}: ") and "\n" not in message
    assert f"where the world's manifest says {expected:,}" in message
    assert f" {what} where" in message


def test_the_manifest_counts_are_checked_on_a_cached_load_too(world, tmp_path):
    """The cache is keyed on the constraint files only: an edited manifest must still count."""
    import json

    from auctool.errors import InputError

    folder = _saved(world, tmp_path / "w")
    load_constraints(folder)  # parsed and cached
    meta = json.loads((folder / "manifest.json").read_text())
    meta["summary"]["constraints"] += 1
    (folder / "manifest.json").write_text(json.dumps(meta))
    with pytest.raises(InputError, match="where the world's manifest says"):
        load_constraints(folder)


def test_a_station_table_short_of_its_manifest_count_is_refused(world, tmp_path):
    from auctool.errors import InputError

    folder = _saved(world, tmp_path / "w")
    _cut_lines(folder / "stations.csv", 11)
    with pytest.raises(InputError) as err:
        load_world(folder)
    assert str(err.value).startswith(
        f"{folder / 'stations.csv'}: 10 stations where the world's manifest says "
        f"{len(world.stations):,}"
    )


def _edit_row(path, row: int, column: str, value: str) -> None:
    lines = path.read_text().splitlines(keepends=True)
    header = lines[0].rstrip("\n").split(",")
    cells = lines[row].rstrip("\n").split(",")
    cells[header.index(column)] = value
    lines[row] = ",".join(cells) + "\n"
    path.write_text("".join(lines))


STATION_TABLE_FAULTS = {
    "not a number": (lambda p: _edit_row(p, 3, "population", "many"), ":4: column population"),
    "listed twice": (lambda p: _edit_row(p, 5, "station", "1"), ":6: station 1 listed twice"),
    "unknown": (lambda p: _edit_row(p, 2, "station", "999999"), ":3: station 999999 has no line"),
    "no column": (
        lambda p: p.write_text(p.read_text().replace("population", "people", 1)),
        ":1: missing column(s) population",
    ),
    "cut": (lambda p: p.write_text(p.read_text()[:-5]), ":41: the file ends in the middle"),
    "open quote": (lambda p: _edit_row(p, 7, "dma", '"city'), ":8: a quoted field"),
}


@pytest.mark.parametrize("reader", ["load_world", "folder_info"])
@pytest.mark.parametrize("fault", list(STATION_TABLE_FAULTS))
def test_every_station_table_error_names_its_line(world, tmp_path, reader, fault):
    """Issue 36: 'column 'population' must hold whole numbers' said neither line nor value."""
    from auctool.errors import InputError

    folder = _saved(world, tmp_path / "w")
    damage, message = STATION_TABLE_FAULTS[fault]
    damage(folder / "stations.csv")
    with pytest.raises(InputError) as err:
        {"load_world": load_world, "folder_info": folder_info}[reader](folder)
    assert str(err.value).startswith(f"{folder / 'stations.csv'}{message}")
    assert "\n" not in str(err.value)


def test_a_channel_specific_world_records_the_pairs_its_format_adds(tmp_path):
    """The compact format adds implied pairs outside domains: the manifest must count
    what was written, or every load of such a world (data national --format
    channelspecific, data convert) would be refused as cut."""
    import pandas as pd

    from auctool.worlds.world import World

    data = data_from({1: (15, 16), 2: (16,)}, [(1, 15, 2, 16), (1, 16, 2, 16)])
    stations = pd.DataFrame({"station": [1, 2], "population": [10, 20], "channel": [15, 16]})
    world = World(data, stations, {"summary": {"stations": 2, "constraints": 2}})
    save_world(world, tmp_path / "cs", "channelspecific")
    back = load_world(tmp_path / "cs")
    assert back.meta["summary"]["constraints"] == len(back.data.interference) == 3
    convert_folder(tmp_path / "cs", tmp_path / "u", "unabridged")
    assert load_world(tmp_path / "u").meta["summary"]["constraints"] == 3


def test_a_worlds_packing_and_participants_survive_save_load_and_convert(tmp_path):
    """A world may say who bids (participants.csv, issue: regions): saved, counted in the
    manifest, read back, carried by ``data convert``, and never left stale."""
    from dataclasses import replace

    from auctool.worlds.generate import summary
    from tests.helpers import upstate_world

    world = upstate_world(participants=(4, 1))
    world = replace(world, stations=world.stations.assign(interference_count=1))
    world = replace(world, meta={"summary": summary(world)})
    save_world(world, tmp_path / "w")
    back = load_world(tmp_path / "w")
    assert back.participants == (4, 1) and back.packing == world.packing
    assert back.meta["summary"]["participants"] == 2
    assert folder_info(tmp_path / "w")["participants"] == 2
    convert_folder(tmp_path / "w", tmp_path / "cs", "channelspecific")
    converted = load_world(tmp_path / "cs")
    assert converted.participants == (4, 1) and converted.packing == world.packing
    save_world(replace(back, participants=None), tmp_path / "w")  # none now
    assert not (tmp_path / "w" / "participants.csv").exists()
    assert "participants" not in load_world(tmp_path / "w").meta["summary"]
