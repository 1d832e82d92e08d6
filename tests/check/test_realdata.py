"""Answers on problems built from the real FCC subsets agree with an independent solver.

The independent path shares nothing with auctool's encoder: it reads the raw
Interference_Paired.csv lines itself, builds the direct encoding with plain loops, and
asks a different SAT solver (CaDiCaL) directly through pysat.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from pysat.solvers import Solver

from auctool.check.checker import Checker
from auctool.check.config.configs import CheckerConfig
from auctool.check.result import Answer
from auctool.formats.fcc import load_constraints
from auctool.model import Problem, violations

OFFSETS = {"CO": 0, "ADJ+1": 1, "ADJ-1": -1, "ADJ+2": 2, "ADJ-2": -2}


def independent_answer(folder: Path, domains: dict[int, tuple[int, ...]], previous=None) -> bool:
    var = {}
    for s, chans in domains.items():
        for c in chans:
            var[(s, c)] = len(var) + 1
    clauses = [[var[(s, c)] for c in chans] for s, chans in domains.items()]
    for line in (folder / "Interference_Paired.csv").read_text().splitlines():
        _key, c1, c2, s, *targets = line.split(",")
        a = var.get((int(s), int(c1)))
        if a is None:
            continue
        for t in targets:
            b = var.get((int(t), int(c2)))
            if b is not None:
                clauses.append([-a, -b])
    with Solver(name="cadical195", bootstrap_with=clauses) as solver:
        # the previous assignment as a phase hint (a hint only: the answer stays the solver's)
        hints = [var[(s, c)] for s, c in (previous or {}).items() if (s, c) in var]
        if hints:
            solver.set_phases(hints)
        return solver.solve()


def post_auction(folder: Path) -> dict[int, int]:
    with open(folder / "post_auction_parameters.csv") as fh:
        return {int(r["FacID"]): int(r["Ch"]) for r in csv.DictReader(fh)}


def problems(fcc: Path):
    """(name, folder, problem) triples with a mix of SAT and UNSAT answers."""
    out = []
    for name in (
        "fcc-seed87-st5-ch10",
        "mini-50-from-87-10ch",
        "post-seed87-st50-ch15",
        "post-seed87-st50-ch30",
    ):
        folder = fcc / "subsets" / name
        data = load_constraints(folder)
        if name != "post-seed87-st50-ch15":  # its full-domain problem is hard (minutes): bench/
            out.append((f"{name}/all", folder, Problem(dict(data.domains))))
        for top in (16, 18, 20, 24):  # squeeze UHF stations into fewer channels: some become UNSAT
            uhf = {
                s: tuple(c for c in d if 14 <= c <= top)
                for s, d in data.domains.items()
                if max(d) >= 14
            }
            out.append((f"{name}/uhf<={top}", folder, Problem(uhf)))
    big = fcc / "subsets" / "post-seed1328-st200"
    data = load_constraints(big)
    post = post_auction(big)
    uhf = [s for s, c in post.items() if c >= 14]
    for top in (30, 31):
        out.append(
            (
                f"st200/uhf146<={top}",
                big,
                Problem({s: tuple(c for c in data.domains[s] if 14 <= c <= top) for s in uhf}),
            )
        )
    domains = {s: tuple(c for c in data.domains[s] if 14 <= c <= 36) for s in uhf}
    previous = {s: post[s] for s in uhf[1:]}
    out.append(("st200/uhf146<=36+previous", big, Problem(domains, previous)))
    return out


def test_real_subset_answers_agree_with_an_independent_solver(fcc_data):
    seen = {Answer.SAT: 0, Answer.UNSAT: 0}
    for name, folder, problem in problems(fcc_data):
        data = load_constraints(folder)
        result = Checker(data, CheckerConfig()).check(problem, 60)
        assert result.answer is not Answer.TIMEOUT, name
        expected = independent_answer(folder, dict(problem.domains), dict(problem.previous))
        assert (result.answer is Answer.SAT) == expected, name
        if result.sat:
            assert violations(result.assignment, problem, data) == [], name
        seen[result.answer] += 1
    assert seen[Answer.SAT] >= 5 and seen[Answer.UNSAT] >= 3, seen


def test_real_post_auction_assignment_is_feasible(fcc_data):
    """The FCC's own repack must pass our verifier: a check on the data model itself."""
    folder = fcc_data / "subsets" / "post-seed1328-st200"
    data = load_constraints(folder)
    post = post_auction(folder)
    problem = Problem({s: (c,) for s, c in post.items()})
    assert violations(post, problem, data) == []


def test_unsat_cnf_is_never_called_sat(fcc_data):
    from auctool.check.cnf import check_cnf
    from auctool.formats.dimacs import read_dimacs

    cnf = read_dimacs(fcc_data / "cnf" / "unsat-srpk.cnf")
    assert (cnf.nvars, len(cnf)) == (10255, 180707)
    result = check_cnf(cnf, "cadical195", 3.0)
    assert result.answer in (Answer.UNSAT, Answer.TIMEOUT)


@pytest.mark.slow
def test_unsat_cnf_is_proved_unsat(fcc_data):
    """CaDiCaL 1.9.5 needs ~7 minutes here (measured 414 s): slow suite only."""
    from auctool.check.cnf import check_cnf
    from auctool.formats.dimacs import read_dimacs

    cnf = read_dimacs(fcc_data / "cnf" / "unsat-srpk.cnf")
    assert check_cnf(cnf, "cadical195", 1200).answer is Answer.UNSAT
