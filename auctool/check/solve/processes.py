"""The child processes solving forks, and the cores there are to run them on.

A killed child is reaped without blocking (:func:`discard_child`): tearing down a forked
copy of a big process takes ~0.1 s, and waiting for it would add that to every check
that stopped one, so a child that has not exited yet is reaped at a later call.
"""

from __future__ import annotations

import contextlib
import os
import signal

#: Killed children not yet reaped (see :func:`discard_child`).
_UNREAPED: list[int] = []


def reap() -> None:
    """Reap the killed children that have exited by now (never blocks)."""
    for pid in list(_UNREAPED):
        try:
            done, _ = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            done = pid
        if done:
            _UNREAPED.remove(pid)


def discard_child(pid: int, kill: bool = True) -> None:
    """Be done with child ``pid``: SIGKILL it (``kill``: it may still run), then reap it
    now if it has exited, else at a later call (with every other child left so)."""
    if kill:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    _UNREAPED.append(pid)
    reap()


def cores() -> int:
    """Cores this process may use (affinity-aware)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1
