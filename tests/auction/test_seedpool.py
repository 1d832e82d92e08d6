"""Where the seeds run: cores shared out among the workers, each worker pinned to its
share, every seed's outcome heard of once, in this process when there is one worker."""

from __future__ import annotations

import os

import pytest

from auctool.auction.seedpool import _core_shares, on_processes
from auctool.auction.seedresults import SeedOutcome


def _cores_of(job: object, seed: int) -> SeedOutcome:
    """A task that says where it ran (the error field carries it back)."""
    return SeedOutcome(seed, error=",".join(map(str, sorted(os.sched_getaffinity(0)))))


@pytest.mark.skipif(not hasattr(os, "sched_getaffinity"), reason="Linux only")
def test_the_cores_are_shared_out_and_each_worker_keeps_to_its_share():
    cores = sorted(os.sched_getaffinity(0))
    shares = _core_shares(len(cores))
    assert sorted(c for share in shares for c in share) == cores
    assert _core_shares(len(cores) + 1) == [set()] * (len(cores) + 1)  # too many: no pinning
    heard: list[SeedOutcome] = []
    on_processes(_cores_of, None, [1, 2, 3], 1, heard.append)  # one worker: this process
    assert [o.seed for o in heard] == [1, 2, 3]
    if len(cores) < 2:
        return
    heard.clear()
    on_processes(_cores_of, None, [1, 2, 3, 4], 2, heard.append)
    assert sorted(o.seed for o in heard) == [1, 2, 3, 4]
    ran_on = {o.error for o in heard}
    assert ran_on <= {",".join(map(str, sorted(s))) for s in _core_shares(2)}
