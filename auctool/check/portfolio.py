"""A parallel portfolio: several configurations in separate processes, the first answer wins.

SATFC ran 8 configured solvers in parallel; Hydra (``auctool tune --portfolio K``) builds
such a portfolio. Each member lives in a persistent worker process with its own
:class:`Checker` (so its incremental solver and caches survive between checks). A check
is sent to every worker; the first conclusive answer wins, and a shared stop signal
makes the others give up at once (their solvers poll it every few milliseconds). A
worker that does not come back within the grace period is killed and replaced, so a
check never outlives its cutoff by more than that grace.
"""

from __future__ import annotations

import contextlib
import math
import multiprocessing as mp
import time
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from auctool.check.budget import Budget
from auctool.check.checker import prepare_problem
from auctool.check.config.configs import CheckerConfig, PortfolioConfig
from auctool.check.result import Answer, CheckResult, Component, Step
from auctool.check.solve.processes import cores
from auctool.check.solve.solvers import check_budget_mode
from auctool.errors import InputError, RunError
from auctool.model.constraints import ConstraintData
from auctool.model.cutoff import latest_return
from auctool.model.problem import Problem
from auctool.model.verify import WitnessVerifier


def _load_data(source: Any) -> ConstraintData:
    if isinstance(source, ConstraintData):
        return source
    from auctool.formats.fcc import load_constraints

    return load_constraints(source)


def _worker_main(
    conn: Connection,
    source: Any,
    config: CheckerConfig,
    stop: Any,
    cache_file: Any,
    budget_mode: str = "time",
) -> None:
    """Runs in the worker process: one Checker, answering checks until told to close."""
    import scipy.sparse.csgraph  # noqa: F401  (warm up: the reductions need it on the first check)

    from auctool.check.checker import Checker

    checker = Checker(_load_data(source), config, cache_file=cache_file, budget_mode=budget_mode)
    conn.send(("ready", None))
    try:
        while True:
            try:
                message = conn.recv()
            except EOFError:
                return
            if message[0] == "close":
                return
            if message[0] == "warm":
                try:
                    checker.warm(message[1])
                    conn.send(("warmed", None))
                except Exception as exc:  # report, never die silently
                    conn.send(("error", f"{type(exc).__name__}: {exc}"))
                continue
            _, problem, cutoff, instance = message
            try:
                result = checker.check(problem, cutoff, instance=instance, stop=stop)
                conn.send(("result", result))
            except Exception as exc:  # report, never die silently
                conn.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        checker.close()


class _Worker:
    def __init__(
        self,
        ctx: Any,
        source: Any,
        config: CheckerConfig,
        stop: Any,
        cache_file: Any,
        budget_mode: str = "time",
    ):
        self.config = config
        self._args = (ctx, source, config, stop, cache_file, budget_mode)
        self.warm_problem: Problem | None = None  # sent again to a restarted worker
        self.start()

    def start(self) -> None:
        self.starting = True
        ctx, *args = self._args
        parent, child = ctx.Pipe()
        self.conn = parent
        self.process = ctx.Process(target=_worker_main, args=(child, *args), daemon=True)
        self.process.start()
        child.close()

    def wait_ready(self, timeout: float) -> None:
        if not self.starting:
            return
        self.starting = False
        if not self.conn.poll(timeout):
            raise RunError("a portfolio worker did not start in time")
        kind, _ = self.conn.recv()
        if kind != "ready":  # pragma: no cover
            raise RunError("a portfolio worker failed to start")
        if self.warm_problem is not None:
            self.send_warm(self.warm_problem)
            self.wait_warm()

    #: Seconds a worker may take to load its persistent solver (a national band: ~2 s).
    WARM_TIMEOUT = 600.0

    def send_warm(self, problem: Problem) -> None:
        self.warm_problem = problem
        self.conn.send(("warm", problem))

    def wait_warm(self) -> None:
        if not self.conn.poll(self.WARM_TIMEOUT):
            raise RunError("a portfolio worker did not load its solver in time")
        kind, payload = self.conn.recv()
        if kind != "warmed":
            raise RunError(f"a portfolio worker failed to load its solver: {payload}")

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()

    def restart(self) -> None:
        self.kill()
        self.start()


