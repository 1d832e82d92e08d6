"""Local search from the previous assignment: only verified SAT answers, never on UNSAT."""

from __future__ import annotations

import csv
import time

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auctool.check.budget import Budget
from auctool.check.checker import Checker
from auctool.check.config.configs import CheckerConfig
from auctool.check.methods import _lsjit
from auctool.check.methods.localsearch import _begin, local_search, node_graph
from auctool.check.story import Story
from auctool.formats.fcc import load_constraints
from auctool.model import Problem, violations
from tests.helpers import adjacent_pair, brute_force, data_from, pigeonhole, triangle
from tests.strategies import random_data

SOON = 2.0  # seconds: generous deadlines, the searches below end long before


def deadline(seconds: float = SOON) -> float:
    return time.monotonic() + seconds


def test_known_sat_instances():
    data, problem = triangle(3)
    found = local_search(problem, data, deadline())
    assert found is not None and violations(found, problem, data) == []
    assert local_search(Problem({}), data, deadline()) == {}


def test_a_valid_previous_assignment_is_kept():
    data, problem = triangle(4)
    previous = {1: 17, 2: 14, 3: 16}
    assert (
        local_search(problem.replace(previous=previous), data, deadline(), max_flips=0) == previous
    )


def test_a_neighbour_moves_to_make_room():
    """Station 2 fits only if station 3 leaves channel 15 for 14 (the only solution)."""
    pairs = [(1, c, 2, c) for c in (14, 15)] + [(2, c, 3, c) for c in (14, 15)]
    data = data_from({1: (14, 15), 2: (14, 15), 3: (14, 15)}, pairs)
    problem = Problem({1: (14,), 2: (14, 15), 3: (14, 15)}, previous={1: 14, 3: 15})
    for seed in range(5):
        assert local_search(problem, data, deadline(), seed=seed) == {1: 14, 2: 15, 3: 14}


@pytest.mark.parametrize(
    "instance", [triangle(2), adjacent_pair(), pigeonhole(4)], ids=["tri2", "adj", "php4"]
)
def test_unsat_instances_give_none(instance):
    data, problem = instance
    assert local_search(problem, data, deadline(), max_flips=2000) is None


def test_the_deadline_is_honoured():
    data, problem = pigeonhole(8)
    start = time.monotonic()
    assert local_search(problem, data, start + 0.2, max_flips=None) is None
    assert time.monotonic() - start < 0.2 + 0.25  # the clock is read every few hundred steps


def test_limits_and_odd_input():
    data, problem = triangle(3)
    assert local_search(Problem({1: ()}), data, deadline()) is None  # empty domain
    assert local_search(Problem({1: (99,)}), data, deadline()) is None  # outside Domain.csv
    with pytest.raises(ValueError, match="station 9 is not in the constraint data"):
        local_search(Problem({9: (14,)}), data, deadline())
    conflicted = problem.replace(previous={1: 14, 2: 14, 3: 14})
    assert local_search(conflicted, data, deadline(), max_flips=0) is None
    assert local_search(conflicted, data, deadline(), seed=1) == local_search(
        conflicted, data, deadline(), seed=1
    )


@st.composite
def tiny_auctions(draw):
    n = draw(st.integers(1, 6))
    stations = list(range(1, n + 1))
    data = draw(random_data(stations, range(14, 18), max_pairs=40, max_offset=1))
    domains = {s: tuple(sorted(draw(st.sets(st.integers(14, 17), min_size=1)))) for s in stations}
    previous = {s: draw(st.sampled_from(domains[s])) for s in stations if draw(st.booleans())}
    return data, Problem(domains, previous)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tiny_auctions(), st.integers(0, 3), st.floats(0.0, 0.5))
