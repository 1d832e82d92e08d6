"""Exceptions that carry their exit code, so the CLI can print one line and leave cleanly.

The core raises these; only the CLI turns them into exit codes. Anything else that
escapes is a bug (and the CLI still reports it in one line, exit code 1).
"""

from __future__ import annotations

from pathlib import Path


class AuctoolError(Exception):
    """Base class: a failure auctool can explain in one line."""

    exit_code = 1


class InputError(AuctoolError):
    """Bad input (a file, an option, a configuration): exit code 2.

    Where the problem sits in a file, the message starts with ``file:line:``, the way
    compilers report, so editors and humans can jump to it.
    """

    exit_code = 2

    def __init__(self, message: str, path: str | Path | None = None, line: int | None = None):
        self.path = None if path is None else str(path)
        self.line = line
        self.detail = message
        where = ""
        if self.path is not None:
            where = f"{self.path}:{line}: " if line is not None else f"{self.path}: "
        super().__init__(f"{where}{message}")


class RunError(AuctoolError):
    """A run that failed for a reason other than its input: exit code 1."""

    exit_code = 1
