"""Parameter importance on a short real tuning run (SMAC, the real checker)."""

from __future__ import annotations

import csv
import json
import math
import shutil

import pytest

from auctool.check.config.configs import CheckerConfig
from auctool.tune.importance import IMPORTANCE, importance, load_history, run_importance
from auctool.tune.run import TuneSettings, run_tune


@pytest.fixture(scope="module")
def run(php_sets, tmp_path_factory):
    out = tmp_path_factory.mktemp("imp") / "run"
    run_tune(TuneSettings(train=php_sets["train"], out=out, trials=14, seed=3, validate=False))
    return out


def _active_knobs(run) -> set[str]:
    """Knobs active in at least one trial, read independently of the importance code."""
    configs = json.loads((run / "report.json").read_text())["configs"]
    with open(run / "trials.csv") as fh:
        ids = {row["config_id"] for row in csv.DictReader(fh)}
    return {k for i in ids for k in CheckerConfig.from_mapping(configs[i]).to_mapping()}


def test_one_finite_entry_per_active_knob(run):
    imp = run_importance(run)
    names = [k.knob for k in imp.knobs]
    assert sorted(names) == sorted(_active_knobs(run)) and len(set(names)) == len(names)
    assert imp.trials == 14 and imp.folds >= 2 and "permutation importance" in imp.method
    assert imp.r2 is not None and math.isfinite(imp.r2)
    for k in imp.knobs:
        values = (k.importance, k.spread, k.impurity, k.impurity_spread)
        assert all(math.isfinite(v) for v in values) and k.spread >= 0 and k.impurity >= 0
        assert 1 <= k.active_trials <= 14
    assert sum(k.impurity for k in imp.knobs) <= 1 + 1e-9
    assert [k.importance for k in imp.knobs] == sorted(
        (k.importance for k in imp.knobs), reverse=True
    )
    default = CheckerConfig().to_mapping()
    assert all(k.default == default.get(k.knob) for k in imp.knobs)


def test_the_result_is_cached_until_the_trials_change(run, tmp_path):
    run = shutil.copytree(run, tmp_path / "run")
    first = run_importance(run)
    cached = json.loads((run / IMPORTANCE).read_text())
    assert cached["knobs"] == first.to_json()["knobs"]
    cached["knobs"] = cached["knobs"][:1]  # a marker: a read-back returns the file's content
    (run / IMPORTANCE).write_text(json.dumps(cached))
    assert len(run_importance(run).knobs) == 1
    with open(run / "trials.csv", "a") as fh:
        fh.write("")  # same content: still cached
    assert len(run_importance(run).knobs) == 1
    trials = (run / "trials.csv").read_text().splitlines()
    (run / "trials.csv").write_text("\n".join(trials[:-1]) + "\n")  # one trial fewer
    again = run_importance(run)
    # recomputed (not the one-knob marker), over the knobs the 13 remaining trials use
    assert again.trials == 13
    assert sorted(k.knob for k in again.knobs) == sorted(_active_knobs(run))


def test_too_few_trials_say_so(run):
    h = load_history(run)
    small = type(h)(h.knobs, h.X[:5], h.F[:5], h.y[:5], 2)
    imp = importance(small, CheckerConfig(), None)
    assert imp.knobs == () and imp.note == "5 trials: too few"
