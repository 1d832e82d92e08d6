"""Stages and clearing targets (Auction 1001's 126, 114, 108, 84 MHz) on small worlds
whose outcomes can be worked out by hand (see ``tests/auction/worlds.py``)."""

import pytest

from auctool.auction.engine import Status
from auctool.auction.report import rounds_table, summary
from auctool.auction.simulate import SimulationOptions, simulate
from auctool.auction.stages import parse_clearing_targets, parse_dollars
from auctool.errors import InputError
from tests.auction.worlds import THREE_STATION_VALUES, staged_world, target_world


@pytest.fixture
def values(tmp_path):
    path = tmp_path / "values.csv"
    path.write_text(THREE_STATION_VALUES)
    return path


def _staged(values, rule=None):
    options = SimulationOptions(
        114, cutoff=5, values_file=values, later_targets=(84,), stop_below_cost=rule
    )
    sim, _ = simulate(staged_world(), options)
    return sim


def test_a_stage_that_clears_ends_the_auction(values):
    sim = _staged(values, rule=1e6)
    (stage,) = sim.stage_runs
    # at 114 MHz 2 and 3 share channel 15: 2 exits first (value 600,000), 3 wins
    assert stage.clearing_target == 114
    assert sim.outcome.status.tolist() == [Status.NON_PARTICIPANT, Status.EXITED, Status.FROZEN]
    assert 0 < sim.outcome.cost < 1e6
    assert sim.ended.startswith("closed after stage 1") and "later stages not run" in sim.ended


def test_a_stage_that_does_not_clear_runs_the_next_from_its_end(values):
    first = _staged(values, rule=1e6).outcome
    sim = _staged(values, rule=1e5)  # stage 1 costs ~300,000: not below, stage 2 runs
    one, two = sim.stage_runs
    assert one.outcome.cost == first.cost and one.outcome.cost >= 1e5
    assert two.clearing_target == 84 and two.number == 2
    # stage 2: channel 32 opens, station 3 bids again from its stage-1 price and exits
    assert two.outcome.cost == 0 and sim.outcome is two.outcome
    assert sim.outcome.status.tolist() == [Status.NON_PARTICIPANT, Status.EXITED, Status.EXITED]
    assert sim.outcome.decided_stage.tolist() == [-1, 1, 2]
    # its price never rose: pending catch-up until the clock came down to it
    rounds = rounds_table(sim)
    later = rounds[rounds["stage"] == 2]
    assert later["pending"].iloc[0] == 1 and later["base_clock"].iloc[0] == 900
    assert later["active_cost"].iloc[0] == one.outcome.cost  # its carried price
    assert (later["active_cost"].diff().dropna() <= 0).all()
    assert sim.ended == "closed after stage 2: cost $0 is below $100,000"
    assert all(c.stage == 2 for c in two.checks) and two.checks[0].seq == len(one.checks)
    body = summary(sim)
    assert [s["clearing_target"] for s in body["stages"]] == [114, 84]
    assert body["stages"][0]["winners"] == 1 and body["stages"][1]["winners"] == 0
    assert body["rounds"] == sum(s["rounds"] for s in body["stages"])
    assert body["cost"] == 0 and body["clearing_targets"] == [114, 84]


def test_without_a_rule_every_stage_runs(values):
    sim = _staged(values)
    assert [s.clearing_target for s in sim.stage_runs] == [114, 84]
    assert sim.ended.startswith("every stage ran")


def test_a_single_stage_is_the_auction_as_before(values):
    sim, _ = simulate(staged_world(), SimulationOptions(114, cutoff=5, values_file=values))
    body = summary(sim)
    assert len(body["stages"]) == 1 and body["stages"][0]["cost"] == body["cost"]
    assert body["ended"].startswith("every stage ran (1;")


def test_auto_target_is_the_highest_that_packs_with_the_proof_above(tmp_path):
    only_3 = tmp_path / "v.csv"
    only_3.write_text("station,value\n3,100000\n")  # 1 and 2 do not bid
    options = SimulationOptions(cutoff=5, auto_target=True, values_file=only_3)
    sim, _ = simulate(target_world(), options)
    search = sim.target_search
    assert search.clearing_target == 114 == sim.outcome.market.plan.clearing_target_mhz
    assert [t for t, _, _ in search.tried] == [126, 114]
    assert search.next_up == (126, "UNSAT")
    assert "2 stations need distinct channels, only 1 available" in search.proof
    assert "114 MHz; 126 MHz is UNSAT" in search.sentence()
    assert summary(sim)["target_search"]["next_target_up_answer"] == "UNSAT"


@pytest.mark.parametrize(
    ("text", "targets"),
    [
        ("84", (84,)),
        ("126,114,108,84", (126, 114, 108, 84)),
        (" 114 , 84", (114, 84)),
        ("auto", None),
    ],
)
def test_clearing_targets_parse(text, targets):
    assert parse_clearing_targets(text) == targets


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("127", "unknown clearing target 127"),
        ("84,114", "must decrease from stage to stage"),
        ("114,114", "must decrease"),
        ("", "give MHz"),
        ("126,,84", "give MHz"),
        ("x", "'x' is not a number"),
    ],
)
def test_bad_clearing_targets(text, message):
    with pytest.raises(InputError, match=message):
        parse_clearing_targets(text)


def test_dollars_parse():
    assert parse_dollars("20e9") == parse_dollars("$20B") == parse_dollars("20,000M") == 20e9
    for bad in ("twenty", "-5", "0", "5x"):
        with pytest.raises(InputError):
            parse_dollars(bad)


def test_a_rule_without_stages_is_refused():
    with pytest.raises(InputError, match="give a sequence of clearing targets"):
        SimulationOptions(84, stop_below_cost=1e9)
