"""Paired differences: the mean, a t interval matching the textbook, the bootstrap beside it."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from auctool.auction.paired import PairedDifference, paired_difference, ratio_of_means


def test_t_interval_by_hand():
    d = [-3.0, -1.0, -2.0, -4.0]  # mean -2.5, sd 1.2910, t(0.975, 3) = 3.1824
    p = paired_difference(d)
    half = 3.182446305284263 * np.std(d, ddof=1) / math.sqrt(4)
    assert p.mean == -2.5 and p.t_interval == pytest.approx((-2.5 - half, -2.5 + half))
    assert p.significant and p.run_lower == 4 and p.baseline_lower == 0
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
    assert p.run_lower + p.baseline_lower + p.ties == len(diffs)


def test_read_back_from_json_it_says_the_same_and_in_millions_once():
    p = paired_difference([-10e6, -20e6, -300e6])  # one sign, but three seeds: not significant
    back = PairedDifference.from_json(p.to_json())
    assert back.verdict() == p.verdict() and back.headline == "not significant"
    low, high = p.t_interval
    assert back.verdict(millions=True) == (
        f"not significant: the 95% t interval [{low / 1e6:+,.1f}, {high / 1e6:+,.1f}] $ M "
        "contains 0"
    )


def test_a_figure_other_than_cost_is_worded_for_itself_and_reads_back():
    p = paired_difference([-1.5, -1.0, -1.25, -1.1])  # seconds: the run faster every time
    wall = p.figure_json("faster", 3)
    assert "run_cheaper" not in wall and (wall["run_lower"], wall["baseline_lower"]) == (4, 0)
    assert "the run is faster" in wall["verdict"] and "[-1.559, -0.866]" in wall["verdict"]
    back = PairedDifference.from_json(wall)
    assert back.significant and back.t_interval == pytest.approx(p.t_interval, abs=1e-6)
    cost = paired_difference([-30.0, 10.0]).figure_json()
    assert cost.items() >= paired_difference([-30.0, 10.0]).to_json().items()  # keys kept
    assert (cost["run_lower"], cost["run_cheaper"]) == (1, 1)


def test_a_wall_interval_of_milliseconds_reads_back_significant():
    p = paired_difference([-0.004, -0.005, -0.0045, -0.0042])
    assert PairedDifference.from_json(p.figure_json("faster", 3)).significant


def test_ratio_of_means_and_its_intervals():
    run = [1.0, 2.0, 3.0, 4.0]
    r = ratio_of_means([2 * x for x in run], run)  # baseline twice as slow on every seed
    assert r.ratio == 2.0 and r.bootstrap_interval == pytest.approx((2.0, 2.0))
    assert r.t_interval[0] > 1  # the difference's t interval excludes 0: the ratio's, 1
    base, runs = [2.0, 2.2, 1.9, 2.1], [2.1, 2.0, 2.0, 2.0]  # either side faster
    mixed = ratio_of_means(base, runs)
    low, high = mixed.t_interval
    assert low < 1 < high and mixed.ratio == pytest.approx(8.2 / 8.1)
    assert not paired_difference([r - b for r, b in zip(runs, base, strict=True)]).significant
    wide = ratio_of_means([1.0, 3.0], [3.0, 1.0])  # the run may take no time at all: no bound
    assert wide.ratio == 1.0 and wide.t_interval is None and wide.bootstrap_interval
    one = ratio_of_means([3.0], [1.5])
    assert one.ratio == 2.0 and one.t_interval is None and one.bootstrap_interval is None
    assert ratio_of_means([], []) is None and ratio_of_means([1.0], [0.0]) is None
    with pytest.raises(ValueError, match="unpaired"):
        ratio_of_means([1.0], [1.0, 2.0])
