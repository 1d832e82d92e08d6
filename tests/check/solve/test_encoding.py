"""Every encoding agrees with brute force on small random problems; decoding is verified."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from auctool.check.solve.encoding import EncodingKind, encode
from auctool.check.solve.solvers import solve_once
from auctool.model import Problem, violations
from tests.helpers import brute_force, data_from, triangle
from tests.strategies import random_data

KINDS = list(EncodingKind)


@st.composite
def small_problems(draw):
    n = draw(st.integers(1, 5))
    stations = list(range(1, n + 1))
    domains = {
        s: tuple(sorted(draw(st.sets(st.integers(14, 19), min_size=0, max_size=5))))
        for s in stations
    }
    data = draw(random_data(stations, range(14, 20)))
    return data, Problem(domains)


@pytest.mark.parametrize("kind", KINDS)
@settings(max_examples=40, deadline=None)
@given(case=small_problems())
def test_encodings_agree_with_brute_force(kind, case):
    data, problem = case
    enc = encode(problem.domains, data, kind)
    outcome = solve_once("minisat22", enc.clauses(), math.inf)
    expected = brute_force(problem, data)
    assert outcome.status == (expected is not None)
    if outcome.status:
        assignment = enc.decode(outcome.model)
        assert violations(assignment, problem, data) == []


def test_direct_encoding_counts():
    data, problem = triangle(3)
    enc = encode(problem.domains, data, "direct")
    assert enc.nvars == 9
    assert len(enc.alo) == 3
    # 3 stations x 3 pairwise at-most-one + 3 channels x 3 station pairs
    assert enc.binary.shape == (18, 2)
    multi = encode(problem.domains, data, "multivalued")
    assert multi.binary.shape == (9, 2)
    assert enc.var(2, 15) == 5


def test_cardinality_encodings_add_auxiliary_variables():
    chans = tuple(range(14, 30))
    data = data_from({1: chans, 2: chans}, [(1, c, 2, c) for c in chans])
    for kind in ("ladder", "seqcounter", "bitwise"):
        enc = encode(data.domains, data, kind)
        assert enc.nvars > 32
        assert enc.n_channel_vars == 32


def test_phases_follow_the_previous_assignment():
    data, problem = triangle(3)
    enc = encode(problem.domains, data, "direct")
    assert enc.phases({1: 15}) == [-1, 2, -3]


def test_encoding_national_scale_is_vectorised():
    """A 2,000-station, 38-channel problem with ~1M pairs (timed in bench/, not here)."""
    import numpy as np

    from auctool.model import ConstraintData, Interference

    rng = np.random.default_rng(0)
    n, chans = 2000, np.arange(14, 52)
    a = rng.integers(0, n, 25_000)
    b = rng.integers(0, n, 25_000)
    keep = a != b
    a, b = a[keep], b[keep]
    c = np.repeat(chans[None, :], a.size, 0).ravel()
    it = Interference.from_arrays(np.repeat(a, chans.size), c, np.repeat(b, chans.size), c)
    data = ConstraintData({s: tuple(chans.tolist()) for s in range(n)}, it)
    enc = encode(data.domains, data, "direct")
    # every pair inside the problem, plus the at-most-one clauses
    assert enc.binary.shape[0] == len(it) + n * (chans.size * (chans.size - 1) // 2)
