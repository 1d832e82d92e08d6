"""The neighbourhood re-solve: SAT extends to the whole problem; UNSAT only from a sub-problem."""

import math

from auctool.check.budget import Budget
from auctool.check.neighbourhood import neighbourhood_solve, rings_around
from auctool.check.result import Answer
from auctool.model import Problem, violations
from tests.helpers import co_everywhere, data_from

CHANS = (14, 15, 16)


def chain(n: int):
    """Stations 1..n in a line, each interfering co-channel with the next."""
    pairs = [p for s in range(1, n) for p in co_everywhere((s, s + 1), CHANS)]
    return data_from({s: CHANS for s in range(1, n + 1)}, pairs)


def test_rings_grow_hop_by_hop():
    data = chain(6)
    members = set(range(1, 7))
    assert rings_around(data, [1], members, 1) == {1, 2}
    assert rings_around(data, [3], members, 2) == {1, 2, 3, 4, 5}


def test_new_station_fits_after_moving_a_neighbour():
    data = chain(5)
    # previous packing 1..4 alternating 14/15; new station 5 may only use 14 or 15; 4 sits on 14
    previous = {1: 14, 2: 15, 3: 14, 4: 15}
    domains = {s: CHANS for s in range(1, 5)} | {5: (15,)}
    problem = Problem(domains, previous)
    out = neighbourhood_solve(problem, data, Budget(math.inf), max_rings=2)
    assert out.answer is Answer.SAT and out.rings == 1
    assert violations(out.assignment, problem, data) == []
    assert out.assignment[4] != 15 and out.assignment[1] == 14  # only the ring moved


def test_unsat_proved_inside_the_rings():
    chans = (14, 15)
    pairs = co_everywhere((1, 2, 3), chans) + co_everywhere((3, 4), chans)
    data = data_from({s: chans for s in (1, 2, 3, 4)}, pairs)
    problem = Problem({s: chans for s in (1, 2, 3, 4)}, {1: 14, 2: 15, 4: 14})
    out = neighbourhood_solve(problem, data, Budget(math.inf), max_rings=1)
    assert out.answer is Answer.UNSAT  # 1, 2, 3 form a triangle on two channels


def test_nothing_to_do_without_a_previous_assignment():
    data = chain(3)
    out = neighbourhood_solve(Problem({s: CHANS for s in (1, 2, 3)}), data, Budget(math.inf))
    assert out.answer is Answer.TIMEOUT
