"""The parallel portfolio: right answers, first conclusive answer wins, no leftover processes."""

import multiprocessing as mp
import time

from auctool.check import Answer, CheckerConfig, PortfolioConfig, make_checker
from auctool.model import violations
from auctool.model.cutoff import latest_return
from tests.helpers import pigeonhole, triangle

NO_CLIQUE = {"clique": False, "underconstrained": False}


def test_portfolio_answers_and_cleans_up():
    data, problem = triangle(3)
    config = PortfolioConfig(
        (CheckerConfig(solver="cadical195"), CheckerConfig(solver="minisat22")), workers=2
    )
    with make_checker(data, config) as checker:
        for _ in range(3):
            result = checker.check(problem, 5)
            assert result.answer is Answer.SAT
            assert violations(result.assignment, problem, data) == []
            assert result.solved_by.startswith("portfolio[")
        workers = [w.process for w in checker._workers]
        assert all(p.is_alive() for p in workers)
    assert not any(p.is_alive() for p in workers)
    assert mp.active_children() == []


def test_the_first_conclusive_answer_stops_the_others():
    data, problem = pigeonhole(10)
    # member 1 proves UNSAT by counting in milliseconds; member 2 would search for minutes
    config = PortfolioConfig(
        (
            CheckerConfig(clique=True, cache=False),
            CheckerConfig(solver="cadical195", cache=False, **NO_CLIQUE),
        ),
        workers=2,
    )
    with make_checker(data, config) as checker:
        checker.check(problem, 10)  # warm-up (imports in the workers)
        start = time.monotonic()
        result = checker.check(problem, 10)
        assert (
            result.answer is Answer.UNSAT and result.solved_by == "portfolio[1]:presolve:clique-co"
        )
        assert time.monotonic() - start < 5  # a loser that ran to the cutoff would take 10 s
        # and the loser is free again at once: the next check is answered too
        assert checker.check(problem, 10).answer is Answer.UNSAT
    assert mp.active_children() == []


def test_portfolio_honours_the_cutoff():
    data, problem = pigeonhole(11)
    config = PortfolioConfig(
        (
            CheckerConfig(solver="cadical195", **NO_CLIQUE),
            CheckerConfig(solver="kissat404", **NO_CLIQUE),
        ),
        workers=2,
    )
    with make_checker(data, config) as checker:
        checker.check(problem, 0.2)
        start = time.monotonic()
        result = checker.check(problem, 1.0)
        elapsed = time.monotonic() - start
    assert result.answer is Answer.TIMEOUT
    assert elapsed <= latest_return(1.0)
    assert mp.active_children() == []


def test_warm_loads_each_members_solver_and_checks_still_agree():
    """``warm`` has every worker build its persistent solver once; answers are unchanged."""
    data, problem = pigeonhole(6)
    sat = triangle(3)
    config = PortfolioConfig(
        (CheckerConfig(cache=False), CheckerConfig(cache=False, local_search=False)), workers=2
    )
    assert all(m.incremental for m in config.members)
    with make_checker(data, config) as checker:
        checker.warm(problem)
        assert checker.check(problem, 10).answer is Answer.UNSAT
    with make_checker(sat[0], config) as checker:
        checker.warm(sat[1])
        result = checker.check(sat[1], 10)
        assert result.answer is Answer.SAT and violations(result.assignment, sat[1], sat[0]) == []
    assert mp.active_children() == []
