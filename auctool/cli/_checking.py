"""The files ``auctool check`` is given: expand instance sets, load each constraint folder
once, reuse one checker per folder, yield results as they come.

The core answers one problem (:class:`auctool.Checker`); walking paths is the command's
job, so it lives beside it. The cutoff arrives validated (the command names its flag).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from auctool.check.cnf import check_cnf
from auctool.check.config.configs import AnyConfig, PortfolioConfig
from auctool.check.factory import make_checker
from auctool.check.result import CheckResult
from auctool.formats.dimacs import read_dimacs
from auctool.formats.fcc import DataLibrary, InterferenceFormat
from auctool.formats.instances import (
    load_instance_set,
    require_known_stations,
    resolve_constraints_dir,
)
from auctool.formats.srpk import read_srpk
from auctool.model.cutoff import Cutoff


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Problem files, with instance-set folders replaced by their problems."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(load_instance_set(p).paths())
        else:
            out.append(p)
    return out


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
    library = DataLibrary(fmt)
    checkers: dict[str, object] = {}
    try:
        for path in paths:
            problem = read_srpk(path)
            data = library.get(resolve_constraints_dir(data_dir, problem, path))
            require_known_stations(problem, data, path)
            checker = checkers.get(data.fingerprint)
            if checker is None:
                checker = make_checker(data, config, cache_file, budget_mode)
                checkers[data.fingerprint] = checker
            limit = Cutoff.resolve(cutoff, problem.cutoff).seconds
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
    limit = Cutoff.resolve(cutoff).seconds
    for path in paths:
        yield path, check_cnf(read_dimacs(path), solver, limit, str(path), budget_mode)
