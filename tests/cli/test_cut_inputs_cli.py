"""Issue 36, item 9: inputs cut short, a bad station table, a station the data lacks.

Each is one line on stderr that starts with ``file:line:``, exit code 2, no traceback;
through the real entry point, as a user meets them.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_WORLD = ROOT / "instances" / "worlds" / "default"
PROBLEM = ROOT / "instances" / "sets" / "test" / "s3-000004-r000-status-5.srpk"


def _cut(path: Path, size: int) -> str:
    """Keep the first ``size`` characters (mid-line); the expected start of the error."""
    head = path.read_text()[:size]
    path.write_text(head)
    return f"{path}:{head.count(chr(10)) + 1}: the file ends in the middle of this line"


def _world_copy(tmp: Path) -> Path:
    shutil.copytree(DEFAULT_WORLD, tmp / "w")
    return tmp / "w"


def _cut_problem(tmp: Path) -> tuple[list, str]:
    """A cut station line still parsed: the problem was answered SAT, exit 0."""
    cut = tmp / "cut.srpk"
    shutil.copy(PROBLEM, cut)
    return ["check", "--data", DEFAULT_WORLD, cut], _cut(cut, 3000)


def _cut_world(tmp: Path) -> tuple[list, str]:
    """The user's cut at 100 KB: 23,427 of the 157,830 constraints, loaded silently."""
    world = _world_copy(tmp)
    return ["check", "--data", world, PROBLEM], _cut(world / "Interference_Paired.csv", 100_000)


def _bad_station_table(tmp: Path) -> tuple[list, str]:
    world = _world_copy(tmp)
    path = world / "stations.csv"
    lines = path.read_text().splitlines(keepends=True)
    lines[3] = "x1" + lines[3][lines[3].index(",") :]
    path.write_text("".join(lines))
    return ["data", "info", world], f"{path}:4: column station: 'x1' is not a whole number"


def _unknown_station(tmp: Path) -> tuple[list, str]:
    problem = tmp / "f.srpk"
    problem.write_text("INTERFERENCE,default\n4,-1,14,15\n999999,-1,14,15\n")
    return ["check", "--data", DEFAULT_WORLD, problem], f"{problem}:3: station 999999 is not in"


@pytest.mark.parametrize(
    "case",
    [_cut_problem, _cut_world, _bad_station_table, _unknown_station],
    ids=lambda c: c.__name__,
)
def test_a_bad_input_is_one_line_naming_file_and_line_exit_2(main_cli, tmp_path, case):
    args, where = case(tmp_path)
    code, out, err = main_cli(*args)
    assert code == 2, (out, err)
    assert err.startswith(f"auctool: error: {where}"), err
    assert err.count("\n") == 1 and "Traceback" not in err
