"""Reductions on hand-made instances whose answers are known, plus property tests."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from auctool.check.methods.reductions import (
    ProblemView,
    add_back,
    arc_consistency,
    components,
    greedy_extend,
    underconstrained,
)
from auctool.model import Problem, violations
from tests.helpers import brute_force, co_everywhere, data_from, triangle


def test_greedy_extend_places_new_stations_around_fixed_ones():
    data, problem = triangle(3)
    out = greedy_extend(data, problem.domains, {1: 14, 2: 15})
    assert out == {1: 14, 2: 15, 3: 16}
    assert greedy_extend(data, {1: (14,), 2: (15,), 3: (14, 15)}, {1: 14, 2: 15}) is None


def test_arc_consistency_prunes_and_detects_empty_domains():
    data, _ = triangle(3)
    pruned, removed = arc_consistency(ProblemView(data, {1: (14,), 2: (14, 15), 3: (14, 15, 16)}))
    # 1 sits on 14, so 2 loses 14 and keeps 15; then 3 loses 14 and 15
    assert pruned == {1: (14,), 2: (15,), 3: (16,)} and removed == 3
    empty, _ = arc_consistency(ProblemView(data, {1: (14,), 2: (14,), 3: (15, 16)}))
    assert empty is None


def test_underconstrained_stations_and_add_back():
    chans = (14, 15, 16)
    # a triangle 1-2-3 on 2 channels plus a pendant 4 attached to 1 with 3 channels
    pairs = co_everywhere((1, 2, 3), chans) + [(1, c, 4, c) for c in chans]
    data = data_from({s: chans for s in (1, 2, 3, 4)}, pairs)
    domains = {1: (14, 15), 2: (14, 15), 3: (14, 15, 16), 4: chans}
    removed = underconstrained(ProblemView(data, domains))
    assert 4 in removed and 3 in removed  # 4 has one neighbour (blocks 1 of 3); 3 has two (2 of 3)
    rest = {s: d for s, d in domains.items() if s not in removed}
    solution = brute_force(Problem(rest), data)
    full = add_back(data, domains, solution, removed)
    assert violations(full, Problem(domains), data) == []


def test_components_split_disconnected_groups():
    chans = (14, 15)
    pairs = co_everywhere((1, 2), chans) + co_everywhere((3, 4), chans)
    data = data_from({s: chans for s in (1, 2, 3, 4, 5)}, pairs)
    groups = components(ProblemView(data, {s: chans for s in (1, 2, 3, 4, 5)}))
    assert sorted(sorted(g) for g in groups) == [[1, 2], [3, 4], [5]]


@st.composite
def random_problems(draw):
    n = draw(st.integers(2, 6))
    stations = list(range(1, n + 1))
    chans = tuple(range(14, 14 + draw(st.integers(2, 4))))
    raw = draw(
        st.lists(
            st.tuples(
                st.sampled_from(stations),
                st.sampled_from(chans),
                st.sampled_from(stations),
                st.integers(-1, 1),
            ),
            max_size=30,
        )
    )
    pairs = [(a, c, b, c + d) for a, c, b, d in raw if a != b and c + d in chans]
    data = data_from({s: chans for s in stations}, pairs)
    domains = {
        s: tuple(sorted(draw(st.sets(st.sampled_from(chans), min_size=1)))) for s in stations
    }
    return data, Problem(domains)


@settings(max_examples=80, deadline=None)
@given(random_problems())
def test_reductions_never_change_the_answer(case):
    data, problem = case
    expected = brute_force(problem, data) is not None
    view = ProblemView(data, problem.domains)
    pruned, _ = arc_consistency(view)
    if pruned is None:
        assert not expected
        return
    assert (brute_force(Problem(pruned), data) is not None) == expected
    removed = underconstrained(ProblemView(data, pruned))
    rest = {s: d for s, d in pruned.items() if s not in removed}
    core = brute_force(Problem(rest), data) if rest else {}
    assert (core is not None) == expected
    if core is not None:
        full = add_back(data, pruned, core, removed)
        assert full is not None and violations(full, problem, data) == []
