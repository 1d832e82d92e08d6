"""``auctool tune``, ``validate`` and ``instances features`` through the CLI."""

from __future__ import annotations

import json
import shlex
from dataclasses import replace

import pytest

from auctool.check.config.configs import CheckerConfig, save_config
from auctool.formats.fcc import write_constraints
from auctool.formats.instances import InstanceEntry, write_manifest
from auctool.formats.srpk import write_srpk
from tests.helpers import pigeonhole
from tests.tune._sets import pigeonhole_sets


@pytest.fixture(scope="module")
def sets(tmp_path_factory):
    return pigeonhole_sets(tmp_path_factory.mktemp("php"))


def test_tune_json_report_then_check_with_the_incumbent(cli, sets, tmp_path):
    out = tmp_path / "run"
    r = cli("tune", sets["train"], "--test", sets["test"], "--trials", "8", "--out", out, "--json")
    assert r.code == 0, r.stderr
    report = json.loads(r.stdout)  # only JSON on stdout
    assert report["tuning"]["trials"] == 8 and report["validation"]["held_out"]
    # the command that made it, as data commands write theirs: quoted, the seed always, output
    # flags aside
    assert report["command"] == shlex.join(
        ["auctool", "tune", str(sets["train"]), "--test", str(sets["test"]), "--trials", "8", "--seed", "0",
         "--out", str(out)]
    )  # fmt: skip
    check = cli("check", "--config", out / "incumbent.yaml", "--jsonl", sets["test"] / "k04.srpk")
    assert check.code == 0 and check.json_lines()[0]["answer"] == "SAT"


def test_tune_human_output_on_workers_2(cli, sets, tmp_path):
    r = cli("tune", sets["train"], "--trials", "8", "--workers", "2", "--out", tmp_path / "w2")
    assert r.code == 0, r.stderr
    assert "incumbent" in r.stdout and "PAR10" in r.stdout  # the validation table
    assert "validating on the training set" in r.stderr and "8 trials" in r.stderr
    report = json.loads((tmp_path / "w2" / "report.json").read_text())
    assert report["tuning"]["this_session"]["workers"] == 2


def test_validate_and_fail_under(cli, sets, tmp_path):
    save_config(CheckerConfig(solver="minisat22"), tmp_path / "mini.yaml")
    ok = cli("validate", sets["test"], tmp_path / "mini.yaml", "--json", "--fail-under", "0.5")
    assert ok.code == 0, ok.stderr
    table = json.loads(ok.stdout)
    assert [c["name"] for c in table["configs"]] == ["default", "mini"]
    assert table["configs"][1]["solved_share"] == 0.9  # the pigeonhole problem times out
    low = cli("validate", "--set", sets["test"], tmp_path / "mini.yaml", "--fail-under", "0.95")
    assert low.code == 1
    assert low.stderr.strip().endswith("mini solves 90.0% of the set, below --fail-under 95%")
    assert "mini" in low.stdout  # the table is still printed


def test_validate_in_work_mode_says_so_and_refuses_a_solver_without_a_conflict_budget(
    cli, sets, tmp_path
):
    save_config(CheckerConfig(solver="minisat22"), tmp_path / "mini.yaml")
    work = cli("validate", sets["test"], tmp_path / "mini.yaml", "--budget-mode", "work", "--json")
    assert work.code == 0, work.stderr
    table = json.loads(work.stdout)
    assert table["budget_mode"] == "work" and table["configs"][1]["solved_share"] == 0.9
    save_config(CheckerConfig(solver="lingeling", phases=False), tmp_path / "ling.yaml")
    bad = cli("validate", sets["test"], tmp_path / "ling.yaml", "--budget-mode", "work")
    assert bad.code == 2 and bad.stderr.count("\n") == 1, bad.stderr
    assert "lingeling takes no conflict budget" in bad.stderr


def test_instances_features(cli, sets, tmp_path):
    r = cli("instances", "features", sets["train"], "--json", "--out", tmp_path / "f.csv")
    assert r.code == 0, r.stderr
    obj = json.loads(r.stdout)
    assert len(obj["instances"]) == 10 and obj["instances"][0]["instance"] == "k02.srpk"
    assert (tmp_path / "f.csv").read_text().startswith("instance,stations,")
    human = cli("instances", "features", sets["train"])
    assert human.code == 0 and "graph_density" in human.stdout


