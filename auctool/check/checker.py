"""The checker: answers one feasibility question under a cutoff, with a verified witness.

``Checker(data, config).check(problem, cutoff)`` runs the configured pipeline, cheapest
first, and returns a :class:`CheckResult` that tells which component answered and where
the time went:

1. trivial cases (an empty domain, no stations);
2. the containment cache (a cached SAT superset or UNSAT subset, UNSAT cores included);
3. the previous assignment, new stations placed greedily (most auction checks end here);
4. clique bounds around the new stations (UNSAT by counting) and a short local search
   (:data:`QUICK_FLIPS` moves of the compiled tabu search: milliseconds);
5. the hard part, as a *race* when there are two cores (``auctool.check.race``): on
   one core the complete solve (``auctool.check.complete``) for
   :data:`RACE_COMPLETE_SECONDS`, then a search of the whole problem with its own seed,
   then the complete solver again; on the other, a little more local search, the
   neighbourhood re-solve (its rings searched first), then the rest of the local search;
   the first conclusive answer wins. With ``incremental`` (the default) the complete
   solver is a persistent one loaded here (:meth:`Checker.warm` loads it ahead of an
   auction): building a national formula costs ~1 s, more than a cutoff. On one core (or
   with ``race: false``, or
   in work mode, where budgets are solver conflicts and flips: ``auctool.check.budget``)
   the same stages are time-sliced instead (:meth:`Checker._one_after_another`). Every
   stage's allowance is an absolute cap or a share of what is left, so a longer cutoff
   never loses an answer a shorter one found.

Whatever component finds a SAT answer, the witness passes the independent verifier
before it is returned. A presolver's candidate that fails is simply not used; a
*solver's* witness that fails is a bug and raises :class:`RunError`. The small
sub-problems that prove an UNSAT answer (a clique, a neighbourhood relaxation) go into
the containment cache as UNSAT cores: any later question that contains one is answered
at once.
"""

from __future__ import annotations

import time
from pathlib import Path

from auctool.check.budget import FLIPS_PER_SECOND, Budget, StopSignal
from auctool.check.cache import ContainmentCache
from auctool.check.clique import clique_proof
from auctool.check.complete import solve_decomposed, solve_incremental
from auctool.check.config import CheckerConfig
from auctool.check.incremental import IncrementalSolver, SolverPool
from auctool.check.localsearch import local_search, warm_up
from auctool.check.neighbourhood import neighbourhood_solve
from auctool.check.presolve import ProblemView, greedy_extend
from auctool.check.race import AnyStop, Race, ThreadRace, cores
from auctool.check.result import Answer, CheckResult, Component, Family
from auctool.check.solvers import check_budget_mode
from auctool.check.story import Outcome, Story
from auctool.errors import InputError, RunError
from auctool.model.constraints import ConstraintData
from auctool.model.cutoff import Cutoff
from auctool.model.problem import Problem
from auctool.model.verify import WitnessVerifier


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


#: Seconds the clique bounds may search (absolute: a longer cutoff gives them no more, so
#: it never delays a stage that answered at a shorter one). Proofs take 10-90 ms.
CLIQUE_SECONDS = 0.25


#: Local-search moves tried before the race forks (the rest of ``ls_flips`` run beside
#: the complete solver): a few milliseconds, enough for most checks that get this far.
QUICK_FLIPS = 5_000
#: The race's local side: flips of the whole problem's search before the neighbourhood.
WHOLE_FLIPS = 30_000
#: Without a race (one core, work mode): the complete solver's first slice (seconds) and
#: the share of what is left that the rest of the local search may use after it.
FIRST_COMPLETE_SECONDS = 0.1
LS_SHARE = 0.5
#: In a race: the complete solver's slice before its core searches too (None: no search
#: there). Its UNSAT proofs on national questions come within ~0.3 s, while the hard SAT
#: answers the rings miss come from a long search of the whole problem: on the hard-tail
#: sample (132 national questions, 1 s) 73 answered with the solver alone, 78 with this.
RACE_COMPLETE_SECONDS: float | None = 0.35


