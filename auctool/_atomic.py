"""Atomic file writes: a reader (or a kill) never sees a half-written result.

Write to a temporary file in the target's folder, flush and fsync, then ``os.replace``
(atomic on POSIX). Every output auctool writes goes through here.

``tempfile.mkstemp`` creates its file 0600, and ``os.replace`` keeps that mode, so
without care every result would be unreadable to the rest of a shared machine. The
temporary file gets the permissions ``open(path, "w")`` would have given: the target's
own mode when it exists, else 0666 less the umask.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from auctool.errors import write_error


def current_umask() -> int:
    """The process umask, read without changing it (Linux reports it in /proc).

    ``os.umask`` can only be read by setting it; between the two calls another thread
    creating a file would get the wrong mode, so that dance is only the fallback.
    """
    with (
        contextlib.suppress(OSError, ValueError),
        open("/proc/self/status", encoding="ascii") as fh,
    ):
        for line in fh:
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _mode_for(path: Path) -> int:
    """What ``open(path, "w")`` would leave: an existing file's mode, else 0666 & ~umask."""
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        return 0o666 & ~current_umask()


@contextlib.contextmanager
def atomic_open(path: str | Path, mode: str = "w", encoding: str | None = "utf-8") -> Iterator[IO]:
    """Like ``open(path, mode)``, but the file appears only complete, or not at all."""
    path = Path(path)
    binary = "b" in mode
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise write_error(exc, path) from None
    try:
        with os.fdopen(fd, mode, encoding=None if binary else encoding) as fh:
            os.fchmod(fh.fileno(), _mode_for(path))
            try:
                yield fh
            except OSError as exc:  # the caller's writes to fh: a full disk, too large
                if exc.filename is None:
                    raise write_error(exc, path) from None
                raise
            try:
                fh.flush()
                os.fsync(fh.fileno())
            except OSError as exc:
                raise write_error(exc, path) from None
        try:
            os.replace(tmp, path)
        except OSError as exc:
            raise write_error(exc, path) from None
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def write_text(path: str | Path, text: str) -> None:
    with atomic_open(path, "w") as fh:
        fh.write(text)


def write_bytes(path: str | Path, data: bytes) -> None:
    with atomic_open(path, "wb") as fh:
        fh.write(data)
