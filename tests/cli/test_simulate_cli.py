"""``auctool simulate`` end to end: JSON shape, output files, recordings, baseline, errors."""

import json
from pathlib import Path

import pandas as pd
import pytest

from auctool.formats.instances import load_instance_set
from tests.auction.worlds import THREE_STATION_VALUES, three_station_world, write_world


@pytest.fixture
def abc(tmp_path):
    """The three-station world (outcome known: C wins, paid 314,251) and its values file."""
    world = write_world(three_station_world(), tmp_path / "abc")
    values = tmp_path / "values.csv"
    values.write_text(THREE_STATION_VALUES)
    return world, values


def test_json_is_one_object_with_the_reported_figures(cli, abc):
    world, values = abc
    run = cli("simulate", world, "--values", values, "--cutoff", "5", "--json")
    assert run.code == 0, run.stderr
    (body,) = run.json_lines()
    assert body["rounds"] == 8 and body["cost"] == 314_251 and body["winners"] == 1
    assert body["winner_value"] == 100_000
    assert {"total", "SAT", "UNSAT", "TIMEOUT"} <= set(body["checks"])
    assert {"p50", "p90", "p99", "max", "total"} <= set(body["check_seconds"])
    assert sum(body["solved_by"].values()) == 5
    assert body["per_round"][-1] == {**body["per_round"][-1], "round": 8, "active": 0}
    assert "overhead_ms_per_check" in body["timing"]


def test_human_summary_and_outputs(cli, abc, tmp_path):
    world, values = abc
    run = cli("simulate", world, "--values", values, "-t", "5", "--out", tmp_path / "out")
    assert run.code == 0, run.stderr
    assert "314,251" in run.stdout and "cost $" in run.stdout
    assert "wrote rounds.csv" in run.stderr
    rounds = pd.read_csv(tmp_path / "out" / "rounds.csv")
    assert rounds[["round", "active", "frozen", "exited"]].iloc[-1].tolist() == [8, 0, 1, 1]
    assert len(pd.read_csv(tmp_path / "out" / "checks.csv")) == 5
    assert json.loads((tmp_path / "out" / "summary.json").read_text())["cost"] == 314_251


def test_record_writes_a_loadable_instance_set(cli, abc, tmp_path):
    world, values = abc
    run = cli(
        "simulate",
        world,
        "--values",
        values,
        "-t",
        "5",
        "--seed",
        "4",
        "--initial-cutoff",
        "20",
        "--record",
        tmp_path / "rec",
        "-q",
    )
    assert run.code == 0, run.stderr
    assert run.stderr == ""
    rec = load_instance_set(tmp_path / "rec")
    assert len(rec) == 5 and rec.constraints_dir == world.resolve()
    assert [e.answer for e in rec.entries].count("UNSAT") == 1
    (entry,) = rec.meta["runs"]
    assert entry["seed"] == 4 and "--seed 4 --cutoff 5 --initial-cutoff 20" in entry["command"]
    assert entry["initial_cutoff"] == 20 and rec.entries[0].extra["kind"] == "initial"
    assert "--record-sat-share" not in entry["command"] and entry["sat_share"] == 1.0
    # the recorded set is what `auctool check` reads
    check = cli("check", "--jsonl", tmp_path / "rec")
    assert [line["answer"] for line in check.json_lines()] == [e.answer for e in rec.entries]


def test_a_sampled_recording_names_its_share_in_the_command(cli, abc, tmp_path):
    world, values = abc
    args = ["simulate", world, "--values", values, "-t", "5", "--record", tmp_path / "rec"]
    run = cli(*args, "--record-sat-share", "0.5", "-q")
    assert run.code == 0, run.stderr
    (entry,) = load_instance_set(tmp_path / "rec").meta["runs"]
    assert entry["sat_share"] == 0.5 and entry["command"].endswith("--record-sat-share 0.5")


