"""Hypothesis strategies shared by the property tests: tiny random constraint data."""

from __future__ import annotations

from hypothesis import strategies as st

from auctool.model import ConstraintData
from tests.helpers import data_from


@st.composite
def random_data(
    draw, stations: list[int], channels: range, max_pairs: int = 25, max_offset: int = 2
) -> ConstraintData:
    """Random interference among ``stations`` (offsets up to ``max_offset``), full domains."""
    raw = draw(
        st.lists(
            st.tuples(
                st.sampled_from(stations),
                st.sampled_from(channels),
                st.sampled_from(stations),
                st.integers(-max_offset, max_offset),
            ),
            max_size=max_pairs,
        )
    )
    pairs = [(a, c, b, c + d) for a, c, b, d in raw if a != b and (c + d) in channels]
    return data_from({s: tuple(channels) for s in stations}, pairs)
