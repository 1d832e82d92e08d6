"""Checks on a dask cluster on loopback (two worker processes), and in-process."""

import os

import pytest

from auctool.check.config.configs import CheckerConfig
from auctool.errors import InputError, RunError
from auctool.tune.parallel import Pool, check_parallel, dask_pool
from auctool.tune.target import CheckTask
from tests.tune.test_smac_driver import spec_for


@pytest.fixture(scope="module")
def scheduler():
    import dask
    from distributed import LocalCluster

    dask.config.set({"distributed.worker.daemon": False})
    cluster = LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, host="127.0.0.1"
    )
    yield cluster.scheduler_address
    cluster.close()


def _tasks(php_sets):
    root = php_sets["train"]
    names = ["k03.srpk", "k11.srpk", "k06.srpk", "k09.srpk"]
    return [
        (n, CheckTask(str(root / n), str(root.parent / "php"), CheckerConfig(), 0.2, instance=n))
        for n in names
    ]


def test_the_same_answers_in_process_and_on_workers(php_sets, scheduler):
    serial = dict(Pool().map(_tasks(php_sets)))
    with dask_pool(scheduler=scheduler) as pool:
        assert pool.capacity == 2
        remote = dict(pool.map(_tasks(php_sets)))
        pids = set(pool.client.run(os.getpid).values())
    assert {k: m.answer for k, m in remote.items()} == {k: m.answer for k, m in serial.items()}
    assert remote["k11.srpk"].answer == "TIMEOUT" and os.getpid() not in pids


def test_a_round_keeps_both_workers_busy(php_sets, scheduler, tmp_path):
    from distributed import get_task_stream

    from auctool.tune.smac_driver import run_round

    seen = []
    with dask_pool(scheduler=scheduler) as pool, get_task_stream(pool.client) as stream:
        out = run_round(
            spec_for(php_sets["train"], trials=12),
            tmp_path / "j.jsonl",
            tmp_path / "smac",
            pool,
            on_progress=seen.append,
        )
    assert len(out.records) == 12 and out.stopped == "trials"
    assert len({task["worker"] for task in stream.data}) == 2
    assert max(p.running for p in seen) >= 2 and seen[-1].trials == 12


def test_bad_parallel_options():
    with pytest.raises(InputError, match="^workers must be at least 1") as err:
        check_parallel(0, None)
    assert err.value.setting == "workers"  # the CLI names its flag: --workers must be ...
    assert err.value.naming("--workers") == "--workers must be at least 1, got 0"
    with pytest.raises(InputError, match="one or the other"):
        check_parallel(2, "tcp://127.0.0.1:8786")
    with (
        pytest.raises(RunError, match="cannot reach the dask scheduler"),
        dask_pool(scheduler="tcp://127.0.0.1:9", connect_timeout=1),
    ):
        pass
