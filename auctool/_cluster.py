"""A dask client: a LocalCluster we own, or an existing cluster's scheduler.

Shared by the tuner (checks) and multi-seed simulation (whole auctions). dask is
imported only here, only when a cluster is asked for (it is slow to import).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from typing import Any

from auctool.errors import InputError, RunError


@contextlib.contextmanager
def dask_client(
    workers: int = 1, scheduler: str | None = None, connect_timeout: float = 10.0
) -> Iterator[Any]:
    """A connected ``distributed.Client`` with at least one worker (closed afterwards)."""
    import dask
    from distributed import Client, LocalCluster

    # the checker forks children for the solvers it cannot stop in-process; daemonic
    # dask workers may not have children
    dask.config.set({"distributed.worker.daemon": False})
    cluster = None
    try:
        if scheduler is not None:
            try:
                client = Client(scheduler, timeout=f"{connect_timeout}s")
            except (OSError, TimeoutError) as exc:
                raise RunError(f"cannot reach the dask scheduler at {scheduler}: {exc}") from None
            except ValueError as exc:
                raise InputError(f"scheduler address {scheduler!r}: {exc}") from None
        else:
            cluster = LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                silence_logs=logging.ERROR,
            )
            client = Client(cluster)
        try:
            client.wait_for_workers(1, timeout=60)
        except TimeoutError:
            raise RunError("the dask cluster has no workers (waited 60 s)") from None
        try:
            yield client
        finally:
            client.close()
    finally:
        if cluster is not None:
            cluster.close()