def test_bad_input_is_one_line_and_exit_2(cli, sets, tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "notrun").mkdir()
    (tmp_path / "notrun" / "x.txt").write_text("x")
    train = sets["train"]
    cases = [
        (("tune", tmp_path / "missing", "--trials", "2"), "instance set folder not found"),
        (("tune", tmp_path / "empty", "--trials", "2"), "no .srpk files"),
        (("tune", train, "--cutoff", "-1", "--trials", "2"), "--cutoff must be a positive"),
        (("tune", train, "--trials", "0"), "--trials must be at least 1"),
        (("tune", train, "--budget", "-3"), "--budget must be a positive"),
        (("tune", train, "--trials", "2", "--workers", "0"), "--workers must be at least 1"),
        (("tune", train, "--trials", "2", "--out", tmp_path / "notrun"), "not a tune run"),
        (("tune", train, "--trials", "2", "--test", tmp_path / "missing"), "not found"),
        (("validate", train, tmp_path / "none.yaml"), "configuration file not found"),
        (("validate", "--set", train, "--fail-under", "2", tmp_path / "x.yaml"), "between 0 and 1"),
        (("validate", train, train / "k02.srpk"), "must be a mapping of setting"),
        (("validate", train / "k02.srpk", train), "give the instance set first"),
        (("validate", train), "at least one configuration"),
        (("instances", "features", tmp_path / "empty"), "no .srpk files"),
        (("tune", train, "--trials", "2", "--fix", "cache"), "expected KNOB=VALUE"),
        (("tune", train, "--trials", "2", "--fix", "speed=11"), "unknown knob"),
        (("tune", train, "--trials", "2", "--free", "solver"), "tune already tunes it"),
        (("tune", train, "--trials", "2", "--warm-from", tmp_path / "empty"), "--warm-from holds"),
    ]
    for args, message in cases:
        r = cli(*args)
        assert r.code == 2, (args, r.stderr)
        assert message in r.stderr, (message, r.stderr)
        assert r.stderr.count("\n") == 1 and r.stderr.startswith("auctool: error: ")


@pytest.mark.parametrize(
    "option, value, choices",
    [
        ("--objective", "fastest", "'par10', 'runtime', 'solved'"),
        ("--budget-mode", "bogus", "'time', 'work'"),
    ],
)
def test_the_objective_and_budget_mode_are_one_of_their_enum(
    main_cli, sets, option, value, choices
):
    """A usage error of the parser (the real entry point makes it one line too)."""
    code, out, err = main_cli("tune", sets["train"], option, value, "--trials", "2")
    assert (code, out) == (2, "") and err.count("\n") == 1, err
    assert f"'{value}' is not one of {choices}" in err


def test_a_work_mode_tune_says_its_mode_and_is_continued_only_in_it(cli, sets, tmp_path):
    out = tmp_path / "work"
    args = ("tune", sets["train"], "--test", sets["test"], "--trials", "6", "--out", out)
    r = cli(*args, "--budget-mode", "work", "--json")
    assert r.code == 0, r.stderr
    report = json.loads(r.stdout)
    assert report["budget_mode"] == "work" and report["tuning"]["trials"] == 6
    assert report["validation"]["budget_mode"] == "work"
    assert json.loads((out / "report.json").read_text())["budget_mode"] == "work"
    assert json.loads((out / "tune-settings.json").read_text())["budget_mode"] == "work"
    assert "budget mode work" in (out / "incumbent.yaml").read_text().splitlines()[0]
    shown = cli("report", out)
    assert shown.code == 0 and "at a cutoff of 0.2 s of work" in shown.stdout, shown.stdout
    assert "cutoff 0.2 s of work" in shown.stdout  # the validation table's
    check = cli("check", "--config", out / "incumbent.yaml", "--budget-mode", "work", "--jsonl",
                sets["test"] / "k04.srpk")  # fmt: skip
    assert check.code == 0 and check.json_lines()[0]["answer"] == "SAT", check.stderr
    # the same command in the other mode: refused in one line, naming the change
    again = cli(*args)
    assert again.code == 2 and again.stderr.count("\n") == 1, again.stderr
    assert "(budget_mode: work -> time)" in again.stderr and "--warm-from" not in again.stderr
    # a time-mode run warm-started from it: none of its trials holds
    warm = cli("tune", sets["train"], "--trials", "2", "--no-validate", "--out", tmp_path / "t",
               "--warm-from", out, "--json")  # fmt: skip
    assert warm.code == 0, warm.stderr
    assert "none of its trials holds in time mode" in warm.stderr
    assert json.loads(warm.stdout)["tuning"]["rounds"][0]["reused_trials"] == 0


