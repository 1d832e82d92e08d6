"""Home channels: a verified interference-free pre-auction assignment, or a clear failure."""

from __future__ import annotations

import numpy as np
import pytest

from auctool.errors import RunError
from auctool.model import Problem, violations
from auctool.worlds.homes import greedy_channels, home_channels
from tests.helpers import co_everywhere, data_from


def test_greedy_colours_a_clique_with_enough_channels():
    chans = (14, 15, 16, 17)
    data = data_from({s: chans for s in range(1, 5)}, co_everywhere(range(1, 5), chans))
    placed = greedy_channels(data, dict(data.domains), np.random.default_rng(0))
    assert sorted(placed.values()) == [14, 15, 16, 17]


def test_home_channels_verify_and_stay_in_the_home_band():
    chans = (14, 15, 16)
    data = data_from({1: chans, 2: chans, 3: chans, 4: chans}, co_everywhere((1, 2, 3), chans))
    bands = {1: (14, 15, 16), 2: (14, 15, 16), 3: (15, 16), 4: (16,)}
    homes, stats = home_channels(data, bands, np.random.default_rng(1))
    assert not violations(homes, Problem(bands), data)
    assert all(homes[s] in bands[s] for s in bands) and stats["greedy"] + stats["checker"] >= 4


def test_an_impossible_world_is_a_run_error_not_a_wrong_answer():
    chans = (14, 15)
    data = data_from({1: chans, 2: chans, 3: chans}, co_everywhere((1, 2, 3), chans))
    with pytest.raises(RunError, match="no interference-free home channels"):
        home_channels(data, dict(data.domains), np.random.default_rng(0), cutoff=5)


def test_same_seed_same_channels():
    chans = tuple(range(14, 24))
    data = data_from({s: chans for s in range(1, 8)}, co_everywhere(range(1, 6), chans))
    a = greedy_channels(data, dict(data.domains), np.random.default_rng(5))
    b = greedy_channels(data, dict(data.domains), np.random.default_rng(5))
    assert a == b


def test_a_station_that_fits_nowhere_may_be_left_out():
    chans = (14, 15)
    data = data_from({1: chans, 2: chans, 3: chans}, co_everywhere((1, 2, 3), chans))
    homes, stats = home_channels(
        data, dict(data.domains), np.random.default_rng(0), cutoff=5, max_dropped=0.5
    )
    assert len(homes) == 2 and stats["dropped"] == 1
    assert not violations(homes, Problem({s: chans for s in homes}), data)


def test_stations_the_greedy_pass_leaves_out_are_placed_one_at_a_time():
    """300 synthetic stations, seed 1: the greedy colouring leaves more out than one whole
    check is asked to place; the checker places each against the others (none dropped)."""
    from auctool.worlds.homes import CHECKER_MAX_MISSING
    from auctool.worlds.spec import SynthSpec
    from auctool.worlds.synth import synth_world

    _, report = synth_world(SynthSpec(stations=300, seed=1))
    stats = report["home_channels"]
    assert stats["greedy"] < 300 - CHECKER_MAX_MISSING
    assert stats["checker"] == 300 - stats["greedy"] and stats["dropped"] == 0