def test_answers_verify_and_never_contradict_brute_force(instance, seed, noise):
    data, problem = instance
    found = local_search(problem, data, deadline(), seed=seed, noise=noise, max_flips=300)
    truth = brute_force(problem, data)
    if found is not None:
        assert violations(found, problem, data) == []
    if truth is None:
        assert found is None


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tiny_auctions(), st.integers(0, 3), st.booleans())
def test_the_kernels_conflict_list_matches_a_scan_after_every_step(instance, seed, track):
    """The compiled search keeps its conflicted stations on a list each move updates (on
    big problems; small ones scan): after every step it holds exactly the stations whose
    channel has a conflict."""
    data, problem = instance
    search = _begin(problem, data, node_graph(data), seed)
    if search is None:
        return
    if track:
        search.keep_list()  # tiny problems scan unless told
    _lsjit.seed(seed)
    state = np.array([0, search.violated, search.violated, 0], dtype=np.int64)
    for _ in range(60):
        code = _one_step(search, state)
        in_conflict = int((search.score[search.chosen] > 0).sum())
        if track:  # a scan counts at the start of a step; the list is kept after each move
            assert state[_lsjit.COUNT] == in_conflict
        assert state[_lsjit.VIOLATED] == int(search.score[search.chosen].sum()) // 2
        if code == _lsjit.SOLVED:
            assert in_conflict == 0
            break


def test_the_kernel_refuses_a_state_without_every_slot():
    """Compiled code has no bounds checks: a short state array is an error, not a write
    past its end."""
    data, problem = triangle(2)
    search = _begin(problem, data, node_graph(data), 0)
    with pytest.raises(ValueError, match="slot per name"):
        _one_step(search, np.zeros(3, dtype=np.int64))
    search.track = True  # a list asked for without the owners it needs
    with pytest.raises(ValueError, match="every node's owner"):
        _one_step(search, np.zeros(4, dtype=np.int64))


def _one_step(search, state):
    """One compiled step of ``search`` (noise 0.3, short tabu), its return code."""
    g = search.g
    return _lsjit.run(
        search.chosen, search.score, search.tabu, search.flat, search.offsets,
        g.indptr, g.adj, state, 1, -1, 0.3, 2, 0.5, search.chosen.copy(), False,
        search.owner, search.track,
    )  # fmt: skip


def test_real_subset_post_auction_minus_one_station(fcc_data):
    """The real repack minus a station: the station's old channel is free again."""
    folder = fcc_data / "subsets" / "post-seed1328-st200"
    data = load_constraints(folder)
    with open(folder / "post_auction_parameters.csv") as fh:
        post = {int(r["FacID"]): int(r["Ch"]) for r in csv.DictReader(fh)}
    uhf = {
        s: tuple(c for c in data.domains[s] if 14 <= c <= 36) for s, c in post.items() if c >= 14
    }
    for new in list(uhf)[:10]:
        problem = Problem(uhf, {s: post[s] for s in uhf if s != new})
        found = local_search(problem, data, deadline(), seed=new)
        assert found is not None and violations(found, problem, data) == []


def test_a_search_that_stops_says_where_it_stopped():
    data, problem = triangle(2)  # three mutually co-channel stations on two channels: UNSAT
    end: list[dict[int, int]] = []
    assert local_search(problem, data, max_flips=50, end=end) is None
    (stopped,) = end
    assert set(stopped) == set(problem.domains)
    assert all(c in problem.domains[s] for s, c in stopped.items())


def test_ls_continue_picks_up_a_question_where_its_last_search_stopped():
    """An escalated or revisited question continues its search (knob ls_continue); other
    questions, and checkers without the knob, start from the previous assignment."""
    data, problem = triangle(2)
    config = CheckerConfig(ls_continue=True, race=False)
    with Checker(data, config) as checker:
        steps = checker.steps
        for k in range(3):
            story = Story()
            assert steps.local_search(problem, Budget.of(1), story, flips=50) is None
            assert story.stats.get("ls_continued", 0) == (k > 0), k
        other = Problem(dict(problem.domains) | {1: (14,)}, name="other")
        story = Story()
        steps.local_search(other, Budget.of(1), story, flips=50)
        assert "ls_continued" not in story.stats
    with Checker(data, CheckerConfig(race=False)) as plain:
        for _ in range(2):
            story = Story()
            plain.steps.local_search(problem, Budget.of(1), story, flips=50)
            assert "ls_continued" not in story.stats
