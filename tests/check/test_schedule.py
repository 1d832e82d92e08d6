"""The schedule of a hard check: which step runs when (on one core, and in a race)."""

from auctool.check import schedule, steps
from auctool.check.budget import Budget
from auctool.check.checker import Checker
from auctool.check.config.configs import CheckerConfig
from auctool.check.result import Answer
from auctool.check.story import Story
from auctool.model import Problem, violations
from tests.helpers import adjacent_pair, pigeonhole, triangle, two_hops


def test_without_a_race_the_long_local_search_waits_for_a_first_complete_slice(monkeypatch):
    """One core: a short search, then the complete solver's first slice, and only then the
    long local search, so an UNSAT answer is never starved by millions of moves."""
    flips = []

    def spy(*args, **kwargs):  # the real search, its move limits noted
        flips.append(kwargs["max_flips"])
        return local_search(*args, **kwargs)

    local_search = steps.local_search
    monkeypatch.setattr(steps, "local_search", spy)
    data, problem = adjacent_pair()
    config = CheckerConfig(
        race=False,
        clique=False,
        neighbourhood=False,
        ac3=False,
        ls_flips=2_000_000,
        incremental=False,
        solver="minisat22",  # in this process: a forked child may take the slice's 0.1 s to start
    )
    with Checker(data, config) as checker:
        result = checker.check(problem, 60)
    assert result.answer is Answer.UNSAT and result.solved_by == "solver:minisat22"
    assert flips == [schedule.QUICK_FLIPS]  # the first slice answered: no long search


def test_the_races_second_core_searches_after_its_complete_slice():
    """The race's other core: the complete solver's slice, then a search of the whole
    problem (its SAT answer wins), then the complete solver again (an UNSAT proof still
    comes when the search gives up)."""
    data, _ = triangle(3)
    sat = Problem({1: (14, 15, 16), 2: (14, 15, 16), 3: (14, 15)}, previous={1: 14, 2: 15})
    config = CheckerConfig(
        incremental=False,
        solver="minisat22",
        ls_flips=40_000,
        race_complete_seconds=0.0,  # the slice: nothing
    )
    with Checker(data, config) as checker:
        story = Story()
        answer, witness, by = schedule.second_core(checker.steps, sat, Budget.of(30), story, True)
    assert answer is Answer.SAT and str(by) == "presolve:local-search"
    assert violations(witness, sat, data) == []
    assert [s.name for s in story.steps][-1] == "race:local-search"

    data, php = pigeonhole(4)
    with Checker(data, config) as checker:
        story = Story()
        answer, _, by = schedule.second_core(checker.steps, php, Budget.of(30), story, True)
    assert answer is Answer.UNSAT and str(by) == "solver:minisat22"
    assert "race:local-search" in [s.name for s in story.steps]


def test_a_race_needs_two_cores_and_the_neighbourhood_and_work_mode_models_two_everywhere():
    """On one core, or without the local side (no neighbourhood), the steps are
    time-sliced; work mode models the reference machine's two cores on any machine, so a
    replay does not depend on the machine it runs on."""
    config = CheckerConfig()
    assert schedule.races(config, 2, "time")
    assert not schedule.races(config, 1, "time")
    assert schedule.races(config, 2, "work") and schedule.races(config, 1, "work")
    assert not schedule.races(CheckerConfig(race=False), 2, "time")
    assert not schedule.races(CheckerConfig(race=False), 2, "work")
    assert not schedule.races(CheckerConfig(neighbourhood=False), 2, "work")


def _work_race(data, problem, config, seconds=1.0):
    with Checker(data, config, budget_mode="work") as checker:
        story, budget = Story(), Budget.of_work(seconds)
        outcome = schedule.race_work(checker.steps, problem, budget, story)
    return outcome, story, budget


