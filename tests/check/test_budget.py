"""Work budgets (``--budget-mode work``): conflicts instead of seconds, the same answers every run."""

from __future__ import annotations

import math

import pytest

from auctool.check import Answer, Checker, CheckerConfig, PortfolioConfig, make_checker
from auctool.check.budget import CONFLICTS_PER_SECOND, FLIPS_PER_SECOND, Budget
from auctool.check.config.solvertable import SOLVERS
from auctool.check.solve.encoding import encode
from auctool.check.solve.solvers import solve_once
from auctool.check.story import Story
from auctool.errors import InputError
from auctool.formats.fcc import load_constraints
from auctool.formats.instances import load_instance_set
from auctool.formats.srpk import read_srpk
from tests.check.test_cutoffs import hopeless
from tests.helpers import pigeonhole, triangle

BUDGETED = sorted(n for n, info in SOLVERS.items() if info.conflict_budget)


def test_a_work_budget_counts_conflicts_and_charges_every_budget_above():
    whole = Budget.of_work(1.0)
    assert math.isinf(whole.deadline) and whole.conflicts == CONFLICTS_PER_SECOND
    part = whole.at_most(0.1)
    assert part.conflicts == CONFLICTS_PER_SECOND // 10
    part.spend(CONFLICTS_PER_SECOND // 20)
    assert part.conflicts == CONFLICTS_PER_SECOND // 20
    assert whole.conflicts == CONFLICTS_PER_SECOND - CONFLICTS_PER_SECOND // 20
    part.spend(part.conflicts)
    assert part.expired() and not whole.expired()
    assert whole.at_most(10.0).conflicts == whole.conflicts  # never past the budget above
    assert whole.share(0.5).conflicts == whole.conflicts // 2
    assert Budget.of_work(None).conflicts is None  # no cutoff: unlimited, as in time mode
    assert Budget.of(1.0).conflicts is None


def test_local_search_moves_are_work_too_and_a_modelled_cores_meter_charges_nothing_above():
    whole = Budget.of_work(1.0)
    whole.spend_flips(FLIPS_PER_SECOND // 10)  # a tenth of a second of moves
    assert whole.conflicts == CONFLICTS_PER_SECOND - CONFLICTS_PER_SECOND // 10
    whole.spend_flips(1)  # any move costs at least a conflict: a search is never free
    assert whole.conflicts == CONFLICTS_PER_SECOND - CONFLICTS_PER_SECOND // 10 - 1
    other = whole.own_core()
    assert other.conflicts == whole.conflicts
    other.spend(other.conflicts)
    assert other.expired() and not whole.expired()
    assert whole.own_core(5).conflicts == 5
    with pytest.raises(ValueError):
        Budget.of(1.0).own_core()


def test_a_work_mode_search_that_finds_nothing_is_charged_every_move_it_made():
    """Pigeonhole: no move ends the search, so it runs to the cap the budget allows and
    the check's budget shrinks by that many moves' worth of conflicts."""
    data, php = pigeonhole(5)
    config = CheckerConfig(local_search=True, ls_continue=False)
    with Checker(data, config, budget_mode="work") as checker:
        budget = Budget.of_work(1.0).at_most(0.05)
        found = checker.steps.local_search(php, budget, Story(), 10**9)
    assert found is None and budget.expired()


@pytest.mark.parametrize("name", BUDGETED)
def test_every_budgeted_solver_answers_and_stops_at_its_conflicts(name):
    for (data, problem), expected in ((triangle(3), True), (triangle(2), False)):
        enc = encode(problem.domains, data)
        assert solve_once(name, enc.clauses(), math.inf, conflicts=10_000).status is expected
    data, problem = pigeonhole(11)  # far more than 300 conflicts to refute
    out = solve_once(name, encode(problem.domains, data).clauses(), math.inf, conflicts=300)
    assert out.status is None
    assert out.conflicts >= 300


def test_solvers_without_a_conflict_budget_are_refused_in_work_mode():
    data, _ = triangle(3)
    with pytest.raises(InputError, match="lingeling takes no conflict budget"):
        Checker(data, CheckerConfig(solver="lingeling"), budget_mode="work")
    with pytest.raises(InputError, match="budget mode must be one of time, work"):
        Checker(data, CheckerConfig(), budget_mode="cpu")


CONFIGS = {
    "default": CheckerConfig(),
    "incremental": CheckerConfig(solver="minisat22", incremental=True),
    "kissat, seqcounter": CheckerConfig(solver="kissat404", encoding="seqcounter"),
}


@pytest.mark.parametrize("name", list(CONFIGS))
def test_the_hopeless_problem_times_out_on_its_work_not_the_clock(name):
    data, problem = hopeless()
    results = []
    for _ in range(2):
        with Checker(data, CONFIGS[name], budget_mode="work") as checker:
            results.append(checker.check(problem, 0.05))
    assert [r.answer for r in results] == [Answer.TIMEOUT, Answer.TIMEOUT]
    assert results[0].stats.get("conflicts") == results[1].stats.get("conflicts")


def _bundled(limit: int = 30) -> tuple:
    test = load_instance_set("instances/sets/test")
    data = load_constraints(test.constraints_dir)
    return data, [read_srpk(p) for p in test.paths()[:limit]]


def _replay(data, problems, config, cutoff: float, mode: str) -> list[tuple]:
    with make_checker(data, config, budget_mode=mode) as checker:
        results = [checker.check(p, cutoff) for p in problems]
    return [(r.answer, r.solved_by, sorted((r.assignment or {}).items())) for r in results]


def test_a_work_budget_replays_the_same_answers_and_witnesses():
    data, problems = _bundled()
    first = _replay(data, problems, CheckerConfig(), 0.005, "work")
    assert {a for a, _, _ in first} >= {Answer.SAT, Answer.TIMEOUT}  # the budget binds
    assert _replay(data, problems, CheckerConfig(), 0.005, "work") == first
    # a bigger budget only answers more (the same truth)
    more = _replay(data, problems, CheckerConfig(), 0.05, "work")
    for (a, _, _), (b, _, _) in zip(first, more, strict=True):
        assert a is Answer.TIMEOUT or a is b


def test_a_work_mode_portfolio_picks_the_first_member_that_answers():
    data, problems = _bundled(12)
    members = (CheckerConfig.off_the_shelf("minisat22"), CheckerConfig())
    config = PortfolioConfig(members, workers=2)
    with make_checker(data, config, budget_mode="work") as checker:
        results = [checker.check(p, 0.005) for p in problems]
    winners = [r.stats.get("winner") for r in results if r.answer is not Answer.TIMEOUT]
    alone = _replay(data, problems, members[0], 0.005, "work")
    for r, (a, _, _) in zip(results, alone, strict=True):
        if a is not Answer.TIMEOUT:  # member 1 answered: it wins, whoever was faster
            assert r.stats.get("winner") == 1
    assert winners, "no member answered"
