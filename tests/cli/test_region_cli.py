"""`auctool data region` end to end: cut, describe, and run an auction on the region with
the participants it keeps."""

from __future__ import annotations

import gzip
import json
import shlex
from pathlib import Path

import pandas as pd
import pytest

from auctool.worlds.world import load_world, save_world
from tests.helpers import upstate_world

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def upstate(tmp_path) -> Path:
    return save_world(upstate_world(), tmp_path / "upstate")


def test_a_region_then_an_auction_that_bids_with_its_participants(cli, tmp_path):
    assert cli("data", "synth", tmp_path / "w", "--stations", "40", "--cities", "4",
               "--region-km", "500", "--seed", "3", "-q").code == 0  # fmt: skip
    table = pd.read_csv(tmp_path / "w" / "stations.csv")
    uhf = table.loc[table["channel"] >= 14, "station"].tolist()
    listed = tmp_path / "listed.csv"  # every other UHF station of the whole world
    listed.write_text("facility_id\n" + "".join(f"{s}\n" for s in uhf[::2]))
    region = tmp_path / "r"
    r = cli("data", "region", tmp_path / "w", region, "--dma", "CITY-1", "--links", "1",
            "--participants", listed, "--json")  # fmt: skip
    assert r.code == 0, r.stderr
    report = json.loads(r.stdout)  # one document, nothing else on stdout
    world = load_world(region)
    kept = set(world.stations["station"])
    assert world.participants == tuple(sorted(kept & set(uhf[::2])))
    summary = report["summary"]
    assert summary["stations"] == len(kept) and summary["participants"] == len(world.participants)
    assert summary["seeds"] == (table["dma"] == "city-1").sum() < len(kept)
    assert report["region"]["matched"] == ["city-1"]
    assert world.meta["command"].startswith(f"auctool data region {tmp_path / 'w'} {region}")
    assert "--dma CITY-1" in world.meta["command"] and "--json" not in world.meta["command"]
    info = json.loads(cli("data", "info", region, "--json").stdout)
    assert info["participants"] == len(world.participants)
    assert "participants.csv" in cli("data", "info", region).stdout

    run = cli("simulate", region, "--cutoff", "0.5", "--json")
    assert run.code == 0, run.stderr
    notes = json.loads(run.stdout)["participation"]
    assert notes["participants_file"] == str(region / "participants.csv")
    assert notes["participants_from"] == "world" and notes["listed"] == len(world.participants)
    assert "the world's list" in run.stderr

    own = tmp_path / "own.csv"  # an explicit list wins over the world's: here every UHF one
    everyone = world.stations.loc[world.stations["channel"] >= 14, "station"].tolist()
    own.write_text("station\n" + "".join(f"{s}\n" for s in everyone))
    run = cli("simulate", region, "--cutoff", "0.5", "--participants", own, "--json")
    assert run.code == 0, run.stderr
    notes = json.loads(run.stdout)["participation"]
    assert notes["participants_file"] == str(own) and notes["listed"] == len(everyone)
    assert notes["participants_from"] == "option"


def test_a_region_of_a_region_keeps_its_participants(cli, upstate, tmp_path):
    save_world(upstate_world(participants=(1, 3, 6)), upstate)
    r = cli("data", "region", upstate, tmp_path / "a", "--city", "buffalo", "--links", "2")
    assert r.code == 0, r.stderr
    assert "participants: 2 of the 3 listed" in r.stderr and "by hop: 1 + 1 + 2" in r.stderr
    assert load_world(tmp_path / "a").participants == (1, 3)
    r = cli("data", "region", tmp_path / "a", tmp_path / "b", "--city", "BUFFALO", "--links", "1")
    assert r.code == 0, r.stderr
    assert load_world(tmp_path / "b").participants == (1,)
    alone = cli(
        "data", "region", tmp_path / "a", tmp_path / "c", "--city", "BUFFALO", "--links", "0"
    )
    assert alone.code == 2 and "share no interference constraint" in alone.stderr
    assert "(raise --links)" in alone.stderr
    r = cli("data", "region", upstate, tmp_path / "d", "--city", "BUFFALO", "--us-only",
            "--links", "3", "-q")  # fmt: skip
    assert r.code == 0 and r.stderr == ""
    assert set(load_world(tmp_path / "d").stations["station"]) == {1, 2, 3, 4}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--city", "BUFALO"], "no station has city 'BUFALO'; close: BUFFALO"),
        (["--dma", "Nowhere"], "no station has dma 'Nowhere'"),
        ([], "give exactly one of --city, --dma and --stations"),
        (["--city", "BUFFALO", "--dma", "Utica"], "give exactly one of"),
        (["--city", "BUFFALO", "--links", "-1"], "greater than or equal to 0"),
        (["--stations", "missing.csv"], "missing.csv: seed stations file not found"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(main_cli, upstate, tmp_path, args, message):
    code, out, err = main_cli("data", "region", upstate, tmp_path / "r", *args)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and message in err, err
    assert not (tmp_path / "r").exists()


def test_refuses_a_non_empty_folder_and_its_own_source(main_cli, upstate, tmp_path):
    code, _, err = main_cli("data", "region", upstate, upstate, "--city", "BUFFALO")
    assert code == 2 and "folder is not empty (use --force" in err
    code, _, err = main_cli("data", "region", upstate, upstate, "--city", "BUFFALO", "--force")
    assert code == 2 and "would overwrite its source world" in err
    assert load_world(upstate).meta == {"command": "made by hand"}  # untouched


def test_new_york_on_the_national_world_with_auction_1001s_bidders(cli, fcc_data, tmp_path):
    reverse = fcc_data / "auction1001" / "reverse-stations.csv"
    r = cli("data", "region", ROOT / "instances" / "worlds" / "national", tmp_path / "nyc",
            "--dma", "New York", "--links", "0", "--participants", reverse, "--json")  # fmt: skip
    assert r.code == 0, r.stderr
    report = json.loads(r.stdout)
    world = load_world(tmp_path / "nyc")
    bidders = pd.read_csv(reverse)
    assert report["summary"]["stations"] == report["summary"]["seeds"] == 30
    assert set(world.stations["dma"]) == {"New York, NY"}
    assert set(world.participants) == set(bidders["facility_id"]) & set(world.stations["station"])
    assert report["region"]["participants"]["listed"] == len(bidders)
    assert world.packing is not None and set(world.packing) <= set(world.stations["station"])


def test_shipped_new_york_region_is_what_its_manifest_command_makes(cli, fcc_data, tmp_path,
                                                                     monkeypatch):  # fmt: skip
    shipped = ROOT / "instances" / "worlds" / "new-york"
    words = shlex.split(load_world(shipped).meta["command"])
    assert words[:5] == [
        "auctool",
        "data",
        "region",
        "instances/worlds/national",
        str(shipped.relative_to(ROOT)),
    ]
    monkeypatch.chdir(ROOT)  # the command's relative paths (the FCC data: ../shared)
    r = cli(*words[1:4], tmp_path / "made", *words[5:], "--quiet")
    assert r.code == 0, r.stderr
    made = tmp_path / "made"
    for name in ("Domain.csv", "stations.csv", "packing.csv", "participants.csv"):
        assert (made / name).read_bytes() == (shipped / name).read_bytes(), name
    interference = (made / "Interference_Paired.csv").read_bytes()
    assert interference == gzip.decompress((shipped / "Interference_Paired.csv.gz").read_bytes())
