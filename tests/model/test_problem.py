import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


@settings(max_examples=60, deadline=None)
@given(
    st.dictionaries(
        st.integers(1, 10_000),
        st.lists(st.integers(1, 51), min_size=0, max_size=6, unique=True),
        max_size=12,
    ),
    st.data(),
)
def test_from_canonical_equals_the_normalising_constructor(domains, data):
    normal = Problem(domains)
    previous = {
        s: data.draw(st.integers(1, 51)) for s in normal.domains if data.draw(st.booleans())
    }
    normal = Problem(domains, previous, interference="w", cutoff=3.0, name="n")
    fast = Problem.from_canonical(
        dict(normal.domains), dict(normal.previous), interference="w", cutoff=3.0, name="n"
    )
    assert fast == normal
    assert list(fast.domains.items()) == list(normal.domains.items())
    assert list(fast.previous.items()) == list(normal.previous.items())
    assert fast.name == "n" and fast.new_stations == normal.new_stations


def test_channels_no_station_may_hold_are_dropped_with_a_warning():
    """Issue 33: `DOMAIN,1,36,37,38` and a problem line `1,-1,37` was answered SAT {1: 37}."""
    from auctool.model import ConstraintData, Interference

    data = ConstraintData({1: (36, 37, 38), 2: (1, 14, 52, 255)}, Interference.empty())
    fixed, warnings = Problem({1: (37,), 2: (1, 14, 52, 255)}).against(data)
    assert dict(fixed.domains) == {1: (), 2: (14,)}
    assert warnings == [
        "station 1: channel(s) 37 never assignable (TV channels are 2-51 but 37), dropped",
        "station 2: channel(s) 1,52,255 never assignable (TV channels are 2-51 but 37), dropped",
    ]


def test_unplaced_are_the_stations_without_an_allowed_previous_channel():
    p = Problem({1: (14, 15), 2: (14, 15), 3: (16,)}, previous={2: 15, 3: 14})
    assert p.unplaced == (1, 3)  # 1 has none, 3's channel left its domain
    assert p.new_stations == (1,)
