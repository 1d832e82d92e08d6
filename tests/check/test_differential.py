"""Differential testing: every configuration family agrees with a plain solver.

Problems come from auction-like packing sequences on small synthetic worlds (SAT and
UNSAT answers, previous assignments) and from random sub-problems without a previous
assignment. Each configuration's conclusive answers must equal the reference's; every
SAT witness is checked with the full (non-incremental) verifier.
"""

from __future__ import annotations

import functools

import pytest

from auctool.check import Answer, Checker, CheckerConfig, PortfolioConfig, make_checker
from auctool.check.config import KNOBS
from auctool.check.solvers import SOLVERS
from auctool.check.space import sample_configs
from auctool.model import Problem, violations
from auctool.worlds.problems import packing_sequence
from auctool.worlds.synth import SynthSpec, synth_world

PLAIN = CheckerConfig(
    solver="cadical195",
    previous=False,
    clique=False,
    neighbourhood=False,
    ac3=False,
    underconstrained=False,
    components=False,
    phases=False,
)


@functools.cache
def corpus() -> tuple:
    """(data, [(problem, reference answer)]) with both answers present."""
    data, _ = synth_world(SynthSpec(stations=45, seed=11, region_km=350))
    channels = tuple(range(14, 23))
    reference = Checker(data, PLAIN)
    cases = [
        (p, r.answer)
        for p, r in packing_sequence(data, channels, lambda p: reference.check(p, 60), seed=2)
    ]
    # sub-problems without a previous assignment, on fewer channels (more UNSAT)
    for k, (problem, _) in enumerate(cases[10:40:3]):
        narrow = Problem(
            {s: tuple(c for c in d if c < 19 + k % 3) for s, d in problem.domains.items()}
        )
        cases.append((narrow, reference.check(narrow, 60).answer))
    answers = {a for _, a in cases}
    assert Answer.SAT in answers and Answer.UNSAT in answers and Answer.TIMEOUT not in answers
    return data, cases


def _agree(checker, data, cases, label):
    for problem, expected in cases:
        result = checker.check(problem, 20)
        if result.answer is Answer.TIMEOUT:
            continue
        assert result.answer is expected, (
            f"{label}: {problem.name} {result.answer} != {expected} ({result.solved_by})"
        )
        if result.sat:
            assert violations(result.assignment, problem, data) == [], label


@pytest.mark.parametrize("seed", range(6))
def test_random_configurations_never_give_a_wrong_answer(seed):
    data, cases = corpus()
    for k, config in enumerate(sample_configs(5, seed)):
        with Checker(data, config) as checker:
            _agree(checker, data, cases, f"sample {seed}/{k}: {config.to_mapping()}")


@pytest.mark.parametrize("solver", sorted(SOLVERS))
def test_every_solver_agrees(solver):
    data, cases = corpus()
    with Checker(data, CheckerConfig(solver=solver)) as checker:
        _agree(checker, data, cases[::3], solver)


@pytest.mark.parametrize("knob", [k.name for k in KNOBS if k.kind == "bool"])
def test_each_component_alone_agrees(knob):
    """Every switch flipped from the plain configuration, one at a time."""
    data, cases = corpus()
    base = PLAIN.replace(solver="minisat22")
    config = base.replace(**{knob: not getattr(base, knob)})
    with Checker(data, config) as checker:
        _agree(checker, data, cases, knob)


def test_incremental_families_agree():
    data, cases = corpus()
    for solver in ("minisat22", "cadical195", "maplesat"):
        for encoding in ("direct", "multivalued"):
            config = CheckerConfig(incremental=True, solver=solver, encoding=encoding)
            with Checker(data, config) as checker:
                _agree(checker, data, cases, f"incremental {solver}/{encoding}")


def test_portfolio_agrees():
    data, cases = corpus()
    config = PortfolioConfig(
        (CheckerConfig(), CheckerConfig(incremental=True, solver="cadical195", clique=False)),
        workers=2,
    )
    with make_checker(data, config) as checker:
        _agree(checker, data, cases[::2], "portfolio")
