"""`auctool check` and `auctool export` end to end through typer's CliRunner."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from pysat.solvers import Solver

from auctool.formats.dimacs import read_dimacs
from auctool.formats.fcc import load_constraints, write_constraints
from auctool.formats.srpk import read_srpk, write_srpk
from auctool.model import Problem
from tests.helpers import data_from, mycielski_world


def test_check_json_is_one_document_jsonl_a_stream(cli, world):
    """--json prints one document like every other command's; --jsonl streams one object
    per problem as it is answered. The answer is ``answer`` there as in checks.csv."""
    files = (world / "sat.srpk", world / "unsat.srpk")
    doc = cli("check", "--data", world / "tri", "--json", *files)
    assert doc.code == 0, doc.stderr
    body = json.loads(doc.stdout)  # a single JSON value
    assert body["counts"] == {"SAT": 1, "UNSAT": 1, "TIMEOUT": 0}
    r = cli("check", "--data", world / "tri", "--jsonl", *files)
    assert r.code == 0, r.stderr
    streamed = [(o["instance"], o["answer"]) for o in r.json_lines()]
    assert streamed == [(o["instance"], o["answer"]) for o in body["problems"]]
    assert [a for _, a in streamed] == ["SAT", "UNSAT"]
    both = cli("check", "--data", world / "tri", "--json", "--jsonl", *files)
    assert both.code == 2 and "give one" in both.stderr
    sat, unsat = r.json_lines()
    assert sat["instance"] == str(world / "sat.srpk") and sat["answer"] == "SAT"
    assert set(sat["assignment"]) == {"1", "2", "3", "4"}
    assert len({sat["assignment"][s] for s in "123"}) == 3
    assert unsat["answer"] == "UNSAT" and "assignment" not in unsat
    assert all(isinstance(o["seconds"], float) for o in (sat, unsat))


def test_check_picks_the_folder_named_by_interference(cli, world):
    r = cli("check", "--data", world, "--jsonl", world / "sat.srpk")
    assert r.code == 0 and r.json_lines()[0]["answer"] == "SAT"


def test_check_human_output(cli, world):
    r = cli("check", "-d", world / "tri", "--assignment", world / "sat.srpk", world / "unsat.srpk")
    assert r.code == 0
    assert "SAT" in r.stdout and "UNSAT" in r.stdout and "assignment (station:channel)" in r.stdout
    assert "2 problem(s): 1 SAT, 1 UNSAT" in r.stderr
    quiet = cli("check", "-d", world / "tri", "-q", world / "sat.srpk")
    assert quiet.stderr == ""


def test_export_then_check_dimacs(cli, world, tmp_path):
    cnf = tmp_path / "out.cnf"
    r = cli("export", "--data", world / "tri", "--dimacs", cnf, world / "unsat.srpk")
    assert r.code == 0, r.stderr
    parsed = read_dimacs(cnf)
    assert parsed.nvars == 6
    assert "c var 1 station 1 channel 14" in cnf.read_text()
    r = cli("check", "--dimacs", "--jsonl", cnf)
    assert r.json_lines()[0]["answer"] == "UNSAT"
    cli("export", "--data", world / "tri", "--dimacs", cnf, world / "sat.srpk")
    out = cli("check", "--dimacs", "--jsonl", cnf).json_lines()[0]
    assert out["answer"] == "SAT" and out["model"]


def test_export_to_stdout(cli, world, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    problem = world / "unsat.srpk"
    r = cli("export", "--data", world / "tri", "--dimacs", "-", problem)
    assert r.code == 0, r.stderr
    assert not (tmp_path / "-").exists()
    assert "wrote the CNF to stdout: 6 variables" in r.stderr
    cli("export", "--data", world / "tri", "--dimacs", tmp_path / "p.cnf", problem, "-q")
    assert r.stdout == (tmp_path / "p.cnf").read_text()
    both = cli("export", "--data", world / "tri", "--dimacs", "-", "--json", problem)
    assert both.code == 2 and "cannot share it with --json" in both.stderr and both.stdout == ""


def test_result_columns_stay_aligned(cli, world):
    """A long problem name or component name moves no column of any other line."""
    long_name = world / "a-problem-with-a-much-longer-name-than-the-others.srpk"
    long_name.write_text((world / "sat.srpk").read_text())
    files = (world / "sat.srpk", long_name, world / "unsat.srpk")
    r = cli("check", "-d", world / "tri", *files)
    assert r.code == 0, r.stderr
    lines = r.stdout.splitlines()
    assert len(lines) == 3
    starts = {line.index(str(f)) for line, f in zip(lines, files, strict=True)}
    assert len(starts) == 1  # the problem column
    column = starts.pop() + len(str(long_name)) + 2  # the component column, after the longest
    for line in lines:
        assert line[column - 2 : column] == "  " and line[column] != " ", line
        assert line[column:].startswith(("presolve:", "cache:", "trivial:", "incremental:"))


def test_a_setting_that_has_no_effect_is_named(cli, world, tmp_path):
    cfg = tmp_path / "c.yaml"
    cfg.write_text("local_search: false\nls_flips: 500\nclique: true\n")
    r = cli("check", "-d", world / "tri", "--config", cfg, "--jsonl", world / "sat.srpk")
    assert r.code == 0, r.stderr
    assert r.json_lines()[0]["answer"] == "SAT"  # stdout: only JSON
    warnings = [line for line in r.stderr.splitlines() if line.startswith("warning:")]
    assert warnings == [f"warning: {cfg}: ls_flips has no effect: local_search is false"]
    portfolio = tmp_path / "p.yaml"
    portfolio.write_text(
        "portfolio:\n  - {solver: minisat22}\n  - {solver: minisat22, clasp_sign: rnd}\n"
    )
    r = cli("check", "-d", world / "tri", "--config", portfolio, world / "sat.srpk")
    assert r.code == 0, r.stderr
    assert (
        f"{portfolio}: portfolio member 2: clasp_sign has no effect: solver is minisat22, not clasp"
        in r.stderr
    )
    assert (
        "has no effect"
        not in cli("check", "-d", world / "tri", "-q", "--config", cfg, world / "sat.srpk").stderr
    )


def _bad(world, name: str, text: str) -> str:
    folder = world / name
    folder.mkdir()
    (folder / "Domain.csv").write_text("DOMAIN,1,14,15,16\nDOMAIN,2,14,15,16\n")
    (folder / "Interference_Paired.csv").write_text(text)
    return str(folder)


@pytest.mark.parametrize(
    ("interference", "message"),
    [
        (
            "CO,14,14,1,2\nCO,14,14\n",
            "Interference_Paired.csv:2: expected KEY,channel,channel,subject[,target...]",
        ),
        ("CO,14,14,1,2\nXX,14,14,1,2\n", "Interference_Paired.csv:2: unknown constraint key 'XX'"),
        (
            "ADJ-1,15,14,2,1\nADJ+1,14,16,1,2\n",
            "Interference_Paired.csv:2: ADJ+1 needs target channel = subject channel +1",
        ),
        (
            "CO,14,14,1,two\n",
            "Interference_Paired.csv:1: target station id 'two' is not a whole number",
        ),
        ("", "Interference_Paired.csv: file is empty"),
    ],
)
def test_bad_constraint_files_one_line_exit_2(cli, world, interference, message):
    data = _bad(world, "bad", interference)
    r = cli("check", "--data", data, world / "sat.srpk")
    assert r.code == 2
    assert (
        r.stderr.count("\n") == 1
        and message in r.stderr
        and r.stderr.startswith("auctool: error: ")
    )
    assert "Traceback" not in r.stderr


def test_bad_problem_and_options_one_line_exit_2(cli, world, tmp_path):
    cases = []
    (tmp_path / "p1.srpk").write_text("INTERFERENCE,tri\n1,-1,14\n9,-1,14\n")
    cases.append(
        (
            ("check", "--data", world / "tri", tmp_path / "p1.srpk"),
            "station 9 is not in the constraint data",
        )
    )
    (tmp_path / "p2.srpk").write_text("1,-1,x4\n")
    cases.append(
        (
            ("check", "--data", world / "tri", tmp_path / "p2.srpk"),
            "p2.srpk:1: channel 'x4' is not a whole number",
        )
    )
    (tmp_path / "p3.srpk").write_text("")
    cases.append(
        (("check", "--data", world / "tri", tmp_path / "p3.srpk"), "p3.srpk: file is empty")
    )
    cases.append(
        (
            ("check", "--data", world / "tri", tmp_path / "missing.srpk"),
            "missing.srpk: file not found",
        )
    )
    cases.append(
        (
            ("check", "--data", world / "tri", "--cutoff", "-1", world / "sat.srpk"),
            "--cutoff must be a positive number",
        )
    )
    cases.append(
        (
            ("check", "--data", world / "nowhere", world / "sat.srpk"),
            "constraint data folder not found",
        )
    )
    cases.append(
        (
            (
                "check",
                "--data",
                world / "tri",
                "--config",
                tmp_path / "none.yaml",
                world / "sat.srpk",
            ),
            "configuration file not found",
        )
    )
    (tmp_path / "notyaml.yaml").write_text("solver: [unclosed\n")
    cases.append(
        (
            (
                "check",
                "--data",
                world / "tri",
                "--config",
                tmp_path / "notyaml.yaml",
                world / "sat.srpk",
            ),
            "not valid YAML",
        )
    )
    (tmp_path / "unknown.yaml").write_text("solver: glucose3\nturbo: true\n")
    cases.append(
        (
            (
                "check",
                "--data",
                world / "tri",
                "--config",
                tmp_path / "unknown.yaml",
                world / "sat.srpk",
            ),
            "unknown setting 'turbo'",
        )
    )
    (tmp_path / "badvalue.yaml").write_text("solver: nosuchsolver\n")
    cases.append(
        (
            (
                "check",
                "--data",
                world / "tri",
                "--config",
                tmp_path / "badvalue.yaml",
                world / "sat.srpk",
            ),
            "setting 'solver': 'nosuchsolver' is not one of",
        )
    )
    for args, message in cases:
        r = cli(*args)
        assert r.code == 2, (args, r.stderr)
        assert message in r.stderr, (message, r.stderr)
        assert r.stderr.count("\n") == 1 and "Traceback" not in r.stderr


def test_usage_errors_are_one_line_too():
    r = subprocess.run([sys.executable, "-m", "auctool", "check"], capture_output=True, text=True)
    assert r.returncode == 2
    assert r.stderr.strip().splitlines() == [
        "auctool: error: Missing argument 'PROBLEMS'. (try 'auctool check --help')"
    ]
    v = subprocess.run(
        [sys.executable, "-m", "auctool", "--version"], capture_output=True, text=True
    )
    assert v.returncode == 0 and v.stdout.startswith("auctool ")


def test_check_in_work_mode_answers_the_same_and_refuses_a_solver_without_budgets(
    cli, world, tmp_path
):
    args = ["check", "-d", world / "tri", "--budget-mode", "work", "--jsonl", world / "sat.srpk"]
    first, again = cli(*args), cli(*args)
    assert first.code == 0, first.stderr
    assert first.json_lines()[0]["answer"] == "SAT"
    assert first.json_lines()[0]["assignment"] == again.json_lines()[0]["assignment"]
    (tmp_path / "ling.yaml").write_text("solver: lingeling\n")
    bad = cli(*args, "--config", tmp_path / "ling.yaml")
    assert bad.code == 2 and bad.stdout == ""
    assert (
        bad.stderr
        == "auctool: error: solver lingeling takes no conflict budget: work mode cannot use it\n"
    )


# ---- UNSAT cores and --fail-on-timeout ---------------------------------------------------
EXTRA = (101, 102, 103)  # stations that interfere with nobody: never part of a core


@pytest.fixture
def myciel(tmp_path):
    """The Groetzsch graph (Mycielski M4: 3 channels are too few, and no clique shows it)
    plus three free stations; and the hopeless M6 on 5 channels."""
    data, problem = mycielski_world(4, "m4")
    chans = problem.domains[1]
    domains = {**data.domains, **{s: chans for s in EXTRA}}
    pairs = list(data.interference.as_set())
    write_constraints(data_from(domains, pairs, "m4"), tmp_path / "m4")
    write_srpk(Problem(domains, interference="m4"), tmp_path / "m4.srpk")
    write_srpk(Problem(domains, interference="m4"), tmp_path / "m4-again.srpk")
    hard, hopeless = mycielski_world(6, "m6")
    write_constraints(hard, tmp_path / "m6")
    write_srpk(Problem(dict(hopeless.domains), interference="m6"), tmp_path / "m6.srpk")
    return tmp_path


def _infeasible_alone(core, problem_file, data_dir) -> bool:
    """Re-solve the core's stations alone (their channels in this problem) with pysat,
    through an encoding written here, not auctool's."""
    problem, data = read_srpk(problem_file), load_constraints(data_dir)
    var: dict[tuple[int, int], int] = {}
    clauses = []
    for s in core:
        allowed = [c for c in problem.domains[s] if c in data.domains.get(s, ())]
        clauses.append([var.setdefault((s, c), len(var) + 1) for c in allowed])
    for s, cs, t, ct in data.interference.as_set():
        if (s, cs) in var and (t, ct) in var:
            clauses.append([-var[s, cs], -var[t, ct]])
    with Solver(name="minisat22", bootstrap_with=clauses) as solver:
        return solver.solve() is False


