"""Knobs held fixed while tuning (``auctool tune --fix``): parsing and the space they leave."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from auctool.check.config.configs import CheckerConfig
from auctool.check.config.knobs import KNOB_BY_NAME, SOLVER_KNOBS
from auctool.check.config.solvertable import SOLVERS
from auctool.check.config.space import build_space, check_fixed, from_configuration, parse_fixed
from auctool.errors import InputError


def test_words_become_validated_values():
    fixed = parse_fixed(["cache=true", "ls-noise=0.15", "solver=minisat22", "ls_flips=500"])
    assert fixed == {"cache": True, "ls_noise": 0.15, "solver": "minisat22", "ls_flips": 500}
    assert type(fixed["ls_flips"]) is int and type(fixed["ls_noise"]) is float


@pytest.mark.parametrize(
    "words, message",
    [
        (["cache"], "expected KNOB=VALUE"),
        (["=true"], "expected KNOB=VALUE"),
        (["cache="], "expected KNOB=VALUE"),
        (["nope=1"], "unknown knob"),
        (["cache=maybe"], "expected true or false"),
        (["ls_noise=7"], "outside"),
        (["solver=z3"], "is not one of"),
        (["cache=true", "cache=false"], "given twice"),
        (["local_search=false", "ls_flips=500"], "ls_flips has no effect: local_search"),
        (["incremental=true", "solver=kissat404"], "incremental checking needs"),
    ],
)
def test_bad_words_are_one_named_input_error(words, message):
    with pytest.raises(InputError, match=message):
        parse_fixed(words)


def test_a_fixed_knob_takes_one_value_and_what_it_switches_off_leaves_the_space():
    space = build_space(seed=1, fixed=parse_fixed(["local_search=false", "cache=true"]))
    assert "ls_flips" not in space and "ls_noise" not in space
    assert list(space["cache"].choices) == [True]
    for c in space.sample_configuration(30):
        config = from_configuration(c)
        assert config.cache is True and config.local_search is False


def test_fixing_the_solver_keeps_only_the_forbidden_rules_that_can_still_apply():
    space = build_space(seed=2, fixed=parse_fixed(["solver=kissat404"]))
    for c in space.sample_configuration(40):
        config = from_configuration(c)  # would raise on a forbidden combination
        assert config.solver == "kissat404" and config.incremental is False
    assert not any(k.startswith("clasp_") for k in space)


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(sorted(KNOB_BY_NAME)), st.integers(0, 2**31 - 1))
def test_any_knob_fixed_at_its_default_still_samples_valid_configurations(name, seed):
    default = CheckerConfig()
    fixed = check_fixed({name: getattr(default, name)})
    space = build_space(seed=seed, fixed=fixed)
    assert from_configuration(space.get_default_configuration()) == default
    for c in space.sample_configuration(5):
        config = from_configuration(c)
        if name in config.to_mapping(active_only=True):
            assert getattr(config, name) == fixed[name]


def test_in_work_mode_the_space_offers_only_solvers_with_a_conflict_budget():
    """A configuration tuned in work mode must run in work mode, which refuses a solver
    without a conflict budget (Lingeling)."""
    from auctool.check.solve.solvers import check_budget_mode

    lacking = {name for name, info in SOLVERS.items() if not info.conflict_budget}
    assert lacking and lacking <= set(build_space()["solver"].choices)
    space = build_space(seed=4, budget_mode="work")
    for knob in SOLVER_KNOBS:
        assert not lacking & set(space[knob].choices), knob
    for c in space.sample_configuration(40):
        check_budget_mode("work", from_configuration(c).solvers)