def _clique_set(root):
    """Pigeonhole problems (13 stations pairwise co-channel on 12 channels): the default's
    clique bound refutes each in a millisecond; without it a solver cannot at 0.2 s."""
    data, problem = pigeonhole(12)
    write_constraints(data, root / "php")
    entries = []
    for i in range(3):
        write_srpk(replace(problem, cutoff=0.2, name=f"p{i}"), root / "set" / f"p{i}.srpk")
        entries.append(InstanceEntry(f"p{i}.srpk", "UNSAT"))
    write_manifest(root / "set", entries, {"constraints": "../php", "cutoff": 0.2})
    return root / "set"


def test_fail_if_worse_says_a_validation_loss_in_the_exit_code(cli, sets, tmp_path):
    """A tune whose incumbent validated worse than the default fails a script or CI with
    --fail-if-worse (exit 1, the loss on stderr) and says so in incumbent.yaml either way."""
    out, test = tmp_path / "run", _clique_set(tmp_path)
    fix = ("--fix", "clique=false", "--fix", "ac3=false")
    args = ("tune", sets["train"], "--test", test, "--trials", "3", *fix, "--out", out)
    plain = cli(*args, "--json")
    assert plain.code == 0, plain.stderr
    losses = [n for n in json.loads(plain.stdout)["notes"] if "did worse than" in n]
    assert losses and "WARNING: the incumbent did worse" in (out / "incumbent.yaml").read_text()
    strict = cli(*args, "--fail-if-worse")
    assert strict.code == 1 and strict.stderr.strip().endswith("(--fail-if-worse)"), strict.stderr
    assert "did worse than the default" in strict.stderr


def test_a_run_made_otherwise_is_refused_on_the_command_line(cli, sets, tmp_path):
    out = tmp_path / "run"
    assert cli("tune", sets["train"], "--trials", "2", "--no-validate", "--out", out).code == 0
    r = cli("tune", sets["train"], "--trials", "2", "--cutoff", "0.4", "--out", out)
    assert r.code == 2 and r.stderr.count("\n") == 1
    assert "made with other settings (cutoff: 0.2 -> 0.4)" in r.stderr
    warm = cli(
        "tune", sets["train"], "--trials", "2", "--cutoff", "0.4", "--no-validate",
        "--out", tmp_path / "warm", "--warm-from", out,
    )  # fmt: skip
    assert warm.code == 0, warm.stderr


def test_tune_progress_off_a_terminal_says_what_its_cost_is(cli, sets, tmp_path, monkeypatch):
    """The progress line names the figure it shows (SMAC's estimate for the incumbent,
    which can rise as it meets harder instances), and --budget's help says that features
    and validation come on top (a user read 'incumbent cost' climbing as getting worse)."""
    monkeypatch.setattr("auctool.cli._common.PROGRESS_LINE_SECONDS", 0)
    r = cli("tune", sets["train"], "--trials", "4", "--no-validate", "--out", tmp_path / "p")
    assert r.code == 0, r.stderr
    lines = [x for x in r.stderr.splitlines() if x.startswith("tune: ")]
    assert lines and "4 trials" in lines[-1]
    assert any("incumbent's mean cost so far" in x for x in lines)
    helped = " ".join(cli("tune", "--help").stdout.replace("│", " ").split())
    assert "validating on --test after come on top" in helped
