import pytest

from auctool.model import Problem
from tests.helpers import data_from


def test_problem_is_frozen_and_normalised():
    p = Problem({2: (16, 14, 14), 1: (15,)}, {2: 14})
    assert p.stations == (1, 2)
    assert p.domains[2] == (14, 16)
    assert p.new_stations == (1,)
    with pytest.raises(TypeError):
        p.domains[3] = (1,)  # type: ignore[index]


def test_previous_must_name_problem_stations():
    with pytest.raises(ValueError, match="not in the problem"):
        Problem({1: (14,)}, {2: 14})


def test_against_intersects_with_domain_csv_and_says_so():
    data = data_from({1: (14, 15), 2: (14,)}, [(1, 14, 2, 14)])
    prepared, warnings = Problem({1: (14, 15, 16), 2: (14,)}).against(data)
    assert prepared.domains[1] == (14, 15)
    assert warnings == ["station 1: channel(s) 16 not in its Domain.csv domain, dropped"]
    with pytest.raises(KeyError):
        Problem({3: (14,)}).against(data)