class Checker:
    """Feasibility checks against one constraint data set with one configuration."""

    #: Containment-cache entries kept (least recently used go first).
    MAX_CACHE = 100_000

    def __init__(
        self,
        data: ConstraintData,
        config: CheckerConfig | None = None,
        cache_file: Path | None = None,
        budget_mode: str = "time",
        solvers: SolverPool | None = None,
    ):
        self.data = data
        self.config = config or CheckerConfig()
        self.budget_mode = check_budget_mode(budget_mode, self.config.solvers)
        self.verifier = WitnessVerifier(data)
        # persistent solvers: our own, or a pool shared with other checkers (a tuner's
        # worker keeps one loaded national formula across trials); only our own we close
        self._own_solvers = solvers is None
        self._solvers = SolverPool() if solvers is None else solvers
        self.cache_file = cache_file
        self._cache: ContainmentCache | None = None
        self._prepared: tuple[Problem, Problem, list[str]] | None = None  # see _prepare
        self.cores = cores()  # the race needs a second one
        if self.config.local_search:
            warm_up()  # the compiled search loads here, not inside the first check's cutoff

    @property
    def cache(self) -> ContainmentCache | None:
        """The containment cache (opened at first use; None when the knob is off)."""
        if self._cache is None and self.config.cache:
            self._cache = ContainmentCache(self.cache_file, max_entries=self.MAX_CACHE)
        return self._cache

    @property
    def solvers(self) -> SolverPool:
        """The persistent solvers this checker uses (its own, or a shared pool)."""
        return self._solvers

    def close(self) -> None:
        """Free the persistent solvers and close the cache file."""
        if self._own_solvers:
            self._solvers.close()
        if self._cache is not None:
            self._cache.close()
            self._cache = None

    def __enter__(self) -> Checker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---------------------------------------------------------------------------------
    def warm(self, problem: Problem) -> None:
        """Load the persistent solver with ``problem``'s stations ahead of the checks.

        With ``incremental: true`` a national band's formula takes ~1-2 s to build; an
        auction knows its stations up front, so it builds here rather than inside the
        first checks' cutoffs. A no-op for other configurations.
        """
        if self.config.incremental:
            prepared, _ = self._prepare(problem)
            solver = self._incremental_for(_universe(prepared))
            solver.ensure(list(prepared.domains))
            solver.solver.sync()

    def check(
        self,
        problem: Problem,
        cutoff: float | None = None,
        instance: str = "",
        stop: StopSignal | None = None,
    ) -> CheckResult:
        """Answer SAT (with a verified assignment), UNSAT or TIMEOUT within ``cutoff`` seconds."""
        cutoff = Cutoff.optional(cutoff)
        start = time.monotonic()
        budget = (Budget.of_work if self.budget_mode == "work" else Budget.of)(cutoff, stop)
        prepared, warnings = self._prepare(problem)
        story = Story()
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
            and (solved_by is None or solved_by.family is not Family.CACHE)
        ):
            cache.store(self.data.fingerprint, prepared, answer, assignment)
            if answer is Answer.UNSAT and story.core and "core_stations" not in story.stats:
                # a solver's core (its stations alone are infeasible): cached for later
                self._remember_core({s: prepared.domains[s] for s in story.core}, story)
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
            core=story.core if answer is Answer.UNSAT else None,
        )

    def _prepare(self, problem: Problem) -> tuple[Problem, list[str]]:
        """:func:`prepare_problem`, done once when ``warm`` prepared the same problem just
        before (a tuner's trial warms, then checks, one problem)."""
        last = self._prepared
        if last is None or last[0] is not problem:
            last = self._prepared = (problem, *prepare_problem(problem, self.data))
        return last[1], list(last[2])

    # ---------------------------------------------------------------------------------
    def _pipeline(self, p: Problem, budget: Budget, story: Story) -> Outcome:
        cfg = self.config
        with story.stage("trivial") as note:
            empty = [s for s, d in p.domains.items() if not d]
            if empty:
                note["outcome"] = "UNSAT"
                story.core = (empty[0],)  # a station with no channel is infeasible alone
                return Answer.UNSAT, None, Component.of(Family.TRIVIAL, "empty-domain")
            if not p.domains:
                note["outcome"] = "SAT"
                return Answer.SAT, {}, Component.of(Family.TRIVIAL, "no-stations")
        cache = self.cache
        if cache is not None:
            with story.stage("cache") as note:
                hit = cache.lookup(self.data.fingerprint, p)
                if hit is not None:
                    note["outcome"] = hit.kind
                    story.stats["cache"] = hit.kind
                    story.core = hit.stations
                    assignment = None if hit.assignment is None else dict(hit.assignment)
                    return hit.answer, assignment, Component.of(Family.CACHE, hit.kind)
        if cfg.previous and p.previous:
            with story.stage("previous") as note:
                fixed = {s: c for s, c in p.previous.items() if c in p.domains[s]}
                candidate = greedy_extend(self.data, p.domains, fixed)
                if candidate is not None and self.verifier.is_valid(candidate, p):
                    note["outcome"] = "SAT"
                    return Answer.SAT, candidate, Component.of(Family.PRESOLVE, "previous")
        if budget.expired():
            return Answer.TIMEOUT, None, None
        if self._races():
            return self._race(p, budget, story)
        return self._one_after_another(p, budget, story)

    def _races(self) -> bool:
        """The hard part as a race: two cores, and time budgets (a race's winner is luck)."""
        cfg = self.config
        return cfg.race and cfg.neighbourhood and self.cores >= 2 and self.budget_mode == "time"

    def _one_after_another(self, p: Problem, budget: Budget, story: Story) -> Outcome:
        """The hard part without a race: time-sliced so neither side starves the other.

        A short local search, the neighbourhood (its share), the complete solver for
        :data:`FIRST_COMPLETE_SECONDS` (most UNSAT answers), the rest of the local search
        (:data:`LS_SHARE` of what is left), then the complete solver to the end.
        """
        cfg = self.config
        first = min(cfg.ls_flips, QUICK_FLIPS)
        found = self._quick(p, budget, story, first) or self._neighbourhood(
            p, budget, story, cfg.neighbourhood_share
        )
        if found is not None or budget.expired():
            return found or (Answer.TIMEOUT, None, None)
        if cfg.local_search and cfg.ls_flips > first:
            out = self._complete(p, budget.at_most(FIRST_COMPLETE_SECONDS), story)
            if out[0] is not Answer.TIMEOUT or budget.expired():
                return out
            rest = budget.share(LS_SHARE)
            found = self._local_search(p, rest, story, cfg.ls_flips - first, seed=1)
            if found is not None or budget.expired():
                return found or (Answer.TIMEOUT, None, None)
        return self._complete(p, budget, story)

    def _complete(self, p: Problem, budget: Budget, story: Story, prune: bool = True) -> Outcome:
        """The complete solver: incremental (persistent, per channel universe) or decomposed."""
        if self.config.incremental:
            solver = self._incremental_for(_universe(p))
            return solve_incremental(self.data, self.config, solver, p, budget, story, prune)
        return solve_decomposed(self.data, self.config, p, budget, story)

    def _quick(self, p: Problem, budget: Budget, story: Story, flips: int) -> Outcome | None:
        """Clique bounds (UNSAT) and a short local search (SAT, at most ``flips`` moves):
        milliseconds, before any fork."""
        cfg = self.config
        if cfg.clique and not budget.expired():
            with story.stage("clique") as note:
                view = ProblemView(self.data, p.domains)
                proof = clique_proof(view, self._seeds(p), budget.at_most(CLIQUE_SECONDS))
                if proof is not None:
                    note["outcome"] = "UNSAT"
                    story.stats["clique"] = proof.describe()
                    self._remember_core({s: p.domains[s] for s in proof.stations}, story)
                    return Answer.UNSAT, None, Component.of(Family.PRESOLVE, f"clique-{proof.kind}")
        if cfg.local_search:
            return self._local_search(p, budget, story, flips)
        return None

    def _local_search(
        self,
        p: Problem,
        budget: Budget,
        story: Story,
        flips: int,
        seed: int = 0,
        stage: str = "local-search",
    ) -> Outcome | None:
        """Tabu search from the previous assignment (SAT only)."""
        if budget.work is not None:  # work mode: flips are work too
            flips = min(flips, int(budget.remaining() * FLIPS_PER_SECOND))
        if budget.expired() or flips <= 0:
            return None
        with story.stage(stage) as note:
            found = local_search(
                p,
                self.data,
                budget.deadline,
                seed,
                noise=self.config.ls_noise,
                max_flips=flips,
                verify=False,
                stop=budget.stop,
            )
            if found is not None and self.verifier.is_valid(found, p):
                note["outcome"] = "SAT"
                return Answer.SAT, found, Component.of(Family.PRESOLVE, "local-search")
        return None

    def _neighbourhood(
        self, p: Problem, budget: Budget, story: Story, share: float | None
    ) -> Outcome | None:
        """The neighbourhood re-solve around the new stations (SAT, or UNSAT with a core)."""
        cfg = self.config

        def search(ring: Problem, ring_budget: Budget) -> dict[int, int] | None:
            stage = "neighbourhood:local-search"
            found = self._local_search(ring, ring_budget, story, cfg.ls_flips, 2, stage)
            return None if found is None else found[1]

        if cfg.neighbourhood and p.previous and not budget.expired():
            with story.stage("neighbourhood") as note:
                out = neighbourhood_solve(
                    p,
                    self.data,
                    budget if share is None else budget.share(share),
                    cfg.neighbourhood_rings,
                    cfg.neighbourhood_solver,
                    clique=cfg.clique,
                    search=search if cfg.local_search else None,
                )
                story.stats["neighbourhood_stations"] = out.stations
                if out.answer is Answer.SAT and self.verifier.is_valid(out.assignment, p):
                    note["outcome"] = "SAT"
                    by = Component.of(Family.PRESOLVE, "neighbourhood", f"k={out.rings}")
                    return Answer.SAT, out.assignment, by
                if out.answer is Answer.UNSAT:
                    note["outcome"] = "UNSAT"
                    if out.core is not None:
                        self._remember_core(out.core, story)
                    by = Component.of(Family.PRESOLVE, "neighbourhood-unsat", f"k={out.rings}")
                    return Answer.UNSAT, None, by
        return None

    def _race(self, p: Problem, budget: Budget, story: Story) -> Outcome:
        """The complete solve in a child, the local stages here; the first answer wins.

        With ``incremental: true`` the persistent solver is loaded first (the stations the
        problem adds, under the budget): no formula is built inside the race. A solver
        that lives in a solver process (CaDiCaL, Glucose: ``auctool.check.server``) is
        asked from a thread and keeps what it learns; any other solves a forked,
        copy-on-write copy of this process.
        """
        cfg = self.config
        # most hard-looking checks end in a short search: no fork
        first = min(cfg.ls_flips, QUICK_FLIPS) if cfg.local_search else 0
        found = self._quick(p, budget, story, first)
        if found is not None or budget.expired():
            return found or (Answer.TIMEOUT, None, None)
        if cfg.incremental:
            with story.stage("incremental:load") as note:
                solver = self._incremental_for(_universe(p))
                loaded = solver.ensure(list(p.domains), budget)
                note["outcome"] = "loaded" if loaded else "building"
            if not loaded:  # still building: the local stages have what is left
                return self._presolvers(p, budget, story, first) or (Answer.TIMEOUT, None, None)

        def complete(
            stop: StopSignal | None = None,
        ) -> tuple[Outcome, list, dict, tuple[int, ...] | None]:
            mine = Story()
            outcome = self._second_core(p, Budget(budget.deadline, stop), mine, stop is None)
            return outcome, mine.stages, mine.stats, mine.core

        # a solver process keeps what it learns: ask it from a thread; else fork a copy
        learns = cfg.incremental and self._incremental_for(_universe(p)).solver.keeps_learning
        race: Race | ThreadRace = ThreadRace(complete) if learns else Race(complete)
        try:
            found = self._presolvers(
                p, Budget(budget.deadline, AnyStop(budget.stop, race)), story, first
            )
            if found is not None:
                story.stats["race"] = "presolvers"
                return found
            with story.stage("race:complete") as note:
                # until the deadline, or a portfolio's stop signal
                done = race.wait_until(budget.deadline, budget.stop)
                result = race.result(0.0) if done else None
                if race.failed is not None:
                    raise RunError(f"internal error: the complete solver failed ({race.failed})")
                if result is None:
                    return Answer.TIMEOUT, None, None
                outcome, stages, stats, core = result
                note["outcome"] = outcome[0].value
            story.stages.extend(stages)
            story.stats.update(stats)
            story.core = core
            story.stats["race"] = "complete"
            return outcome
        finally:
            race.cancel()

    def _second_core(self, p: Problem, budget: Budget, story: Story, prune: bool) -> Outcome:
        """The race's other core: the complete solver for :data:`RACE_COMPLETE_SECONDS`
        (nearly every proof it gives comes by then), a long search of the whole problem
        with a seed of its own (where the hard SAT answers the rings miss come from; the
        local side is busy with the rings), then the complete solver again to the end.
        With at most :data:`WHOLE_FLIPS` moves the local side runs that search itself."""
        cfg = self.config
        if not (cfg.local_search and cfg.ls_flips > WHOLE_FLIPS) or RACE_COMPLETE_SECONDS is None:
            return self._complete(p, budget, story, prune)
        out = self._complete(p, budget.at_most(RACE_COMPLETE_SECONDS), story, prune)
        if out[0] is not Answer.TIMEOUT or budget.expired():
            return out
        stage = "race:local-search"
        found = self._local_search(p, budget, story, cfg.ls_flips, seed=5, stage=stage)
        if found is not None or budget.expired():
            return found or out
        return self._complete(p, budget, story, prune=False)  # pruned in the first slice

    def _presolvers(
        self, p: Problem, budget: Budget, story: Story, done_flips: int
    ) -> Outcome | None:
        """The race's local side: a little more local search of the whole problem, the
        neighbourhood (its rings searched first), then the rest of the local search.

        The whole problem's search answers within :data:`WHOLE_FLIPS` or not at all, nearly
        always (99% of its answers in a national auction came within 0.3 s); the rings'
        search answers much of what it cannot, so the rings go before its long tail."""
        cfg = self.config
        left = cfg.ls_flips - done_flips if cfg.local_search else 0
        first = min(left, WHOLE_FLIPS)
        found = self._local_search(p, budget, story, first, seed=1)
        found = found or self._neighbourhood(p, budget, story, None)
        return found or self._local_search(p, budget, story, left - first, seed=3)

    def _remember_core(self, core: dict[int, tuple[int, ...]], story: Story) -> None:
        """An UNSAT sub-problem into the cache (it answers every question that holds it)
        and into the result (the stations that explain the answer)."""
        cache = self.cache
        story.stats["core_stations"] = len(core)
        story.core = tuple(core) or None
        if cache is not None and core:
            cache.store(self.data.fingerprint, Problem(core), Answer.UNSAT)

    def _seeds(self, p: Problem, most: int = 20) -> list[int]:
        """Where to look for UNSAT cliques: the new stations, else the most connected ones."""
        new = [s for s in p.domains if p.previous.get(s) not in p.domains[s]]
        if new and len(new) < len(p.domains):
            return new[:most]
        degree = self.data.interference.degree
        return sorted(p.domains, key=lambda s: -degree.get(s, 0))[:most]

    def _incremental_for(self, universe: frozenset[int]) -> IncrementalSolver:
        amo = self.config.encoding != "multivalued"
        return self._solvers.get(self.data, universe, self.config.solver, amo)


def _universe(p: Problem) -> frozenset[int]:
    """The channels a problem's domains use: one persistent solver per such band."""
    return frozenset(c for d in p.domains.values() for c in d)
