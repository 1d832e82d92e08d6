"""Values and participation: the seeded pop-value model and user-supplied values."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from auctool.auction.values import (
    POP_VALUE_A,
    POP_VALUE_C,
    participates,
    pop_values,
    read_values,
    write_values,
)
from auctool.errors import InputError


def test_pop_values_are_seeded_and_within_the_model_bounds():
    pops = np.array([1_000, 250_000, 9_000_000])
    a = pop_values([10, 20, 30], pops, seed=7)
    assert np.array_equal(a, pop_values([10, 20, 30], pops, seed=7))
    assert not np.array_equal(a, pop_values([10, 20, 30], pops, seed=8))
    assert (a >= pops * math.exp(POP_VALUE_A)).all()
    assert (a <= pops * math.exp(POP_VALUE_C)).all()


def test_a_stations_value_does_not_depend_on_the_other_stations():
    whole = pop_values([1, 2, 3], np.array([100, 200, 300]), seed=3)
    part = pop_values([3, 1], np.array([300, 100]), seed=3)
    assert part.tolist() == [whole[2], whole[0]]


def test_value_per_person_is_log_uniform_over_the_model_range():
    u = np.log(pop_values(list(range(4000)), np.ones(4000), seed=1))
    share = (u - POP_VALUE_A) / (POP_VALUE_C - POP_VALUE_A)
    assert abs(share.mean() - 0.5) < 0.02
    assert abs((share < 0.25).mean() - 0.25) < 0.03


def test_participation_when_the_opening_offer_exceeds_the_value():
    assert participates(np.array([10, 10, 10]), np.array([9.5, 10, math.inf])).tolist() == [
        True,
        False,
        False,
    ]


def test_read_values_unlisted_stations_get_no_bid(tmp_path):
    path = tmp_path / "v.csv"
    path.write_text("Station,Value\n20,1.5e6\n10,0\n")
    assert read_values(path, [10, 20, 30]).tolist() == [0.0, 1.5e6, math.inf]


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ("station\n1\n", "header", 1),
        ("station,value\n1,abc\n", "'abc' is not a number", 2),
        ("station,value\n1,5\nx,5\n", "station id 'x'", 3),
        ("station,value\n1,-5\n", "non-negative", 2),
        ("station,value\n1,nan\n", "non-negative", 2),
        ("station,value\n99,5\n", "station 99 is not in the world", 2),
        ("station,value\n1,5\n1,6\n", "listed twice", 3),
        ("station,value\n1,5,7\n", "3 fields where the header has 2", 2),
        ("station,value\n", "no values", None),
    ],
)
def test_bad_values_files_name_the_line(tmp_path, text, message, line):
    path = tmp_path / "v.csv"
    path.write_text(text)
    with pytest.raises(InputError, match=message) as err:
        read_values(path, [1, 2])
    assert err.value.line == line


def test_missing_values_file(tmp_path):
    with pytest.raises(InputError, match="not found"):
        read_values(tmp_path / "nope.csv", [1])


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(min_value=0, max_value=1e12, allow_nan=False), min_size=1, max_size=8))
def test_written_values_read_back_exactly(tmp_path_factory, values):
    path = tmp_path_factory.mktemp("v") / "values.csv"
    stations = list(range(1, len(values) + 1))
    write_values(path, stations, np.array(values))
    assert read_values(path, stations).tolist() == values
