"""Completing a known packing: the stations it leaves out are placed, contradictions reported."""

from __future__ import annotations

from auctool.model import Problem, violations
from auctool.worlds.packing import complete_packing
from tests.helpers import co_everywhere, data_from

CH = (14, 15, 16)


def test_missing_stations_are_placed_around_the_known_ones():
    # 1 and 2 known on 14 and 15; 3 interferes with both everywhere: it must take 16
    data = data_from({1: CH, 2: CH, 3: CH}, co_everywhere((1, 2, 3), CH))
    packing, report = complete_packing(data, {1: 14, 2: 15}, {3: CH})
    assert packing == {1: 14, 2: 15, 3: 16}
    assert report.placed == 1 and report.contradicting == () and report.broken_pairs == 0
    assert not violations(packing, Problem(dict.fromkeys(packing, CH)), data)


def test_a_station_every_channel_contradicts_is_reported_not_hidden():
    # 1, 2, 3 known on all three channels; 4 interferes with all of them everywhere
    data = data_from({s: CH for s in (1, 2, 3, 4)}, co_everywhere((1, 2, 3, 4), CH))
    packing, report = complete_packing(data, {1: 14, 2: 15, 3: 16}, {4: CH})
    assert report.contradicting == (4,)
    assert report.broken_pairs == 1  # the best channel breaks one pair
    assert packing[4] in CH and set(packing) == {1, 2, 3, 4}


def test_missing_stations_that_clash_among_themselves():
    # 1 known on 14; 2, 3, 4 missing, mutually co-channel with each other and with 1:
    # only 15 and 16 are left for three stations: one of them contradicts
    data = data_from({s: CH for s in (1, 2, 3, 4)}, co_everywhere((1, 2, 3, 4), CH))
    packing, report = complete_packing(data, {1: 14}, {2: CH, 3: CH, 4: CH}, cutoff=5)
    assert len(report.contradicting) == 1
    assert report.answer == "UNSAT"
    assert report.broken_pairs == 1
    assert set(packing) == {1, 2, 3, 4}
