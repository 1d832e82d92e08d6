"""The schedule of a hard check: which step runs when, for how long, on which core.

A check that the cheap steps (trivial cases, cache, previous assignment) leave open
gets here. The two sides of it want different methods: the local steps (local search,
the neighbourhood re-solve) find SAT answers the whole-band solver would take minutes
for, and the complete solver proves UNSAT answers no local method can. Fixed shares of
the cutoff starve one side whenever the other would not have answered, so:

* :func:`race` (two cores, time budgets): one core runs :func:`second_core` (the
  relaxed-core proofs, the complete solver for ``race_complete_seconds``, a long search
  of the whole problem with its own seed, the solver again), the other
  :func:`local_side` (a little more local search, the neighbourhood, the rest of the
  local search); the first conclusive answer wins.
* :func:`race_work` (work mode): the same race on two modelled cores, one side after
  the other on meters of their own; the side that answers with less work wins, as it
  would have come first. No clock, so it replays on any machine.
* :func:`one_after_another` (one core, or ``race: false``): the same steps time-sliced.

Every allowance is an absolute cap or a share of what is left, so a longer cutoff never
loses an answer a shorter one found.
"""

from __future__ import annotations

from auctool.check.budget import AnyStop, Budget, StopSignal
from auctool.check.config.configs import CheckerConfig
from auctool.check.config.knobs import WHOLE_FLIPS
from auctool.check.result import Answer
from auctool.check.solve.futures import ForkFuture, ThreadFuture
from auctool.check.steps import Steps, universe
from auctool.check.story import Outcome, Story
from auctool.errors import RunError
from auctool.model.problem import Problem

#: Local-search moves tried before the race forks (the rest of ``ls_flips`` run beside
#: the complete solver): a few milliseconds, enough for most checks that get this far.
QUICK_FLIPS = 5_000
#: Without a race (one core, work mode): the complete solver's first slice (seconds) and
#: the share of what is left that the rest of the local search may use after it.
FIRST_COMPLETE_SECONDS = 0.1
LS_SHARE = 0.5
# In a race the complete solver's slice before its core searches too is the knob
# race_complete_seconds (0.35 s by default): its UNSAT proofs on national questions come within ~0.3 s,
# while the hard SAT answers the rings miss come from a long search of the whole problem:
# on the hard-tail sample (132 national questions, 1 s) 73 answered with the solver alone,
# 78 with the search after 0.35 s.

_NONE: Outcome = (Answer.TIMEOUT, None, None)


def races(config: CheckerConfig, cores: int, budget_mode: str) -> bool:
    """The hard part as a race: asked for, and two cores (work mode models the reference
    machine's two whatever this one has, so its answers do not depend on the machine)."""
    wanted = config.race and config.neighbourhood
    return wanted and (cores >= 2 or budget_mode == "work")


def one_after_another(steps: Steps, p: Problem, budget: Budget, story: Story) -> Outcome:
    """The hard part without a race: time-sliced so neither side starves the other.

    A short local search, the relaxed-core proofs, the neighbourhood (its share), the
    complete solver for :data:`FIRST_COMPLETE_SECONDS` (most UNSAT answers), the rest of
    the local search (:data:`LS_SHARE` of what is left), then the complete solver to the
    end.
    """
    cfg = steps.config
    first = min(cfg.ls_flips, QUICK_FLIPS)
    found = (
        steps.quick(p, budget, story, first)
        or steps.relaxed_core(p, budget, story)
        or steps.neighbourhood(p, budget, story, cfg.neighbourhood_share)
    )
    if found is not None or budget.expired():
        return found or _NONE
    if cfg.local_search and cfg.ls_flips > first:
        out = steps.complete(p, budget.at_most(FIRST_COMPLETE_SECONDS), story)
        if out[0] is not Answer.TIMEOUT or budget.expired():
            return out
        rest = budget.share(LS_SHARE)
        found = steps.local_search(p, rest, story, cfg.ls_flips - first, seed=1)
        if found is not None or budget.expired():
            return found or _NONE
    return steps.complete(p, budget, story)


def race(steps: Steps, p: Problem, budget: Budget, story: Story) -> Outcome:
    """The complete side on another core, the local steps here; the first answer wins
    and the other side stops at once (the complete side's future is cancelled; the local
    steps have it as their stop signal).

    With ``incremental: true`` the persistent solver is loaded first (the stations the
    problem adds, under the budget): no formula is built inside the race. A solver that
    lives in a solver process (CaDiCaL, Glucose: ``auctool.check.solve.server``) is asked from
    a thread and keeps what it learns; any other solves a forked, copy-on-write copy of
    this process.
    """
    cfg = steps.config
    done, first = _opening(steps, p, budget, story)
    if done is not None:
        return done
    if cfg.incremental:
        with story.step("incremental:load") as note:
            solver = steps.incremental_for(universe(p))
            loaded = solver.ensure(list(p.domains), budget)
            note["outcome"] = "loaded" if loaded else "building"
        if not loaded:  # still building: the local steps have what is left
            return local_side(steps, p, budget, story, first) or _NONE

    def complete(stop: StopSignal | None = None) -> tuple[Outcome, Story]:
        mine = Story()
        outcome = second_core(steps, p, Budget(budget.deadline, stop), mine, stop is None)
        return outcome, mine

    # a solver process keeps what it learns: ask it from a thread; else fork a copy
    learns = cfg.incremental and steps.incremental_for(universe(p)).solver.keeps_learning
    contest: ForkFuture | ThreadFuture = ThreadFuture(complete) if learns else ForkFuture(complete)
    try:
        local = Budget(budget.deadline, AnyStop(budget.stop, contest))
        found = local_side(steps, p, local, story, first)
        if found is not None:
            story.stats["race"] = "presolvers"  # the value --json has always shown
            return found
        with story.step("race:complete") as note:
            # until the deadline, or a portfolio's stop signal
            done = contest.wait_until(budget.deadline, budget.stop)
            result = contest.result(0.0) if done else None
            if contest.failed is not None:
                raise RunError(f"internal error: the complete solver failed ({contest.failed})")
            if result is None:
                return _NONE
            outcome, theirs = result
            note["outcome"] = outcome[0].value
        return _complete_won(steps, story, outcome, theirs)
    finally:
        contest.cancel()


