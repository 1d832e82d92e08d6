"""`auctool data synth|table|info|convert` end to end through typer's CliRunner (and main())."""

from __future__ import annotations

import json
import shlex
from pathlib import Path

import pytest

from auctool.worlds.world import load_world
from tests.helpers import real_pairs_table

SMALL = ("--stations", "40", "--cities", "4", "--region-km", "500")


def test_synth_writes_a_world_that_loads(cli, tmp_path):
    r = cli("data", "synth", tmp_path / "w", *SMALL, "--seed", "3", "--json")
    assert r.code == 0, r.stderr
    report = json.loads(r.stdout)
    world = load_world(tmp_path / "w")
    assert len(world.stations) == report["summary"]["stations"] == 40
    assert world.meta["seed"] == 3 and world.name == "w"
    assert world.meta["command"].startswith("auctool data synth ")
    assert "--seed 3" in world.meta["command"] and "--stations 40" in world.meta["command"]
    assert (
        report["report"]["home_channels"]["greedy"] + report["report"]["home_channels"]["checker"]
        == 40
    )


def test_the_manifest_command_remakes_the_same_bytes(cli, tmp_path):
    first = cli("data", "synth", tmp_path / "a", *SMALL, "--seed", "11", "-q")
    assert first.code == 0, first.stderr
    command = shlex.split(load_world(tmp_path / "a").meta["command"])
    assert command[:4] == ["auctool", "data", "synth", str(tmp_path / "a")]
    again = cli("data", "synth", tmp_path / "b", *command[4:], "-q")
    assert again.code == 0, again.stderr
    for name in ("Domain.csv", "Interference_Paired.csv", "stations.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_info_and_convert_round_trip(cli, tmp_path):
    assert cli("data", "synth", tmp_path / "w", *SMALL, "-q").code == 0
    r = cli("data", "info", tmp_path / "w", "--json")
    assert r.code == 0, r.stderr
    before = json.loads(r.stdout)
    assert before["format"] == "unabridged" and before["home_channels"]["co_pairs"] == 0
    r = cli("data", "convert", tmp_path / "w", tmp_path / "cs", "--format", "channelspecific")
    assert r.code == 0 and "channelspecific" in r.stderr
    after = json.loads(cli("data", "info", tmp_path / "cs", "--json").stdout)
    assert after["format"] == "channelspecific"
    assert after["constraints"] == before["constraints"]
    assert after["manifest"] == before["manifest"]
    human = cli("data", "info", tmp_path / "cs")
    assert "channelspecific" in human.stdout and "interference-free" in human.stdout


def test_synth_in_channel_specific_format(cli, tmp_path):
    r = cli("data", "synth", tmp_path / "w", *SMALL, "--format", "channelspecific", "-q")
    assert r.code == 0, r.stderr
    assert (
        json.loads(cli("data", "info", tmp_path / "w", "--json").stdout)["format"]
        == "channelspecific"
    )


def _table(
    tmp_path,
    rows: str,
    header: str = "FacID,Call,Country,Channel,City,Lat,Lon,DMA,Eligible,Population",
):
    (tmp_path / "station_info.csv").write_text(header + "\n" + rows)
    uhf = ",".join(str(c) for c in range(14, 52) if c != 37)
    (tmp_path / "Domain.csv").write_text(f"DOMAIN,1,{uhf}\nDOMAIN,2,{uhf}\n")
    return tmp_path / "station_info.csv"


def test_synth_from_a_station_table(cli, tmp_path):
    table = _table(tmp_path, "1,A,US,20,X,40.7,74.0,D,True,100\n2,B,US,20,X,40.8,74.1,D,True,200\n")
    (tmp_path / "post.csv").write_text("station,channel\n1,20\n2,20\n")
    r = cli(
        "data",
        "table",
        tmp_path / "w",
        table,
        "--domains",
        tmp_path,
        "--no-admit-home",
        "--check",
        tmp_path / "post.csv",
    )
    assert r.code == 0, r.stderr
    assert "violates 1 CO" in r.stderr
    command = shlex.split(load_world(tmp_path / "w").meta["command"])
    assert command[:5] == ["auctool", "data", "table", str(tmp_path / "w"), str(table)]
    assert "--no-admit-home" in command and load_world(tmp_path / "w").meta["kind"] == "table"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("synth", "--stations", "0"), "Invalid value for '--stations' / '-n'"),
        (("synth", "--rural-share", "2"), "Invalid value for '--rural-share'"),
        (("synth", "--volumes", "v.csv"), "No such option: --volumes"),
        (("synth", "--from-stations", "x.csv"), "No such option: --from-stations"),
        (("synth", "--format", "auto"), "'auto' is not one of 'unabridged', 'channelspecific'"),
        (("table", "x.csv", "--domains", "d.csv", "--stations", "5"), "No such option"),
        (("table", "x.csv", "--cities", "5"), "No such option: --cities"),
        (("table", "x.csv"), "Missing option '--domains'"),
        (("table", "--domains", "d.csv"), "Missing argument 'STATION_TABLE'"),
        (("table", "missing.csv", "--domains", "d.csv"), "missing.csv: file not found"),
        (("table", "x.csv", "--domains", "d.csv", "--degrees", "no.csv"), "not 'fcc' nor"),
    ],
)
def test_bad_options_one_line_exit_2(main_cli, tmp_path, args, message):
    command, *rest = args
    code, out, err = main_cli("data", command, tmp_path / "w", *rest)
    assert code == 2, err
    assert err.startswith("auctool: error: ") and err.count("\n") == 1 and message in err, err
    assert out == ""


