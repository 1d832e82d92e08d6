"""The checker: answers one feasibility question under a cutoff, with a verified witness.

``Checker(data, config).check(problem, cutoff)`` runs the configured pipeline, cheapest
first, and returns a :class:`CheckResult` that tells which component answered and where
the time went:

1. trivial cases (an empty domain, no stations);
2. the containment cache (a cached SAT superset or UNSAT subset, UNSAT cores included);
3. the previous assignment, new stations placed greedily (most auction checks end here);
4. the hard part, scheduled by ``auctool.check.schedule`` over the steps of
   ``auctool.check.steps``: clique bounds and a short local search (milliseconds),
   then, on two cores, a *race* of the complete solver (with a long search of the whole
   problem after its first slice) against the local steps (more local search, the
   neighbourhood re-solve); on one core, or in work mode, the same steps time-sliced.
   With ``incremental`` (the default) the complete solver is a persistent one
   (:meth:`Checker.warm` loads it ahead of an auction): building a national formula
   costs ~1 s, more than a cutoff.

Whatever component finds a SAT answer, the witness passes the independent verifier
before it is returned. A presolver's candidate that fails is simply not used; a
*solver's* witness that fails is a bug and raises :class:`RunError`. The small
sub-problems that prove an UNSAT answer (a clique, a neighbourhood relaxation, a
solver's core) go into the containment cache as UNSAT cores: any later question that
contains one is answered at once.
"""

from __future__ import annotations

import time
from pathlib import Path

from auctool.check import schedule
from auctool.check.budget import Budget, StopSignal
from auctool.check.cache.containment import CacheHit, ContainmentCache
from auctool.check.config.configs import CheckerConfig
from auctool.check.methods.localsearch import warm_up
from auctool.check.methods.packings import PackingPool
from auctool.check.methods.reductions import greedy_extend
from auctool.check.result import Answer, CheckResult, Component, Family
from auctool.check.solve.incremental import SolverPool
from auctool.check.solve.processes import cores
from auctool.check.solve.solvers import check_budget_mode
from auctool.check.steps import Steps, universe
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


#: Seconds a cached UNSAT core may take to be proved again before its answer is used.
CORE_SECONDS = 0.3


