import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from auctool.model.interference import Interference

node = st.tuples(st.integers(0, 30), st.integers(1, 60))
pairs = st.lists(st.tuples(node, node).filter(lambda p: p[0][0] != p[1][0]), max_size=60)


def _flat(ps):
    return [(a, ca, b, cb) for (a, ca), (b, cb) in ps]


@given(pairs)
def test_orientation_and_duplicates_do_not_matter(ps):
    flat = _flat(ps)
    flipped = [(b, cb, a, ca) for a, ca, b, cb in flat]
    one = Interference.from_pairs(flat)
    two = Interference.from_pairs(flipped + flat)
    assert one == two
    assert one.as_set() == {min((a, ca), (b, cb)) + max((a, ca), (b, cb)) for a, ca, b, cb in flat}


@given(pairs)
def test_lookups_agree_with_the_pair_set(ps):
    it = Interference.from_pairs(_flat(ps))
    pairset = it.as_set()
    for a, ca, b, cb in list(pairset)[:10]:
        assert it.contains(a, ca, b, cb) and it.contains(b, cb, a, ca)
        assert b in it.neighbours(a).tolist() and a in it.neighbours(b).tolist()
        assert (ca, cb) in it.forbidden(a, b)
        assert (cb, ca) in it.forbidden(b, a)
    for s in it.stations.tolist()[:5]:
        expected = {b for a, _, b, _ in pairset if a == s} | {a for a, _, b, _ in pairset if b == s}
        assert set(it.neighbours(s).tolist()) == expected
        assert it.degree.get(s, 0) == len(expected)


def test_forbidden_lists_channel_pairs_both_ways():
    it = Interference.from_pairs([(1, 14, 2, 14), (2, 16, 1, 15), (1, 20, 3, 20)])
    assert sorted(it.forbidden(1, 2)) == [(14, 14), (15, 16)]
    assert sorted(it.forbidden(2, 1)) == [(14, 14), (16, 15)]
    assert it.forbidden(2, 3) == []
    assert it.neighbours(9).size == 0
    assert not it.contains(1, 14, 2, 15)


def test_restrict_keeps_only_pairs_inside():
    it = Interference.from_pairs([(1, 14, 2, 14), (2, 14, 3, 14), (1, 15, 3, 15)])
    assert it.restrict([1, 2]).as_set() == {(1, 14, 2, 14)}
    assert len(it.restrict([])) == 0


def test_fingerprint_depends_on_content_only():
    a = Interference.from_pairs([(1, 14, 2, 14), (2, 15, 1, 14)])
    b = Interference.from_pairs([(1, 14, 2, 15), (2, 14, 1, 14)])
    assert a.fingerprint == b.fingerprint
    assert a.fingerprint != Interference.from_pairs([(1, 14, 2, 14)]).fingerprint
    assert np.all(np.diff(a.keys.astype(np.float64)) > 0)
