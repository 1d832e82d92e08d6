"""``simulate --participants / --participation / --initial-assignment`` through the CLI."""

from __future__ import annotations

import json

import pytest

from tests.auction.worlds import crowded_world, write_world


@pytest.fixture
def crowded(tmp_path):
    return write_world(crowded_world(), tmp_path / "crowded")


def _file(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_listed_participants_bid_and_vhf_ones_are_named(main_cli, crowded, tmp_path):
    listed = _file(tmp_path, "p.csv", "auction_id,facility_id\n1001,1\n1001,2\n1001,9\n")
    code, out, err = main_cli("simulate", crowded, "--participants", listed, "-t", "5", "--json")
    assert code == 0, err
    assert "1 listed participants have a VHF home channel" in err
    body = json.loads(out)
    assert body["participants"] == 2
    assert body["participation"]["not_in_uhf_market"] == [9]
    assert body["start"]["stations"] == 2 and body["start"]["made_to_bid"] == []


def test_packable_participation_reports_what_it_changed(main_cli, crowded, tmp_path):
    listed = _file(tmp_path, "p.csv", "station\n4\n")
    code, _, err = main_cli("simulate", crowded, "--participants", listed, "-t", "5")
    assert code == 1 and err.count("\n") == 1
    assert "3 stations that do not bid cannot be packed" in err
    assert "--participation packable" in err
    code, _, err = main_cli(
        "simulate", crowded, "--participants", listed, "--participation", "packable", "-t", "5"
    )
    assert code == 0, err
    assert "1 non-bidders made to bid" in err


def test_an_initial_assignment_seeds_the_start(main_cli, crowded, tmp_path):
    listed = _file(tmp_path, "p.csv", "station\n3\n4\n")
    known = _file(tmp_path, "post.csv", "FacID,Ch\n1,15\n2,14\n")
    code, out, err = main_cli(
        "simulate", crowded, "--participants", listed, "--initial-assignment", known, "-t", "5",
        "--json",
    )  # fmt: skip
    assert code == 0, err
    assert json.loads(out)["start"] == {**json.loads(out)["start"], "seeded": 2,
                                        "method": "initial assignment"}  # fmt: skip


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("station,channel\n1,15\n99,14\n", "post.csv:3: station 99 is not in the world"),
        ("station,channel\n1,15\n2,15\n", "post.csv:2: not a feasible packing"),
        ("station,channel\n1,8\n", "post.csv:2: channel 8 is not in station 1's domain"),
        ("station;channel\n", "post.csv: missing column(s) station, channel"),
    ],
)
def test_bad_initial_assignments_are_one_line_exit_2(main_cli, crowded, tmp_path, text, message):
    listed = _file(tmp_path, "p.csv", "station\n3\n4\n")
    known = _file(tmp_path, "post.csv", text)
    code, out, err = main_cli(
        "simulate", crowded, "--participants", listed, "--initial-assignment", known
    )
    assert code == 2 and out == "" and err.count("\n") == 1
    assert message in err


def test_bad_participation_options_exit_2(main_cli, crowded, tmp_path):
    code, _, err = main_cli("simulate", crowded, "--participation", "sometimes")
    assert code == 2 and err.count("\n") == 1
    missing = tmp_path / "nope.csv"
    code, _, err = main_cli("simulate", crowded, "--participants", missing)
    assert code == 2 and "nope.csv: participants file not found" in err
    bad = _file(tmp_path, "p.csv", "station\n1\n42\n")
    code, _, err = main_cli("simulate", crowded, "--participants", bad)
    assert code == 2 and "p.csv:3: station 42 is not in the world" in err
