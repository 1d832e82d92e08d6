"""The cutoff value object: validated once, chosen by one rule."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from auctool.errors import InputError
from auctool.model.cutoff import DEFAULT_SECONDS, Cutoff, invalid


def test_the_first_given_choice_wins_else_the_default():
    assert Cutoff.resolve(None, 5, 2).seconds == 5.0
    assert Cutoff.resolve(None, None, 2).seconds == 2.0
    assert Cutoff.resolve().seconds == DEFAULT_SECONDS == 60.0
    assert float(Cutoff(0.25)) == 0.25


@pytest.mark.parametrize("bad", [0, -1, math.inf, math.nan, True, "3", None])
def test_a_bad_cutoff_is_an_input_error_that_names_it(bad):
    with pytest.raises(InputError, match="^cutoff must be a") as err:
        Cutoff(bad)
    assert err.value.setting == "cutoff"  # a front end names its flag, or a settings key
    assert err.value.worded(lambda s: f"--{s}").startswith("--cutoff must be a")
    assert invalid(bad) is not None


def test_optional_keeps_no_limit_and_validates_the_rest():
    assert Cutoff.optional(None) is None
    assert Cutoff.optional(3) == 3.0
    with pytest.raises(InputError, match="^initial cutoff must be a positive"):
        Cutoff.optional(-2, "initial cutoff")


def test_a_bad_first_choice_is_not_skipped_for_a_good_later_one():
    with pytest.raises(InputError):
        Cutoff.resolve(-1, 5)


@given(st.floats(min_value=1e-6, max_value=1e6))
def test_every_positive_finite_number_is_a_cutoff(seconds):
    assert invalid(seconds) is None
    assert Cutoff(seconds).seconds == seconds
