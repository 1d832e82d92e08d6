"""Running checks in parallel: in-process, a dask LocalCluster, or an existing dask cluster.

We submit to the dask client ourselves rather than through SMAC's DaskParallelRunner:
SMAC's runner cannot report TIMEOUT (we drive SMAC by ask/tell), and when a worker dies
its ``iter_results`` raises without saying which trial was lost. Here every future keeps
its task, so a lost worker is one CRASHED trial, and the run goes on.

dask is imported only when parallelism is asked for (it is slow to import).
"""

from __future__ import annotations

import contextlib
from collections.abc import Hashable, Iterable, Iterator
from typing import Any

from auctool._cluster import dask_client
from auctool.errors import InputError
from auctool.tune.scoring import CRASHED, Measurement
from auctool.tune.target import CheckTask, run_task


class Pool:
    """Checks run one at a time here, or ``capacity`` at a time on a dask client.

    On a client, ``queued`` more checks per worker wait at the scheduler, so a worker that
    finishes starts the next check at once instead of idling while SMAC picks one.
    """

    def __init__(self, client: Any | None = None, queued: int = 1):
        self.client = client
        self.queued = queued
        self._pending: dict[Any, tuple[Hashable, CheckTask]] = {}
        self._done: list[tuple[Hashable, Measurement]] = []

    @property
    def capacity(self) -> int:
        if self.client is None:
            return 1
        return max(1, sum(self.client.nthreads().values()))

    @property
    def running(self) -> int:
        return len(self._pending)

    @property
    def free(self) -> int:
        """How many more checks to submit now."""
        if self.client is None:
            return 0 if self._done else 1
        return self.capacity * (1 + self.queued) - self.running

    def submit(self, key: Hashable, task: CheckTask) -> None:
        """Start a check (in-process: run it now; the result waits for :meth:`wait`)."""
        if self.client is None:
            self._done.append((key, run_task(task)))
            return
        future = self.client.submit(run_task, task, pure=False)
        self._pending[future] = (key, task)

    def wait(self, timeout: float | None = None) -> list[tuple[Hashable, Measurement]]:
        """Finished checks (at least one unless ``timeout`` runs out first)."""
        done, self._done = self._done, []
        if self.client is None or not self._pending or done:
            return done + self._collect()
        from distributed import wait

        with contextlib.suppress(TimeoutError):
            wait(list(self._pending), timeout=timeout, return_when="FIRST_COMPLETED")
        return self._collect()

    def _collect(self) -> list[tuple[Hashable, Measurement]]:
        out = []
        for future in [f for f in self._pending if f.done()]:
            key, task = self._pending.pop(future)
            try:
                out.append((key, future.result()))
            except Exception as exc:  # the worker died or the task could not run there
                name = task.instance or task.problem
                error = f"worker failed: {type(exc).__name__}: {exc}"
                crash = Measurement(name, CRASHED, 0.0, task.cutoff, error, task.budget_mode)
                out.append((key, crash))
        return out

    def map(
        self, items: Iterable[tuple[Hashable, CheckTask]]
    ) -> Iterator[tuple[Hashable, Measurement]]:
        """Run many checks, at most ``capacity`` at a time; yields results as they finish."""
        queue = iter(items)
        exhausted = False
        while True:
            while not exhausted and self.free > 0:
                item = next(queue, None)
                if item is None:
                    exhausted = True
                    break
                self.submit(*item)
            if exhausted and not self.running and not self._done:
                return
            yield from self.wait()


def check_parallel(workers: int, scheduler: str | None) -> None:
    if workers < 1:
        raise InputError.of_setting("workers", f"must be at least 1, got {workers}")
    if scheduler is not None and workers > 1:
        raise InputError(
            "several workers start a local cluster, a scheduler names an existing one: "
            "give one or the other"
        )


@contextlib.contextmanager
def dask_pool(
    workers: int = 1, scheduler: str | None = None, connect_timeout: float = 10.0
) -> Iterator[Pool]:
    """A :class:`Pool`: in-process for one worker, else a LocalCluster we own, or ``scheduler``'s."""
    if scheduler is None and workers <= 1:
        yield Pool()
        return
    with dask_client(workers, scheduler, connect_timeout) as client:
        yield Pool(client)
