"""The checker: answers one feasibility question under a cutoff, with a verified witness.

``Checker(data, config).check(problem, cutoff)`` runs the configured pipeline, cheapest
first, and returns a :class:`CheckResult` that tells which component answered and where
the time went:

1. trivial cases (an empty domain, no stations);
2. the containment cache (a cached SAT superset or UNSAT subset);
3. the previous assignment, new stations placed greedily;
4. the neighbourhood re-solve around the new stations;
5. local search from the previous assignment;
6. the full solve: incremental (one persistent solver), or arc consistency,
   underconstrained-station removal and connected components, each component encoded and
   handed to the configured SAT solver.

Whatever component finds a SAT answer, the witness passes the independent verifier
before it is returned. A presolver's candidate that fails is simply not used; a
*solver's* witness that fails is a bug and raises :class:`RunError`.
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from auctool.check.budget import Budget, StopSignal
from auctool.check.cache import ContainmentCache
from auctool.check.clique import clique_proof
from auctool.check.config import CheckerConfig
from auctool.check.encoding import encode
from auctool.check.incremental import IncrementalSolver
from auctool.check.localsearch import local_search
from auctool.check.neighbourhood import neighbourhood_solve
from auctool.check.presolve import (
    ProblemView,
    add_back,
    arc_consistency,
    components,
    greedy_extend,
    underconstrained,
)
from auctool.check.result import Answer, CheckResult, Stage
from auctool.check.solvers import solve_once
from auctool.errors import InputError, RunError
from auctool.model.constraints import ConstraintData
from auctool.model.problem import Problem
from auctool.model.verify import WitnessVerifier

Outcome = tuple[Answer, dict[int, int] | None, str | None]


def ordered_domains(
    problem: Problem, data: ConstraintData, order: str
) -> dict[int, tuple[int, ...]]:
    """The problem's domains in the variable order the configuration asks for."""
    return order_domains(problem.domains, data, order)


def order_domains(
    domains: Mapping[int, tuple[int, ...]], data: ConstraintData, order: str
) -> dict[int, tuple[int, ...]]:
    stations = list(domains)
    if order == "degree":
        degree = data.interference.degree
        stations.sort(key=lambda s: (-degree.get(s, 0), s))
    elif order == "domain":
        stations.sort(key=lambda s: (len(domains[s]), s))
    return {s: domains[s] for s in stations}


def prepare_problem(problem: Problem, data: ConstraintData) -> tuple[Problem, list[str]]:
    """Intersect the problem's domains with the data's (SATFC does the same), or fail."""
    try:
        return problem.against(data)
    except KeyError as exc:
        missing = exc.args[0]
        more = f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""
        raise InputError(
            f"station {missing[0]}{more} is not in the constraint data's Domain.csv "
            f"({data.source or data.name})",
            problem.name or None,
        ) from None


class _Story:
    """Collects the stages of one check (name, seconds, outcome) and stats."""

    def __init__(self) -> None:
        self.stages: list[Stage] = []
        self.stats: dict[str, object] = {}

    @contextmanager
    def stage(self, name: str) -> Iterator[dict[str, str]]:
        note = {"outcome": "no answer"}
        start = time.monotonic()
        try:
            yield note
        finally:
            self.stages.append(Stage(name, time.monotonic() - start, note["outcome"]))


