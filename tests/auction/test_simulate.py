"""Whole simulations: determinism (outcome and recorded problems), the baseline replay."""

import numpy as np
import pytest

from auctool.auction.simulate import SimulationOptions, simulate
from auctool.check import CheckerConfig
from auctool.errors import InputError
from auctool.formats.instances import load_instance_set
from auctool.worlds.world import load_world
from tests.auction.worlds import small_synth_world, write_world


@pytest.fixture(scope="module")
def world_dir(tmp_path_factory):
    return write_world(small_synth_world(), tmp_path_factory.mktemp("w") / "small")


def _fingerprint(sim):
    out = sim.outcome
    checks = [(c.round, c.kind, c.station, c.stations, c.answer, c.instance) for c in sim.checks]
    return (
        out.status.tolist(),
        out.price.tolist(),
        out.decided_round.tolist(),
        out.frozen_by,
        sorted(out.assignment.items()),
        [r for r in out.rounds],
        checks,
    )


def test_same_seed_same_outcome_and_same_recorded_instances(world_dir, tmp_path):
    world = load_world(world_dir)
    options = SimulationOptions(cutoff=5, seed=1)
    a, _ = simulate(world, options, record_dir=tmp_path / "a", world_dir=world_dir)
    b, _ = simulate(world, options, record_dir=tmp_path / "b", world_dir=world_dir)
    assert not any(c.answer == "TIMEOUT" for c in a.checks)
    assert _fingerprint(a) == _fingerprint(b)
    set_a, set_b = load_instance_set(tmp_path / "a"), load_instance_set(tmp_path / "b")
    assert [e.file for e in set_a.entries] == [e.file for e in set_b.entries]
    assert len(set_a) == len(a.checks)
    for pa, pb in zip(set_a.paths(), set_b.paths(), strict=True):
        assert pa.read_bytes() == pb.read_bytes()
    c, _ = simulate(world, SimulationOptions(cutoff=5, seed=2))
    assert not np.array_equal(c.outcome.market.value, a.outcome.market.value)


def test_baseline_replays_the_same_market(world_dir):
    world = load_world(world_dir)
    run, base = simulate(
        world,
        SimulationOptions(cutoff=5, seed=1),
        CheckerConfig(),
        baseline=CheckerConfig(solver="minisat22", encoding="multivalued"),
    )
    assert base is not None and base.config.solver == "minisat22"
    assert np.array_equal(run.outcome.market.value, base.outcome.market.value)
    # both answer every question conclusively here, so the auctions agree on who wins
    assert run.outcome.status.tolist() == base.outcome.status.tolist()
    assert run.outcome.cost == base.outcome.cost


def test_recording_needs_the_world_folder(world_dir, tmp_path):
    with pytest.raises(InputError, match="world's folder"):
        simulate(load_world(world_dir), SimulationOptions(cutoff=5), record_dir=tmp_path / "r")


def test_cutoff_must_be_positive():
    with pytest.raises(InputError, match="positive"):
        SimulationOptions(cutoff=0)


def test_a_work_budget_replays_an_auction_with_timeouts_exactly(world_dir):
    world = load_world(world_dir)
    options = SimulationOptions(cutoff=0.0001, seed=1, budget_mode="work")  # 2 conflicts
    plain = CheckerConfig.off_the_shelf("minisat22")
    a, _ = simulate(world, options, plain)
    b, _ = simulate(world, options, plain)
    assert any(c.answer == "TIMEOUT" for c in a.checks)  # the budget decides some answers
    assert _fingerprint(a) == _fingerprint(b)


def test_an_unknown_budget_mode_is_an_input_error():
    with pytest.raises(InputError, match="budget mode must be one of time, work"):
        SimulationOptions(budget_mode="cpu")