def race_work(steps: Steps, p: Problem, budget: Budget, story: Story) -> Outcome:
    """:func:`race` in work mode: the two cores modelled one after the other.

    The local side runs on a meter of its own holding everything left; then the complete
    side on its own meter, with one conflict less than the local side spent when that
    side answered (it wins only by answering with less work: on two cores it would have
    come first), else with everything. The check is charged the winner's work (all of it
    when neither answers), so a check's work is the race's wall time on the reference
    machine. The complete side's persistent solver learns from its run either way, as
    it does in a real race.
    """
    done, first = _opening(steps, p, budget, story)
    if done is not None:
        return done
    left = budget.conflicts or 0
    local = budget.own_core()
    found = local_side(steps, p, local, story, first)
    used = left - (local.conflicts or 0)
    allowed = used - 1 if found is not None else left
    other = budget.own_core(allowed)
    theirs = Story()
    outcome = _NONE if other.expired() else second_core(steps, p, other, theirs, True)
    if outcome[0] is not Answer.TIMEOUT:
        budget.spend(allowed - (other.conflicts or 0))
        return _complete_won(steps, story, outcome, theirs)
    story.steps.extend(theirs.steps)  # the loser's steps, for --stages
    budget.spend(used if found is not None else left)
    if found is not None:
        story.stats["race"] = "presolvers"
    return found or _NONE


def _opening(steps: Steps, p: Problem, budget: Budget, story: Story) -> tuple[Outcome | None, int]:
    """A race's opening, before either side starts: the clique bounds and a short search
    (most hard-looking checks end here, with no fork). Returns the outcome when it ended
    the check (an answer, or the budget spent), and the moves the search was given."""
    cfg = steps.config
    first = min(cfg.ls_flips, QUICK_FLIPS) if cfg.local_search else 0
    found = steps.quick(p, budget, story, first)
    if found is not None or budget.expired():
        return found or _NONE, first
    return None, first


def _complete_won(steps: Steps, story: Story, outcome: Outcome, theirs: Story) -> Outcome:
    """The complete side's answer, with its story, and its UNSAT core cached."""
    story.steps.extend(theirs.steps)
    story.stats.update(theirs.stats)
    story.core = theirs.core
    if theirs.unstored:  # proved where the cache could not be touched
        steps.remember_core(theirs.unstored, story)
    story.stats["race"] = "complete"
    return outcome


def second_core(steps: Steps, p: Problem, budget: Budget, story: Story, prune: bool) -> Outcome:
    """The race's other core: the relaxed-core proofs (at most ``relaxed_core_seconds``;
    the hard UNSAT answers), the complete solver for ``race_complete_seconds``
    (nearly every proof it gives comes by then), a long search of the whole problem with
    a seed of its own (where the hard SAT answers the rings miss come from; the local
    side is busy with the rings), then the complete solver again to the end. With at
    most :data:`WHOLE_FLIPS` moves the local side runs that search itself."""
    cfg = steps.config
    found = steps.relaxed_core(p, budget, story, store=False)
    if found is not None or budget.expired():
        return found or _NONE
    if not (cfg.local_search and cfg.ls_flips > WHOLE_FLIPS):
        return steps.complete(p, budget, story, prune)
    out = steps.complete(p, budget.at_most(cfg.race_complete_seconds), story, prune)
    if out[0] is not Answer.TIMEOUT or budget.expired():
        return out
    step = "race:local-search"
    found = steps.local_search(p, budget, story, cfg.ls_flips, seed=5, step=step)
    if found is not None or budget.expired():
        return found or out
    return steps.complete(p, budget, story, prune=False)  # pruned in the first slice


def local_side(
    steps: Steps, p: Problem, budget: Budget, story: Story, done_flips: int
) -> Outcome | None:
    """The race's local side: a little more local search of the whole problem, the
    neighbourhood (its rings searched first), then the rest of the local search.

    The whole problem's search answers within :data:`WHOLE_FLIPS` or not at all, nearly
    always (99% of its answers in a national auction came within 0.3 s); the rings'
    search answers much of what it cannot, so the rings go before its long tail."""
    cfg = steps.config
    left = cfg.ls_flips - done_flips if cfg.local_search else 0
    first = min(left, WHOLE_FLIPS)
    found = steps.local_search(p, budget, story, first, seed=1)
    found = found or steps.neighbourhood(p, budget, story, None)
    return found or steps.local_search(p, budget, story, left - first, seed=3)
