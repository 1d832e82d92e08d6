"""Escalating cutoffs (issue 34): a question that times out is asked again at doubling
cutoffs up to a most, while the round's budget lasts. Work budgets make it exact: a
cutoff buys a fixed number of solver conflicts, so the same question times out at a
small cutoff and is proved at a larger one, on any machine."""

from __future__ import annotations

import inspect

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


def test_held_questions_share_the_rounds_budget_then_are_declined():
    """A held question (its station's last one timed out) is asked again only while the
    round's budget lasts; then the asker declines it (None) and the station stays held.
    A question never held is always asked."""
    asker, problem = _asker(Escalation(max_cutoff=TINY, round_budget=1.5 * TINY, in_cutoffs=True))
    held = [asker(Question(3, "bid", s, problem, held=True)) for s in (1, 2, 3)]
    assert [r.answer if r else None for r in held] == [Answer.TIMEOUT, Answer.TIMEOUT, None]
    assert asker.declined == 1 and [c.held for c in asker.log] == [True, True]
    fresh = asker(Question(3, "status", 4, problem))  # not held: asked though none is left
    assert fresh is not None and len(asker.log) == 3 and not asker.log[-1].held
    assert asker(Question(4, "bid", 3, problem, held=True)) is not None  # a new round


@pytest.mark.parametrize(
    ("max_cutoff", "budget", "message"),
    [(-1, 5, "max cutoff must be a positive"), (2, 0, "round budget must be a positive")],
)
def test_bad_escalations_are_input_errors(max_cutoff, budget, message):
    with pytest.raises(InputError, match=message):
        Escalation(max_cutoff, budget)


def test_the_default_rules_escalate_and_revisit_the_fcc_rule_does_neither():
    from auctool.auction.options import ESCALATE_CUTOFFS, ROUND_CUTOFFS, SimulationOptions
    from auctool.cli.simulate import OnTimeout, simulate

    default = SimulationOptions(cutoff=2.0)
    assert default.on_timeout == "revisit"
    assert default.escalation() == Escalation(2.0 * ESCALATE_CUTOFFS, 2.0 * ROUND_CUTOFFS)
    # the CLI's default is the core's, not a second one
    cli_default = inspect.signature(simulate).parameters["on_timeout"].default.default
    assert OnTimeout(cli_default) == default.on_timeout
    assert default.fcc_rule().escalation() is None
    assert SimulationOptions(cutoff=2.0, on_timeout="freeze").escalation() is None
    # the cutoff itself as the most: revisit without escalating (held stations are still
    # asked again within the round's budget); freeze may escalate
    assert SimulationOptions(cutoff=2.0, max_cutoff=2.0).escalation() == Escalation(2.0, 30.0)
    frozen_later = SimulationOptions(cutoff=1.0, on_timeout="freeze", max_cutoff=3.0)
    assert frozen_later.escalation() == Escalation(3.0, ROUND_CUTOFFS)
    work = SimulationOptions(cutoff=1.0, budget_mode="work").escalation()
    assert work is not None and work.in_cutoffs
