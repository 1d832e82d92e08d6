"""The checker pipeline: known answers, verified witnesses, domain intersection, cutoffs."""

import pytest

from auctool.check.checker import Checker
from auctool.check.config.configs import CheckerConfig
from auctool.check.result import Answer
from auctool.errors import InputError, RunError
from auctool.model import Problem, violations
from auctool.model.cutoff import latest_return
from tests.helpers import adjacent_pair, data_from, mycielski_world, pigeonhole, triangle


@pytest.mark.parametrize("encoding", ["direct", "multivalued", "ladder"])
@pytest.mark.parametrize("order", ["natural", "degree", "domain"])
def test_known_answers(encoding, order):
    # The decomposed pipeline: its presolvers name themselves (incremental: tested below).
    cfg = CheckerConfig(encoding=encoding, order=order, local_search=False, incremental=False)
    for (data, problem), expected in (
        (triangle(3), Answer.SAT),
        (triangle(2), Answer.UNSAT),
        (adjacent_pair(), Answer.UNSAT),
    ):
        result = Checker(data, cfg).check(problem, 10)
        assert result.answer is expected
        if expected is Answer.SAT:
            assert violations(result.assignment, problem, data) == []
            assert result.solved_by == "presolve:underconstrained"  # 2 neighbours < 3 channels


def test_empty_domain_is_unsat_and_no_stations_is_sat():
    data, _ = triangle(3)
    assert Checker(data).check(Problem({1: ()}), 1).answer is Answer.UNSAT
    result = Checker(data).check(Problem({}), 1)
    assert result.answer is Answer.SAT and dict(result.assignment) == {}


def test_channels_outside_domain_csv_are_dropped_with_a_warning():
    data = data_from({1: (14, 15), 2: (14, 15)}, [(1, 14, 2, 14), (1, 15, 2, 15)])
    result = Checker(data).check(Problem({1: (14, 16), 2: (14, 15)}), 5)
    assert result.answer is Answer.SAT
    assert result.assignment[1] == 14 and result.assignment[2] == 15
    assert any("16 not in its Domain.csv domain" in w for w in result.warnings)


def test_station_missing_from_data_is_an_input_error():
    data, _ = triangle(3)
    with pytest.raises(InputError, match="station 9 is not in the constraint data"):
        Checker(data).check(Problem({9: (14,)}), 1)


def test_timeout_on_a_hard_problem():
    data, problem = mycielski_world(6)
    result = Checker(data).check(problem, 0.3)
    assert result.answer is Answer.TIMEOUT and result.assignment is None
    assert result.seconds < latest_return(0.3)


def test_bad_cutoff_is_an_input_error():
    data, problem = triangle(3)
    with pytest.raises(InputError, match="cutoff must be a positive"):
        Checker(data).check(problem, -1)


def test_an_invalid_witness_is_never_reported(monkeypatch):
    """If an encoder bug produced a wrong assignment, the verifier stops it."""
    data, problem = triangle(3)
    import auctool.check.solve.encoding as encoding

    original = encoding.Encoding.decode
    monkeypatch.setattr(
        encoding.Encoding, "decode", lambda self, model: {s: 14 for s in self.stations}
    )
    cfg = CheckerConfig(underconstrained=False, local_search=False, incremental=False)
    with pytest.raises(RunError, match="invalid witness"):
        Checker(data, cfg).check(problem, 5)
    monkeypatch.setattr(encoding.Encoding, "decode", original)


def test_an_invalid_witness_of_the_incremental_solver_is_never_reported(monkeypatch):
    data, problem = triangle(3)
    from auctool.check.solve.incremental import IncrementalSolver

    solve = IncrementalSolver.solve

    def wrong(self, domains, *args, **kwargs):  # the real solve, its model garbled
        out, assignment = solve(self, domains, *args, **kwargs)
        return out, None if assignment is None else {s: 14 for s in domains}

    monkeypatch.setattr(IncrementalSolver, "solve", wrong)
    cfg = CheckerConfig(local_search=False, race=False)
    assert cfg.incremental
    with pytest.raises(RunError, match="invalid witness"):
        Checker(data, cfg).check(problem, 5)


def test_result_json_shape():
    data, problem = triangle(3)
    cfg = CheckerConfig(local_search=False, incremental=False)
    out = Checker(data, cfg).check(problem, 5, instance="t.srpk")
    out = out.to_json()
    assert out["instance"] == "t.srpk" and out["answer"] == "SAT"
    assert set(out["assignment"]) == {"1", "2", "3"}
    assert isinstance(out["seconds"], float) and out["stages"][0]["name"] == "trivial"
    assert [s["name"] for s in out["stages"]][-1] == "add-back"


def test_pigeonhole_is_unsat_by_counting_with_the_default_config():
    data, problem = pigeonhole(11)
    result = Checker(data).check(problem, 5)
    assert result.answer is Answer.UNSAT and result.solved_by == "presolve:clique-co"
    assert result.stats["clique"] == "12 stations need distinct channels, only 11 available"


def test_the_cache_answers_what_an_earlier_check_implied(tmp_path):
    """UNSAT for a pigeonhole proves its supersets UNSAT; a SAT packing proves its subsets."""
    data, problem = pigeonhole(6)
    cfg = CheckerConfig(clique=False, local_search=False)
    with Checker(data, cfg, cache_file=tmp_path / "c.sqlite") as checker:
        assert checker.check(problem, 10).answer is Answer.UNSAT
        again = checker.check(problem, 10)
        assert again.answer is Answer.UNSAT and again.solved_by == "cache:exact-unsat"
        smaller = Problem({s: problem.domains[s] for s in (1, 2, 3)})
        first = checker.check(smaller, 10)
        assert first.answer is Answer.SAT and first.cache_hit is None
        pair = Problem({s: problem.domains[s] for s in (1, 2)})
        subset = checker.check(pair, 10)
        assert subset.cache_hit == "sat-superset" and set(subset.assignment) == {1, 2}
        assert violations(subset.assignment, pair, data) == []
    # a new checker (a later run) reads the persisted answers
    with Checker(data, cfg, cache_file=tmp_path / "c.sqlite") as later:
        assert later.check(problem, 10).cache_hit == "exact-unsat"
    assert Checker(data, CheckerConfig(cache=False)).cache is None


def test_local_search_repairs_the_previous_assignment():
    """A new station bumps one old one: greedy extension fails, the repair succeeds."""
    data, _ = triangle(3)
    problem = Problem({1: (14, 15, 16), 2: (14, 15, 16), 3: (14, 15)}, previous={1: 14, 2: 15})
    cfg = CheckerConfig(neighbourhood=False, cache=False)
    result = Checker(data, cfg).check(problem, 5)
    assert result.answer is Answer.SAT and result.solved_by == "presolve:local-search"
    assert violations(result.assignment, problem, data) == []
