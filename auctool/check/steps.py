"""The steps of a hard check, each under a budget, each telling its story.

A :class:`Steps` holds what the steps share (the constraint data, the configuration,
the verifier, the persistent solvers and the containment cache) and offers each step as
one call that returns an :data:`~auctool.check.story.Outcome` or ``None`` (no answer).
*When* each step runs, and for how long, is the schedule's business
(``auctool.check.schedule``), so the order can change without touching a step.

Every SAT answer a presolver finds passes the verifier here before it is returned; a
candidate that fails is simply not used. The small sub-problems that prove UNSAT (a
clique, a neighbourhood relaxation) go into the containment cache as cores.
"""

from __future__ import annotations

from collections import OrderedDict
from pathlib import Path

from auctool.check.budget import FLIPS_PER_SECOND, Budget
from auctool.check.cache.containment import ContainmentCache
from auctool.check.config.configs import CheckerConfig
from auctool.check.methods.clique import clique_proof
from auctool.check.methods.complete import solve_decomposed, solve_incremental
from auctool.check.methods.localsearch import local_search
from auctool.check.methods.neighbourhood import neighbourhood_solve, relaxed_core
from auctool.check.methods.reductions import ProblemView
from auctool.check.result import Answer, Component, Family
from auctool.check.solve.incremental import IncrementalSolver, SolverPool
from auctool.check.story import Outcome, Story
from auctool.model.constraints import ConstraintData
from auctool.model.problem import Problem
from auctool.model.verify import WitnessVerifier

#: Seconds the clique bounds may search (absolute: a longer cutoff gives them no more, so
#: it never delays a step that answered at a shorter one). Proofs take 10-90 ms.
CLIQUE_SECONDS = 0.25
#: Questions whose unfinished local search is kept for ``ls_continue`` (a round's held
#: and escalated questions are a few dozen).
UNFINISHED = 64