class PortfolioChecker:
    """Same interface as :class:`Checker`; runs ``members`` in parallel worker processes."""

    #: How long past the cutoff (beyond the 10% + 50 ms allowance) a worker may take to answer.
    START_TIMEOUT = 60.0

    def __init__(
        self,
        data: ConstraintData,
        config: PortfolioConfig,
        cache_file: Path | None = None,
        budget_mode: str = "time",
    ):
        if not config.members:
            raise InputError("a portfolio needs at least one member")
        self.data = data
        self.config = config
        width = config.workers or cores()
        self.members = config.members[: max(1, width)]
        check_budget_mode(budget_mode, [s for m in self.members for s in m.solvers])
        #: work mode: every member answers within its own conflicts and the first member
        #: (in the configuration's order) with an answer wins: the same winner every time
        self.budget_mode = budget_mode
        self.verifier = WitnessVerifier(data)
        ctx = mp.get_context("spawn")
        self._stop = ctx.Event()
        source: Any = data.source if data.source and Path(data.source).is_dir() else data
        self._workers = [
            _Worker(ctx, source, m, self._stop, cache_file, budget_mode) for m in self.members
        ]
        for w in self._workers:
            w.wait_ready(self.START_TIMEOUT)

    def close(self) -> None:
        for w in getattr(self, "_workers", []):
            with contextlib.suppress(OSError, BrokenPipeError):
                w.conn.send(("close",))
        for w in getattr(self, "_workers", []):
            w.process.join(timeout=2)
            w.kill()
        self._workers = []

    def __enter__(self) -> PortfolioChecker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:  # pragma: no cover - best effort
        with contextlib.suppress(Exception):
            self.close()

    def warm(self, problem: Problem) -> None:
        """Every member loads its persistent solver for ``problem`` (in parallel)."""
        prepare_problem(problem, self.data)
        for w in self._workers:
            w.wait_ready(self.START_TIMEOUT)
            w.send_warm(problem)
        for w in self._workers:
            w.wait_warm()

    def check(
        self, problem: Problem, cutoff: float | None = None, instance: str = "", stop: Any = None
    ) -> CheckResult:
        prepared, warnings = prepare_problem(problem, self.data)  # same validation, same errors
        for w in self._workers:  # a worker replaced after the last check finishes starting
            w.wait_ready(self.START_TIMEOUT)
        start = time.monotonic()
        budget = Budget.of(cutoff)
        self._stop.clear()
        for w in self._workers:
            w.conn.send(("check", problem, cutoff, instance))
        pending = {w.conn: (k, w) for k, w in enumerate(self._workers)}
        winner: tuple[int, CheckResult] | None = None
        work = self.budget_mode == "work"
        # the members are stopped a little before a check's latest return
        late = 0.0 if cutoff is None else latest_return(cutoff) - cutoff - 0.01
        hard_limit = budget.deadline + late
        if work:
            hard_limit = math.inf
        while pending:
            timeout = None if math.isinf(hard_limit) else max(0.0, hard_limit - time.monotonic())
            ready = wait(list(pending), timeout)
            if not ready:
                break
            for conn in ready:
                k, worker = pending.pop(conn)
                try:
                    kind, payload = conn.recv()
                except EOFError:
                    worker.restart()
                    continue
                if kind == "error":
                    self._stop.set()
                    self._drain(pending, 1.0)
                    raise RunError(f"portfolio member {k + 1} failed: {payload}")
                if payload.answer is not Answer.TIMEOUT and (winner is None or k < winner[0]):
                    winner = (k, payload)
                    if not work:
                        self._stop.set()
            if winner is not None and not work:
                break
        grace = 1.0 if math.isinf(hard_limit) else max(0.05, hard_limit - time.monotonic())
        self._drain(pending, grace)
        seconds = time.monotonic() - start
        if winner is None:
            return CheckResult(
                Answer.TIMEOUT,
                seconds,
                stages=(Step("portfolio", seconds, "unknown"),),
                instance=instance or problem.name,
                warnings=tuple(warnings),
            )
        k, result = winner
        if result.assignment is not None:
            bad = self.verifier.violations(result.assignment, prepared, limit=1)
            if bad:
                raise RunError(
                    f"internal error: portfolio member {k + 1} gave an invalid witness ({bad[0].message})"
                )
        return CheckResult(
            answer=result.answer,
            seconds=seconds,
            assignment=result.assignment,
            solved_by=Component.member(k + 1, result.solved_by) if result.solved_by else None,
            stages=(*result.stages, Step("portfolio", seconds, result.answer.value)),
            instance=instance or problem.name,
            warnings=tuple(warnings),
            stats={**result.stats, "winner": k + 1},
            core=result.core,
        )

    def _drain(self, pending: dict[Connection, tuple[int, _Worker]], grace: float) -> None:
        """Collect the losers' answers; restart any worker that does not return in time."""
        end = time.monotonic() + grace
        while pending:
            ready = wait(list(pending), max(0.0, end - time.monotonic()))
            if not ready:
                break
            for conn in ready:
                _, worker = pending.pop(conn)
                try:
                    conn.recv()
                except EOFError:
                    worker.restart()
        for _, worker in pending.values():  # killed now, ready again by the next check
            worker.restart()
