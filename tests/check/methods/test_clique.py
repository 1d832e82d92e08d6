"""Clique bounds prove UNSAT by counting, and never claim it on a SAT problem."""

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from auctool.check.budget import Budget
from auctool.check.methods.clique import clique_proof
from auctool.check.methods.reductions import ProblemView
from auctool.model import Problem
from tests.helpers import brute_force, co_everywhere, data_from, pigeonhole, triangle

FOREVER = Budget(math.inf)


def test_pigeonhole_is_refuted_by_counting():
    data, problem = pigeonhole(11)
    proof = clique_proof(ProblemView(data, problem.domains), [1], FOREVER)
    assert proof is not None and proof.kind == "co"
    assert len(proof.stations) == 12 and proof.channels == 11


def test_hall_condition_uses_the_actual_domains():
    data, _ = triangle(3)
    # three mutually interfering stations whose domains only cover 2 channels together
    proof = clique_proof(ProblemView(data, {1: (14, 15), 2: (14, 15), 3: (14, 15)}), [1], FOREVER)
    assert proof is not None and proof.channels == 2
    assert clique_proof(ProblemView(data, {1: (14,), 2: (15,), 3: (16,)}), [1], FOREVER) is None


def test_adjacent_channel_cliques_need_spread_channels():
    chans = (14, 15, 16, 17, 18)
    stations = (1, 2, 3, 4)
    pairs = co_everywhere(stations, chans)
    pairs += [
        (s, c, t, c + d)
        for s in stations
        for t in stations
        if s < t
        for c in chans
        for d in (-1, 1)
        if c + d in chans
    ]
    data = data_from({s: chans for s in stations}, pairs)
    proof = clique_proof(ProblemView(data, {s: chans for s in stations}), [1], FOREVER)
    # 4 stations pairwise at least two channels apart need 14,16,18,20: only 3 fit in 14..18
    assert proof is not None and proof.kind == "adjacent" and proof.channels == 3
    assert brute_force(Problem({s: chans for s in stations}), data) is None


@settings(max_examples=60, deadline=None)
@given(st.integers(2, 6), st.integers(2, 6), st.data())
def test_a_proof_is_only_found_on_unsat_problems(n, k, draw):
    stations = tuple(range(1, n + 1))
    chans = tuple(range(14, 14 + k))
    edges = [(s, t) for s in stations for t in stations if s < t and draw.draw(st.booleans())]
    pairs = [(s, c, t, c) for s, t in edges for c in chans]
    data = data_from({s: chans for s in stations}, pairs)
    problem = Problem({s: chans for s in stations})
    proof = clique_proof(ProblemView(data, problem.domains), list(stations), FOREVER)
    if proof is not None:
        assert brute_force(problem, data) is None


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 7), st.data())
def test_min_path_cover_matches_brute_force(n, draw):
    import itertools

    import numpy as np

    from auctool.check.methods.clique import min_path_cover

    adjacent = np.zeros((n, n), dtype=bool)
    for i in range(n):
        for j in range(i + 1, n):
            adjacent[i, j] = adjacent[j, i] = draw.draw(st.booleans())
    best = min(
        1 + sum(not adjacent[p[i], p[i + 1]] for i in range(n - 1))
        for p in itertools.permutations(range(n))
    )
    assert min_path_cover(adjacent) == best


def test_span_bound_refutes_tight_clusters_with_adjacent_conflicts():
    chans = (14, 15, 16, 17)
    stations = (1, 2, 3, 4)
    pairs = co_everywhere(stations, chans)
    # 1 and 2 block the adjacent channels of 3 and 4: only 1-2 and 3-4 may sit side by
    # side, so the four need two runs with a gap (5 channels); no three are pairwise
    # "never adjacent", so the simpler spread bound does not see it
    pairs += [
        (s, c, t, c + d)
        for s in (1, 2)
        for t in (3, 4)
        for c in chans
        for d in (-1, 1)
        if c + d in chans
    ]
    data = data_from({s: chans for s in stations}, pairs)
    problem = Problem({s: chans for s in stations})
    proof = clique_proof(ProblemView(data, problem.domains), [1], FOREVER)
    assert proof is not None and proof.kind == "span" and proof.needed == 5 and proof.channels == 4
    assert brute_force(problem, data) is None
