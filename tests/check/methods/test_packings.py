"""The pool of packings: a new question starts from the band's earlier witnesses."""

from __future__ import annotations

from auctool.check.budget import Budget
from auctool.check.checker import Checker
from auctool.check.config.configs import CheckerConfig
from auctool.check.methods.packings import PackingPool
from auctool.check.result import Answer
from auctool.model import Problem
from auctool.model.verify import WitnessVerifier
from tests.helpers import data_from

A, B, N = 1, 2, 3
CHANS = (14, 15)
# the new station N interferes co-channel with A and with B; A and B do not interfere
DATA = data_from(
    {A: CHANS, B: CHANS, N: CHANS}, [(N, c, s, c) for s in (A, B) for c in CHANS], "pool"
)
# the band's previous packing puts A and B on different channels: N has none left
QUESTION = Problem({A: CHANS, B: CHANS, N: CHANS}, {A: 14, B: 15}, name="band+N")


def test_a_pooled_packing_of_the_band_answers_where_the_previous_one_cannot():
    pool = PackingPool()
    verifier = WitnessVerifier(DATA)
    assert pool.extend(DATA, QUESTION, verifier, Budget.of(5)) is None  # nothing pooled
    pool.add({A: 14, B: 15})  # the previous packing itself: skipped, it was just tried
    assert pool.extend(DATA, QUESTION, verifier, Budget.of(5)) is None
    pool.add({A: 15, B: 15})  # another packing of the band, both on one channel
    found = pool.extend(DATA, QUESTION, verifier, Budget.of(5))
    assert found == {A: 15, B: 15, N: 14} and verifier.is_valid(found, QUESTION)


def test_the_pool_is_bounded_and_a_repeat_moves_to_the_front():
    pool = PackingPool(size=2)
    for k in range(3):
        pool.add({A: 14 + k % 2, B: k})
    assert len(pool) == 2
    pool.add({A: 15, B: 1})  # already pooled: not a second copy
    assert len(pool) == 2


def test_the_checker_keeps_its_witnesses_for_later_questions():
    config = CheckerConfig(pool=True, local_search=False, race=False)
    with Checker(DATA, config) as checker:
        first = checker.check(Problem({A: (15,), B: (15,)}, name="band"), 5)
        assert first.answer is Answer.SAT
        again = checker.check(QUESTION, 5)
        assert again.answer is Answer.SAT and str(again.solved_by) == "presolve:pool"
    with Checker(DATA, CheckerConfig(pool=False, local_search=False, race=False)) as plain:
        plain.check(Problem({A: (15,), B: (15,)}, name="band"), 5)
        answered = plain.check(QUESTION, 5)
        assert answered.answer is Answer.SAT and str(answered.solved_by) != "presolve:pool"
