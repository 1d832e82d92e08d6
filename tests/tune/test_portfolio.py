from auctool.check.config.configs import CheckerConfig
from auctool.formats.instances import load_instance_set
from auctool.tune.features import set_features
from auctool.tune.journal import Journal
from auctool.tune.parallel import Pool
from auctool.tune.portfolio import Member, complete_member, floor_costs
from auctool.tune.rounds import TrialRecord
from auctool.tune.scoring import Measurement, Objective


def test_the_portfolio_costs_what_its_best_member_costs():
    a = Member(
        CheckerConfig(),
        {"x": Measurement("x", "SAT", 0.5, 1.0), "y": Measurement("y", "TIMEOUT", 1.0, 1.0)},
    )
    b = Member(
        CheckerConfig(solver="minisat22"),
        {"x": Measurement("x", "TIMEOUT", 1.0, 1.0), "y": Measurement("y", "UNSAT", 0.2, 1.0)},
    )
    assert floor_costs([], Objective.PAR10) is None
    assert floor_costs([a], Objective.PAR10) == {"x": 0.5, "y": 10.0}
    assert floor_costs([a, b], Objective.PAR10) == {"x": 0.5, "y": 0.2}


def test_a_member_is_completed_on_every_instance_once(php_sets, tmp_path):
    iset = load_instance_set(php_sets["train"])
    _, folders = set_features(iset)
    problems = {k: (str(iset.root / k), str(f)) for k, f in folders.items()}
    config = CheckerConfig(solver="minisat22")
    tried = [
        TrialRecord(config.to_mapping(), "k03.srpk", 1, "SAT", 0.01, 0.2, 0.01, 0.01, 1.0),
        TrialRecord(CheckerConfig().to_mapping(), "k04.srpk", 1, "SAT", 0.01, 0.2, 0.01, 0.01, 1.0),
    ]
    store = tmp_path / "members.jsonl"
    member = complete_member(config, tried, problems, 0.2, Pool(), store, {})
    assert set(member.measurements) == set(problems)
    assert member.measurements["k03.srpk"].seconds == 0.01  # from its trial, not re-run
    assert member.measurements["k11.srpk"].answer == "TIMEOUT"
    assert len(Journal(store).read()[1]) == len(problems) - 1 and member.extra_seconds > 0.2
    again = complete_member(config, tried, problems, 0.2, Pool(), store, {})
    assert len(Journal(store).read()[1]) == len(problems) - 1  # nothing measured twice
    assert again.measurements == member.measurements
