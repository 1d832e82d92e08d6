"""DIMACS CNF: export of an encoding (with a variable map in comments) and raw CNF input.

Export lets any external SAT solver be compared on exactly the formula auctool solves;
the ``c var`` comments let its model be decoded back into channels.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import numpy as np

from auctool._atomic import atomic_open
from auctool.errors import InputError


@dataclass(frozen=True)
class Cnf:
    """A plain CNF formula (clauses as tuples of non-zero ints)."""

    nvars: int
    clauses: tuple[tuple[int, ...], ...]

    def __len__(self) -> int:
        return len(self.clauses)


def read_dimacs(path: str | Path) -> Cnf:
    """Parse a DIMACS CNF file (``p cnf V C`` header, clauses ending in 0).

    A file cut short is refused without a newline rule: its last clause lacks its 0, or
    it holds fewer clauses than the header declares. Every error names its line.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError("file not found" if not path.exists() else "not a file", path)
    try:
        text = path.read_text(encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        raise InputError("not a text file", path) from None
    header: tuple[int, int] | None = None
    header_line = 0
    body: list[str] = []
    linenos: list[int] = []
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line[0] in "c%":
            continue
        if line[0] == "p":
            parts = line.split()
            if len(parts) != 4 or parts[1] != "cnf":
                raise InputError("expected 'p cnf <variables> <clauses>'", path, lineno)
            try:
                header = (int(parts[2]), int(parts[3]))
            except ValueError:
                raise InputError("header counts are not whole numbers", path, lineno) from None
            header_line = lineno
            continue
        if header is None:
            raise InputError("clause before the 'p cnf' header", path, lineno)
        body.append(line)
        linenos.append(lineno)
    if header is None:
        raise InputError("no 'p cnf' header: not a DIMACS CNF file", path)
    nvars, nclauses = header
    try:
        ints = np.array(" ".join(body).split(), dtype=np.int64)
    except (ValueError, OverflowError):
        raise _first_bad_literal(body, linenos, path, nvars) from None
    if ints.size and ints[-1] != 0:
        raise InputError("the last clause has no closing 0: file cut short?", path, linenos[-1])
    if ints.size and np.abs(ints).max() > nvars:
        raise _first_bad_literal(body, linenos, path, nvars)
    ends = np.flatnonzero(ints == 0)
    starts = np.concatenate([[0], ends[:-1] + 1]).astype(np.int64) if ends.size else ends
    flat = ints.tolist()
    clauses = tuple(tuple(flat[s:e]) for s, e in zip(starts.tolist(), ends.tolist(), strict=True))
    if len(clauses) != nclauses:
        cut = " (file cut short?)" if len(clauses) < nclauses else ""
        raise InputError(
            f"the header declares {nclauses} clauses, the file has {len(clauses)}{cut}",
            path,
            header_line,
        )
    return Cnf(nvars, clauses)


def _first_bad_literal(body: list[str], linenos: list[int], path: Path, nvars: int) -> InputError:
    """The error for the first literal that is no whole number or exceeds ``nvars``, with
    its line (only once the fast check has failed: one more pass, line by line)."""
    for line, lineno in zip(body, linenos, strict=True):
        for token in line.split():
            try:
                lit = int(token)
            except ValueError:
                return InputError(f"literal {token!r} is not a whole number", path, lineno)
            if abs(lit) > nvars:
                return InputError(
                    f"literal {lit} exceeds the declared {nvars} variables", path, lineno
                )
    return InputError("a literal is out of range", path)  # pragma: no cover - found above


def write_dimacs(
    path: str | Path,
    nvars: int,
    clauses: Iterable[Sequence[int]],
    comments: Iterable[str] = (),
) -> Path:
    with atomic_open(path) as fh:
        dump_dimacs(fh, nvars, clauses, comments)
    return Path(path)


def dump_dimacs(
    fh: IO[str], nvars: int, clauses: Iterable[Sequence[int]], comments: Iterable[str] = ()
) -> None:
    """The CNF as DIMACS text on an open stream (a file, or stdout for ``export --dimacs -``)."""
    clauses = list(clauses)
    for c in comments:
        fh.write(f"c {c}\n")
    fh.write(f"p cnf {nvars} {len(clauses)}\n")
    fh.write("".join(" ".join(map(str, cl)) + " 0\n" for cl in clauses))