class Checker:
    """Feasibility checks against one constraint data set with one configuration."""

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
        self.steps = Steps(data, self.config, self.verifier, self._solvers, cache_file)
        self._prepared: tuple[Problem, Problem, list[str]] | None = None  # see _prepare
        self._told_file_error = False
        self.cores = cores()  # the race needs a second one
        # witnesses kept across questions: other starting points than the previous one
        self.packings = PackingPool() if self.config.previous and self.config.pool else None
        if self.config.local_search:
            warm_up()  # the compiled search loads here, not inside the first check's cutoff

    @property
    def cache(self) -> ContainmentCache | None:
        """The containment cache (opened at first use; None when the knob is off)."""
        return self.steps.cache

    @property
    def solvers(self) -> SolverPool:
        """The persistent solvers this checker uses (its own, or a shared pool)."""
        return self._solvers

    def close(self) -> None:
        """Free the persistent solvers and close the cache file."""
        if self._own_solvers:
            self._solvers.close()
        self.steps.close_cache()

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
            solver = self.steps.incremental_for(universe(prepared))
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
        cached = solved_by is not None and solved_by.family is Family.CACHE
        if assignment is not None and not cached:  # a cached witness was verified at look-up
            bad = self.verifier.violations(assignment, prepared, limit=3)
            if bad:
                raise RunError(
                    f"internal error: {solved_by} produced an invalid witness ({bad[0].message}); "
                    "the answer was not reported"
                )
        cache = self.cache
        if not cached:
            self._remember(prepared, answer, assignment, story)
        if self.packings is not None and assignment is not None:
            self.packings.add(assignment)
        if cache is not None and cache.file_error and not self._told_file_error:
            warnings.append(cache.file_error)  # once: the cache goes on in memory
            self._told_file_error = True
        return CheckResult(
            answer=answer,
            seconds=time.monotonic() - start,
            assignment=assignment,
            solved_by=solved_by,
            stages=tuple(story.steps),
            instance=instance or problem.name,
            warnings=tuple(warnings),
            cache_hit=story.stats.get("cache"),
            stats=story.stats,
            core=story.core if answer is Answer.UNSAT else None,
        )

    def learn(self, problem: Problem, result: CheckResult) -> None:
        """Keep what another copy of this checker found about ``problem`` (a forked
        worker's answer, its witness verified there) as if this one had: the cache
        stores it (and verifies a witness again whenever it serves one), the pool of
        packings keeps its witness."""
        if self.packings is not None and result.assignment is not None:
            self.packings.add(result.assignment)
        if self.cache is None or result.solved_by is None:
            return
        if result.solved_by.family is Family.CACHE:
            return
        prepared, _ = self._prepare(problem)
        story = Story()
        story.core = result.core  # stored here too (the worker's cache dies with it)
        self._remember(prepared, result.answer, result.assignment, story)

    def _remember(
        self, prepared: Problem, answer: Answer, assignment: dict[int, int] | None, story: Story
    ) -> None:
        """A conclusive answer into the cache, and an UNSAT solver core for later."""
        cache = self.cache
        if cache is None or answer is Answer.TIMEOUT:
            return
        cache.store(self.data.fingerprint, prepared, answer, assignment)
        if answer is Answer.UNSAT and story.core and "core_stations" not in story.stats:
            # a solver's core (its stations alone are infeasible): cached for later
            self.steps.remember_core({s: prepared.domains[s] for s in story.core}, story)

    def _prepare(self, problem: Problem) -> tuple[Problem, list[str]]:
        """:func:`prepare_problem`, done once when ``warm`` prepared the same problem just
        before (a tuner's trial warms, then checks, one problem)."""
        last = self._prepared
        if last is None or last[0] is not problem:
            last = self._prepared = (problem, *prepare_problem(problem, self.data))
        return last[1], list(last[2])

    def _holds(self, hit: CacheHit, p: Problem, budget: Budget) -> bool:
        """Is a cached answer true of ``p``? A cache file can be damaged or come from
        elsewhere, so nothing it says is reported unchecked: a SAT witness is verified, an
        UNSAT core proved again (it is small: a clique bound or a solve of its stations).
        An answer shown false is forgotten; one not confirmed in time is not used."""
        if hit.answer is Answer.SAT:
            ok = hit.assignment is not None and self.verifier.is_valid(dict(hit.assignment), p)
        else:
            core = Problem({s: p.domains[s] for s in hit.stations or ()}, name="cached-core")
            answer = self.steps.prove_unsat(core, budget.at_most(CORE_SECONDS))
            if answer is Answer.TIMEOUT:
                return False
            ok = answer is Answer.UNSAT
        if not ok:
            self.cache.forget(self.data.fingerprint, hit)
        return ok

    # ---------------------------------------------------------------------------------
    def _pipeline(self, p: Problem, budget: Budget, story: Story) -> Outcome:
        cfg = self.config
        with story.step("trivial") as note:
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
            with story.step("cache") as note:
                hit = cache.lookup(self.data.fingerprint, p)
                if hit is not None and self._holds(hit, p, budget):
                    note["outcome"] = hit.kind
                    story.stats["cache"] = hit.kind
                    story.core = hit.stations
                    assignment = None if hit.assignment is None else dict(hit.assignment)
                    return hit.answer, assignment, Component.of(Family.CACHE, hit.kind)
                if hit is not None:
                    note["outcome"] = f"{hit.kind} not confirmed"
        if cfg.previous and p.previous:
            with story.step("previous") as note:
                fixed = {s: c for s, c in p.previous.items() if c in p.domains[s]}
                candidate = greedy_extend(self.data, p.domains, fixed)
                if candidate is not None and self.verifier.is_valid(candidate, p):
                    note["outcome"] = "SAT"
                    return Answer.SAT, candidate, Component.of(Family.PRESOLVE, "previous")
        if self.packings and p.previous:
            with story.step("pool") as note:
                candidate = self.packings.extend(self.data, p, self.verifier, budget)
                if candidate is not None:
                    note["outcome"] = "SAT"
                    return Answer.SAT, candidate, Component.of(Family.PRESOLVE, "pool")
        if budget.expired():
            return Answer.TIMEOUT, None, None
        if schedule.races(self.config, self.cores, self.budget_mode):
            if budget.work is not None:
                return schedule.race_work(self.steps, p, budget, story)
            return schedule.race(self.steps, p, budget, story)
        return schedule.one_after_another(self.steps, p, budget, story)