def test_a_work_budget_run_names_its_mode_and_replays(cli, abc, tmp_path):
    world, values = abc
    args = ["simulate", world, "--values", values, "-t", "0.001", "--budget-mode", "work"]
    first = cli(*args, "--json", "--record", tmp_path / "rec")
    assert first.code == 0, first.stderr
    (body,) = first.json_lines()
    assert body["budget_mode"] == "work"
    (entry,) = load_instance_set(tmp_path / "rec").meta["runs"]
    assert "--budget-mode work" in entry["command"]
    (again,) = cli(*args, "--json").json_lines()
    assert (again["cost"], again["checks"]) == (body["cost"], body["checks"])


def test_baseline_side_by_side(cli, abc, tmp_path):
    world, values = abc
    other = tmp_path / "other.yaml"
    other.write_text("solver: minisat22\nencoding: multivalued\n")
    run = cli("simulate", world, "--values", values, "-t", "5", "--baseline", other, "--json")
    assert run.code == 0, run.stderr
    (body,) = run.json_lines()
    assert body["baseline"]["config"]["solver"] == "minisat22"
    assert body["baseline"]["config_file"] == str(other) and body["config_file"] is None
    assert body["comparison"]["cost_difference"] == 0
    assert body["comparison"]["frozen_by_timeout_alone"] == 0
    human = cli("simulate", world, "--values", values, "-t", "5", "--baseline", other)
    assert "built-in default" in human.stdout and "other.yaml" in human.stdout
    assert "cost difference" in human.stdout and "answered by" in human.stdout
    said = " ".join(human.stdout.split())  # the caption wraps with the table's width
    assert "--budget-mode work replays exactly" in said  # one auction's noise, said
    worked = cli("simulate", world, "--values", values, "-t", "5", "--baseline", other,
                 "--budget-mode", "work")  # fmt: skip
    assert worked.code == 0 and "replays exactly" not in " ".join(worked.stdout.split())


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["{tmp}/nowhere"], "constraint folder not found"),
        (["{world}", "--clearing-target", "85"], "unknown clearing target 85"),
        (["{world}", "--clearing-target", "127"], "unknown clearing target 127"),
        (["{world}", "--clearing-target", "84,114"], "must decrease from stage to stage"),
        (["{world}", "--clearing-target", ""], "give MHz (84), a decreasing list"),
        (["{world}", "--clearing-target", "126,,84"], "give MHz (84), a decreasing list"),
        (["{world}", "--stop-below-cost", "1e9"], "give a sequence of clearing targets"),
        (
            ["{world}", "--clearing-target", "114,84", "--stop-below-cost", "lots"],
            "'lots' is not an amount of dollars",
        ),
        (["{world}", "--cutoff", "0"], "cutoff must be a positive"),
        (["{world}", "--initial-cutoff", "-1"], "--initial-cutoff must be a positive"),
        (["{world}", "--values", "{tmp}/bad.csv"], "bad.csv:2: value 'x' is not a number"),
        (["{world}", "--config", "{tmp}/bad.yaml"], "unknown setting 'colour'"),
        (
            ["{world}", "--budget-mode", "work", "--config", "{tmp}/ling.yaml"],
            "solver lingeling takes no conflict budget",
        ),
        (["{tmp}/bare"], "not a world: no stations.csv"),
        (
            ["{world}", "--record", "{tmp}/rec", "--record-sat-share", "0"],
            "share of SAT questions kept must be in (0, 1]",
        ),
        (["{world}", "--seeds", "5-1"], "the range 5-1 runs downwards"),
        (["{world}", "--seeds", "x"], "'x' is not a seed"),
        (["{world}", "--seeds", ""], "give numbers and ranges"),
        (["{world}", "--seeds", "1-2", "--baseline", "{tmp}/missing.yaml"], "missing.yaml"),
        (["{world}", "--seeds", "1-2", "--record", "{tmp}/rec"], "drop --record"),
        (["{world}", "--workers", "2"], "--workers and --scheduler go with --seeds"),
        (["{world}", "--seeds", "1", "--workers", "0"], "workers must be at least 1"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(cli, abc, tmp_path, args, message):
    world, _ = abc
    (tmp_path / "bad.csv").write_text("station,value\n2,x\n")
    (tmp_path / "bad.yaml").write_text("colour: red\n")
    (tmp_path / "ling.yaml").write_text("solver: lingeling\n")
    bare = tmp_path / "bare"
    bare.mkdir()
    for name in ("Domain.csv", "Interference_Paired.csv"):
        (bare / name).write_text((world / name).read_text())
    run = cli("simulate", *[a.format(tmp=tmp_path, world=world) for a in args])
    assert run.code == 2
    assert run.stderr.count("\n") == 1 and run.stderr.startswith("auctool: error: ")
    assert message in run.stderr
    assert run.stdout == ""
    assert not (tmp_path / "rec").exists()  # nothing written


def test_an_unreachable_clearing_target_is_a_run_error(cli, abc, tmp_path):
    world, _ = abc
    (tmp_path / "none.csv").write_text("station,value\n1,1e12\n2,1e12\n3,1e12\n")
    run = cli("simulate", world, "--values", tmp_path / "none.csv", "-t", "5", "--json")
    assert run.code == 1 and run.stdout == ""
    assert run.stderr.startswith("auctool: error: the 3 stations that do not bid cannot be packed")
    assert run.stderr.count("\n") == 1


def test_seeds_run_paired_resume_and_report(cli, abc, tmp_path):
    world, values = abc
    other = tmp_path / "other.yaml"
    other.write_text("solver: minisat22\nincremental: false\n")
    args = ["simulate", world, "--values", values, "-t", "5", "--baseline", other]
    args += ["--seeds", "1-3", "--out", tmp_path / "many"]
    run = cli(*args, "--json")
    assert run.code == 0, run.stderr
    (body,) = run.json_lines()
    assert [s["seed"] for s in body["seeds"]] == [1, 2, 3]
    assert all(s["run"]["cost"] == 314_251 == s["baseline"]["cost"] for s in body["seeds"])
    assert body["paired"]["n"] == 3 and body["paired"]["ties"] == 3
    assert body["paired"]["significant"] is False
    assert "Student t" in body["paired"]["interval_method"]
    again = cli(*args[:-2], "--seeds", "1-4", "--out", tmp_path / "many")
    assert again.code == 0, again.stderr
    assert "auctions by seed" in again.stdout and "not significant" in again.stdout
    assert body["labels"] == {"run": "built-in default", "baseline": "other.yaml"}
    said = " ".join(again.stdout.split())  # the table names what it compares
    assert "run: built-in default; baseline: other.yaml" in said
    summary = json.loads((tmp_path / "many" / "summary.json").read_text())
    assert [s["status"] for s in summary["seeds"]] == ["resumed"] * 3 + ["ran"]
    drawn = cli("report", tmp_path / "many", "--json")
    assert drawn.code == 0, drawn.stderr
    (rep,) = drawn.json_lines()
    assert rep["kind"] == "seeds" and all(Path(p).is_file() for p in rep["plots"])


def test_off_a_terminal_progress_is_a_plain_line(cli, abc, monkeypatch):
    """Issue 36: `simulate --seeds` in a log or CI job was silent for minutes. Off a terminal
    it says a plain line now (every 10 s; here, interval 0, at every step), none quiet."""
    monkeypatch.setattr("auctool.cli._common.PROGRESS_LINE_SECONDS", 0)
    world, values = abc
    args = ["simulate", world, "--values", values, "-t", "5", "--seeds", "1-2", "--workers", "1"]
    run = cli(*args, "--json")
    assert run.code == 0, run.stderr
    assert json.loads(run.stdout)["kind"] == "seeds"  # stdout: the JSON alone
    lines = [x for x in run.stderr.splitlines() if x.startswith("seeds: ")]
    assert [x.rsplit(", ", 1)[0] for x in lines] == ["seeds: 1/2 done", "seeds: 2/2 done"]
    assert lines[-1].endswith(" s") and "\x1b[" not in run.stderr  # no bar, no colour
    one = cli("simulate", world, "--values", values, "-t", "5")
    assert "auction: 1/" in one.stderr and "rounds, run: round 1, " in one.stderr
    assert cli(*args, "--quiet").stderr == ""


def _paired_seeds(cli, abc, tmp_path, *more: object):
    """`simulate --seeds 1-2` against a baseline into tmp_path/many (every seed ties)."""
    world, values = abc
    other = tmp_path / "other.yaml"
    other.write_text("solver: minisat22\nincremental: false\n")
    args = ["simulate", world, "--values", values, "-t", "5", "--baseline", other]
    run = cli(*args, "--seeds", "1-2", "--workers", "1", "--out", tmp_path / "many", *more)
    assert run.code == 0, run.stderr
    return run


def _paired_rows(stdout: str) -> dict[str, list[str]]:
    """The paired table's rows by figure: its cells as printed."""
    table = stdout.split("paired by seed: run - baseline", 1)[1]
    rows = [[c.strip() for c in line.split("│")[1:-1]] for line in table.splitlines()]
    return {row[0]: row for row in rows if row}


def test_seeds_say_each_interval_once_in_one_unit(cli, abc, tmp_path):
    """Issue 36: the table's caption said the interval in $ M, a line under it again in $.
    Each figure's interval is said once now, in its row of the paired table (cost in $ M)."""
    out = _paired_seeds(cli, abc, tmp_path).stdout
    rows = _paired_rows(out)
    assert list(rows) == ["cost $M", "frozen by TIMEOUT", "TIMEOUT checks", "wall s"]
    assert rows["cost $M"][3:6] == ["+0.0", "[+0.0, +0.0]", "not significant"]
    assert "[+0, +0]" not in out and "contains 0" not in out  # no sentence saying it again
    assert "wall: baseline / run = " in " ".join(out.split())


def test_seeds_json_pairs_every_headline_figure(cli, abc, tmp_path):
    """Cost, frozen by a TIMEOUT, TIMEOUT checks and wall seconds, each paired with its
    interval; "paired" (cost) stays as it was, for what reads it."""
    (body,) = _paired_seeds(cli, abc, tmp_path, "--json").json_lines()
    figures = body["paired_figures"]
    assert list(figures) == ["cost", "frozen_by_timeout", "TIMEOUT", "wall_seconds"]
    assert all(f["n"] == 2 and len(f["t_interval"]) == 2 for f in figures.values())
    assert figures["cost"] == {**figures["cost"], **body["paired"]}
    assert figures["frozen_by_timeout"]["ties"] == 2 and figures["cost"]["run_cheaper"] == 0
    wall = figures["wall_seconds"]
    assert wall["run_mean"] > 0 and wall["baseline_mean"] > 0 and wall["seeds_left_out"] == 0
    assert wall["ratio"]["ratio"] == pytest.approx(
        wall["baseline_mean"] / wall["run_mean"], rel=1e-3
    )
    assert all(s["run"]["wall_seconds"] > 0 for s in body["seeds"])


def test_report_on_a_seeds_folder_says_the_verdict(cli, abc, tmp_path):
    """Issue 36: `report` on a --seeds folder printed the table without the verdict."""
    _paired_seeds(cli, abc, tmp_path, "-q")
    drawn = cli("report", tmp_path / "many")
    assert drawn.code == 0, drawn.stderr
    rows = _paired_rows(drawn.stdout)
    assert [row[5] for row in rows.values()][:3] == ["not significant"] * 3
    assert rows["cost $M"][4] == "[+0.0, +0.0]" and "wall s" in rows


def test_a_folder_of_another_kind_is_refused_untouched(main_cli, abc, tmp_path):
    """Issue 33: `simulate --seed 1 --out <a --seeds folder>` overwrote its summary.json."""
    world, values = abc
    seeds = tmp_path / "seeds"
    code, _, err = main_cli(
        "simulate", world, "--values", values, "-t", "5", "--seeds", "1-2", "--out", seeds, "-q"
    )
    assert code == 0, err
    before = (seeds / "summary.json").read_bytes()
    code, out, err = main_cli("simulate", world, "--values", values, "--out", seeds, "-q")
    assert (code, out) == (2, "") and "holds a multi-seed simulation (--seeds)" in err
    assert (seeds / "summary.json").read_bytes() == before
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("precious")
    for flag in ("--out", "--record"):
        code, _, err = main_cli("simulate", world, "--values", values, flag, mine, "-q")
        assert code == 2 and "holds files that are no auctool run" in err
    assert sorted(p.name for p in mine.iterdir()) == ["notes.txt"]


def test_two_runs_into_one_folder_the_second_fails_at_once(tmp_path):
    import subprocess
    import sys
    import time

    world = Path(__file__).resolve().parents[2] / "instances" / "worlds" / "default"
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "auctool", "simulate", str(world), "-t", "1", "--out", str(out)]
    first = subprocess.Popen([*cmd, "-q"], stderr=subprocess.PIPE, text=True)
    try:
        end = time.monotonic() + 60
        while not (out / ".lock").exists() and time.monotonic() < end:
            time.sleep(0.1)
        second = subprocess.run([*cmd, "-q"], capture_output=True, text=True, timeout=60)
        assert first.poll() is None, "the first run ended before the second started"
        assert second.returncode == 1
        assert "another auctool simulate is writing to this folder" in second.stderr
    finally:
        first.wait(120)
    assert first.returncode == 0 and (out / "summary.json").is_file()


