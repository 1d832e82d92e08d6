"""`auctool check` and `auctool export` end to end through typer's CliRunner."""

from __future__ import annotations

import subprocess
import sys

import pytest

from auctool.formats.dimacs import read_dimacs


def test_check_json_one_object_per_problem(cli, world):
    r = cli("check", "--data", world / "tri", "--json", world / "sat.srpk", world / "unsat.srpk")
    assert r.code == 0, r.stderr
    sat, unsat = r.json_lines()
    assert sat["instance"] == str(world / "sat.srpk") and sat["result"] == "SAT"
    assert set(sat["assignment"]) == {"1", "2", "3", "4"}
    assert len({sat["assignment"][s] for s in "123"}) == 3
    assert unsat["result"] == "UNSAT" and "assignment" not in unsat
    assert all(isinstance(o["seconds"], float) for o in (sat, unsat))


def test_check_picks_the_folder_named_by_interference(cli, world):
    r = cli("check", "--data", world, "--json", world / "sat.srpk")
    assert r.code == 0 and r.json_lines()[0]["result"] == "SAT"


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
    r = cli("check", "--dimacs", "--json", cnf)
    assert r.json_lines()[0]["result"] == "UNSAT"
    cli("export", "--data", world / "tri", "--dimacs", cnf, world / "sat.srpk")
    out = cli("check", "--dimacs", "--json", cnf).json_lines()[0]
    assert out["result"] == "SAT" and out["model"]


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
    r = cli("check", "-d", world / "tri", "--config", cfg, "--json", world / "sat.srpk")
    assert r.code == 0, r.stderr
    assert r.json_lines()[0]["result"] == "SAT"  # stdout: only JSON
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
            "CO,14,14,1,2\nCO,14,14,1\n",
            "Interference_Paired.csv:2: expected KEY,channel,channel,subject,target",
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
    args = ["check", "-d", world / "tri", "--budget-mode", "work", "--json", world / "sat.srpk"]
    first, again = cli(*args), cli(*args)
    assert first.code == 0, first.stderr
    assert first.json_lines()[0]["result"] == "SAT"
    assert first.json_lines()[0]["assignment"] == again.json_lines()[0]["assignment"]
    (tmp_path / "ling.yaml").write_text("solver: lingeling\n")
    bad = cli(*args, "--config", tmp_path / "ling.yaml")
    assert bad.code == 2 and bad.stdout == ""
    assert (
        bad.stderr
        == "auctool: error: solver lingeling takes no conflict budget: work mode cannot use it\n"
    )
