"""clasp through clingo: every search knob's value is one clasp accepts, and answers right."""

from __future__ import annotations

import math

import pytest

from auctool.check import Answer, Checker, CheckerConfig
from auctool.check.config.solvertable import CLASP_OPTIONS, clasp_arguments
from auctool.check.solve.clasp import solve
from auctool.check.solve.encoding import encode
from tests.helpers import brute_force, pigeonhole, triangle

CHOICES = [(knob, choice) for knob, (_, values) in CLASP_OPTIONS.items() for choice in values]


@pytest.mark.parametrize(("knob", "choice"), CHOICES)
def test_every_knob_value_is_a_clasp_option_that_answers_right(knob, choice):
    for phases in (False, True):
        args = clasp_arguments({knob: choice}, phases)
        for (data, problem), expected in ((triangle(3), True), (triangle(2), False)):
            enc = encode(problem.domains, data)
            status, model, _ = solve(enc.clauses(), math.inf, options=args)
            assert status is expected, (knob, choice, phases)
            if status:
                assert brute_force(problem, data) is not None
                assert set(enc.decode(model)) == set(problem.domains)


def test_the_checker_passes_the_knobs_and_verifies_clasps_witness():
    data, problem = pigeonhole(4)
    config = CheckerConfig.off_the_shelf("clasp").replace(
        clasp_configuration="crafty", clasp_restarts="luby", clasp_sign="neg"
    )
    assert "--restarts=L,128" in config.solver_options
    assert "--configuration=crafty" in config.solver_options
    with Checker(data, config) as checker:
        assert checker.check(problem, 5).answer is Answer.UNSAT
    data, problem = triangle(3)
    with Checker(data, config) as checker:
        result = checker.check(problem, 5)
    assert result.answer is Answer.SAT and result.solved_by == "solver:clasp"


def test_clasp_knobs_are_inactive_for_other_solvers():
    assert CheckerConfig().solver_options == ()
    assert "clasp_heuristic" not in CheckerConfig().to_mapping()
    assert "clasp_heuristic" in CheckerConfig(solver="clasp").to_mapping()