def test_on_timeout_takes_the_cores_rules(cli, abc):
    from auctool.auction.rules import TimeoutRule
    from auctool.cli.simulate import OnTimeout

    assert [r.value for r in OnTimeout] == [r.value for r in TimeoutRule]
    world, values = abc
    run = cli("simulate", world, "--values", values, "-t", "5", "--on-timeout", "hold", "--json")
    assert run.code == 0, run.stderr
    body = json.loads(run.stdout)
    assert body["on_timeout"] == "hold" and body["cost"] == 314_251  # nothing timed out
    bad = cli("simulate", world, "--on-timeout", "wait")
    assert bad.code == 2 and "wait" in bad.stderr


def test_rule_sets_are_paired_like_configurations(cli, abc, tmp_path):
    """Issue 34: escalation and hold against the FCC's rule, same market, one command."""
    world, values = abc
    args = ["simulate", world, "--values", values, "-t", "5", "--on-timeout", "revisit"]
    args += ["--max-cutoff", "10", "--round-budget", "20", "--baseline-fcc-rule", "--json"]
    run = cli(*args)
    assert run.code == 0, run.stderr
    body = json.loads(run.stdout)
    assert body["on_timeout"] == "revisit" and body["escalation"]["max_cutoff"] == 10
    assert body["baseline"]["on_timeout"] == "freeze" and body["baseline"]["escalation"] is None
    assert body["comparison"]["cost_difference"] == 0  # nothing timed out here
    seeds = cli(*args[:-1], "--seeds", "1-2", "--out", tmp_path / "s", "-q")
    assert seeds.code == 0, seeds.stderr
    settings = json.loads((tmp_path / "s" / "settings.json").read_text())
    assert settings["baseline_fcc_rule"] is True and settings["options"]["max_cutoff"] == 10


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--max-cutoff", "0.5"], "--max-cutoff must be at least the cutoff (1 s)"),
        (["--max-cutoff", "4", "--round-budget", "0"], "--round-budget must be a positive"),
        (["--on-timeout", "freeze", "--round-budget", "5"], "--round-budget is the time for"),
        (["--on-timeout", "melt"], "'melt' is not one of"),
        (["--round-workers", "0"], "--round-workers must be a whole number of at least 1"),
    ],
)
def test_bad_escalations_are_one_line_exit_2(main_cli, abc, tmp_path, flags, message):
    world, values = abc
    code, out, err = main_cli(
        "simulate", world, "--values", values, "-t", "1", "--out", tmp_path / "o", *flags
    )
    assert (code, out) == (2, "") and message in err and err.count("\n") == 1, err
    assert not (tmp_path / "o").exists()  # nothing written


def test_report_reads_a_summary_older_than_its_figures(cli, abc, tmp_path):
    """A run written before a figure existed (here frozen_by_unsat) still reports."""
    world, values = abc
    assert cli("simulate", world, "--values", values, "-t", "5", "--out", tmp_path / "o").code == 0
    path = tmp_path / "o" / "summary.json"
    body = json.loads(path.read_text())
    del body["frozen_by_unsat"]
    path.write_text(json.dumps(body))
    r = cli("report", tmp_path / "o")
    assert r.code == 0, r.stderr