class Checker:
    """Feasibility checks against one constraint data set with one configuration."""

    #: Persistent incremental solvers kept per checker (one per channel universe).
    MAX_INCREMENTAL = 2
    #: Containment-cache entries kept (least recently used go first).
    MAX_CACHE = 100_000

    def __init__(
        self,
        data: ConstraintData,
        config: CheckerConfig | None = None,
        cache_file: Path | None = None,
    ):
        self.data = data
        self.config = config or CheckerConfig()
        self.verifier = WitnessVerifier(data)
        self._incremental: OrderedDict[frozenset[int], IncrementalSolver] = OrderedDict()
        self.cache_file = cache_file
        self._cache: ContainmentCache | None = None

    @property
    def cache(self) -> ContainmentCache | None:
        """The containment cache (opened at first use; None when the knob is off)."""
        if self._cache is None and self.config.cache:
            self._cache = ContainmentCache(self.cache_file, max_entries=self.MAX_CACHE)
        return self._cache

    def close(self) -> None:
        """Free the persistent solvers and close the cache file."""
        for solver in self._incremental.values():
            solver.close()
        self._incremental.clear()
        if self._cache is not None:
            self._cache.close()
            self._cache = None

    def __enter__(self) -> Checker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---------------------------------------------------------------------------------
    def prepare(self, problem: Problem) -> tuple[Problem, list[str]]:
        return prepare_problem(problem, self.data)

    def check(
        self,
        problem: Problem,
        cutoff: float | None = None,
        instance: str = "",
        stop: StopSignal | None = None,
    ) -> CheckResult:
        """Answer SAT (with a verified assignment), UNSAT or TIMEOUT within ``cutoff`` seconds."""
        if cutoff is not None and (not math.isfinite(cutoff) or cutoff <= 0):
            raise InputError(f"cutoff must be a positive number of seconds, got {cutoff}")
        start = time.monotonic()
        budget = Budget.of(cutoff, stop)
        prepared, warnings = self.prepare(problem)
        story = _Story()
        answer, assignment, solved_by = self._pipeline(prepared, budget, story)
        if assignment is not None:
            bad = self.verifier.violations(assignment, prepared, limit=3)
            if bad:
                raise RunError(
                    f"internal error: {solved_by} produced an invalid witness ({bad[0].message}); "
                    "the answer was not reported"
                )
        cache = self.cache
        if (
            cache is not None
            and answer is not Answer.TIMEOUT
            and not (solved_by or "").startswith("cache")
        ):
            cache.store(self.data.fingerprint, prepared, answer, assignment)
        return CheckResult(
            answer=answer,
            seconds=time.monotonic() - start,
            assignment=assignment,
            solved_by=solved_by,
            stages=tuple(story.stages),
            instance=instance or problem.name,
            warnings=tuple(warnings),
            cache_hit=story.stats.get("cache"),
            stats=story.stats,
        )

    # ---------------------------------------------------------------------------------
    def _pipeline(self, p: Problem, budget: Budget, story: _Story) -> Outcome:
        cfg = self.config
        with story.stage("trivial") as note:
            if any(not d for d in p.domains.values()):
                note["outcome"] = "UNSAT"
                return Answer.UNSAT, None, "trivial:empty-domain"
            if not p.domains:
                note["outcome"] = "SAT"
                return Answer.SAT, {}, "trivial:no-stations"
        cache = self.cache
        if cache is not None:
            with story.stage("cache") as note:
                hit = cache.lookup(self.data.fingerprint, p)
                if hit is not None:
                    note["outcome"] = hit.kind
                    story.stats["cache"] = hit.kind
                    assignment = None if hit.assignment is None else dict(hit.assignment)
                    return hit.answer, assignment, f"cache:{hit.kind}"
        if cfg.previous and p.previous:
            with story.stage("previous") as note:
                fixed = {s: c for s, c in p.previous.items() if c in p.domains[s]}
                candidate = greedy_extend(self.data, p.domains, fixed)
                if candidate is not None and self.verifier.is_valid(candidate, p):
                    note["outcome"] = "SAT"
                    return Answer.SAT, candidate, "presolve:previous"
        if cfg.clique and not budget.expired():
            with story.stage("clique") as note:
                proof = clique_proof(ProblemView(self.data, p.domains), self._seeds(p), budget)
                if proof is not None:
                    note["outcome"] = "UNSAT"
                    story.stats["clique"] = proof.describe()
                    return Answer.UNSAT, None, f"presolve:clique-{proof.kind}"
        if cfg.local_search and not budget.expired():
            with story.stage("local-search") as note:
                found = local_search(
                    p,
                    self.data,
                    budget.deadline,
                    noise=cfg.ls_noise,
                    max_flips=cfg.ls_flips,
                    verify=False,
                )
                if found is not None and self.verifier.is_valid(found, p):
                    note["outcome"] = "SAT"
                    return Answer.SAT, found, "presolve:local-search"
        if cfg.neighbourhood and p.previous and not budget.expired():
            with story.stage("neighbourhood") as note:
                out = neighbourhood_solve(
                    p,
                    self.data,
                    budget.share(cfg.neighbourhood_share),
                    cfg.neighbourhood_rings,
                    cfg.neighbourhood_solver,
                    clique=cfg.clique,
                )
                story.stats["neighbourhood_stations"] = out.stations
                if out.answer == "SAT" and self.verifier.is_valid(out.assignment, p):
                    note["outcome"] = "SAT"
                    return Answer.SAT, out.assignment, f"presolve:neighbourhood(k={out.rings})"
                if out.answer == "UNSAT":
                    note["outcome"] = "UNSAT"
                    return Answer.UNSAT, None, f"presolve:neighbourhood-unsat(k={out.rings})"
        if budget.expired():
            return Answer.TIMEOUT, None, None
        if cfg.incremental:
            return self._solve_incremental(p, budget, story)
        return self._solve_decomposed(p, budget, story)

    def _seeds(self, p: Problem, most: int = 20) -> list[int]:
        """Where to look for UNSAT cliques: the new stations, else the most connected ones."""
        new = [s for s in p.domains if p.previous.get(s) not in p.domains[s]]
        if new and len(new) < len(p.domains):
            return new[:most]
        degree = self.data.interference.degree
        return sorted(p.domains, key=lambda s: -degree.get(s, 0))[:most]

    def _solve_incremental(self, p: Problem, budget: Budget, story: _Story) -> Outcome:
        cfg = self.config
        domains: Mapping[int, tuple[int, ...]] = p.domains
        if cfg.ac3:
            with story.stage("ac3") as note:
                pruned, removed = arc_consistency(ProblemView(self.data, domains))
                note["outcome"] = "UNSAT" if pruned is None else f"pruned {removed}"
                if pruned is None:
                    return Answer.UNSAT, None, "presolve:ac3"
                domains = pruned
        universe = frozenset(c for d in p.domains.values() for c in d)
        name = f"incremental:{cfg.solver}"
        with story.stage(name) as note:
            solver = self._incremental_for(universe)
            if not solver.ensure(list(domains), budget):
                note["outcome"] = "building"
                return Answer.TIMEOUT, None, None
            out, assignment = solver.solve(domains, p.previous, budget, phases=cfg.phases)
            story.stats["conflicts"] = out.conflicts
            story.stats["incremental_stations"] = solver.size[0]
            if out.status is None:
                return Answer.TIMEOUT, None, None
            note["outcome"] = "SAT" if out.status else "UNSAT"
            return (Answer.SAT, assignment, name) if out.status else (Answer.UNSAT, None, name)

    def _incremental_for(self, universe: frozenset[int]) -> IncrementalSolver:
        solver = self._incremental.get(universe)
        if solver is None:
            solver = IncrementalSolver(
                self.data, universe, self.config.solver, amo=self.config.encoding != "multivalued"
            )
            self._incremental[universe] = solver
            while len(self._incremental) > self.MAX_INCREMENTAL:
                _, old = self._incremental.popitem(last=False)
                old.close()
        else:
            self._incremental.move_to_end(universe)
        return solver

    def _solve_decomposed(self, p: Problem, budget: Budget, story: _Story) -> Outcome:
        cfg = self.config
        domains: dict[int, tuple[int, ...]] = dict(p.domains)
        view = ProblemView(self.data, domains)
        if cfg.ac3:
            with story.stage("ac3") as note:
                pruned, removed = arc_consistency(view)
                note["outcome"] = "UNSAT" if pruned is None else f"pruned {removed}"
                if pruned is None:
                    return Answer.UNSAT, None, "presolve:ac3"
                if removed:
                    domains = pruned
                    view = ProblemView(self.data, domains)
        if budget.expired():
            return Answer.TIMEOUT, None, None
        removed_stations: list[int] = []
        if cfg.underconstrained:
            with story.stage("underconstrained") as note:
                removed_stations = underconstrained(view)
                note["outcome"] = f"removed {len(removed_stations)}"
        if budget.expired():
            return Answer.TIMEOUT, None, None
        gone = set(removed_stations)
        core = [s for s in domains if s not in gone]
        if cfg.components and core:
            with story.stage("components") as note:
                groups = components(view, core)
                note["outcome"] = f"{len(groups)} components"
        else:
            groups = [core] if core else []
        new = {s for s in domains if p.previous.get(s) not in domains[s]}
        groups.sort(key=lambda g: (not new.intersection(g), len(g)))
        assignment: dict[int, int] = {}
        name = f"solver:{cfg.solver}" if groups else "presolve:underconstrained"
        conflicts = 0
        with story.stage(name if groups else "solver") as note:
            for group in groups:
                if budget.expired():
                    story.stats["conflicts"] = conflicts
                    return Answer.TIMEOUT, None, None
                sub = order_domains({s: domains[s] for s in group}, self.data, cfg.order)
                enc = encode(sub, self.data, cfg.encoding)
                phases = enc.phases(p.previous) if cfg.phases else ()
                out = solve_once(
                    cfg.solver, enc.clauses(), budget.deadline, phases=phases, stop=budget.stop
                )
                conflicts += out.conflicts
                if out.status is None:
                    story.stats["conflicts"] = conflicts
                    return Answer.TIMEOUT, None, None
                if not out.status:
                    note["outcome"] = "UNSAT"
                    story.stats["conflicts"] = conflicts
                    return Answer.UNSAT, None, name
                assignment.update(enc.decode(out.model))
            note["outcome"] = "SAT"
        story.stats["conflicts"] = conflicts
        if removed_stations:
            with story.stage("add-back") as note:
                full = add_back(self.data, domains, assignment, removed_stations)
                if full is None:
                    raise RunError(
                        "internal error: an underconstrained station found no free channel"
                    )
                note["outcome"] = f"placed {len(removed_stations)}"
                assignment = full
        return Answer.SAT, assignment, name
