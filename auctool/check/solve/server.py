"""A persistent solver in its own process: learned clauses kept, the deadline kept too.

CaDiCaL cannot be interrupted inside a pysat call, so a solve under a wall-clock cutoff
used to run in a forked copy of the loaded solver, killed at the deadline. On national
formulas that copy learns nothing that lasts and starts cold: measured on 80 of a
national auction's hard questions in order (1 s each, CaDiCaL 1.9.5 with phases), forked
copies answered 0, one persistent solver kept across the questions 27 (its inprocessing
is what answers them: with ``inprocessing`` off it answered 3). But a persistent solver
in *this* process overshoots a 1 s deadline by up to 4 s when an inprocessing round runs.

So the solver lives in a child process that solves in conflict slices, polling for new
messages between them. The parent waits for an answer only until its own deadline (then
reports a timeout and moves on); a late slice in the child only delays the child's next
question. Messages cross one pipe each way, each side with a thread so that neither
blocks the other (a model can be larger than a pipe's buffer):

- parent -> child: ``("add", clauses)``, ``("phases", literals)``,
  ``("solve", id, deadline, assumptions, conflicts)``, ``("cancel", id)``;
- parent -> child: ``("ping", id)``, answered ``(id, "pong")`` (:meth:`SolverServer.sync`);
- child -> parent: ``(id, SolveOutcome)``.

The child is forked before it holds anything (no copy-on-write of a big solver) and exits
when its pipe closes; the parent kills it when the solver is deleted.
"""

from __future__ import annotations

import contextlib
import itertools
import math
import os
import queue
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import replace
from multiprocessing.connection import Connection, Pipe
from typing import Any

from auctool._orphans import die_with_parent, worker_ignores_interrupts
from auctool.check.budget import StopSignal
from auctool.check.solve.processes import discard_child

#: What the child runs: a local sliced solver (``BoundedSolver(name, here=True)``).
Factory = Callable[[], Any]


class _Inbox:
    """The child's view of its pipe: messages read between slices, kept in order."""

    def __init__(self, conn: Connection):
        self.conn = conn
        self.pending: deque[tuple] = deque()

    def next(self) -> tuple:
        if self.pending:
            return self.pending.popleft()
        return self.conn.recv()

    def drain(self) -> None:
        while self.conn.poll(0):
            self.pending.append(self.conn.recv())


class _Interrupted:
    """The stop signal of the child's current solve: a cancel for it, or a newer question."""

    def __init__(self, inbox: _Inbox, ident: int):
        self.inbox = inbox
        self.ident = ident

    def is_set(self) -> bool:
        self.inbox.drain()
        return any(
            m[0] == "solve" or (m[0] == "cancel" and m[1] == self.ident) for m in self.inbox.pending
        )

    def wait(self, timeout: float | None = None) -> bool:  # pragma: no cover - protocol
        return self.is_set()


def _serve(conn: Connection, make: Factory) -> None:  # pragma: no cover - child process
    solver = make()
    inbox = _Inbox(conn)
    while True:
        try:
            msg = inbox.next()
        except (EOFError, OSError):
            return
        kind = msg[0]
        if kind == "add":
            solver.add_clauses(msg[1])
        elif kind == "phases":
            solver.set_phases(msg[1])
        elif kind == "ping":
            conn.send((msg[1], "pong"))
        elif kind == "solve":
            _, ident, deadline, assumptions, conflicts = msg
            try:
                out = solver.solve(deadline, assumptions, _Interrupted(inbox, ident), conflicts)
            except Exception as exc:  # the parent raises it
                out = repr(exc)
            conn.send((ident, out))


class SolverServer:
    """The parent's handle on a solver process: ``add``/``phases`` queue, ``solve`` waits."""

    def __init__(self, make: Factory):
        mine, theirs = Pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - child
            mine.close()
            die_with_parent()  # a killed run leaves no solver behind
            worker_ignores_interrupts()  # the parent handles Ctrl-C
            try:
                _serve(theirs, make)
            finally:
                os._exit(0)
        theirs.close()
        self._pid = pid
        self._conn = mine
        self._ids = itertools.count(1)
        self._outbox: queue.Queue[tuple | None] = queue.Queue()
        self._replies: dict[int, Any] = {}
        self._arrived = threading.Condition()
        self._closed = False
        self._threads = [
            threading.Thread(target=self._send_loop, daemon=True, name="solver-server-send"),
            threading.Thread(target=self._recv_loop, daemon=True, name="solver-server-recv"),
        ]
        for t in self._threads:
            t.start()

    # ---- the two pipe threads ----------------------------------------------------------
    def _send_loop(self) -> None:
        while (msg := self._outbox.get()) is not None:
            try:
                self._conn.send(msg)
            except (OSError, ValueError, TypeError):  # closed under us
                return

    def _recv_loop(self) -> None:
        while True:
            try:
                ident, out = self._conn.recv()
            except (EOFError, OSError, ValueError, TypeError):
                with self._arrived:
                    self._closed = True
                    self._arrived.notify_all()
                self._release()
                return
            with self._arrived:
                self._replies[ident] = out
                self._arrived.notify_all()

    # ---- the solver interface ------------------------------------------------------------
    def add_clauses(self, clauses: Sequence[Sequence[int]]) -> None:
        self._outbox.put(("add", clauses))

    def set_phases(self, literals: Sequence[int]) -> None:
        self._outbox.put(("phases", list(literals)))

    def sync(self) -> None:
        """Wait until the child has taken in every message sent so far (a warm-up's
        clauses: pickling them later would hold this process's GIL inside checks)."""
        ident = next(self._ids)
        self._outbox.put(("ping", ident))
        with self._arrived:
            while ident not in self._replies and not self._closed:
                self._arrived.wait(0.05)
            self._replies.pop(ident, None)

    def solve(
        self,
        deadline: float,
        assumptions: Sequence[int],
        stop: StopSignal | None,
        conflicts: int | None,
    ) -> Any:
        """The child's :class:`SolveOutcome`, or None at ``deadline`` or ``stop``."""
        start = time.monotonic()
        ident = next(self._ids)
        self._outbox.put(("solve", ident, deadline, list(assumptions), conflicts))
        with self._arrived:
            while ident not in self._replies:
                if self._closed:
                    raise RuntimeError("the solver process died")
                left = deadline - time.monotonic()
                if left <= 0 or (stop is not None and stop.is_set()):
                    break
                wait = 0.005 if stop is not None else left
                self._arrived.wait(None if math.isinf(wait) else wait)
            out = self._replies.pop(ident, None)
            # replies to questions given up on are dropped when they come
            self._replies = {k: v for k, v in self._replies.items() if k > ident}
        if out is None:
            self._outbox.put(("cancel", ident))
            return None
        if isinstance(out, str):
            raise RuntimeError(f"the solver process failed: {out}")
        return replace(out, seconds=time.monotonic() - start)

    def _release(self) -> None:
        """Close the pipe once neither thread can touch it again (the reply thread's last
        act, at the child's end of file). Closing it from another thread instead let a
        reply thread still inside ``recv`` read from the next server's pipe, which the
        kernel had given the same descriptor number: that server's reply was stolen and
        its check timed out (1 run in ~100 of open, solve, close)."""
        self._outbox.put(None)
        self._threads[0].join()
        with contextlib.suppress(OSError):
            self._conn.close()

    def close(self) -> None:
        """Stop the child now (it may be inside a slice); the pipe threads end at its EOF."""
        if self._pid:
            discard_child(self._pid)
            self._pid = 0
        self._outbox.put(None)
