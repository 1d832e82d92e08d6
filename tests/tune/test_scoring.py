import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from auctool.check.result import Answer
from auctool.tune.scoring import CRASHED, Measurement, Objective, measured, ratios, summarise

SAT, UNSAT, TIMEOUT = Answer.SAT, Answer.UNSAT, Answer.TIMEOUT


def test_par10_runtime_and_solved_costs():
    assert Objective.PAR10.cost(SAT, 0.3, 2.0) == 0.3
    assert Objective.PAR10.cost(TIMEOUT, 2.01, 2.0) == 20.0
    assert Objective.PAR10.cost(UNSAT, 2.5, 2.0) == 20.0  # conclusive, but too late
    assert Objective.RUNTIME.cost(TIMEOUT, 2.01, 2.0) == 2.0
    assert Objective.RUNTIME.cost(SAT, 0.5, 2.0) == 0.5
    assert Objective.SOLVED.cost(SAT, 1.0, 2.0) == pytest.approx(0.005)
    assert Objective.SOLVED.cost(TIMEOUT, 2.0, 2.0) == pytest.approx(1.01)
    assert Objective.PAR10.cost(CRASHED, 0.0, 2.0) == 20.0


def test_in_work_mode_a_conclusive_answer_is_solved_whatever_its_wall_time():
    """The conflict budget, not the clock, bounded the check: a wall time over the cutoff
    is the machine's load. Its time part stays capped at the cutoff (a tie-breaker)."""
    assert Objective.PAR10.cost(UNSAT, 2.5, 2.0, "work") == 2.0
    assert Objective.PAR10.cost(UNSAT, 2.5, 2.0, "time") == 20.0  # too late on the clock
    assert Objective.RUNTIME.cost(SAT, 3.0, 2.0, "work") == 2.0
    assert Objective.SOLVED.cost(SAT, 3.0, 2.0, "work") == pytest.approx(0.01)
    assert Objective.PAR10.cost(TIMEOUT, 0.5, 2.0, "work") == 20.0  # the budget ran out
    late = Measurement("a", "SAT", 2.5, 2.0, budget_mode="work")
    assert late.solved and not Measurement("a", "SAT", 2.5, 2.0).solved
    s = summarise([late, Measurement("b", "TIMEOUT", 0.4, 2.0, budget_mode="work")])
    assert (s.solved, s.par10, s.mean) == (1, pytest.approx(11.0), pytest.approx(2.0))
    assert Measurement.from_json(late.to_json()) == late
    assert "budget_mode" not in Measurement("a", "SAT", 0.1, 2.0).to_json()  # as before


@given(
    objective=st.sampled_from(list(Objective)),
    answer=st.sampled_from([*Answer, CRASHED]),
    seconds=st.floats(0, 100),
    cutoff=st.floats(0.01, 100),
    mode=st.sampled_from(["time", "work"]),
)
def test_costs_are_finite_and_a_crash_is_never_cheaper_than_anything(
    objective, answer, seconds, cutoff, mode
):
    cost = objective.cost(answer, seconds, cutoff, mode)
    assert math.isfinite(cost) and cost >= 0
    assert objective.crash_cost(cutoff) >= cost


def test_summary_figures():
    ms = [
        Measurement("a", "SAT", 0.1, 1.0),
        Measurement("b", "UNSAT", 0.3, 1.0),
        Measurement("c", "TIMEOUT", 1.02, 1.0),
        Measurement("d", "CRASHED", 0.0, 1.0, error="boom"),
    ]
    s = summarise(ms)
    assert (s.n, s.solved, s.crashed) == (4, 2, 1)
    assert s.solved_share == 0.5
    assert s.par10 == pytest.approx((0.1 + 0.3 + 10 + 10) / 4)
    assert s.mean == pytest.approx((0.1 + 0.3 + 1 + 1) / 4)
    assert s.p90 == pytest.approx(1.0)
    r = ratios(summarise(ms[:2]), s)
    assert r["solved_share"] == 2.0 and r["par10"] == pytest.approx(0.2 / s.par10, abs=1e-6)
    assert math.isnan(summarise([]).par10)


def test_answers_are_enums_and_round_trip_through_json_as_the_same_strings():
    for answer in (*Answer, CRASHED):
        m = Measurement("y", answer, 0.5, 2.0, error="why" if answer is CRASHED else None)
        assert m.to_json()["answer"] == answer.value  # what journals have always stored
        back = Measurement.from_json(m.to_json())
        assert back == m and back.answer is answer
    assert Measurement("y", "UNSAT", 0.5, 2.0).answer is UNSAT  # strings from old journals
    with pytest.raises(ValueError):
        measured("MAYBE")
