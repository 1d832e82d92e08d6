"""Answering a round's questions on several cores: checker workers that learn as they go.

An auction's checker is a big, warm object: a national band's persistent solver (in its
own process, learning across questions), the cache, compiled local search. A forked
copy per batch cannot use the persistent solver (its server belongs to the parent) and
would start cold every round, so each worker is a process forked once, at the start,
that builds and warms its own checker and keeps it for the whole auction.

A batch (questions about one band: the engine's contract for ``ask_many``) is split
into shares, question j to share j mod k, so the split, and in work mode every answer,
is the same each run; this process answers share 0 with its own checker, worker j
share j. Shipping a national problem whole would cost more than most questions take
(unpickling re-normalises 2,000 stations), so a worker is sent the band once, when it
changed, and each question as its station and channels. Only answers come back; this
process's checker keeps them in its cache (:meth:`~auctool.check.checker.Checker.learn`).
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection, Pipe
from typing import Any

from auctool._orphans import die_with_parent, worker_ignores_interrupts
from auctool.auction.outcome import band_problem
from auctool.check.result import CheckResult
from auctool.errors import RunError
from auctool.model.problem import Problem

#: Fewer questions than this per share are answered here alone: sending them costs
#: more than an easy question takes.
MIN_SHARE = 4

#: What a worker runs: builds the checker it keeps (a fork inherits the world's data).
MakeChecker = Callable[[], Any]


class CheckWorkers:
    """``workers - 1`` processes with their own checkers, and this one's."""

    def __init__(self, workers: int, make: MakeChecker, warm: Problem | None = None):
        """``warm``: the problem the workers load their persistent solvers with."""
        if workers < 1:
            raise ValueError(f"workers must be at least 1, got {workers}")
        self.workers = workers
        self.batches = 0  # batches split over workers (for reports and tests)
        self._conns: list[Connection] = []
        self._pids: list[int] = []
        self._sent: list[dict[str, Any] | None] = []  # the band each worker holds
        try:
            for _ in range(workers - 1):
                mine, theirs = Pipe()
                pid = os.fork()  # plain fork: a daemonic seed or dask worker may run this
                if pid == 0:  # pragma: no cover - child
                    mine.close()
                    try:
                        _serve(theirs, make, warm)
                    finally:
                        os._exit(0)
                theirs.close()
                self._conns.append(mine)
                self._pids.append(pid)
                self._sent.append(None)
        except BaseException:
            self.close()
            raise

    def shares(self, n: int) -> int:
        """How many processes a batch of ``n`` questions is split over."""
        return max(1, min(self.workers, n // MIN_SHARE))

    def check(
        self,
        checker: Any,
        problems: Sequence[Problem],
        stations: Sequence[int],
        cutoffs: Sequence[float],
        names: Sequence[str],
    ) -> list[CheckResult]:
        """Every ``problems[x]`` (one band plus ``stations[x]``) checked at ``cutoffs[x]``,
        in order; share 0 by ``checker``, the others by the workers."""
        n = len(problems)
        k = self.shares(n)
        if k == 1:
            return [checker.check(problems[x], cutoffs[x], instance=names[x]) for x in range(n)]
        self.batches += 1
        band = _band(problems[0], stations[0])
        for j in range(1, k):
            conn = self._conns[j - 1]
            if self._sent[j - 1] != band:
                conn.send(("band", band))
                self._sent[j - 1] = band
            asks = [
                (stations[x], problems[x].domains[stations[x]], cutoffs[x], names[x])
                for x in range(j, n, k)
            ]
            conn.send(("ask", asks))
        out: list[Any] = [None] * n
        out[0::k] = [
            checker.check(problems[x], cutoffs[x], instance=names[x]) for x in range(0, n, k)
        ]
        for j in range(1, k):
            try:
                status, value = self._conns[j - 1].recv()
            except (EOFError, OSError):
                status, value = "error", "it died without an answer"
            if status != "ok":
                self._sent[j - 1] = None
                raise RunError(f"internal error: a checker worker failed ({value})")
            out[j::k] = value
        return out

    def close(self) -> None:
        for conn in self._conns:
            with contextlib.suppress(OSError):
                conn.close()  # a worker exits when its pipe closes
        for pid in self._pids:
            deadline = time.monotonic() + 2
            while not os.waitpid(pid, os.WNOHANG)[0]:
                if time.monotonic() > deadline:
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(pid, signal.SIGKILL)
                    os.waitpid(pid, 0)
                    break
                time.sleep(0.01)
        self._conns, self._pids = [], []

    def __enter__(self) -> CheckWorkers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _band(problem: Problem, station: int) -> dict[str, Any]:
    """The band a question is about: its problem without its station."""
    domains = dict(problem.domains)
    del domains[station]
    return {
        "domains": domains,
        "previous": dict(problem.previous),
        "interference": problem.interference,
    }


def _serve(
    conn: Connection, make: MakeChecker, warm: Problem | None
) -> None:  # pragma: no cover - child
    die_with_parent()  # a killed run leaves no worker behind
    worker_ignores_interrupts()  # the parent handles Ctrl-C
    checker = None
    failed: str | None = None
    try:
        checker = make()
        if warm is not None:
            checker.warm(warm)
    except Exception as exc:
        failed = repr(exc)
    items: list[tuple[int, tuple[int, ...]]] = []
    ids: list[int] = []
    band: dict[str, Any] = {}
    while True:
        try:
            kind, body = conn.recv()
        except (EOFError, OSError):
            break
        if kind == "band":
            band, items = body, list(body["domains"].items())
            ids = [s for s, _ in items]
            continue
        if failed is not None:
            conn.send(("error", failed))
            continue
        try:
            results = [
                checker.check(
                    band_problem(
                        items,
                        ids,
                        station,
                        channels,
                        band["previous"],
                        band["interference"],
                        cutoff,
                    ),
                    cutoff,
                    instance=name,
                )
                for station, channels, cutoff, name in body
            ]
            conn.send(("ok", results))
        except Exception as exc:
            conn.send(("error", repr(exc)))
    if checker is not None:
        checker.close()
