"""Where the seeds run: local worker processes, each pinned to its own share of the cores
(two auctions never fight over one core, and each checker sees the cores it really has),
or the workers of an existing dask cluster.

An interrupt stops the run at once (nothing new starts, the workers are killed); a worker
that dies fails its seed only. What runs is a task ``(job, seed) -> SeedOutcome``
(:func:`auctool.auction.seeds.run_seed`), passed in so this module knows no auction.
"""

from __future__ import annotations

import multiprocessing as mp
import os
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from typing import Any

from auctool._orphans import die_with_parent, release_forkserver, worker_ignores_interrupts
from auctool.auction.seedresults import SeedOutcome

Task = Callable[[Any, int], SeedOutcome]
Finished = Callable[[SeedOutcome], None]


def _worker_start(slots: Any) -> None:
    """Worker initializer: die with the run, leave interrupts to it, keep to its cores."""
    release_forkserver()
    die_with_parent()
    worker_ignores_interrupts()
    _pin(slots)


def _pin(slots: Any) -> None:
    """Keep to this worker's share of the cores."""
    cores = slots.get()
    if cores and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, cores)


def _core_shares(workers: int) -> list[set[int]]:
    """The cores split evenly among ``workers`` (empty sets: no pinning possible)."""
    try:
        cores = sorted(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return [set() for _ in range(workers)]
    if workers > len(cores):
        return [set() for _ in range(workers)]
    return [set(cores[k::workers]) for k in range(workers)]


def on_processes(task: Task, job: Any, seeds: list[int], workers: int, finished: Finished) -> None:
    """``task(job, seed)`` for every seed, ``workers`` local processes at a time, each pinned
    to its share of the cores; ``finished`` hears of each outcome as it lands."""
    if workers == 1:  # in this process: the auction has every core
        for seed in seeds:
            finished(task(job, seed))
        return
    ctx = mp.get_context("forkserver")
    slots = ctx.Queue()
    for share in _core_shares(workers):
        slots.put(share)
    pool = ProcessPoolExecutor(
        workers, mp_context=ctx, initializer=_worker_start, initargs=(slots,)
    )
    pending: dict[Future, int] = {}
    try:
        pending = {pool.submit(task, job, seed): seed for seed in seeds}
        while pending:
            ready, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in ready:
                seed = pending.pop(future)
                finished(_result(future, seed))
    except BaseException:  # an interrupt (or a failure here): stop now, start nothing new
        _stop(pool)
        raise
    pool.shutdown(wait=True)


def _stop(pool: ProcessPoolExecutor) -> None:
    """Cancel what has not started and kill the workers (their seeds are lost, their
    folders unfinished: a rerun does them again)."""
    pool.shutdown(wait=False, cancel_futures=True)
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        process.kill()
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        process.join(5)


def on_dask(task: Task, job: Any, seeds: list[int], scheduler: str, finished: Finished) -> None:
    """``task(job, seed)`` for every seed on the dask cluster at ``scheduler``."""
    from distributed import as_completed

    from auctool._cluster import dask_client

    with dask_client(scheduler=scheduler) as client:
        futures = {client.submit(task, job, s, pure=False): s for s in seeds}
        try:
            for future in as_completed(futures):
                finished(_result(future, futures[future]))
        except BaseException:  # the cluster outlives us: take our seeds off it
            client.cancel(list(futures), force=True)
            raise


def _result(future: Any, seed: int) -> SeedOutcome:
    """A worker's outcome, or the seed marked failed when its worker died."""
    try:
        return future.result()
    except Exception as exc:  # a lost worker fails its seed only
        return SeedOutcome(seed, error=f"worker failed: {type(exc).__name__}: {exc}")
