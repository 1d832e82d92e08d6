"""``auctool report RUN_DIR`` on a tune run: importance, ``--ablation``, and bad input."""

from __future__ import annotations

import json
import shutil

import pytest

from auctool.check.config.configs import CheckerConfig, save_config
from auctool.tune.ablation import run_ablation
from auctool.tune.journal import Journal
from auctool.tune.run import TuneSettings, run_tune
from tests.tune._sets import pigeonhole_sets


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """A real short tune run without --test, whose incumbent we then set two knobs away
    from the default (the ablation's answer is then two steps)."""
    root = tmp_path_factory.mktemp("mattered")
    sets = pigeonhole_sets(root / "sets")
    out = root / "run"
    run_tune(TuneSettings(train=sets["train"], out=out, trials=10, seed=1, validate=False))
    save_config(CheckerConfig(order="degree", ac3=False), out / "incumbent.yaml")
    return out, sets


def _one_line(r) -> str:
    lines = r.stderr.strip().splitlines()
    assert r.code == 2 and len(lines) == 1 and lines[0].startswith("auctool: error: "), r.stderr
    return lines[0]


def test_ablation_json_then_tables_read_back(cli, run):
    out, sets = run
    r = cli("report", out, "--ablation", "--set", sets["test"], "--json")
    assert r.code == 0, r.stderr
    report = json.loads(r.stdout)  # only JSON on stdout
    assert report["kind"] == "tune" and report["importance"]["knobs"]
    assert "permutation importance" in report["importance"]["method"]
    ab = report["ablation"]
    steps = ab["steps"]
    assert steps[0]["config"] == CheckerConfig().to_mapping()
    assert steps[-1]["config"] == CheckerConfig(order="degree", ac3=False).to_mapping()
    assert len(steps) == 3 and {c["knob"] for s in steps for c in s["changes"]} == {"order", "ac3"}
    assert ab["set"] == str(sets["test"]) and ab["cutoff"] == 0.2
    shares = [s["share"] for s in steps[1:]]
    if ab["gain"] > 0:
        assert sum(shares) == pytest.approx(1.0)
    else:
        assert shares == [None, None]
    checks = len(Journal(out / "ablation.jsonl").read()[1])
    human = cli("report", out)  # no --ablation: the stored path is read back, nothing measured
    assert human.code == 0, human.stderr
    assert "Which knobs mattered" in human.stdout and "Ablation path" in human.stdout
    flat = " ".join(human.stdout.split())  # a narrow terminal wraps the change column
    assert all(word in flat for word in ("order", "degree", "ac3", "false"))
    assert len(Journal(out / "ablation.jsonl").read()[1]) == checks
    assert run_ablation(out, sets["test"]).to_json() == ab  # read back, not re-measured


def test_bad_input_is_one_line_and_exit_2(cli, run, tmp_path):
    out, sets = run
    assert "no held-out test set" in _one_line(cli("report", out, "--ablation"))
    assert "not found" in _one_line(cli("report", out, "--ablation", "--set", tmp_path / "nope"))
    assert "--set goes with --ablation" in _one_line(cli("report", out, "--set", sets["test"]))
    bare = shutil.copytree(out, tmp_path / "bare", ignore=shutil.ignore_patterns("ablation*"))
    (bare / "incumbent.yaml").unlink()
    assert "no incumbent" in _one_line(cli("report", bare, "--ablation", "--set", sets["test"]))
    assert not (bare / "ablation.json").exists()
    sim = tmp_path / "sim"
    sim.mkdir()
    (sim / "summary.json").write_text("{}")
    (sim / "rounds.csv").write_text("round\n")
    assert "needs a tune run folder" in _one_line(cli("report", sim, "--ablation"))