def _config(tmp_path, text: str):
    path = tmp_path / f"c{abs(hash(text))}.yaml"
    path.write_text(text)
    return path


@pytest.mark.parametrize(
    ("knobs", "solved_by"),
    [
        ("clique: false\n", "incremental:cadical195"),  # the solver's failed assumptions
        ("clique: false\nincremental: false\nsolver: minisat22\n", "solver:minisat22"),
    ],
    ids=["incremental", "decomposed"],
)
def test_a_solver_core_is_unsat_by_itself(cli, myciel, knobs, solved_by):
    cfg = _config(myciel, knobs)
    r = cli("check", "--jsonl", "-d", myciel, "--config", cfg, "--cutoff", "30", myciel / "m4.srpk")
    assert r.code == 0, r.stderr
    (result,) = r.json_lines()
    assert (result["answer"], result["solved_by"]) == ("UNSAT", solved_by)
    core = result["core"]
    assert core == sorted(core) and set(core) <= set(range(1, 12))  # no free station
    assert _infeasible_alone(core, myciel / "m4.srpk", myciel / "m4")


def test_clique_cache_and_empty_domain_cores(cli, world, myciel, tmp_path):
    r = cli("check", "--jsonl", "-d", world / "tri", world / "unsat.srpk")
    (clique,) = r.json_lines()
    assert clique["solved_by"].startswith("presolve:clique") and clique["core"] == [1, 2, 3]
    assert _infeasible_alone(clique["core"], world / "unsat.srpk", world / "tri")

    cfg = _config(myciel, "clique: false\n")
    both = (myciel / "m4.srpk", myciel / "m4-again.srpk")
    r = cli("check", "--jsonl", "-d", myciel, "--config", cfg, "--cutoff", "30", *both)
    first, again = r.json_lines()
    assert first["solved_by"] == "incremental:cadical195"
    assert again["solved_by"].startswith("cache:") and again["core"]
    assert _infeasible_alone(again["core"], both[1], myciel / "m4")

    write_srpk(Problem({1: (14,), 4: (30,)}, interference="tri"), tmp_path / "off.srpk")
    r = cli("check", "--jsonl", "-d", world / "tri", tmp_path / "off.srpk")
    (empty,) = r.json_lines()
    assert (empty["solved_by"], empty["core"]) == ("trivial:empty-domain", [4])
    assert _infeasible_alone(empty["core"], tmp_path / "off.srpk", world / "tri")

    sat = cli("check", "--jsonl", "-d", world / "tri", world / "sat.srpk").json_lines()[0]
    assert sat["answer"] == "SAT" and "core" not in sat


