"""Many auctions: seed lists, paired runs, resume, failures that stay local, dask."""

import importlib
import json

import pytest

from auctool.auction.seedlist import parse_seeds
from auctool.auction.seeds import SeedJob, run_seeds
from auctool.auction.simulate import SimulationOptions, simulate
from auctool.check import CheckerConfig
from auctool.errors import InputError, RunError
from auctool.worlds.world import load_world
from tests.auction.worlds import small_synth_world, write_world

BASE = CheckerConfig(solver="glucose3", incremental=False)  # the earlier default


@pytest.fixture(scope="module")
def world_dir(tmp_path_factory):
    return write_world(small_synth_world(), tmp_path_factory.mktemp("w") / "small")


@pytest.mark.parametrize(
    "text, seeds",
    [("1-3", (1, 2, 3)), ("1,3,5-7", (1, 3, 5, 6, 7)), (" 4 ", (4,)), ("0-0", (0,))],
)
def test_seed_lists_and_ranges(text, seeds):
    assert parse_seeds(text) == seeds


@pytest.mark.parametrize(
    "text, message",
    [("5-1", "runs downwards"), ("x", "not a seed"), ("", "give numbers"), ("1,,2", "give")],
)
def test_bad_seed_lists(text, message):
    with pytest.raises(InputError, match=message):
        parse_seeds(text)
    with pytest.raises(InputError, match="more than once"):
        parse_seeds("1-3,2")


def test_each_seed_is_the_single_auction_and_the_pairs_are_compared(world_dir, tmp_path):
    options = SimulationOptions(cutoff=5)
    job = SeedJob(world_dir, options, CheckerConfig(), BASE, tmp_path / "many")
    result = run_seeds(job, (1, 2), workers=2)
    world = load_world(world_dir)
    for o in result.outcomes:  # the same auction as simulate --seed N (no TIMEOUT here)
        main, other = simulate(world, SimulationOptions(cutoff=5, seed=o.seed), None, BASE)
        assert (o.run.cost, o.baseline.cost) == (main.outcome.cost, other.outcome.cost)
        assert o.run.timeouts == o.baseline.timeouts == 0 and len(o.run.seconds) == o.run.checks
        assert o.difference == main.outcome.cost - other.outcome.cost
    paired = result.paired
    assert paired.n == 2 and paired.mean == sum(o.difference for o in result.outcomes) / 2
    assert all(o.run.wall_seconds > 0 and o.baseline.wall_seconds > 0 for o in result.outcomes)
    body = json.loads((tmp_path / "many" / "summary.json").read_text())
    assert body["paired_figures"]["cost"] == {
        **body["paired"], **body["paired_figures"]["cost"]
    }  # fmt: skip
    assert body["paired_figures"]["wall_seconds"]["n"] == 2
    assert body["kind"] == "seeds" and [s["seed"] for s in body["seeds"]] == [1, 2]
    assert body["overall"]["run"]["checks"] == sum(o.run.checks for o in result.outcomes)
    assert (tmp_path / "many" / "seed-2" / "baseline" / "rounds.csv").is_file()
    assert (tmp_path / "many" / "seeds.csv").read_text().startswith("seed,status,")


def test_finished_seeds_are_kept_and_other_settings_refused(world_dir, tmp_path):
    job = SeedJob(world_dir, SimulationOptions(cutoff=5), BASE, None, tmp_path / "many")
    first = run_seeds(job, (3,), workers=1)
    (tmp_path / "many" / "seed-3" / "rounds.csv").unlink()  # not re-read: the summary stands
    again = run_seeds(job, (3, 4), workers=1)
    assert [o.resumed for o in again.outcomes] == [True, False]
    assert again.outcomes[0].run == first.outcomes[0].run
    assert again.paired is None  # no baseline, nothing paired
    other = SeedJob(world_dir, SimulationOptions(cutoff=2), BASE, None, tmp_path / "many")
    with pytest.raises(InputError, match=r"other settings \(options\.cutoff: 5 -> 2;"):
        run_seeds(other, (3,), workers=1)


def test_a_folder_whose_seeds_predate_wall_time_resumes_and_says_what_it_covers(
    world_dir, tmp_path
):
    job = SeedJob(world_dir, SimulationOptions(cutoff=5), CheckerConfig(), BASE, tmp_path / "o")
    run_seeds(job, (1,), workers=1)
    summary = tmp_path / "o" / "seed-1" / "summary.json"
    old = json.loads(summary.read_text())
    for body in (old, old["baseline"]):  # as an older auctool wrote it
        del body["timing"], body["check_seconds"]["total"]
    summary.write_text(json.dumps(old))
    result = run_seeds(job, (1, 2), workers=1)
    resumed, ran = result.outcomes
    assert resumed.resumed and resumed.run.wall_seconds is None and ran.run.wall_seconds > 0
    figures = json.loads((tmp_path / "o" / "summary.json").read_text())["paired_figures"]
    assert figures["cost"]["n"] == figures["frozen_by_timeout"]["n"] == 2
    wall = figures["wall_seconds"]
    assert (wall["n"], wall["seeds_left_out"], wall["t_interval"]) == (1, 1, None)


def test_a_failing_seed_is_reported_and_the_others_land(world_dir, tmp_path, monkeypatch):
    module = importlib.import_module("auctool.auction.simulate")

    real = module.simulate

    def fails_for_seed_2(world, options, *args, **kwargs):  # the real auction otherwise
        if options.seed == 2:
            raise RunError("the start could not be packed")
        return real(world, options, *args, **kwargs)

    monkeypatch.setattr(module, "simulate", fails_for_seed_2)
    job = SeedJob(world_dir, SimulationOptions(cutoff=5), BASE, BASE, tmp_path / "f")
    result = run_seeds(job, (1, 2, 3), workers=1)
    assert result.failed == (2,) and "could not be packed" in result.outcomes[1].error
    assert result.paired.n == 2  # the seeds that landed
    assert not (tmp_path / "f" / "seed-2").exists() and (tmp_path / "f" / "seed-3").is_dir()
    monkeypatch.setattr(module, "simulate", real)
    again = run_seeds(job, (1, 2, 3), workers=1)  # a resumed run retries the failed seed
    assert again.failed == () and [o.resumed for o in again.outcomes] == [True, False, True]


def test_seeds_on_a_dask_cluster(world_dir, tmp_path):
    import dask
    from distributed import LocalCluster

    dask.config.set({"distributed.worker.daemon": False})
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, host="127.0.0.1"
    ) as cluster:
        job = SeedJob(world_dir, SimulationOptions(cutoff=5), BASE, None, tmp_path / "d")
        result = run_seeds(job, (1, 2), scheduler=cluster.scheduler_address)
    local = run_seeds(SeedJob(world_dir, SimulationOptions(cutoff=5), BASE), (1, 2), workers=1)
    assert [o.run.cost for o in result.outcomes] == [o.run.cost for o in local.outcomes]
