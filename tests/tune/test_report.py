import csv
import io

from auctool.tune.report import TRIAL_COLUMNS, ConfigIds, trials_csv
from auctool.tune.rounds import TrialRecord


def _rec(solver, instance, answer="SAT", seconds=0.1, warm=False, error=None):
    cost = 0.1 if answer == "SAT" else 10.0
    return TrialRecord(
        {"solver": solver}, instance, 7, answer, seconds, 1.0, cost, cost, 1.0, "x", warm, error
    )


def test_config_ids_are_stable_across_rounds_and_key_order():
    ids = ConfigIds()
    assert ids({"solver": "a", "order": "x"}) == 1
    assert ids({"solver": "b"}) == 2
    assert ids({"order": "x", "solver": "a"}) == 1
    assert ids.configs == {1: {"solver": "a", "order": "x"}, 2: {"solver": "b"}}


def test_trials_csv_lists_every_trial_of_every_round():
    rounds = [
        [_rec("a", "i1"), _rec("b", "i2", "TIMEOUT", 1.01)],
        [_rec("a", "i2", warm=True), _rec("c", "i1", "CRASHED", 0.0, error="bad, really")],
    ]
    rows = list(csv.DictReader(io.StringIO(trials_csv(rounds, ConfigIds()))))
    assert list(rows[0]) == list(TRIAL_COLUMNS)
    assert [(r["round"], r["trial"], r["config_id"]) for r in rows] == [
        ("1", "1", "1"),
        ("1", "2", "2"),
        ("2", "1", "1"),
        ("2", "2", "3"),
    ]
    assert [r["status"] for r in rows] == ["SUCCESS", "TIMEOUT", "SUCCESS", "CRASHED"]
    assert rows[2]["warm"] == "1" and rows[3]["error"] == "bad, really"
