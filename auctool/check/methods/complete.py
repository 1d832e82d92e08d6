"""The complete side of a check: a SAT solver on the whole problem, after shrinking it.

Two ways, chosen by the ``incremental`` knob:

- *decomposed*: arc consistency, underconstrained-station removal and connected
  components, each component encoded and handed to the configured solver; an UNSAT
  component proves the whole problem UNSAT;
- *incremental*: one persistent solver per channel universe holds the whole data's
  clauses, each check is a solve under assumptions (learned clauses kept across checks).

Both answer SAT (a witness over every station), UNSAT, or TIMEOUT at the budget.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from auctool.check.budget import Budget
from auctool.check.config.configs import CheckerConfig
from auctool.check.methods.reductions import (
    ProblemView,
    add_back,
    arc_consistency,
    components,
    underconstrained,
)
from auctool.check.result import Answer, Component, Family
from auctool.check.solve.encoding import encode
from auctool.check.solve.solvers import solve_once
from auctool.errors import RunError
from auctool.model.constraints import ConstraintData
from auctool.model.problem import Problem

if TYPE_CHECKING:
    from auctool.check.solve.incremental import IncrementalSolver
    from auctool.check.story import Outcome, Story


def order_domains(
    domains: Mapping[int, tuple[int, ...]], data: ConstraintData, order: str
) -> dict[int, tuple[int, ...]]:
    """The domains in the variable order a configuration asks for."""
    stations = list(domains)
    if order == "degree":
        degree = data.interference.degree
        stations.sort(key=lambda s: (-degree.get(s, 0), s))
    elif order == "domain":
        stations.sort(key=lambda s: (len(domains[s]), s))
    return {s: domains[s] for s in stations}


def solve_incremental(
    data: ConstraintData,
    cfg: CheckerConfig,
    solver: IncrementalSolver,
    p: Problem,
    budget: Budget,
    story: Story,
    prune: bool = True,
) -> Outcome:
    """The persistent solver under assumptions; ``prune``: arc consistency first (the
    ``ac3`` knob), skipped by a race's solve thread, where its ~0.3 s of Python on a
    national problem would hold the lock the local search shares."""
    domains: Mapping[int, tuple[int, ...]] = p.domains
    if cfg.ac3 and prune:
        with story.step("ac3") as note:
            pruned, removed = arc_consistency(ProblemView(data, domains))
            note["outcome"] = "UNSAT" if pruned is None else f"pruned {removed}"
            if pruned is None:
                return Answer.UNSAT, None, Component.of(Family.PRESOLVE, "ac3")
            domains = pruned
    name = Component.of(Family.INCREMENTAL, cfg.solver)
    with story.step(name) as note:
        if not solver.ensure(list(domains), budget):
            note["outcome"] = "building"
            return Answer.TIMEOUT, None, None
        out, assignment = solver.solve(domains, p.previous, budget, phases=cfg.phases)
        story.stats["conflicts"] = out.conflicts
        story.stats["incremental_stations"] = solver.size[0]
        if out.status is None:
            return Answer.TIMEOUT, None, None
        note["outcome"] = "SAT" if out.status else "UNSAT"
        if not out.status:
            story.core = _solver_core(solver, out.core, p)
            return Answer.UNSAT, None, name
        return Answer.SAT, assignment, name


def _solver_core(
    solver: IncrementalSolver, failed: tuple[int, ...] | None, p: Problem
) -> tuple[int, ...] | None:
    """The stations of the solver's UNSAT core, when they are infeasible on the problem's
    own channels: a core that used a channel only arc consistency struck (it depends on
    stations outside the core) is not reported."""
    if not failed:
        return None
    stations, excluded = solver.explain(failed)
    if not stations or any(c in p.domains[s] for s, c in excluded):
        return None
    return tuple(stations)


def solve_decomposed(
    data: ConstraintData, cfg: CheckerConfig, p: Problem, budget: Budget, story: Story
) -> Outcome:
    domains: dict[int, tuple[int, ...]] = dict(p.domains)
    view = ProblemView(data, domains)
    pruned_any = False  # an UNSAT component is a core only on the problem's own channels
    if cfg.ac3:
        with story.step("ac3") as note:
            pruned, removed = arc_consistency(view)
            note["outcome"] = "UNSAT" if pruned is None else f"pruned {removed}"
            if pruned is None:
                return Answer.UNSAT, None, Component.of(Family.PRESOLVE, "ac3")
            if removed:
                domains = pruned
                view = ProblemView(data, domains)
                pruned_any = True
    if budget.expired():
        return Answer.TIMEOUT, None, None
    removed_stations: list[int] = []
    if cfg.underconstrained:
        with story.step("underconstrained") as note:
            removed_stations = underconstrained(view)
            note["outcome"] = f"removed {len(removed_stations)}"
    if budget.expired():
        return Answer.TIMEOUT, None, None
    gone = set(removed_stations)
    core = [s for s in domains if s not in gone]
    if cfg.components and core:
        with story.step("components") as note:
            groups = components(view, core)
            note["outcome"] = f"{len(groups)} components"
    else:
        groups = [core] if core else []
    new = {s for s in domains if p.previous.get(s) not in domains[s]}
    groups.sort(key=lambda g: (not new.intersection(g), len(g)))
    assignment: dict[int, int] = {}
    name = (
        Component.of(Family.SOLVER, cfg.solver)
        if groups
        else Component.of(Family.PRESOLVE, "underconstrained")
    )
    conflicts = 0
    with story.step(name if groups else "solver") as note:
        for group in groups:
            if budget.expired():
                story.stats["conflicts"] = conflicts
                return Answer.TIMEOUT, None, None
            sub = order_domains({s: domains[s] for s in group}, data, cfg.order)
            enc = encode(sub, data, cfg.encoding)
            phases = enc.phases(p.previous) if cfg.phases else ()
            out = solve_once(
                cfg.solver,
                enc.clauses(),
                budget.deadline,
                phases=phases,
                stop=budget.stop,
                conflicts=budget.conflicts,
                options=cfg.solver_options,
            )
            budget.spend(out.conflicts)
            conflicts += out.conflicts
            if out.status is None:
                story.stats["conflicts"] = conflicts
                return Answer.TIMEOUT, None, None
            if not out.status:
                note["outcome"] = "UNSAT"
                story.stats["conflicts"] = conflicts
                story.core = None if pruned_any else tuple(group)
                return Answer.UNSAT, None, name
            assignment.update(enc.decode(out.model))
        note["outcome"] = "SAT"
    story.stats["conflicts"] = conflicts
    if removed_stations:
        with story.step("add-back") as note:
            full = add_back(data, domains, assignment, removed_stations)
            if full is None:
                raise RunError("internal error: an underconstrained station found no free channel")
            note["outcome"] = f"placed {len(removed_stations)}"
            assignment = full
    return Answer.SAT, assignment, name
