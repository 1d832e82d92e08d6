"""``auctool report``: the tables a tuning run without validation still has, and the plots'
figures against the run's own files."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from auctool.cli import app
from tests.auction.worlds import small_synth_world, write_world
from tests.tune._sets import pigeonhole_sets

PNG = b"\x89PNG\r\n\x1a\n"


def invoke(*args: object):
    return CliRunner().invoke(app, [str(a) for a in args])


@pytest.fixture(scope="module")
def sets(tmp_path_factory):
    return pigeonhole_sets(tmp_path_factory.mktemp("sets"))


@pytest.fixture(scope="module")
def tuned(sets, tmp_path_factory):
    """A tuning run without validation (24 trials)."""
    run = tmp_path_factory.mktemp("runs") / "tune"
    r = invoke("tune", sets["train"], "--trials", "24", "--no-validate", "--out", run, "-q")
    assert r.exit_code == 0, r.stderr
    return run


def test_a_run_without_validation_reports_trials_incumbent_and_cost(tuned):
    r = invoke("report", tuned)
    assert r.exit_code == 0, r.stderr
    out = r.stdout
    assert "tuning: 24 trials" in out and "configurations tried" in out and "incumbent" in out
    assert "not validated" in out
    drawn = json.loads(invoke("report", tuned, "--json").stdout)
    assert [Path(p).name for p in drawn["plots"]] == ["incumbent-cost.png"]
    (row,) = drawn["summary"]["convergence"]
    trials = pd.read_csv(tuned / "trials.csv")
    report = json.loads((tuned / "report.json").read_text())
    (smac,) = report["tuning"]["rounds"]
    assert row["trials"] == 24 == len(trials)
    assert row["timeouts"] == (trials["status"] == "TIMEOUT").sum()
    assert row["configurations"] == trials["config_id"].nunique()
    assert row["incumbent"]["config_id"] == smac["incumbent"]["config_id"]
    # replaying trials.csv gives SMAC's own estimate at every change of incumbent
    assert [t["config_id"] for t in row["takeovers"]] == [
        t["config_id"] for t in smac["trajectory"]
    ]
    for mine, theirs in zip(row["takeovers"], smac["trajectory"], strict=True):
        assert mine["estimated_cost"] == pytest.approx(theirs["cost"], abs=1e-5)
    # the table prints SMAC's estimate of the incumbent
    assert f"{smac['incumbent']['estimated_cost']:.4f} over {smac['incumbent']['runs']}" in out


def test_simulation_plot_marks_the_rounds_with_a_timeout(tmp_path):
    world = write_world(small_synth_world(), tmp_path / "small")
    base = tmp_path / "off-the-shelf.yaml"
    base.write_text("solver: glucose3\nphases: false\nprevious: false\ncache: false\n"
                    "clique: false\nlocal_search: false\nneighbourhood: false\nac3: false\n"
                    "underconstrained: false\ncomponents: false\nincremental: false\n")  # fmt: skip
    out = tmp_path / "auction"
    r = invoke(
        "simulate", world, "--cutoff", "0.001", "--initial-cutoff", "5", "--budget-mode",
        "work", "--seed", "1", "--baseline", base, "--out", out, "-q",
    )  # fmt: skip
    assert r.exit_code == 0, r.stderr
    r = invoke("report", out, "--json")
    assert r.exit_code == 0, r.stderr
    drawn = json.loads(r.stdout)
    marked = drawn["summary"]["timeout_rounds"]
    for side, folder in (("run", out), ("baseline", out / "baseline")):
        checks = pd.read_csv(folder / "checks.csv")
        assert marked[side] == sorted(set(checks.loc[checks["answer"] == "TIMEOUT", "round"]))
    assert marked["baseline"]  # the plain solver at a tiny budget times out somewhere
    assert [Path(p).name for p in drawn["plots"]] == ["auction-rounds.png"]
    human = invoke("report", out)
    assert human.exit_code == 0 and "cost difference" in human.stdout
