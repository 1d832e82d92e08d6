from hypothesis import given, settings
from hypothesis import strategies as st

from auctool.model import Problem, violations
from tests.helpers import brute_force, data_from, triangle


def test_a_valid_witness_has_no_violations():
    data, problem = triangle(3)
    assert violations({1: 14, 2: 15, 3: 16}, problem, data) == []


def test_each_kind_of_violation_is_named():
    data, problem = triangle(3)
    kinds = {v.kind for v in violations({1: 14, 2: 14}, problem, data)}
    assert kinds == {"missing"}
    assert {v.kind for v in violations({1: 14, 2: 15, 3: 99}, problem, data)} == {"domain"}
    assert {v.kind for v in violations({1: 14, 2: 15, 3: 16, 4: 14}, problem, data)} == {"extra"}
    bad = violations({1: 14, 2: 14, 3: 16}, problem, data)
    assert [v.kind for v in bad] == ["interference"]
    assert "station 1 on channel 14 interferes with station 2 on channel 14" in bad[0].message


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(1, 4), st.integers(1, 3), st.integers(1, 4), st.integers(1, 3)),
        max_size=12,
    ),
    st.lists(st.integers(1, 3), min_size=4, max_size=4),
)
def test_verifier_agrees_with_brute_force(raw_pairs, channels):
    pairs = [p for p in raw_pairs if p[0] != p[2]]
    domains = {s: (1, 2, 3) for s in range(1, 5)}
    data = data_from(domains, pairs)
    assignment = dict(zip(range(1, 5), channels, strict=True))
    problem = Problem({s: (c,) for s, c in assignment.items()})
    expected_valid = brute_force(problem, data) is not None
    assert (violations(assignment, problem, data) == []) == expected_valid
