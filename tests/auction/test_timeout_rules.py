"""What an unanswered question does (issue 34): the FCC's freeze, hold, and revisit.

The three-station world of ``test_engine`` (A does not bid; B and C cannot both stay; B
exits in round 8, then C is UNSAT and frozen at its round-7 price) with a real checker,
and a slow checker made of it: chosen questions answer TIMEOUT (what a check that runs out
of time returns), the others as the checker does.
"""

from __future__ import annotations

import math

from auctool.auction.checks import CheckingAsker
from auctool.auction.engine import ClockAuction, Question, Status
from auctool.auction.market import build_market
from auctool.auction.rules import TimeoutRule, clock_schedule
from auctool.check import CheckerConfig, make_checker
from auctool.check.result import Answer, CheckResult
from tests.auction.worlds import THREE_STATION_VALUES, three_station_world


def _run(tmp_path, rule: str, slow) -> tuple:
    """The auction under ``rule``; ``slow(question)`` says which questions time out."""
    world = three_station_world()
    values = tmp_path / "values.csv"
    values.write_text(THREE_STATION_VALUES)
    market = build_market(world, 84, 0, values)
    asker = CheckingAsker(make_checker(world.data, CheckerConfig()), 5.0, 0)
    asked: list[tuple[int, str, int | None, str]] = []

    def ask(question: Question) -> CheckResult:
        result = CheckResult(Answer.TIMEOUT, 5.0) if slow(question) else asker(question)
        asked.append((question.round, question.kind, question.station, result.answer.value))
        return result

    outcome = ClockAuction(market, ask, seed=0, cutoff=5.0, on_timeout=rule).run()
    return outcome, asked


def _b_slow_in_round_8(q: Question) -> bool:
    return q.station == 2 and q.round == 8 and q.kind == "bid"


def test_freeze_makes_a_timeout_a_win(tmp_path):
    outcome, _ = _run(tmp_path, "freeze", _b_slow_in_round_8)
    assert [Status(s) for s in outcome.status][1] is Status.FROZEN
    assert outcome.frozen_by[1] == "TIMEOUT"
    assert outcome.price[1] == math.floor(1000 * clock_schedule()[6])  # B paid its round-7 price
    assert outcome.held_rounds.tolist() == [0, 0, 0]  # the FCC's rule holds nobody


def test_hold_keeps_the_price_and_asks_again(tmp_path):
    outcome, asked = _run(tmp_path, "hold", _b_slow_in_round_8)
    # B's bid (to exit) timed out in round 8: no exit, no price drop; the status update
    # knew B feasible (its round-0 answer, band unchanged), and round 9 asked again
    assert (8, "bid", 2, "TIMEOUT") in asked and (9, "bid", 2, "SAT") in asked
    assert [Status(s) for s in outcome.status] == [
        Status.NON_PARTICIPANT,
        Status.EXITED,  # B exits in round 9 instead
        Status.FROZEN,
    ]
    assert outcome.decided_round.tolist() == [-1, 9, 9] and outcome.frozen_by[2] == "UNSAT"
    # C's price dropped once more while B was held: C is paid less than under freeze
    assert outcome.price[2] == math.floor(500 * clock_schedule()[7]) < 314_251
    assert outcome.held_rounds.tolist() == [0, 1, 0]  # B ended round 8 held


def _c_slow_from_round_3(q: Question) -> bool:
    return q.station == 3 and q.round >= 3


def test_when_only_held_stations_are_left_they_win(tmp_path):
    """C's questions time out from round 3 on; they are first asked in round 8 (until B
    exits the band does not change, so C's round-0 answer stands). Held in round 8's bid
    and again at its status update, C is the only station left: it wins."""
    outcome, asked = _run(tmp_path, "hold", _c_slow_from_round_3)
    assert outcome.frozen_by[2] == "TIMEOUT" and outcome.decided_round[2] == 8
    assert outcome.price[2] == 314_251  # its round-7 price: the bid was never processed
    assert outcome.held_rounds[2] == 1  # held through round 8, then it won
    assert Status(outcome.status[1]) is Status.EXITED
    assert [a for a in asked if a[2] == 3 and a[0] >= 3] == [
        (8, "bid", 3, "TIMEOUT"),
        (8, "status", 3, "TIMEOUT"),
    ]


def test_revisit_asks_a_held_question_again_only_when_the_band_changed(tmp_path):
    hold, asked_hold = _run(tmp_path, "hold", _c_slow_from_round_3)
    revisit, asked = _run(tmp_path, "revisit", _c_slow_from_round_3)
    assert revisit.cost == hold.cost and revisit.frozen_by == hold.frozen_by
    # the status update's question is the bid's (the band did not change): it stands
    assert [a for a in asked if a[2] == 3 and a[0] >= 3] == [(8, "bid", 3, "TIMEOUT")]
    assert len(asked) == len(asked_hold) - 1
    assert TimeoutRule("revisit") is TimeoutRule.REVISIT
