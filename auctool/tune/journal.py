"""The durable record of a run: append-only JSON lines, one per finished trial.

A tuning run must survive Ctrl-C and SIGKILL without losing a finished trial, and SMAC's
own files cannot promise that (it rewrites ``runhistory.json`` in place after each
trial). So every finished trial is appended here first and flushed to the OS; a restart
reads the lines back (a torn last line, from a kill mid-write, is dropped) and tells
them to a fresh SMAC. The first line is a header naming what the records are valid for.

Each session starts by rewriting the journal atomically with the records it keeps, so an
append never follows a torn line.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import IO, Any

from auctool._atomic import atomic_open
from auctool._json import dumps


class Journal:
    """A header line, then records; ``append`` hands a record to the OS before returning.

    A record handed to the OS survives any kill of this process (SIGKILL included); an
    fsync, at most every ``sync_every`` seconds and at close, bounds what a power loss
    could take. (An fsync per trial cost ~6 ms: more than a typical check.)
    """

    def __init__(self, path: str | Path, sync_every: float = 1.0):
        self.path = Path(path)
        self.sync_every = sync_every
        self._fh: IO[str] | None = None
        self._synced = 0.0

    def read(self) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
        """The header and every complete record (nothing if there is no journal yet)."""
        if not self.path.is_file():
            return None, []
        header: dict[str, Any] | None = None
        records: list[dict[str, Any]] = []
        with open(self.path, encoding="utf-8") as fh:
            for i, line in enumerate(fh):
                if not line.endswith("\n"):
                    break  # torn by a kill mid-write: the trial was not finished for us
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError:
                    break
                if i == 0:
                    header = obj.get("header") if isinstance(obj, dict) else None
                    if header is None:
                        return None, []
                else:
                    records.append(obj)
        return header, records

    def start(self, header: Mapping[str, Any], records: Iterable[Mapping[str, Any]] = ()) -> None:
        """Replace the journal (atomically) with a header and the records kept; open for appends."""
        self.close()
        with atomic_open(self.path, "w") as fh:
            fh.write(_line({"header": dict(header)}))
            for rec in records:
                fh.write(_line(rec))
        self._fh = open(self.path, "a", encoding="utf-8")  # noqa: SIM115 - kept open for appends

    def append(self, record: Mapping[str, Any]) -> None:
        if self._fh is None:
            raise RuntimeError("journal not started")
        self._fh.write(_line(record))
        self._fh.flush()
        if time.monotonic() - self._synced >= self.sync_every:
            os.fsync(self._fh.fileno())
            self._synced = time.monotonic()

    def close(self) -> None:
        if self._fh is not None:
            self._fh.flush()
            os.fsync(self._fh.fileno())
            self._fh.close()
            self._fh = None

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _line(obj: Mapping[str, Any]) -> str:
    return dumps(obj, separators=(",", ":")) + "\n"


def file_digest(path: Path) -> str:
    """A short content hash: a record is reused only for the very same problem file."""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def digest(obj: Any) -> str:
    """A short hash of a JSON-able value (settings, a configuration)."""
    text = dumps(obj, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def run_lock(folder: Path) -> contextlib.AbstractContextManager[None]:
    """One process per run folder: a second ``tune`` on the same folder fails at once."""
    from auctool._runfolder import locked

    return locked(folder, "tune")