class Steps:
    """The steps one checker runs, over its data, configuration, solvers and cache."""

    #: Containment-cache entries kept (least recently used go first).
    MAX_CACHE = 100_000

    def __init__(
        self,
        data: ConstraintData,
        config: CheckerConfig,
        verifier: WitnessVerifier,
        solvers: SolverPool,
        cache_file: Path | None = None,
    ):
        self.data = data
        self.config = config
        self.verifier = verifier
        self.solvers = solvers
        self.cache_file = cache_file
        self._cache: ContainmentCache | None = None
        # ls_continue: where each open question's last local search stopped (most recent last)
        self._unfinished: OrderedDict[int, dict[int, int]] = OrderedDict()

    @property
    def cache(self) -> ContainmentCache | None:
        """The containment cache (opened at first use; None when the knob is off)."""
        if self._cache is None and self.config.cache:
            self._cache = ContainmentCache(self.cache_file, max_entries=self.MAX_CACHE)
        return self._cache

    def close_cache(self) -> None:
        """Close the cache file (a later use opens it again)."""
        if self._cache is not None:
            self._cache.close()
            self._cache = None

    # ---------------------------------------------------------------------------------
    def complete(self, p: Problem, budget: Budget, story: Story, prune: bool = True) -> Outcome:
        """The complete solver: incremental (persistent, per channel universe) or decomposed."""
        if self.config.incremental:
            solver = self.incremental_for(universe(p))
            return solve_incremental(self.data, self.config, solver, p, budget, story, prune)
        return solve_decomposed(self.data, self.config, p, budget, story)

    def quick(self, p: Problem, budget: Budget, story: Story, flips: int) -> Outcome | None:
        """Clique bounds (UNSAT) and a short local search (SAT, at most ``flips`` moves):
        milliseconds, before any fork."""
        cfg = self.config
        if cfg.clique and not budget.expired():
            with story.step("clique") as note:
                view = ProblemView(self.data, p.domains)
                proof = clique_proof(view, self.seeds(p), budget.at_most(CLIQUE_SECONDS))
                if proof is not None:
                    note["outcome"] = "UNSAT"
                    story.stats["clique"] = proof.describe()
                    self.remember_core({s: p.domains[s] for s in proof.stations}, story)
                    return Answer.UNSAT, None, Component.of(Family.PRESOLVE, f"clique-{proof.kind}")
        if cfg.local_search:
            return self.local_search(p, budget, story, flips)
        return None

    def local_search(
        self,
        p: Problem,
        budget: Budget,
        story: Story,
        flips: int,
        seed: int = 0,
        step: str = "local-search",
    ) -> Outcome | None:
        """Tabu search from the previous assignment (SAT only); with ``ls_continue``, a
        question searched before without an answer continues from where it stopped."""
        if budget.work is not None:  # work mode: flips are work too
            flips = min(flips, int(budget.remaining() * FLIPS_PER_SECOND))
        if budget.expired() or flips <= 0:
            return None
        key = _question_key(p) if self.config.ls_continue else None
        start = self._unfinished.pop(key, None) if key is not None else None
        end: list[dict[int, int]] = []
        moves: list[int] = []
        with story.step(step) as note:
            if start is not None:  # said in the result's stats (--json)
                story.stats["ls_continued"] = story.stats.get("ls_continued", 0) + 1
            found = local_search(
                p if start is None else _starting_at(p, start),
                self.data,
                budget.deadline,
                seed,
                noise=self.config.ls_noise,
                max_flips=flips,
                tabu_base=self.config.ls_tabu,
                tabu_factor=self.config.ls_tabu_factor,
                verify=False,
                stop=budget.stop,
                end=end if key is not None else None,
                moves=moves,
            )
            budget.spend_flips(sum(moves))
            if found is not None and self.verifier.is_valid(found, p):
                note["outcome"] = "SAT"
                return Answer.SAT, found, Component.of(Family.PRESOLVE, "local-search")
        if key is not None and end:
            self._unfinished[key] = end[-1]
            while len(self._unfinished) > UNFINISHED:
                self._unfinished.popitem(last=False)
        return None

    def neighbourhood(
        self, p: Problem, budget: Budget, story: Story, share: float | None
    ) -> Outcome | None:
        """The neighbourhood re-solve around the new stations (SAT, or UNSAT with a core)."""
        cfg = self.config

        def search(ring: Problem, ring_budget: Budget) -> dict[int, int] | None:
            step = "neighbourhood:local-search"
            found = self.local_search(ring, ring_budget, story, cfg.ls_flips, 2, step)
            return None if found is None else found[1]

        if not (cfg.neighbourhood and p.previous) or budget.expired():
            return None
        with story.step("neighbourhood") as note:
            out = neighbourhood_solve(
                p,
                self.data,
                budget if share is None else budget.share(share),
                cfg.neighbourhood_rings,
                cfg.neighbourhood_solver,
                clique=cfg.clique,
                search=search if cfg.local_search else None,
                ring_seconds=cfg.neighbourhood_ring_seconds,
                search_share=cfg.neighbourhood_search_share,
            )
            story.stats["neighbourhood_stations"] = out.stations
            if out.answer is Answer.SAT and self.verifier.is_valid(out.assignment, p):
                note["outcome"] = "SAT"
                by = Component.of(Family.PRESOLVE, "neighbourhood", f"k={out.rings}")
                return Answer.SAT, out.assignment, by
            if out.answer is Answer.UNSAT:
                note["outcome"] = "UNSAT"
                if out.core is not None:
                    self.remember_core(out.core, story)
                by = Component.of(Family.PRESOLVE, "neighbourhood-unsat", f"k={out.rings}")
                return Answer.UNSAT, None, by
        return None

    def relaxed_core(
        self, p: Problem, budget: Budget, story: Story, store: bool = True
    ) -> Outcome | None:
        """UNSAT from the new stations' rings alone, the rest of the band removed (at most
        ``relaxed_core_seconds``): the hard UNSAT questions' proofs, in a fraction of what
        the whole band's solver takes. ``store=False`` (the race's other side) leaves the
        core in ``story.unstored`` for the checker to cache."""
        cfg = self.config
        if not (cfg.relaxed_core and p.previous) or budget.expired():
            return None
        with story.step("relaxed-core") as note:
            core = relaxed_core(
                p, self.data, budget.at_most(cfg.relaxed_core_seconds), cfg.relaxed_core_solver
            )
            if core is None:
                return None
            note["outcome"] = "UNSAT"
            self.remember_core(core, story, store)
            return Answer.UNSAT, None, Component.of(Family.PRESOLVE, "relaxed-core")

    def prove_unsat(self, core: Problem, budget: Budget) -> Answer:
        """Answer a small problem afresh (a cached core, before the cache's word is used):
        the clique bounds, then a formula of its own; no cache, no persistent solver."""
        if not core.domains:
            return Answer.SAT
        if not all(core.domains.values()):
            return Answer.UNSAT
        proof = clique_proof(ProblemView(self.data, core.domains), self.seeds(core), budget)
        if proof is not None:
            return Answer.UNSAT
        answer, _, _ = solve_decomposed(self.data, self.config, core, budget, Story())
        return answer

    # ---------------------------------------------------------------------------------
    def remember_core(
        self, core: dict[int, tuple[int, ...]], story: Story, store: bool = True
    ) -> None:
        """An UNSAT sub-problem into the cache (it answers every question that holds it)
        and into the result (the stations that explain the answer); ``store=False``: into
        ``story.unstored`` only, for the checker to cache."""
        story.stats["core_stations"] = len(core)
        story.core = tuple(core) or None
        if not store:
            story.unstored = dict(core) or None
            return
        cache = self.cache
        if cache is not None and core:
            cache.store(self.data.fingerprint, Problem(core), Answer.UNSAT)

    def seeds(self, p: Problem, most: int = 20) -> list[int]:
        """Where to look for UNSAT cliques: the new stations, else the most connected ones."""
        new = list(p.unplaced)
        if new and len(new) < len(p.domains):
            return new[:most]
        degree = self.data.interference.degree
        return sorted(p.domains, key=lambda s: -degree.get(s, 0))[:most]

    def incremental_for(self, channels: frozenset[int]) -> IncrementalSolver:
        """The persistent solver for one channel universe (built at first use)."""
        amo = self.config.encoding != "multivalued"
        return self.solvers.get(self.data, channels, self.config.solver, amo)


def _starting_at(p: Problem, start: dict[int, int]) -> Problem:
    """``p`` with ``start`` (every station placed, in ``p``'s order) as its previous one."""
    return Problem.from_canonical(p.domains, start, p.interference, p.cutoff, p.name)


def _question_key(p: Problem) -> int:
    """The same question: the same stations on the same domains (the previous assignment
    aside: a search that stopped is a start at least as good as the band's packing)."""
    return hash(frozenset(p.domains.items()))


def universe(p: Problem) -> frozenset[int]:
    """The channels a problem's domains use: one persistent solver per such band."""
    return frozenset(c for d in p.domains.values() for c in d)
