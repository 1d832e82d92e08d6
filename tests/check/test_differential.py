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
from auctool.check.config.knobs import KNOBS
from auctool.check.config.solvertable import SOLVERS
from auctool.check.config.space import sample_configs
from auctool.model import Problem, violations
from auctool.worlds.problems import packing_sequence
from auctool.worlds.synth import SynthSpec, synth_world

#: the reference: one plain solver, every presolver, cache and local search off
PLAIN = CheckerConfig.off_the_shelf("cadical195")


@functools.cache
def corpus() -> tuple:
    """(data, [(problem, reference answer)]) with both answers present."""
    data = synth_world(SynthSpec(stations=45, seed=11, region_km=350))[0].data
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


def _agree(checker, data, cases, label, cutoff: float = 20) -> int:
    """Every conclusive answer right (a TIMEOUT is no answer, not a wrong one); returns
    how many were conclusive, so a test can fail a checker that answers nothing."""
    conclusive = 0
    for problem, expected in cases:
        result = checker.check(problem, cutoff)
        if result.answer is Answer.TIMEOUT:
            continue
        conclusive += 1
        assert result.answer is expected, (
            f"{label}: {problem.name} {result.answer} != {expected} ({result.solved_by})"
        )
        if result.sat:
            assert violations(result.assignment, problem, data) == [], label
    return conclusive


@pytest.mark.parametrize("seed", range(6))
def test_random_configurations_never_give_a_wrong_answer(seed):
    data, cases = corpus()
    # 24 draws at 0.5 s (a slow draw skips, never decides): the suite's largest cost
    answered = 0
    for k, config in enumerate(sample_configs(4, seed)):
        with Checker(data, config) as checker:
            label = f"sample {seed}/{k}: {config.to_mapping()}"
            answered += _agree(checker, data, cases, label, cutoff=0.5)
    assert answered >= 2 * len(cases), f"only {answered} of {4 * len(cases)} answered"


@pytest.mark.parametrize("solver", sorted(SOLVERS))
def test_every_solver_agrees(solver):
    data, cases = corpus()
    with Checker(data, CheckerConfig(solver=solver)) as checker:
        assert _agree(checker, data, cases[::3], solver) == len(cases[::3])


@pytest.mark.parametrize("knob", [k.name for k in KNOBS if k.kind == "bool"])
def test_each_component_alone_agrees(knob):
    """Every switch flipped from the plain configuration, one at a time."""
    data, cases = corpus()
    base = PLAIN.replace(solver="minisat22")
    config = base.replace(**{knob: not getattr(base, knob)})
    with Checker(data, config) as checker:
        assert _agree(checker, data, cases, knob) == len(cases)


def test_incremental_families_agree():
    data, cases = corpus()
    families = [
        *(
            (s, e)
            for s in ("minisat22", "mergesat3", "maplesat")
            for e in ("direct", "multivalued")
        ),
        ("cadical195", "direct"),  # the default: forked copies of the loaded solver
        ("glucose3", "multivalued"),
    ]
    for solver, encoding in families:
        config = CheckerConfig(incremental=True, solver=solver, encoding=encoding)
        with Checker(data, config) as checker:
            label = f"incremental {solver}/{encoding}"
            assert _agree(checker, data, cases, label) == len(cases), label


def test_portfolio_agrees():
    data, cases = corpus()
    config = PortfolioConfig(
        (CheckerConfig(), CheckerConfig(incremental=True, solver="minisat22", clique=False)),
        workers=2,
    )
    with make_checker(data, config) as checker:
        assert _agree(checker, data, cases[::2], "portfolio") == len(cases[::2])


@pytest.mark.parametrize("stations", [5, 60, 500])
def test_both_interference_formats_give_the_same_answers(stations, tmp_path):
    """A world written in each FCC format and read back: same constraints, and the default
    checker on one agrees with the plain solver on the other along a packing sequence."""
    from auctool.formats.fcc import load_constraints, write_constraints

    spec = SynthSpec(
        stations=stations, cities=max(1, stations // 12), seed=5, region_km=100 * stations**0.5
    )
    world = synth_world(spec)[0].data
    read = {}
    for fmt in ("unabridged", "channelspecific"):
        write_constraints(world, tmp_path / fmt, fmt)
        read[fmt] = load_constraints(tmp_path / fmt, use_cache=False)
    assert read["unabridged"].fingerprint == read["channelspecific"].fingerprint
    channels = tuple(range(14, 24))
    ours = Checker(read["channelspecific"], CheckerConfig())
    plain = Checker(read["unabridged"], PLAIN)
    seen = set()
    limit = min(stations, 120)
    for problem, reference in packing_sequence(
        read["unabridged"], channels, lambda p: plain.check(p, 60), seed=1, limit=limit
    ):
        result = ours.check(problem, 60)
        assert result.answer is reference.answer, (problem.name, result.solved_by)
        if result.sat:
            assert violations(result.assignment, problem, read["unabridged"]) == []
        seen.add(result.answer)
    assert Answer.SAT in seen
