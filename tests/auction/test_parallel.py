"""A round's questions on several processes (issue 34): forked shares of a batch, answers
back in order, escalation pass by pass, and an auction whose outcome does not depend on
how many processes answered it when every question is answered."""

from __future__ import annotations

import pytest

from auctool.auction.checks import CheckingAsker, Escalation
from auctool.auction.engine import Question
from auctool.auction.parallel import MIN_SHARE, CheckWorkers
from auctool.auction.simulate import SimulationOptions, simulate
from auctool.check import CheckerConfig, make_checker
from auctool.check.result import Answer
from auctool.errors import InputError, RunError
from auctool.model.problem import Problem
from tests.auction.worlds import small_synth_world
from tests.helpers import data_from, mycielski, mycielski_world

TINY = 0.0002  # 4 conflicts in work mode: Mycielski's M4 on 3 channels needs more


EXTRA = 99  # a station that interferes with no one


def _data():
    """Mycielski's M4 on 3 channels (UNSAT, more than TINY's conflicts to prove) and one
    more station with no interference."""
    data, m4 = mycielski_world(4)
    _, edges = mycielski(4)
    chans = data.domains[1]
    pairs = [(u + 1, c, v + 1, c) for u, v in edges for c in chans]
    return data_from({**data.domains, EXTRA: chans}, pairs, "myciel-plus"), m4


def _checker():
    cfg = CheckerConfig(clique=False, local_search=False, neighbourhood=False)
    return make_checker(_data()[0], cfg, budget_mode="work")


def test_workers_answer_their_shares_of_a_batch_in_order():
    _, m4 = _data()
    questions = _batch(3 * MIN_SHARE)
    problems = [q.problem for q in questions]
    stations = [q.station for q in questions]
    names = [f"q{k}" for k in range(len(questions))]
    with CheckWorkers(3, _checker, m4) as workers:
        got = workers.check(_checker(), problems, stations, [1.0] * len(names), names)
        assert workers.batches == 1 and workers.shares(len(questions)) == 3
        assert [r.instance for r in got] == names
        assert [r.answer for r in got] == [
            Answer.UNSAT if k % 2 else Answer.SAT for k in range(len(questions))
        ]
        small = workers.check(_checker(), problems[:3], stations[:3], [1.0] * 3, names[:3])
        assert len(small) == 3 and workers.batches == 1  # too few to send: answered here


def test_a_failing_worker_is_a_run_error():
    def broken():
        raise ValueError("no checker today")

    questions = _batch(2 * MIN_SHARE)
    with CheckWorkers(2, broken) as workers, pytest.raises(RunError, match="no checker today"):
        workers.check(
            _checker(),
            [q.problem for q in questions],
            [q.station for q in questions],
            [1.0] * len(questions),
            ["x"] * len(questions),
        )
    with pytest.raises(ValueError):
        CheckWorkers(0, _checker)


def _asker(workers: CheckWorkers | None, escalation: Escalation | None = None) -> CheckingAsker:
    return CheckingAsker(_checker(), TINY, escalation=escalation, workers=workers)


def _batch(n: int, held: bool = False) -> list[Question]:
    """Questions about one band, M4 less its last station: that station (UNSAT) and the
    station that interferes with no one (SAT at once), alternating."""
    _, m4 = _data()
    last = max(m4.domains)
    band = {s: c for s, c in m4.domains.items() if s != last}
    out = []
    for k in range(n):
        station = last if k % 2 else EXTRA
        problem = Problem.from_canonical(
            dict(sorted({**band, station: m4.domains[last]}.items())), {}
        )
        out.append(Question(1, "bid", station, problem, held=held))
    return out


def test_a_parallel_batch_answers_and_logs_as_one_process_does():
    esc = Escalation(max_cutoff=1.0, round_budget=50.0, in_cutoffs=True)
    questions = _batch(4 * MIN_SHARE)
    alone, workers = _asker(None, esc), CheckWorkers(2, _checker)
    forked = _asker(workers, esc)
    one = alone.many(questions)
    two = forked.many(questions)
    workers.close()
    assert workers.batches >= 2  # the first attempts, then at least one escalation pass
    assert [r.answer for r in two] == [r.answer for r in one]
    assert {r.answer for r in two} == {Answer.SAT, Answer.UNSAT}
    assert [c.instance for c in forked.log] == [c.instance for c in alone.log]
    assert [c.seq for c in forked.log] == list(range(len(questions)))
    hard = [c for c in forked.log if c.answer is Answer.UNSAT]
    assert all(c.escalations >= 1 and TINY < c.cutoff <= 1.0 for c in hard)
    assert forked.escalation_wall > 0


def test_a_parallel_pass_takes_only_what_the_round_budget_allows():
    """Work mode charges a pass its cutoff times the attempts per process: with a budget
    of one doubled cutoff, one pass of two attempts (one per process), no more."""
    esc = Escalation(max_cutoff=1.0, round_budget=2 * TINY, in_cutoffs=True)
    with CheckWorkers(2, _checker) as workers:
        asker = _asker(workers, esc)
        results = asker.many(_batch(4 * MIN_SHARE))
    ups = [c.escalations for c in asker.log]
    assert sum(ups) == 2 and max(ups) == 1
    assert sum(r.answer is Answer.TIMEOUT for r in results) >= 2 * MIN_SHARE - 2


def test_held_questions_in_a_parallel_batch_are_declined_once_the_budget_is_spent():
    esc = Escalation(max_cutoff=TINY, round_budget=2.5 * TINY, in_cutoffs=True)
    questions = [q for q in _batch(8 * MIN_SHARE, held=True) if q.station != EXTRA]
    with CheckWorkers(2, _checker) as workers:
        asker = _asker(workers, esc)
        results = asker.many(questions)
    assert [r is None for r in results] == [False] * 3 + [True] * (len(questions) - 3)
    assert asker.declined == len(questions) - 3 and len(asker.log) == 3


def test_round_workers_must_be_a_positive_whole_number():
    with pytest.raises(InputError, match="round workers must be a whole number"):
        SimulationOptions(round_workers=0)


def test_an_auction_answered_on_two_processes_has_the_same_outcome():
    """Every question answered (no TIMEOUT): who wins, at what price, in which round, and
    which questions were asked cannot depend on how many processes answered them."""
    world = small_synth_world()
    runs = [
        simulate(world, SimulationOptions(cutoff=5, seed=3, round_workers=w))[0] for w in (1, 2)
    ]
    one, two = (
        (
            r.outcome.status.tolist(),
            r.outcome.price.tolist(),
            r.outcome.decided_round.tolist(),
            r.outcome.frozen_by,
            r.outcome.rounds,
            [(c.round, c.kind, c.station, c.answer, c.instance) for c in r.checks],
        )
        for r in runs
    )
    assert not any(c.answer is Answer.TIMEOUT for c in runs[0].checks)
    assert one == two
    assert [r.options.to_json()["round_workers"] for r in runs] == [1, 2]


def test_round_processes_default_to_the_cores_in_time_mode_one_in_work_mode():
    from auctool.auction.options import AUTO_ROUND_WORKERS
    from auctool.check.solve.processes import cores

    auto = SimulationOptions()
    assert auto.round_processes() == max(1, min(cores(), AUTO_ROUND_WORKERS))
    assert "round_workers" not in auto.to_json()  # older run folders still resume
    assert SimulationOptions(budget_mode="work").round_processes() == 1
    assert SimulationOptions(budget_mode="work", round_workers=3).round_processes() == 3
