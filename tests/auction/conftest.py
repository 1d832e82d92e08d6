from __future__ import annotations

import pytest

from auctool.auction.checks import CheckingAsker
from auctool.auction.engine import ClockAuction
from auctool.auction.market import build_market
from auctool.check import CheckerConfig, make_checker
from tests.auction.worlds import small_synth_world


@pytest.fixture(scope="session")
def small_run():
    """(world, outcome, check log) of one auction on the small synthetic world, seed 1."""
    world = small_synth_world()
    market = build_market(world, 84, seed=1)
    asker = CheckingAsker(make_checker(world.data, CheckerConfig()), 5.0, seed=1)
    return world, ClockAuction(market, asker, seed=1, cutoff=5.0).run(), asker.log
