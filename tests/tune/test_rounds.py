"""Round specs: marginal costs, limits, and which old trials a changed run may reuse."""

import dataclasses

import pytest

from auctool.check.config.configs import CheckerConfig
from auctool.check.config.space import build_space
from auctool.check.result import Answer
from auctool.errors import InputError
from auctool.tune.rounds import TrialRecord, check_limits, reusable
from tests.tune.test_smac_driver import spec_for


def test_a_hydra_round_charges_the_marginal_cost(php_sets):
    spec = spec_for(php_sets["train"], floor={"k05.srpk": 0.05, "k11.srpk": 2.0})
    assert spec.cost("k05.srpk", Answer.SAT, 0.01) == (0.01, 0.01)  # better than the portfolio
    assert spec.cost("k05.srpk", Answer.TIMEOUT, 0.2) == (0.05, 2.0)  # the portfolio covers it
    assert spec.cost("k11.srpk", Answer.TIMEOUT, 0.2) == (2.0, 2.0)
    assert spec.cost("k02.srpk", Answer.SAT, 0.03) == (0.03, 0.03)  # no floor known: own cost


def test_limits_are_checked():
    with pytest.raises(InputError, match="a budget in seconds and/or a number of trials"):
        check_limits(None, None)
    with pytest.raises(InputError, match="^trials must be at least 1"):
        check_limits(0, None)
    with pytest.raises(InputError, match="^budget must be a positive"):
        check_limits(None, -5)


def test_reusable_trials_mean_the_same_thing_under_the_new_settings(php_sets):
    spec = spec_for(php_sets["train"], cutoff=0.5)
    old = {"digests": {**spec.digests, "k03.srpk": "changed"}}
    mapping = CheckerConfig().to_mapping()

    def rec(instance, answer, seconds, cutoff, config=mapping):
        return TrialRecord(config, instance, 1, answer, seconds, cutoff, 0.0, 0.0, 9.0)

    kept = reusable(
        spec,
        old,
        [
            rec("k02.srpk", "SAT", 0.3, 1.0),  # solved within the new cutoff: kept as is
            rec("k04.srpk", "SAT", 0.7, 1.0),  # solved, but too late now: a timeout
            rec("k05.srpk", "TIMEOUT", 1.0, 1.0),  # timed out at a longer cutoff: still one
            rec("k06.srpk", "TIMEOUT", 0.2, 0.2),  # timed out at a shorter cutoff: unknown
            rec("k03.srpk", "SAT", 0.1, 1.0),  # the problem file changed
            rec("gone.srpk", "SAT", 0.1, 1.0),  # not in the set any more
            rec("k07.srpk", "SAT", 0.1, 1.0, {"solver": "nosuch"}),  # not in the space
        ],
        build_space(),
    )
    assert [(r.instance, r.answer, r.seconds) for r in kept] == [
        ("k02.srpk", "SAT", 0.3),
        ("k04.srpk", "TIMEOUT", 0.5),
        ("k05.srpk", "TIMEOUT", 0.5),
    ]
    assert all(r.warm and r.cutoff == 0.5 and r.elapsed == 0 for r in kept)
    assert [r.cost for r in kept] == [0.3, 5.0, 5.0]


def test_no_trial_of_another_budget_mode_holds(php_sets):
    """A wall-clock TIMEOUT says nothing of a conflict budget (nor the reverse); in work
    mode an answer holds with more work, a timeout with less."""
    spec = spec_for(php_sets["train"], cutoff=0.5, budget_mode="work")
    old = {"digests": dict(spec.digests)}
    mapping = CheckerConfig().to_mapping()

    def rec(instance, answer, seconds, cutoff, mode="work"):
        return TrialRecord(
            mapping, instance, 1, answer, seconds, cutoff, 0, 0, 9.0, budget_mode=mode
        )

    records = [
        rec("k02.srpk", "SAT", 0.1, 0.5, "time"),  # measured on the clock
        rec("k03.srpk", "SAT", 0.7, 0.2),  # answered with less work: holds, slow wall and all
        rec("k04.srpk", "SAT", 0.1, 1.0),  # answered with more work than 0.5 s buys: unknown
        rec("k05.srpk", "TIMEOUT", 1.0, 1.0),  # ran out of more work: still a timeout
        rec("k06.srpk", "TIMEOUT", 0.2, 0.2),  # ran out of less work: unknown
    ]
    kept = reusable(spec, old, records, build_space(budget_mode="work"))
    assert [(r.instance, r.answer, r.status) for r in kept] == [
        ("k03.srpk", "SAT", "SUCCESS"),
        ("k05.srpk", "TIMEOUT", "TIMEOUT"),
    ]
    assert [r.cost for r in kept] == [0.5, 5.0]  # PAR10: the wall capped at the cutoff
    assert all(r.budget_mode == "work" and r.to_json()["budget_mode"] == "work" for r in kept)
    timed = dataclasses.replace(spec, budget_mode="time")
    assert reusable(timed, old, records[1:], build_space()) == []
