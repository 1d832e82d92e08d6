import dataclasses
import json

from smac.runhistory import StatusType

from auctool.check.config.configs import CheckerConfig
from auctool.formats.instances import load_instance_set
from auctool.tune.features import set_features
from auctool.tune.journal import Journal, file_digest
from auctool.tune.parallel import Pool
from auctool.tune.rounds import RoundSpec, TrialRecord
from auctool.tune.scoring import Objective
from auctool.tune.smac_driver import run_round


def spec_for(set_path, only=None, **changes) -> RoundSpec:
    iset = load_instance_set(set_path)
    table, folders = set_features(iset)
    if only is not None:
        folders = {k: v for k, v in folders.items() if k in only}
        table = dataclasses.replace(table, rows={k: table.rows[k] for k in folders})
    spec = RoundSpec(
        name="round-1",
        instances=tuple(table.rows),
        problems={k: (str(iset.root / k), str(f)) for k, f in folders.items()},
        digests={k: file_digest(iset.root / k) for k in folders},
        features=table.as_dict(),
        cutoff=0.2,
        objective=Objective.PAR10,
        seed=1,
        trials=12,
    )
    return dataclasses.replace(spec, **changes)


def _run(spec, tmp_path, **kw):
    return run_round(spec, tmp_path / "journal.jsonl", tmp_path / "smac", Pool(), **kw)


def _trials(tmp_path):
    return [
        TrialRecord.from_json(r)
        for r in Journal(tmp_path / "journal.jsonl").read()[1]
        if "mark" not in r
    ]


def test_a_round_starts_with_the_default_and_reports_timeouts_as_timeouts(php_sets, tmp_path):
    seen = []
    spec = spec_for(php_sets["train"], only=("k05.srpk", "k11.srpk"), trials=14)
    out = _run(spec, tmp_path, on_progress=seen.append)
    assert out.stopped == "trials" and len(out.records) == 14
    assert out.records[0].config == CheckerConfig().to_mapping()
    assert "Default" in out.records[0].origin
    hard = [r for r in out.records if r.instance == "k11.srpk"]
    assert hard, "SMAC never tried the hopeless instance"
    assert all(r.status == "TIMEOUT" and r.cost == 2.0 for r in hard)  # PAR10 of 0.2 s
    assert _trials(tmp_path) == list(out.records)  # every trial journaled
    runhistory = json.loads((tmp_path / "smac/round-1/1/runhistory.json").read_text())
    statuses = {row[4] if isinstance(row, list) else row["status"] for row in runhistory["data"]}
    assert StatusType.TIMEOUT.value in statuses  # the status reached SMAC itself
    assert seen and seen[-1].trials == 14
    assert out.incumbent_cost is not None and out.incumbent_runs >= 1


def test_the_same_spec_continues_and_loses_nothing(php_sets, tmp_path):
    first = _run(spec_for(php_sets["train"], trials=8), tmp_path)
    second = _run(spec_for(php_sets["train"], trials=13), tmp_path)
    assert second.reused == 8 and not second.warm_started
    assert list(second.records[:8]) == list(first.records)
    assert len(second.records) == 13 and second.stopped == "trials"
    again = _run(spec_for(php_sets["train"], trials=13), tmp_path)  # nothing left to do
    assert list(again.records) == list(second.records) and again.session_check_seconds == 0
    assert again.incumbent == second.incumbent  # replaying the journal rebuilds the same state


def test_changed_settings_warm_start_with_the_trials_that_still_hold(php_sets, tmp_path):
    first = _run(spec_for(php_sets["train"], trials=10), tmp_path)
    hard = sum(r.instance == "k11.srpk" for r in first.records)
    # a longer cutoff: the old timeouts are unknown now, the solved trials still hold
    longer = _run(spec_for(php_sets["train"], trials=3, cutoff=0.3), tmp_path)
    assert longer.warm_started and longer.reused == 10 - hard
    assert all(r.warm for r in longer.records[: longer.reused])
    assert sum(not r.warm for r in longer.records) == 3  # --trials counts the new run only
    # a shorter cutoff: everything is known (solved in time, or a timeout at the shorter one)
    shorter = _run(spec_for(php_sets["train"], trials=1, cutoff=0.1), tmp_path)
    assert shorter.reused == len(longer.records)
    assert all(r.cutoff == 0.1 for r in shorter.records)


def test_crashes_are_costed_and_the_run_goes_on(php_sets, tmp_path):
    spec = spec_for(php_sets["train"], trials=12)
    broken = dict(spec.problems)
    for k in broken:
        broken[k] = (str(tmp_path / "gone.srpk"), broken[k][1])
    out = _run(dataclasses.replace(spec, problems=broken), tmp_path)
    assert len(out.records) == 12
    assert all(r.status == "CRASHED" and r.cost == 2.0 and r.error for r in out.records)


def test_budget_stops_a_round(php_sets, tmp_path):
    out = _run(spec_for(php_sets["train"], trials=None, budget=1.0), tmp_path)
    assert out.stopped == "budget" and 1.0 <= out.elapsed < 3.0
    again = _run(spec_for(php_sets["train"], trials=None, budget=1.0), tmp_path)
    assert again.stopped == "budget" and again.session_check_seconds == 0


def test_the_same_seed_gives_the_same_trial_sequence(php_sets, tmp_path):
    """One worker, same seed: the same trials in the same order as far as SMAC's choices
    do not depend on measured times: the first trials (the default configuration first),
    on the same instances, in the same order, with the same seeds. (Later proposals come from a model
    of measured times, which differ by noise from run to run, and under load even the
    intensifier's early decisions can: SMAC is deterministic given the costs it sees.)"""
    spec = spec_for(php_sets["train"], only=("k05.srpk", "k08.srpk", "k11.srpk"), trials=12)
    runs = []
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        out = _run(spec, tmp_path / name)
        runs.append([(r.config, r.instance, r.seed, r.answer) for r in out.records][:3])
    assert runs[0] == runs[1]
    assert runs[0][0][0] == CheckerConfig().to_mapping()
