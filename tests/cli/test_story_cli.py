"""The script path end to end: tune -> validate -> simulate --baseline -> report, with --json,
and the numbers each step prints agree with the files the others wrote."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from auctool.check.config.configs import CheckerConfig, save_config
from auctool.cli import app
from tests.auction.worlds import small_synth_world, write_world
from tests.tune._sets import pigeonhole_sets

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def sets(tmp_path_factory):
    return pigeonhole_sets(tmp_path_factory.mktemp("sets"))


@pytest.fixture(scope="module")
def world_dir(tmp_path_factory):
    return write_world(small_synth_world(), tmp_path_factory.mktemp("w") / "small")


def test_tune_validate_simulate_report(cli, sets, world_dir, tmp_path):
    run = tmp_path / "tune"
    tuned = cli(
        "tune", sets["train"], "--test", sets["test"], "--trials", "6", "--out", run, "--json"
    )
    assert tuned.code == 0, tuned.stderr
    report = json.loads(tuned.stdout)
    incumbent = run / "incumbent.yaml"
    assert report["incumbent"]["file"] == "incumbent.yaml" and incumbent.is_file()
    by_name = {c["name"]: c for c in report["validation"]["configs"]}

    # validate the incumbent again: same set, same answers (the hopeless one times out)
    checked = cli("validate", sets["test"], incumbent, "--json", "--fail-under", "0.5")
    assert checked.code == 0, checked.stderr
    again = {c["name"]: c for c in json.loads(checked.stdout)["configs"]}
    assert again["incumbent"]["solved"] == by_name["incumbent"]["solved"] == 9
    assert again["default"]["solved"] == by_name["default"]["solved"] == 9

    # the auction with the tuned checker, the default as baseline (under the FCC's rule:
    # the hopeless question, re-asked every round by the default rules, would take minutes)
    save_config(CheckerConfig(), tmp_path / "default.yaml")
    out = tmp_path / "auction"
    sim = cli(
        "simulate", world_dir, "--config", incumbent, "--baseline", tmp_path / "default.yaml",
        "--cutoff", "5", "--on-timeout", "freeze", "--seed", "1", "--out", out, "--json",
    )  # fmt: skip
    assert sim.code == 0, sim.stderr
    body = json.loads(sim.stdout)
    assert body == json.loads((out / "summary.json").read_text())
    rounds = pd.read_csv(out / "rounds.csv")
    stations = pd.read_csv(out / "stations.csv")
    assert len(rounds) == body["rounds"] + 1  # round 0 is the initial packing
    assert stations["payment"].sum() == body["cost"]
    assert body["comparison"]["cost_difference"] == body["cost"] - body["baseline"]["cost"]
    assert (
        pd.read_csv(out / "baseline" / "stations.csv")["payment"].sum() == body["baseline"]["cost"]
    )

    # reports: JSON describing PNG files that exist and are PNGs
    for folder, kind, plots in (
        (run, "tune", {"runtime-ecdf.png", "incumbent-cost.png"}),
        (out, "simulate", {"auction-rounds.png"}),
    ):
        r = cli("report", folder, "--json")
        assert r.code == 0, r.stderr
        drawn = json.loads(r.stdout)
        assert drawn["kind"] == kind
        assert {p.rsplit("/", 1)[-1] for p in drawn["plots"]} == plots
        for path in drawn["plots"]:
            with open(path, "rb") as fh:
                assert fh.read(8) == PNG
    human = cli("report", out)
    assert human.code == 0 and "cost difference" in human.stdout


def test_report_refuses_a_folder_that_is_no_run(cli, tmp_path):
    r = cli("report", tmp_path)
    assert r.code == 2 and r.stderr.count("\n") == 1 and "not a run folder" in r.stderr


def test_a_settings_file_found_in_the_folder_is_named(main_cli, tmp_path, monkeypatch):
    """./auctool.toml applies without being named on the command line: it says so on
    stderr (stdout stays the JSON), unless asked to be quiet; elsewhere nothing is said."""
    monkeypatch.chdir(tmp_path)
    code, out, err = main_cli("space", "--json")
    assert code == 0 and "settings from" not in err
    (tmp_path / "auctool.toml").write_text("[simulate]\ncutoff = 2.5\n")
    code, out, err = main_cli("space", "--json")
    assert code == 0 and err == "auctool: settings from ./auctool.toml\n"
    assert json.loads(out)["knobs"]
    code, out, err = main_cli("space", "--json", "--quiet")
    assert code == 0 and err == ""


def test_settings_file_gives_defaults_and_names_bad_keys(cli, main_cli, world_dir, tmp_path):
    good = tmp_path / "scenario.toml"
    good.write_text("[simulate]\ncutoff = 2.5\nseed = 3\nclearing-target = 84\n")
    r = cli("--settings", good, "simulate", world_dir, "--json", "--quiet")
    assert r.code == 0, r.stderr
    body = json.loads(r.stdout)
    assert body["cutoff"] == 2.5 and body["seed"] == 3
    # the command line wins over the file
    r = cli("--settings", good, "simulate", world_dir, "--seed", "4", "--json", "--quiet")
    assert json.loads(r.stdout)["seed"] == 4
    for text, message in (
        ("[simulate]\ncutof = 1\n", "unknown setting simulate.cutof"),
        ("[simulat]\ncutoff = 1\n", "unknown command [simulat]"),
        ("[simulate\n", "not a valid TOML settings file"),
        ('[simulate]\ncutoff = "soon"\n', "bad.toml: simulate.cutoff = 'soon': "),
        ("[data.synth]\nstations = 0\n", "bad.toml: data.synth.stations = 0: "),
        # a value the core refuses later is the file's, not a flag nobody typed (issue 33)
        ("[simulate]\ncutoff = -1\n", "bad.toml: simulate.cutoff = -1: must be a positive"),
    ):
        bad = tmp_path / "bad.toml"
        bad.write_text(text)
        code, _, err = main_cli("--settings", bad, "simulate", world_dir)
        assert code == 2 and message in err and err.count("\n") == 1, err
    code, _, err = main_cli("--settings", bad, "simulate", world_dir, "--cutoff", "-2")
    assert code == 2 and "--cutoff must be a positive number of seconds, got -2" in err


@pytest.fixture(scope="module")
def recording(world_dir, tmp_path_factory):
    """Two recorded auctions (seeds 1 and 2) in one folder."""
    rec = tmp_path_factory.mktemp("rec") / "rec"
    for seed in ("1", "2"):
        args = ["simulate", str(world_dir), "--seed", seed, "--cutoff", "5", "--record", str(rec)]
        r = CliRunner().invoke(app, [*args, "-q"])
        assert r.exit_code == 0, r.stderr
    return rec


def test_instances_split_by_seed(cli, recording, tmp_path):
    rec = recording
    r = cli(
        "instances", "split", rec, "--train", tmp_path / "train", "--test", tmp_path / "test",
        "--test-seeds", "2", "--drop-solved-by", "presolve:previous", "--json",
    )  # fmt: skip
    assert r.code == 0, r.stderr
    sides = json.loads(r.stdout)
    manifest = json.loads((rec / "manifest.json").read_text())
    entries = manifest["instances"]
    kept = [e for e in entries if e["solved_by"] != "presolve:previous"]
    assert sides["train"]["instances"] + sides["test"]["instances"] == len(kept)
    test_manifest = json.loads((tmp_path / "test" / "manifest.json").read_text())
    assert {e["seed"] for e in test_manifest["instances"]} == {2}
    missing = cli("instances", "split", rec, "--train", tmp_path / "a", "--test", tmp_path / "b")
    assert missing.code == 2 and "--test-seeds" in missing.stderr


def test_empty_or_impossible_splits_are_errors_that_write_nothing(
    main_cli, recording, world_dir, tmp_path
):
    train, test = tmp_path / "train", tmp_path / "test"
    sides = ("--train", train, "--test", test)
    for args, message in (
        (("--test-seeds", "9"), "the recording has no such seed (its seeds: 1, 2)"),
        (("--test-seeds", "1,2"), "the training set would be empty"),
        (("--test-seeds", "1-2"), "the training set would be empty"),  # as --seeds reads it
        (("--test-seeds", "two"), "'two' is not a seed"),
        (("--test-from-round", "10000"), "the test set would be empty"),
        (("--test-seeds", "2", "--drop-solved-by", "cahce"), "'cahce' selects no component"),
        (("--test-seeds", "2", "--drop-solved-by", ""), "'' selects no component"),
    ):
        code, out, err = main_cli("instances", "split", recording, *sides, *args)
        assert (code, out) == (2, "") and message in err and err.count("\n") == 1, err
        assert not train.exists() and not test.exists()
    code, _, err = main_cli("instances", "split", world_dir, *sides, "--test-seeds", "1")
    assert code == 2 and "not a recording" in err and err.count("\n") == 1, err
    same = ("--train", train, "--test", train, "--test-seeds", "2")
    code, _, err = main_cli("instances", "split", recording, *same)
    assert code == 2 and "the test set would be in the training set's folder" in err, err
    assert not train.exists()
