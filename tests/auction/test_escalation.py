"""Escalating cutoffs (issue 34): a question that times out is asked again at doubling
cutoffs up to a most, while the round's budget lasts. Work budgets make it exact: a
cutoff buys a fixed number of solver conflicts, so the same question times out at a
small cutoff and is proved at a larger one, on any machine."""

from __future__ import annotations

import pytest

from auctool.auction.checks import CheckingAsker, Escalation
from auctool.auction.engine import Question
from auctool.check import CheckerConfig, make_checker
from auctool.check.result import Answer
from auctool.errors import InputError
from tests.helpers import mycielski_world

TINY = 0.0002  # 4 conflicts: M4 on 3 channels needs more


def _asker(escalation: Escalation | None):
    data, problem = mycielski_world(4)
    cfg = CheckerConfig(clique=False, local_search=False, neighbourhood=False)
    checker = make_checker(data, cfg, budget_mode="work")
    return CheckingAsker(checker, TINY, escalation=escalation), problem


def test_a_timeout_is_asked_again_until_answered(tmp_path):
    asker, problem = _asker(Escalation(max_cutoff=1.0, round_budget=5.0, in_cutoffs=True))
    result = asker(Question(3, "bid", 1, problem))
    (record,) = asker.log  # one record per question: its final answer
    assert result.answer is Answer.UNSAT and record.answer is Answer.UNSAT
    assert record.escalations >= 1 and TINY < record.cutoff <= 1.0
    plain, _ = _asker(None)
    assert plain(Question(3, "bid", 1, problem)).answer is Answer.TIMEOUT


def test_the_rounds_budget_bounds_the_re_asking(tmp_path):
    asker, problem = _asker(Escalation(max_cutoff=1.0, round_budget=0.001, in_cutoffs=True))
    first = asker(Question(3, "bid", 1, problem))
    assert first.answer is Answer.TIMEOUT and asker.log[0].escalations >= 1
    assert asker.log[0].cutoff <= 0.001
    again = asker(Question(3, "status", 1, problem))  # the same round: its budget is spent
    assert again.answer is Answer.TIMEOUT and asker.log[1].escalations == 0
    asker(Question(4, "bid", 1, problem))  # a new round: a new budget
    assert asker.log[2].escalations >= 1
    # the persistent solver kept what the earlier attempts learned: by now a few small
    # attempts finish the proof that no single one could
    assert asker.log[2].answer is Answer.UNSAT and asker.log[2].cutoff <= 0.001


@pytest.mark.parametrize(
    ("max_cutoff", "budget", "message"),
    [(-1, 5, "max cutoff must be a positive"), (2, 0, "round budget must be a positive")],
)
def test_bad_escalations_are_input_errors(max_cutoff, budget, message):
    with pytest.raises(InputError, match=message):
        Escalation(max_cutoff, budget)
