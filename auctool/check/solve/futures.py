"""Work running beside this process's own, and its result once it is there: a forked
child (:class:`ForkFuture`) or a thread (:class:`ThreadFuture`), one interface.

Both double as stop signals (``is_set``: the work has finished), so whatever runs here
meanwhile can give up the moment the other side answers (the checker's race,
``auctool.check.schedule``); ``cancel`` stops the work at once.

Forking copies nothing up front (copy-on-write) and the child needs no pickled inputs:
it has the problem, the data and its indexes already. Only the answer crosses a pipe.
Inside a killable child every solver runs in-process: the parent's SIGKILL is its
deadline (:data:`IN_KILLABLE_CHILD`).
"""

from __future__ import annotations

import contextlib
import math
import os
import pickle
import select
import threading
import time
from collections.abc import Callable
from typing import Any

from auctool._orphans import die_with_parent
from auctool.check.solve.processes import discard_child

#: True inside a forked child: its parent's SIGKILL is its deadline, so solvers that
#: cannot be interrupted may run in-process there (no second fork).
IN_KILLABLE_CHILD = False


class ForkFuture:
    """``work()`` running in a forked child; its picklable result, once it is there.

    Plain ``os.fork``: works inside daemonic portfolio workers too.
    """

    def __init__(self, work: Callable[[], Any], killable: bool = True):
        """``killable``: the parent kills the child at its deadline (then solvers that
        cannot be interrupted may run in the child as they are); False for a child
        that must keep its own deadlines (one answering whole checks)."""
        self._read, write = os.pipe()
        self._pid = os.fork()
        if self._pid == 0:  # pragma: no cover - child
            os.close(self._read)
            die_with_parent()
            global IN_KILLABLE_CHILD
            IN_KILLABLE_CHILD = killable
            try:
                payload = ("ok", work())
            except BaseException as exc:
                payload = ("error", repr(exc))
            data = memoryview(pickle.dumps(payload))
            try:
                while data:
                    data = data[os.write(write, data) :]
            finally:
                os._exit(0)
        os.close(write)
        self._chunks: list[bytes] = []
        self._done = False
        self._result: Any = None
        self._failed: str | None = None

    # ---- the stop-signal protocol ------------------------------------------------------
    def is_set(self) -> bool:
        self._drain(0.0)
        return self._done

    def wait(self, timeout: float | None = None) -> bool:
        self._drain(timeout)
        return self._done

    def wait_until(self, deadline: float, stop: Any = None) -> bool:
        """Wait for the child until ``deadline`` (monotonic) or ``stop`` is set."""
        while not self._done:
            left = deadline - time.monotonic()
            if left <= 0 or (stop is not None and stop.is_set()):
                return False
            self._drain(0.01 if stop is not None else (None if math.isinf(left) else left))
        return True

    # ---- results ----------------------------------------------------------------------
    def result(self, timeout: float | None) -> Any:
        """The child's result, waiting up to ``timeout`` seconds (None if not there)."""
        self._drain(timeout)
        return self._result if self._done and self._failed is None else None

    @property
    def failed(self) -> str | None:
        return self._failed

    def cancel(self) -> None:
        """Stop the child (if it still runs); it is reaped now or later
        (:func:`~auctool.check.solve.processes.discard_child`)."""
        if self._pid:
            discard_child(self._pid, kill=not self._done)
            self._pid = 0
        with contextlib.suppress(OSError):
            os.close(self._read)

    def _drain(self, timeout: float | None) -> None:
        if self._done or self._pid == 0:
            return
        wait = timeout
        while True:
            ready, _, _ = select.select([self._read], [], [], wait)
            if not ready:
                return
            chunk = os.read(self._read, 1 << 16)
            if not chunk:
                break
            self._chunks.append(chunk)
            wait = 0.0 if timeout == 0.0 else timeout
        self._done = True
        try:
            status, value = pickle.loads(b"".join(self._chunks))
        except Exception:
            status, value = "error", "the child process died without an answer"
        if status == "ok":
            self._result = value
        else:
            self._failed = str(value)
        self.cancel()


class ThreadFuture:
    """``work(stop)`` in a thread of this process, with :class:`ForkFuture`'s interface.

    For a complete solve that only waits (its solver runs in a solver process,
    ``auctool.check.solve.server``): nothing to fork, and the solver's learned clauses stay.
    ``cancel`` sets the ``stop`` event ``work`` was given.
    """

    def __init__(self, work: Callable[[threading.Event], Any]):
        self._stop = threading.Event()
        self._finished = threading.Event()
        self._result: Any = None
        self._failed: str | None = None

        def run() -> None:
            try:
                self._result = work(self._stop)
            except BaseException as exc:
                self._failed = repr(exc)
            finally:
                self._finished.set()

        self._thread = threading.Thread(target=run, daemon=True, name="complete-solve")
        self._thread.start()

    def is_set(self) -> bool:
        return self._finished.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        return self._finished.wait(timeout)

    def wait_until(self, deadline: float, stop: Any = None) -> bool:
        while not self._finished.is_set():
            left = deadline - time.monotonic()
            if left <= 0 or (stop is not None and stop.is_set()):
                return False
            self._finished.wait(min(left, 0.01) if stop is not None else left)
        return True

    def result(self, timeout: float | None) -> Any:
        self._finished.wait(timeout)
        return self._result if self._finished.is_set() and self._failed is None else None

    @property
    def failed(self) -> str | None:
        return self._failed

    def cancel(self) -> None:
        """Stop the solve and wait for the thread (it only waits on a reply: at once)."""
        self._stop.set()
        self._thread.join()
