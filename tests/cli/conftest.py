from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from auctool.cli import app, main
from auctool.formats.fcc import write_constraints
from auctool.formats.srpk import write_srpk
from auctool.model import Problem
from tests.helpers import co_everywhere, data_from


class Run:
    def __init__(self, result):
        self.code = result.exit_code
        self.stdout = result.stdout
        self.stderr = result.stderr

    def json_lines(self) -> list[dict]:
        return [json.loads(line) for line in self.stdout.splitlines() if line.strip()]


@pytest.fixture
def cli():
    runner = CliRunner()

    def run(*args: str) -> Run:
        return Run(runner.invoke(app, [str(a) for a in args]))

    return run


@pytest.fixture
def main_cli(capsys):
    """The real entry point (``auctool.cli.main``, which turns usage errors into one line
    too): returns (exit code, stdout, stderr)."""

    def run(*args) -> tuple[int, str, str]:
        with pytest.raises(SystemExit) as exit_:
            main([str(a) for a in args])
        out = capsys.readouterr()
        return exit_.value.code, out.out, out.err

    return run


@pytest.fixture
def world(tmp_path) -> Path:
    """A constraint folder 'tri' (3 mutually interfering stations + 1 free) and problems."""
    chans = (14, 15, 16)
    data = data_from(
        {1: chans, 2: chans, 3: chans, 4: chans}, co_everywhere((1, 2, 3), chans), "tri"
    )
    write_constraints(data, tmp_path / "tri")
    write_srpk(
        Problem({1: chans, 2: chans, 3: chans, 4: chans}, {1: 14}, interference="tri", cutoff=10),
        tmp_path / "sat.srpk",
    )
    write_srpk(
        Problem({1: (14, 15), 2: (14, 15), 3: (14, 15)}, interference="tri"),
        tmp_path / "unsat.srpk",
    )
    return tmp_path
