"""The neighbourhood re-solve: SAT extends to the whole problem; UNSAT only from a sub-problem."""

import math

from auctool.check.budget import Budget
from auctool.check.methods.localsearch import local_search
from auctool.check.methods.neighbourhood import neighbourhood_solve, relaxed_core, rings_around
from auctool.check.result import Answer
from auctool.model import Problem, violations
from tests.helpers import co_everywhere, data_from, two_hops

CHANS = (14, 15, 16)


def work() -> Budget:
    """A work budget: a ring's share is conflicts, not milliseconds a first call may eat
    (the clique search's first call takes ~0.2 s: with a clock, ring 1 timed out alone)."""
    return Budget.of_work(10.0)


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
    out = neighbourhood_solve(problem, data, work(), max_rings=2)
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


def _cascade():
    """1-2-3-4-5 in a line on 14/15 (3 may also take 16); 5 is new and must take 15: with
    3 held on 14, ring 1 ({4, 5}) cannot answer; ring 2 ({3, 4, 5}) can (3 moves to 16)."""
    domains = {1: (14, 15), 2: (14, 15), 3: (14, 15, 16), 4: (14, 15), 5: (15,)}
    pairs = [p for s in range(1, 5) for p in co_everywhere((s, s + 1), (14, 15))]
    return data_from(domains, pairs), Problem(domains, {1: 14, 2: 15, 3: 14, 4: 15})


def test_the_second_ring_is_searched_before_it_is_solved():
    data, problem = _cascade()
    asked = []

    def search(ring: Problem, budget: Budget):
        asked.append(ring)
        return local_search(ring, data, budget.deadline, max_flips=1_000)

    out = neighbourhood_solve(problem, data, work(), max_rings=2, search=search)
    assert out.answer is Answer.SAT and out.rings == 2
    assert violations(out.assignment, problem, data) == []
    assert out.assignment[3] == 16 and out.assignment[2] == 15  # 2 stays outside
    (ring,) = asked  # ring 1 goes to the SAT solver alone; ring 2 to the search first
    assert set(ring.domains) == {3, 4, 5} and ring.previous == {3: 14, 4: 15}
    assert ring.domains[3] == (14, 16)  # 15 is blocked by station 2, fixed outside


def test_a_ring_the_search_misses_still_goes_to_the_solver():
    data, problem = _cascade()
    out = neighbourhood_solve(problem, data, work(), max_rings=2, search=lambda ring, b: None)
    assert out.answer is Answer.SAT and out.rings == 2
    assert violations(out.assignment, problem, data) == []


def test_a_relaxed_core_is_the_first_ring_that_is_unsat_on_its_own():
    data, problem = two_hops()
    core = relaxed_core(problem, data, work())
    assert core == {1: (14,), 2: (14, 15), 3: (15,)}  # ring 2: ring 1 alone fits
    assert relaxed_core(problem, data, work(), max_rings=1) is None


def test_no_relaxed_core_when_the_new_station_fits():
    data = chain(4)
    problem = Problem({s: CHANS for s in range(1, 5)}, {1: 14, 2: 15, 3: 14})
    assert relaxed_core(problem, data, work()) is None
    assert relaxed_core(Problem(dict(problem.domains)), data, work()) is None  # none new
