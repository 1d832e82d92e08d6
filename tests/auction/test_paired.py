"""Paired differences: the mean, a t interval matching the textbook, the bootstrap beside it."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from auctool.auction.paired import PairedDifference, paired_difference


def test_t_interval_by_hand():
    d = [-3.0, -1.0, -2.0, -4.0]  # mean -2.5, sd 1.2910, t(0.975, 3) = 3.1824
    p = paired_difference(d)
    half = 3.182446305284263 * np.std(d, ddof=1) / math.sqrt(4)
    assert p.mean == -2.5 and p.t_interval == pytest.approx((-2.5 - half, -2.5 + half))
    assert p.significant and p.run_cheaper == 4 and p.baseline_cheaper == 0
    assert "run is cheaper" in p.verdict()


def test_a_difference_that_straddles_zero_is_not_significant():
    p = paired_difference([-5.0, 4.0, -1.0, 2.0, 0.0])
    assert not p.significant and p.ties == 1 and "contains 0" in p.verdict()
    assert p.to_json()["significant"] is False


def test_one_seed_has_no_interval_and_none_is_an_error():
    p = paired_difference([7.0])
    assert p.t_interval is None and p.bootstrap_interval is None and not p.significant
    with pytest.raises(ValueError):
        paired_difference([])


@given(st.lists(st.integers(-(10**9), 10**9), min_size=2, max_size=30))
def test_both_intervals_hold_the_mean(diffs):
    p = paired_difference([float(d) for d in diffs])
    low, high = p.t_interval
    blow, bhigh = p.bootstrap_interval
    slack = 1e-6 * (1 + abs(p.mean))
    assert low - slack <= p.mean <= high + slack
    assert blow - slack <= p.mean <= bhigh + slack
    assert p.run_cheaper + p.baseline_cheaper + p.ties == len(diffs)


def test_read_back_from_json_it_says_the_same_and_in_millions_once():
    p = paired_difference([-10e6, -20e6, -300e6])  # one sign, but three seeds: not significant
    back = PairedDifference.from_json(p.to_json())
    assert back.verdict() == p.verdict() and back.headline == "not significant"
    low, high = p.t_interval
    assert back.verdict(millions=True) == (
        f"not significant: the 95% t interval [{low / 1e6:+,.1f}, {high / 1e6:+,.1f}] $ M "
        "contains 0"
    )
