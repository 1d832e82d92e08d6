"""Exceptions that carry their exit code, so the CLI can print one line and leave cleanly.

The core raises these; only the CLI turns them into exit codes. Anything else that
escapes is a bug (and the CLI still reports it in one line, exit code 1).
"""

from __future__ import annotations

import errno
import string
from collections.abc import Callable
from pathlib import Path
from typing import Any, Self


def _in_words(template: str, word: Callable[[str], str]) -> str:
    """``template`` with each ``{setting}`` replaced by ``word(setting)``."""
    names = {name for _, name, _, _ in string.Formatter().parse(template) if name}
    return template.format(**{n: word(n) for n in names})


class AuctoolError(Exception):
    """Base class: a failure auctool can explain in one line.

    A message may suggest a remedy that is a core setting (:meth:`suggesting`): the core
    says the setting's name, a front end its own words for it (:meth:`worded`; the CLI:
    its flag), so the core never knows the CLI's flags.
    """

    exit_code = 1
    #: the message with ``{setting}`` where it suggests a setting, else None
    template: str | None = None

    @classmethod
    def suggesting(cls, template: str, *args: Any, **kwargs: Any) -> Self:
        """The error with ``template``'s settings said by name ("pass `data` ..."); the
        other arguments are the error's own."""
        err = cls(_in_words(template, lambda n: f"`{n}`"), *args, **kwargs)
        err.template = template
        return err

    @property
    def where(self) -> str:
        """What the message starts with (a file and line, for input errors)."""
        return ""

    def worded(self, flag: Callable[[str], str]) -> str:
        """The message in a front end's words: ``flag(setting)`` for every setting named."""
        if self.template is None:
            return str(self)
        return self.where + _in_words(self.template, flag)


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
        #: the parameter a bad value was given for (see :meth:`of_setting`), else None
        self.setting: str | None = None
        self.problem = message
        super().__init__(f"{self.where}{message}")

    @property
    def where(self) -> str:
        if self.path is None:
            return ""
        return f"{self.path}:{self.line}: " if self.line is not None else f"{self.path}: "

    @classmethod
    def of_setting(
        cls, setting: str, problem: str, path: str | Path | None = None, subject: str = ""
    ) -> InputError:
        """A bad value of the core parameter ``setting``, said in the core's words
        ("workers must be at least 1, got 0"); the CLI names its own flag instead
        (:meth:`naming`)."""
        err = cls(f"{subject or setting.replace('_', ' ')} {problem}", path)
        err.setting, err.problem = setting, problem
        return err

    def naming(self, flag: str) -> str:
        """The message with the setting's flag as its subject ("--workers must be ...")."""
        return f"{self.where}{flag} {self.problem}"

    def worded(self, flag: Callable[[str], str]) -> str:
        if self.setting is not None:
            return self.naming(flag(self.setting))
        return super().worded(flag)


class RunError(AuctoolError):
    """A run that failed for a reason other than its input: exit code 1."""

    exit_code = 1


#: errno values that mean "the disk is full" (the run failed) rather than "this place
#: cannot be written" (the user's choice of output: an input error).
_FULL = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO})


def write_error(exc: OSError, path: str | Path | None = None) -> AuctoolError:
    """ "cannot write PATH: reason" for an OSError met while writing an output: an input
    error (exit 2) for a place that cannot be written, a run error (exit 1) for a full disk."""
    where = path if path is not None else exc.filename
    reason = exc.strerror or str(exc)
    if exc.errno in _FULL:
        return RunError(f"cannot write {where}: {reason}")
    return InputError(f"cannot write: {reason}", where)