@pytest.mark.parametrize(
    ("rows", "header", "message"),
    [
        (
            "1,A,US,20,X,40.7,74.0,D,True,100\n",
            "FacID,Call,Country,Channel,City,Lat,Lon,DMA,Eligible",
            "station_info.csv:2: 10 fields where the header has 9",
        ),
        (
            "1,A,US,20,X,40.7,74.0,D,True,100\n2,B,US,twenty,X,40,74,D,True,5\n",
            None,
            "station_info.csv:3: column channel: 'twenty' is not a whole number",
        ),
        (
            "1,A,US,20,X,40.7,74.0,D,True,100\n9,B,US,21,X,40,74,D,True,5\n",
            None,
            "station_info.csv:3: station 9 has no line in",
        ),
    ],
)
def test_bad_station_tables_one_line_exit_2(main_cli, tmp_path, rows, header, message):
    table = _table(tmp_path, rows, header) if header else _table(tmp_path, rows)
    code, _, err = main_cli(
        "data", "table", tmp_path / "w", table, "--domains", tmp_path / "Domain.csv"
    )
    assert code == 2 and err.count("\n") == 1 and message in err, err
    assert not (tmp_path / "w" / "stations.csv").exists()


def test_refuses_to_overwrite_without_force(cli, tmp_path):
    (tmp_path / "w").mkdir()
    (tmp_path / "w" / "notes.txt").write_text("mine")
    r = cli("data", "synth", tmp_path / "w", *SMALL)
    assert r.code == 2 and "not empty (use --force" in r.stderr
    assert cli("data", "synth", tmp_path / "w", *SMALL, "--force", "-q").code == 0


def test_quiet_synth_prints_nothing_and_convert_asks_for_force(cli, tmp_path):
    quiet = cli("data", "synth", tmp_path / "w", *SMALL, "-q")
    assert (quiet.code, quiet.stdout, quiet.stderr) == (0, "", "")
    told = cli("data", "synth", tmp_path / "v", *SMALL)  # what was written: on stderr
    assert told.code == 0 and told.stdout == "" and "wrote " in told.stderr
    (tmp_path / "cs").mkdir()
    (tmp_path / "cs" / "notes.txt").write_text("mine")
    args = ("data", "convert", tmp_path / "w", tmp_path / "cs", "--format", "channelspecific")
    refused = cli(*args)
    assert refused.code == 2 and "not empty (use --force" in refused.stderr
    assert sorted(p.name for p in (tmp_path / "cs").iterdir()) == ["notes.txt"]
    forced = cli(*args, "--force", "-q")
    assert (forced.code, forced.stdout, forced.stderr) == (0, "", "")
    assert (tmp_path / "cs" / "Interference_Paired.csv").is_file()


def test_info_and_convert_errors(cli, tmp_path):
    r = cli("data", "info", tmp_path / "nowhere")
    assert r.code == 2 and "folder not found" in r.stderr and r.stderr.count("\n") == 1
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "Domain.csv").write_text("DOMAIN,1,14\n")
    (tmp_path / "bad" / "Interference_Paired.csv").write_text("CO,14,14,1,x\n")
    r = cli("data", "convert", tmp_path / "bad", tmp_path / "out", "--format", "unabridged")
    assert r.code == 2 and "Interference_Paired.csv:1:" in r.stderr
    r = cli("data", "convert", tmp_path / "bad", tmp_path / "out", "--format", "auto")
    assert r.code == 2


@pytest.mark.slow
@pytest.mark.realdata
def test_national_world_through_the_cli(cli, fcc_data, tmp_path):
    r = cli("data", "national", tmp_path / "nat", "--fcc", fcc_data, "--json")
    assert r.code == 0, r.stderr
    report = json.loads(r.stdout)
    assert report["summary"]["stations"] == 2990
    assert report["command"].endswith(f"--interference {fcc_data / 'satfc2013'}")
    assert report["report"]["provenance"]["stations"]["real"] == 2130
    human = cli("data", "info", tmp_path / "nat")
    assert "real pairs" in human.stdout and "CA 793" in human.stdout
    model = cli("data", "national", tmp_path / "m", "--fcc", fcc_data, "--interference", "model")
    assert model.code == 0, model.stderr
    assert "provenance" not in load_world(tmp_path / "m").meta["report"]


