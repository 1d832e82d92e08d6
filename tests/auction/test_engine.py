"""The clock auction round by round, on worlds whose outcome is known by hand."""

import math

import numpy as np
import pandas as pd
import pytest

from auctool.auction.checks import CheckingAsker
from auctool.auction.engine import ClockAuction, Status
from auctool.auction.market import build_market
from auctool.auction.rules import clock_schedule
from auctool.check import CheckerConfig, make_checker
from auctool.errors import RunError
from auctool.model import Problem, is_valid
from auctool.worlds.world import World
from tests.auction.worlds import THREE_STATION_VALUES, three_station_world
from tests.helpers import co_everywhere, data_from


def _run(
    world: World,
    values_text: str,
    tmp_path,
    cutoff: float = 5.0,
    seed: int = 0,
    config: CheckerConfig | None = None,
):
    values = tmp_path / "values.csv"
    values.write_text(values_text)
    market = build_market(world, 84, seed, values)
    asker = CheckingAsker(make_checker(world.data, config or CheckerConfig()), cutoff, seed)
    outcome = ClockAuction(market, asker, seed=seed, cutoff=cutoff).run()
    return outcome, asker.log


def test_three_station_auction_by_hand(tmp_path):
    """A (no bid) takes a channel; B and C cannot both stay. B's value (600,000) is met
    while the clock is >= 600: B holds 628,503 after round 7 (clock 628.50...) and
    exits in round 8 (clock 597.08: offer 597,078). B exits before C is processed (its
    cut, 28.5 per unit of volume, is smaller than C's 31.4), so C (value 100,000) can
    no longer be packed: it is frozen at its round-7 price floor(500 * 628.50...) = 314,251."""
    outcome, log = _run(three_station_world(), THREE_STATION_VALUES, tmp_path)
    clock7 = clock_schedule()[6]
    assert [Status(s) for s in outcome.status] == [
        Status.NON_PARTICIPANT,
        Status.EXITED,
        Status.FROZEN,
    ]
    assert outcome.price[2] == math.floor(500 * clock7) == 314_251
    assert outcome.cost == 314_251 and outcome.winner_value == 100_000
    assert outcome.decided_round.tolist() == [-1, 8, 8]
    assert outcome.frozen_by == (None, None, "UNSAT")
    assert len(outcome.rounds) == 9 and outcome.rounds[-1].clock == clock_schedule()[7]
    assert sorted(outcome.assignment.items()) in ([(1, 14), (2, 15)], [(1, 15), (2, 14)])
    # initial packing, round-0 status of B and C, then B's and C's round-8 questions
    assert [(c.round, c.kind, c.station, c.answer) for c in log] == [
        (0, "initial", None, "SAT"),
        (0, "status", 2, "SAT"),
        (0, "status", 3, "SAT"),
        (8, "bid", 2, "SAT"),
        (8, "bid", 3, "UNSAT"),
    ]
    # in rounds 1-7 nothing changed in the band: both stations' SAT answers were reused
    assert all(r.checks == 0 and r.reused == 4 for r in outcome.rounds[1:8])


def test_bid_questions_carry_the_previous_packing(tmp_path):
    seen = []
    world = three_station_world()
    values = tmp_path / "v.csv"
    values.write_text(THREE_STATION_VALUES)
    checker = make_checker(world.data, CheckerConfig())

    def ask(question):
        seen.append(question)
        return checker.check(question.problem, 5)

    ClockAuction(build_market(world, 84, 0, values), ask, cutoff=5, initial_cutoff=30).run()
    initial, *rest = seen
    assert dict(initial.problem.previous) == {1: 14}  # home channels warm-start the packing
    assert initial.problem.cutoff == 30
    last = rest[-1].problem
    assert set(last.domains) == {1, 2, 3} and set(last.previous) == {1, 2}
    assert last.new_stations == (3,) and last.cutoff == 5


def test_a_bidder_with_a_higher_value_exits_first_and_the_other_wins(tmp_path):
    outcome, _ = _run(three_station_world(), "station,value\n2,100000\n3,400000\n", tmp_path)
    # C (value 400,000, volume 500) wants out once the clock is below 800: round 3
    assert [Status(s) for s in outcome.status][1:] == [Status.FROZEN, Status.EXITED]
    assert outcome.decided_round.tolist()[1:] == [3, 3]
    assert outcome.cost == math.floor(1000 * clock_schedule()[1])


def test_non_bidders_that_do_not_fit_stop_the_auction(tmp_path):
    world = three_station_world()
    with pytest.raises(RunError, match="3 stations that do not bid cannot be packed"):
        _run(world, "station,value\n1,1e12\n2,1e12\n3,1e12\n", tmp_path)


def test_a_bidder_without_a_channel_in_the_band_freezes_at_its_opening_price(tmp_path):
    world = three_station_world()
    data = data_from({1: (14, 15), 2: (14, 15), 3: (40, 41)}, co_everywhere((1, 2), (14, 15)), "x")
    outcome, _ = _run(World(data, world.stations), THREE_STATION_VALUES, tmp_path)
    assert Status(outcome.status[2]) is Status.FROZEN and outcome.decided_round[2] == 0
    assert outcome.price[2] == 450_000 and outcome.frozen_by[2] == "UNSAT"


def _php_world(holes: int) -> World:
    """holes non-bidders plus one bidder, all mutually co-channel on `holes` channels."""
    chans = tuple(range(14, 14 + holes))
    ids = tuple(range(1, holes + 2))
    data = data_from(dict.fromkeys(ids, chans), co_everywhere(ids, chans), "php")
    table = pd.DataFrame(
        {
            "station": ids,
            "population": [1000] * len(ids),
            "channel": [14] * len(ids),
            "volume": [1000] * len(ids),
        }
    )
    return World(data, table)


def test_a_timeout_freezes_the_station(tmp_path):
    """The bidder's question is a pigeonhole problem (UNSAT, hopeless for CDCL in 0.2 s;
    the clique presolver, which would see it at once, is off)."""
    outcome, log = _run(
        _php_world(11),
        "station,value\n12,5\n",
        tmp_path,
        cutoff=0.2,
        config=CheckerConfig(clique=False),
    )
    assert log[-1].answer == "TIMEOUT" and log[-1].station == 12
    assert outcome.frozen_by[-1] == "TIMEOUT"
    assert outcome.cost == 900_000 and len(outcome.rounds) == 1


def test_small_world_outcome_is_consistent(small_run):
    world, outcome, log = small_run
    m = outcome.market
    on_air = [int(s) for s, st in zip(m.ids, outcome.status, strict=True) if st in (0, 2)]
    assert sorted(outcome.assignment) == sorted(on_air)
    band = Problem({int(s): m.domains[i] for i, s in enumerate(m.ids) if int(s) in on_air})
    assert is_valid(outcome.assignment, band, world.data)
    winners = outcome.winners
    assert winners.any() and (outcome.status == Status.EXITED).any()
    assert outcome.cost == int(outcome.price[winners].sum())
    # a winner is never paid less than its value, nor more than its opening offer
    assert (outcome.price[winners] >= m.value[winners]).all()
    assert (outcome.price[winners] <= m.opening[winners]).all()
    # an exited station's value exceeded the price it turned down
    exited = outcome.status == Status.EXITED
    assert (m.value[exited] > 0).all()
    # the base clocks follow the FCC schedule; the active count only falls
    clocks = [r.clock for r in outcome.rounds[1:]]
    assert clocks == clock_schedule()[: len(clocks)]
    assert np.all(np.diff([r.active for r in outcome.rounds]) <= 0)
    assert sum(r.checks for r in outcome.rounds) == len(log)