def test_fail_on_timeout_for_ci(main_cli, world, myciel):
    args = ("check", "--jsonl", "-d", myciel, "-t", "0.3", world / "sat.srpk", myciel / "m6.srpk")
    code, out, err = main_cli(*args)
    assert code == 0 and [json.loads(line)["answer"] for line in out.splitlines()] == [
        "SAT",
        "TIMEOUT",
    ]
    code, out, err = main_cli(*args, "--fail-on-timeout")
    assert code == 1 and len(out.splitlines()) == 2  # every answer printed, only JSON
    assert err == (
        f"auctool: error: --fail-on-timeout: 1 of 2 problem(s) timed out (first: {myciel / 'm6.srpk'})\n"
    )
    code, _, err = main_cli("check", "--fail-on-timeout", "-q", "-d", world, world / "sat.srpk")
    assert (code, err) == (0, "")


def test_a_forged_cache_row_changes_no_answer(cli, tmp_path):
    """Issue 33's probe: one UNSAT row claiming a single station with 23 channels is
    infeasible (a good checksum: written by a bug or another program) made `check --cache`
    answer SAT problems UNSAT. Cached answers are proved again before they are used."""
    from pathlib import Path

    from auctool.check.cache.containment import ContainmentCache
    from auctool.formats.instances import load_instance_set

    tests = load_instance_set(Path(__file__).resolve().parents[2] / "instances" / "sets" / "test")
    data = load_constraints(tests.constraints_dir)
    files = sorted(tests.root / e.file for e in tests.entries)[:12]
    cache = tmp_path / "cache.sqlite"
    truth = cli("check", "--jsonl", "--cutoff", "5", *files)
    assert truth.code == 0, truth.stderr
    first = read_srpk(files[0])
    station = max(first.domains, key=lambda s: len(first.domains[s]))  # 23 channels
    with ContainmentCache(cache) as forged:
        forged.store(data.fingerprint, Problem({station: data.domains[station]}), "UNSAT")
    again = cli("check", "--jsonl", "--cutoff", "5", "--cache", cache, *files)
    assert again.code == 0, again.stderr
    answers = [o["answer"] for o in truth.json_lines()]
    assert [o["answer"] for o in again.json_lines()] == answers and "SAT" in answers


def test_channel_37_is_never_assigned(cli, tmp_path):
    folder = tmp_path / "c37"
    folder.mkdir()
    (folder / "Domain.csv").write_text("DOMAIN,1,36,37,38\nDOMAIN,2,36\n")
    (folder / "Interference_Paired.csv").write_text("CO,36,36,1,2\n")
    write_srpk(Problem({1: (37,)}, interference="c37"), tmp_path / "p.srpk")
    r = cli("check", "--jsonl", "-d", folder, tmp_path / "p.srpk")
    (result,) = r.json_lines()
    assert result["answer"] == "UNSAT" and "37 never assignable" in result["warnings"][0]
