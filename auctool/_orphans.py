"""Worker processes that die with the process that started them.

A ``simulate --seeds`` or ``tune`` run starts worker processes; when the run is killed
(SIGTERM, SIGKILL, a closed terminal) nothing may go on computing, writing, or sitting
in memory. On Linux the kernel sends the worker SIGKILL when its parent dies
(``prctl(PR_SET_PDEATHSIG)``); elsewhere a watcher thread notices the parent is gone.
A forkserver worker's parent is the forkserver, which exits once the run and every
worker holding its "alive" pipe are gone: a worker lets go of that pipe
(:func:`release_forkserver`), so the forkserver goes with the run and the workers with it.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
import threading
import time

_PR_SET_PDEATHSIG = 1


_libc: ctypes.CDLL | None = None


def _prctl_deathsig() -> bool:
    """PR_SET_PDEATHSIG to SIGKILL; False where the kernel offers no such thing."""
    global _libc
    if not sys.platform.startswith("linux"):
        return False
    try:
        if _libc is None:
            _libc = ctypes.CDLL(None, use_errno=True)
        return _libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def die_with_parent(poll_seconds: float = 1.0) -> None:
    """Make this process end when its parent does (call it first thing in a worker)."""
    parent = os.getppid()
    armed = _prctl_deathsig()
    if os.getppid() != parent or parent == 1:  # the parent died before we were armed
        os._exit(1)
    if not armed:

        def watch() -> None:
            while os.getppid() == parent:
                time.sleep(poll_seconds)
            os._exit(1)

        threading.Thread(target=watch, name="auctool-parent-watch", daemon=True).start()


def worker_ignores_interrupts() -> None:
    """Ctrl-C reaches the whole process group; the parent alone decides what it stops
    (it stops the workers itself), so a worker never records a half-run as failed."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def release_forkserver() -> None:
    """In a forkserver worker: close its copy of the forkserver's "alive" pipe.

    The forkserver exits when every holder of that pipe has; each worker gets a copy, so
    a worker that dies with the forkserver (:func:`die_with_parent`) and holds one would
    keep both alive after the run is killed. A worker starts no processes through the
    forkserver, so it has no use for the pipe.
    """
    from multiprocessing import forkserver

    server = getattr(forkserver, "_forkserver", None)
    fd = getattr(server, "_forkserver_alive_fd", None)
    if fd is not None:
        with contextlib.suppress(OSError):
            os.close(fd)
        server._forkserver_alive_fd = None
