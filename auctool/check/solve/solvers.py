"""pysat solvers behind one interface that always honours a wall-clock deadline.

python-sat's solvers differ in what can stop them (the table in
:mod:`auctool.check.config.solvertable`, measured by ``tests/check/solve/test_solvers.py``):

- ``interrupt``: MiniSat/Glucose/Maple family; a timer thread calls ``interrupt()`` and
  ``solve_limited(expect_interrupt=True)`` returns within ~10 ms.
- ``slices``: solving in adaptively sized conflict-budget slices, checking the clock
  between them (learned clauses are kept). What a solver process runs (below).
- ``process``: CaDiCaL (no interrupt), Lingeling (no limited solve), Kissat (aborts the
  process on a second solve, ignores assumptions) and the solvers measured to stop late
  on interrupt (the Glucose family, MapleChrono, MapleCM). One-shot solves run in a
  forked child that is killed at the deadline: the only hard guarantee. Persistent ones
  (:class:`BoundedSolver`) live in a solver process (``auctool.check.solve.server``) that
  solves in slices and keeps what it learns; the caller stops waiting at its deadline.
- ``clasp``: clasp through clingo (``auctool.check.solve.clasp``), in this process, its
  asynchronous search cancelled at the deadline; its search knobs come as ``options``.

In work mode (``conflicts`` given, see ``auctool.check.budget``) no clock is read: every
solver but Lingeling takes a conflict budget and runs in this process, so the answer is
the same on a loaded machine.

Every method returns a :class:`SolveOutcome`; ``status`` None means the deadline (or the
conflict budget) hit.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from pysat.solvers import Solver

from auctool.check.budget import BUDGET_MODES, StopSignal
from auctool.check.config.solvertable import SOLVERS, SolverInfo
from auctool.check.solve import clasp, futures
from auctool.check.solve.server import SolverServer
from auctool.errors import InputError


@dataclass(frozen=True)
class SolveOutcome:
    status: bool | None  # True SAT, False UNSAT, None deadline reached
    model: tuple[int, ...] | None
    seconds: float
    conflicts: int = 0
    #: UNSAT under assumptions: the assumptions the refutation used (the solver's core)
    core: tuple[int, ...] | None = None


def _failed(solver: Any, status: bool | None, assumptions: Sequence[int]) -> tuple[int, ...] | None:
    """The assumptions an UNSAT answer rests on (None without assumptions or a core)."""
    if status is not False or not assumptions:
        return None
    try:
        core = solver.get_core()
    except NotImplementedError:
        return None
    return None if core is None else tuple(int(lit) for lit in core)


def check_budget_mode(mode: str, solvers: Iterable[str]) -> str:
    """``mode`` if it is a budget mode that every one of ``solvers`` can honour."""
    if mode not in BUDGET_MODES:
        raise InputError(f"budget mode must be one of {', '.join(BUDGET_MODES)}, got {mode!r}")
    if mode == "work":
        for name in solvers:
            if not solver_info(name).conflict_budget:
                raise InputError(f"solver {name} takes no conflict budget: work mode cannot use it")
    return str(mode)


def solver_info(name: str) -> SolverInfo:
    try:
        return SOLVERS[name]
    except KeyError:
        raise ValueError(f"unknown solver {name!r} (known: {', '.join(SOLVERS)})") from None


class BoundedSolver:
    """A pysat solver whose every ``solve`` respects a deadline (``time.monotonic()``).

    Holds the solver across calls so learned clauses survive (incremental checking). An
    ``in_process`` solver solves here. A ``process`` solver (one that cannot be stopped
    in time here: CaDiCaL, Glucose) lives in a solver process
    (:class:`auctool.check.solve.server.SolverServer`) that solves in conflict slices: this
    process waits for it only until the deadline, and what it learns lasts (a forked
    copy per solve, the old way, learned nothing that lasted and started cold: 0 of 40
    hard national questions at 2,000 conflicts each, against 5 of 40 kept).
    """

    #: Largest single conflict slice; slices start small and grow while they stay fast.
    MAX_SLICE = 200_000
    MIN_SLICE = 50

    def __init__(
        self,
        name: str,
        clauses: Sequence[Sequence[int]] = (),
        here: bool = False,
    ):
        self.info = solver_info(name)
        if not (self.info.in_process or self.info.incremental):
            raise ValueError(f"{name} cannot be kept across solves; use solve_once()")
        #: a ``process`` solver that takes conflict budgets lives in a solver process
        #: (``auctool.check.solve.server``) that keeps what it learns; ``here``: be that process
        self._here = here or self.info.in_process
        if not (self._here or self.info.conflict_budget):
            raise ValueError(f"{name} takes no conflict budget: use solve_once()")
        self._server: SolverServer | None = None
        self._solver: Any = None
        if self._here:
            self._solver = Solver(name=self.info.pysat_name, bootstrap_with=clauses)
        else:
            self._server = SolverServer(lambda: BoundedSolver(name, here=True))
            if clauses:
                self._server.add_clauses(clauses)
        self._seconds_per_conflict = 1e-4
        self._slice = self.MIN_SLICE
        self.total_conflicts = 0

    @property
    def keeps_learning(self) -> bool:
        """Whether every solve, time-limited or not, runs on the one solver (learned
        clauses kept), rather than on a forked copy."""
        return (self._here and self.info.in_process) or self._server is not None

    # ---- building ------------------------------------------------------------------
    def add_clauses(self, clauses: Sequence[Sequence[int]]) -> None:
        if self._server is not None:
            self._server.add_clauses(clauses)
        else:
            self._solver.append_formula(clauses)

    def add_clause(self, clause: Sequence[int]) -> None:
        self.add_clauses([clause])

    def set_phases(self, literals: Sequence[int]) -> None:
        if self.info.phases and literals:
            if self._server is not None:
                self._server.set_phases(literals)
            else:
                self._solver.set_phases(literals)

    def sync(self) -> None:
        """Return once the solver holds every clause added so far."""
        if self._server is not None:
            self._server.sync()

    def delete(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        if self._solver is not None:
            self._solver.delete()
            self._solver = None

    def __enter__(self) -> BoundedSolver:
        return self

    def __exit__(self, *exc: object) -> None:
        self.delete()

    # ---- solving -------------------------------------------------------------------
    def solve(
        self,
        deadline: float,
        assumptions: Sequence[int] = (),
        stop: StopSignal | None = None,
        conflicts: int | None = None,
    ) -> SolveOutcome:
        """Solve under ``assumptions`` until ``deadline`` (monotonic) or until ``stop`` is set
        (work mode: until ``conflicts`` more conflicts, no clock)."""
        start = time.monotonic()
        if deadline - start <= 0 or (stop is not None and stop.is_set()) or conflicts == 0:
            return SolveOutcome(None, None, 0.0)
        if self._server is not None:
            out = self._server.solve(deadline, assumptions, stop, conflicts)
            if out is None:
                return SolveOutcome(None, None, time.monotonic() - start)
            self.total_conflicts += out.conflicts
            return out
        # in_process methods as named; a solver process (server.py) solves in slices
        method = self.info.method if self.info.in_process else "slices"
        if conflicts is not None:
            self._solver.conf_budget(conflicts)
            status = self._solver.solve_limited(assumptions=assumptions)
        elif math.isinf(deadline) and stop is None:
            status = self._solver.solve_limited(assumptions=assumptions)
        elif method == "slices":
            status = self._solve_slices(deadline, assumptions, stop)
        else:
            status = self._solve_interrupt(deadline, assumptions, stop)
        model = tuple(self._solver.get_model()) if status else None
        conflicts = _conflicts(self._solver)
        delta = conflicts - self.total_conflicts
        self.total_conflicts = conflicts
        core = _failed(self._solver, status, assumptions)
        return SolveOutcome(status, model, time.monotonic() - start, delta, core)

    def _watch(
        self, deadline: float, stop: StopSignal | None
    ) -> tuple[threading.Thread, threading.Event]:
        """A thread that interrupts the solver at the deadline or when ``stop`` is set."""
        done = threading.Event()
        solver = self._solver

        def watch() -> None:
            while not done.is_set():
                left = deadline - time.monotonic()
                if left <= 0 or (stop is not None and stop.is_set()):
                    solver.interrupt()
                    return
                done.wait(min(left, 0.005) if stop is not None else left)

        thread = threading.Thread(target=watch, daemon=True)
        thread.start()
        return thread, done

    def _solve_interrupt(
        self, deadline: float, assumptions: Sequence[int], stop: StopSignal | None
    ) -> bool | None:
        thread, done = self._watch(deadline, stop)
        try:
            return self._solver.solve_limited(assumptions=assumptions, expect_interrupt=True)
        finally:
            done.set()
            thread.join()
            self._solver.clear_interrupt()

    def _solve_slices(
        self, deadline: float, assumptions: Sequence[int], stop: StopSignal | None
    ) -> bool | None:
        """Conflict-budget slices, the clock and ``stop`` looked at between them (a solver
        process's way: ``auctool.check.solve.server``)."""
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or (stop is not None and stop.is_set()):
                return None
            if math.isinf(remaining):
                remaining = 3600.0
            # aim each slice at a small share of what is left so the overshoot stays small
            target = max(0.005, min(0.25 * remaining, 0.05 + 0.02 * remaining))
            budget = int(target / max(self._seconds_per_conflict, 1e-7))
            # ... and grow slices at most 4x at a time: a national formula's conflicts
            # cost ~50x a small one's, learned only after the first slice
            budget = max(self.MIN_SLICE, min(self.MAX_SLICE, 4 * self._slice, budget))
            self._slice = budget
            self._solver.conf_budget(budget)
            t0 = time.monotonic()
            status = self._solver.solve_limited(assumptions=assumptions)
            spent = time.monotonic() - t0
            if status is not None:
                return status
            # learn the solver's speed on this formula (smoothed, pessimistic)
            per = spent / budget
            self._seconds_per_conflict = max(per, 0.5 * self._seconds_per_conflict + 0.5 * per)


def _conflicts(solver: Any) -> int:
    try:
        return int((solver.accum_stats() or {}).get("conflicts", 0))
    except NotImplementedError:  # Kissat exposes no statistics
        return 0


# ---------------------------------------------------------------------------------------
# one-shot solving, in a killable child process when the solver cannot be stopped
# ---------------------------------------------------------------------------------------
def _solve_in_child(
    name: str,
    clauses: Sequence[Sequence[int]],
    deadline: float,
    assumptions: Sequence[int],
    stop: StopSignal | None = None,
    phases: Sequence[int] = (),
) -> SolveOutcome:
    """Solve in a forked child, killed at the deadline or the stop signal."""
    start = time.monotonic()
    return _in_child(
        name, lambda: _solve_plain(name, clauses, assumptions, phases), deadline, stop, start
    )


def _in_child(
    name: str,
    solve: Callable[[], SolveOutcome],
    deadline: float,
    stop: StopSignal | None,
    start: float,
) -> SolveOutcome:
    """Run ``solve`` in a forked child, killed at the deadline or the stop signal."""
    child = futures.ForkFuture(solve)
    try:
        if not child.wait_until(deadline, stop):
            return SolveOutcome(None, None, time.monotonic() - start)
        if child.failed is not None:
            raise RuntimeError(f"solver {name} failed: {child.failed}")
        return replace(child.result(0.0), seconds=time.monotonic() - start)
    finally:
        child.cancel()


def _solve_plain(name: str, clauses, assumptions, phases) -> SolveOutcome:
    """Solve to the end in this process (only where something else enforces the deadline)."""
    start = time.monotonic()
    with Solver(name=solver_info(name).pysat_name, bootstrap_with=clauses) as s:
        if phases and solver_info(name).phases:
            s.set_phases(list(phases))
        status = s.solve(assumptions=list(assumptions)) if assumptions else s.solve()
        model = tuple(s.get_model()) if status else None
        return SolveOutcome(status, model, time.monotonic() - start, _conflicts(s))


def _solve_work(name: str, clauses, assumptions, phases, conflicts: int) -> SolveOutcome:
    """Solve in this process under a conflict budget: no clock, the same answer every time."""
    start = time.monotonic()
    info = solver_info(name)
    if not info.conflict_budget:
        raise ValueError(f"{name} takes no conflict budget: use time budgets with it")
    if conflicts <= 0:
        return SolveOutcome(None, None, 0.0)
    with Solver(name=info.pysat_name, bootstrap_with=clauses) as s:
        if phases and info.phases:
            s.set_phases(list(phases))
        s.conf_budget(conflicts)
        status = s.solve_limited(assumptions=list(assumptions))
        model = tuple(s.get_model()) if status else None
        spent = _conflicts(s) or (conflicts if status is None else 0)  # Kissat: no statistics
        return SolveOutcome(status, model, time.monotonic() - start, spent)


def solve_once(
    name: str,
    clauses: Sequence[Sequence[int]],
    deadline: float,
    assumptions: Sequence[int] = (),
    phases: Sequence[int] = (),
    stop: StopSignal | None = None,
    conflicts: int | None = None,
    options: Sequence[str] = (),
) -> SolveOutcome:
    """Build a solver, solve once under the deadline (or ``conflicts``), free it.

    ``options``: the solver's own command-line options (clasp's search knobs)."""
    info = solver_info(name)
    if info.method == "clasp":
        start = time.monotonic()
        status, model, spent = clasp.solve(
            clauses, deadline, assumptions, phases, stop, conflicts, options
        )
        return SolveOutcome(status, model, time.monotonic() - start, spent)
    if assumptions and not info.assumptions:
        # fold the assumptions into the formula as unit clauses (same answer, no reuse)
        clauses = [*clauses, *([a] for a in assumptions)]
        assumptions = ()
    if conflicts is not None:
        return _solve_work(name, clauses, assumptions, phases, conflicts)
    if not info.in_process and futures.IN_KILLABLE_CHILD:
        return _solve_plain(name, clauses, assumptions, phases)
    if not info.in_process:
        return _solve_in_child(name, clauses, deadline, assumptions, stop, phases)
    with BoundedSolver(name, clauses) as solver:
        solver.set_phases(phases)
        return solver.solve(deadline, assumptions, stop)