def test_a_work_race_the_local_side_wins_without_work_leaves_the_complete_side_out():
    """Station 3 fits only if 1 or 2 moves: the neighbourhood's ring answers (no local
    search here, so the race's local side is the ring alone) without a conflict, and a
    complete side given less work than that never runs: on two cores it came second."""
    data, _ = triangle(3)
    sat = Problem({1: (14, 15, 16), 2: (14, 15, 16), 3: (14, 15)}, previous={1: 14, 2: 15})
    config = CheckerConfig(incremental=False, solver="minisat22", local_search=False)
    (answer, witness, by), story, budget = _work_race(data, sat, config)
    assert answer is Answer.SAT and violations(witness, sat, data) == []
    assert str(by) == "presolve:neighbourhood(k=1)" and story.stats["race"] == "presolvers"
    assert "solver:minisat22" not in [s.name for s in story.steps]
    assert budget.conflicts == Budget.of_work(1.0).conflicts  # the ring needed no conflict


def test_a_work_race_the_complete_side_wins_an_unsat_proof():
    """No local step can prove UNSAT: the complete side answers on its own meter and the
    check is charged its work, which is less than the whole budget."""
    data, php = pigeonhole(4)
    config = CheckerConfig(incremental=False, solver="minisat22", clique=False)
    (answer, _, by), story, budget = _work_race(data, php, config, seconds=5.0)
    assert answer is Answer.UNSAT and str(by) == "solver:minisat22"
    assert story.stats["race"] == "complete"
    assert 0 < budget.conflicts < Budget.of_work(5.0).conflicts


def test_a_work_race_that_nobody_wins_spends_the_whole_budget():
    data, php = pigeonhole(9)  # beyond any solver in a tenth of a second of work
    config = CheckerConfig(incremental=False, solver="minisat22", clique=False)
    (answer, _, _), _, budget = _work_race(data, php, config, seconds=0.1)
    assert answer is Answer.TIMEOUT and budget.expired()


def test_a_work_mode_check_answers_alike_on_one_core_and_two(monkeypatch):
    """Work mode's race is modelled, not run: the machine's cores change nothing."""
    data, problem = two_hops()
    results = []
    for n in (1, 2):
        with Checker(data, CheckerConfig(), budget_mode="work") as checker:
            monkeypatch.setattr(checker, "cores", n)
            r = checker.check(problem, 1.0)
            results.append((r.answer, r.solved_by, r.core))
    assert results[0] == results[1] and results[0][0] is Answer.UNSAT


def test_the_races_second_core_proves_a_relaxed_core_first_and_leaves_it_to_the_checker():
    """The relaxed core answers on the complete solver's side before the whole band; that
    side may be a thread or a forked child, so its core is left in the story for the
    checker to cache once the race is over."""
    data, problem = two_hops()
    config = CheckerConfig(incremental=False, solver="minisat22", ac3=False, clique=False)
    with Checker(data, config) as checker:
        story = Story()
        answer, _, by = schedule.second_core(checker.steps, problem, Budget.of(30), story, True)
        assert answer is Answer.UNSAT and str(by) == "presolve:relaxed-core"
        assert [s.name for s in story.steps] == ["relaxed-core"]
        assert story.unstored == {1: (14,), 2: (14, 15), 3: (15,)}
        assert checker.steps.cache is not None and len(checker.steps.cache) == 0


def test_one_core_proves_a_relaxed_core_and_caches_it():
    data, problem = two_hops()
    config = CheckerConfig(race=False, incremental=False, solver="minisat22", ac3=False)
    config = config.replace(clique=False, neighbourhood=False)
    with Checker(data, config) as checker:
        result = checker.check(problem, 30)
        assert result.answer is Answer.UNSAT and result.solved_by == "presolve:relaxed-core"
        assert result.core == (1, 2, 3)
        again = checker.check(Problem(problem.domains, {2: 15, 3: 15, 4: 14}), 30)
    assert again.answer is Answer.UNSAT and again.cache_hit == "unsat-subset"