def test_table_on_real_pairs_reports_their_provenance(main_cli, tmp_path):
    table, domains, real = real_pairs_table(tmp_path)
    code, out, err = main_cli(
        "data", "table", tmp_path / "w", table, "--domains", domains, "--interference", real
    )
    assert code == 0 and out == "", err
    assert "real pairs: " in err and "(CA 2, US 1)" in err
    assert "1 stations of" in err and "not in the station table (first: 9)" in err
    code, out, _ = main_cli("data", "info", tmp_path / "w", "--json")
    assert json.loads(out)["realism"]["provenance"]["pairs"]["real"] == 2


@pytest.mark.parametrize(
    ("where", "text", "message"),
    [
        ("none", None, "none: not a constraint folder nor 'model'"),
        ("real", "CO,14,51,1,2\nCO,14\n", "Interference_Paired.csv:2: expected KEY"),
    ],
)
def test_table_refuses_bad_real_pairs_in_one_line(main_cli, tmp_path, where, text, message):
    table, domains, _ = real_pairs_table(tmp_path, text or "CO,14,51,1,2\n")
    code, out, err = main_cli(
        "data", "table", tmp_path / "w", table, "--domains", domains,
        "--interference", tmp_path / where,
    )  # fmt: skip
    assert (code, out) == (2, "") and message in err and err.count("\n") == 1


DEFAULT_WORLD = Path(__file__).resolve().parents[2] / "instances" / "worlds" / "default"


def test_shipped_default_world_is_what_its_manifest_command_makes(cli, tmp_path, monkeypatch):
    world = load_world(DEFAULT_WORLD)
    words = shlex.split(world.meta["command"])
    assert words[:4] == ["auctool", "data", "synth", "instances/worlds/default"]
    monkeypatch.chdir(tmp_path)  # the same relative folder: the same command, the same bytes
    r = cli(*words[1:], "--quiet")
    assert r.code == 0, r.stderr
    for name in ("Domain.csv", "Interference_Paired.csv", "stations.csv", "manifest.json"):
        made = tmp_path / "instances" / "worlds" / "default" / name
        assert made.read_bytes() == (DEFAULT_WORLD / name).read_bytes(), name


def test_shipped_default_world_is_a_small_uhf_market():
    world = load_world(DEFAULT_WORLD)
    assert 100 <= len(world.stations) <= 400 and world.name == "default"
    assert world.stations["channel"].min() >= 14
    assert sum(f.stat().st_size for f in DEFAULT_WORLD.iterdir()) < 5e6


def test_national_needs_the_fcc_folder_and_its_files(main_cli, tmp_path):
    code, out, err = main_cli("data", "national", tmp_path / "w", "--fcc", tmp_path / "none")
    assert code == 2 and out == "" and "none: folder not found" in err
    (tmp_path / "fcc" / "nov2015").mkdir(parents=True)
    code, _, err = main_cli("data", "national", tmp_path / "w", "--fcc", tmp_path / "fcc")
    assert code == 2 and "the FCC folder has no nov2015/station_info.csv" in err


@pytest.mark.realdata
def test_national_world_in_one_command(main_cli, fcc_data, tmp_path):
    out_dir = tmp_path / "us"
    code, out, err = main_cli("data", "national", out_dir, "--fcc", fcc_data, "--json")
    assert code == 0, err
    report = json.loads(out)["report"]
    world = report["calibration"]["world"]
    assert 0.9 < world["mean_ratio"] < 1.1 and world["correlation"] > 0.95
    assert report["calibration"]["subsets"]["uhf"]["recall"] > 0.9
    done = report["completed_packing"]
    assert done["placed"] + len(done["contradicting"]) == 793  # every Canadian station
    code, out, err = main_cli("data", "info", out_dir, "--json")
    assert code == 0, err
    info = json.loads(out)
    packing = info["packing"]
    assert packing["stations"] > 2800 and packing["co_pairs"] == packing["adj_pairs"] == 0
    assert info["realism"]["calibration"]["world"] == world


def test_info_on_a_world_whose_domains_lack_a_station(main_cli, tmp_path):
    """Issue 33: 'internal error: ValueError: operands could not be broadcast'."""
    import shutil

    shutil.copytree(DEFAULT_WORLD, tmp_path / "w")
    domain = tmp_path / "w" / "Domain.csv"
    domain.write_text("".join(domain.read_text().splitlines(keepends=True)[1:]))
    code, out, err = main_cli("data", "info", tmp_path / "w")
    assert (code, out) == (2, "") and "Domain.csv: 199 stations where the world's manifest" in err
    (tmp_path / "w" / "manifest.json").unlink()  # issue 36: its counts are checked first
    code, out, err = main_cli("data", "info", tmp_path / "w")
    assert (code, out) == (2, "") and "has no line in Domain.csv" in err
    (tmp_path / "w" / "stations.csv").unlink()  # a constraint folder: described, with a warning
    code, out, err = main_cli("data", "info", tmp_path / "w", "--json")
    assert code == 0, err
    assert json.loads(out)["stations_without_domain"] == 1
