"""Checking many problem files: resolve each one's constraint data, reuse checkers, yield results.

The CLI's ``check`` is a loop over :func:`check_files`; library users get the same.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from auctool.check.cnf import check_cnf
from auctool.check.config import AnyConfig, CheckerConfig, PortfolioConfig
from auctool.check.factory import make_checker
from auctool.check.result import CheckResult
from auctool.errors import InputError
from auctool.formats.dimacs import read_dimacs
from auctool.formats.fcc import InterferenceFormat, load_constraints
from auctool.formats.instances import load_instance_set, resolve_constraints_dir
from auctool.formats.srpk import read_srpk
from auctool.model.constraints import ConstraintData

DEFAULT_CUTOFF = 60.0  # seconds, SATFC's default


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Problem files, with instance-set folders replaced by their problems."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(load_instance_set(p).paths())
        else:
            out.append(p)
    return out


class DataLibrary:
    """Constraint folders loaded once each (a national folder takes seconds)."""

    def __init__(self, fmt: InterferenceFormat | str = InterferenceFormat.AUTO):
        self.fmt = InterferenceFormat(fmt)
        self._loaded: dict[Path, ConstraintData] = {}

    def get(self, folder: Path) -> ConstraintData:
        key = folder.resolve()
        if key not in self._loaded:
            self._loaded[key] = load_constraints(folder, self.fmt)
        return self._loaded[key]


def check_files(
    paths: Iterable[Path],
    data_dir: Path | None,
    config: AnyConfig,
    cutoff: float | None = None,
    fmt: InterferenceFormat | str = InterferenceFormat.AUTO,
    cache_file: Path | None = None,
    budget_mode: str = "time",
) -> Iterator[tuple[Path, CheckResult]]:
    """Check ``.srpk`` files one by one (cutoff: given, else the file's CUTOFF, else 60 s)."""
    if cutoff is not None and not cutoff > 0:
        raise InputError(f"--cutoff must be a positive number of seconds, got {cutoff:g}")
    library = DataLibrary(fmt)
    checkers: dict[str, object] = {}
    try:
        for path in expand_paths(paths):
            problem = read_srpk(path)
            data = library.get(resolve_constraints_dir(data_dir, problem, path))
            checker = checkers.get(data.fingerprint)
            if checker is None:
                checker = make_checker(data, config, cache_file, budget_mode)
                checkers[data.fingerprint] = checker
            limit = cutoff if cutoff is not None else (problem.cutoff or DEFAULT_CUTOFF)
            yield path, checker.check(problem, limit, instance=str(path))
    finally:
        for checker in checkers.values():
            checker.close()


def check_cnf_files(
    paths: Iterable[Path],
    config: AnyConfig,
    cutoff: float | None = None,
    budget_mode: str = "time",
) -> Iterator[tuple[Path, CheckResult]]:
    """Raw DIMACS CNF files through the configured solver (a portfolio's first member)."""
    solver = (config.members[0] if isinstance(config, PortfolioConfig) else config).solver
    limit = cutoff if cutoff is not None else DEFAULT_CUTOFF
    if not limit > 0:
        raise InputError(f"--cutoff must be a positive number of seconds, got {limit:g}")
    for path in paths:
        yield path, check_cnf(read_dimacs(path), solver, limit, str(path), budget_mode)


__all__ = [
    "DEFAULT_CUTOFF",
    "CheckerConfig",
    "DataLibrary",
    "check_cnf_files",
    "check_files",
    "expand_paths",
]
