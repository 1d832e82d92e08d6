"""The distance model: pair rules on hand-made distances, constraints on the right channels."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from auctool.worlds.distance import (
    CALIBRATED,
    NOT_ADJACENT,
    BandRule,
    RadiusModel,
    band_constraints,
    domain_matrix,
    to_interference,
)

RULE = BandRule(
    RadiusModel(np.log(50.0), 0.0, 0.0), adjacent_share=0.5, colocated_km=1.0, colocated_ratio=1.5
)


def test_co_within_the_sum_of_radii_adj_within_a_share_of_it():
    d = np.array([10.0, 49.0, 51.0, 99.0, 101.0])
    r = np.full(d.size, 50.0)
    co, adj = RULE.classify(d, r, r)
    assert co.tolist() == [True, True, True, True, False]
    assert adj.tolist() == [True, True, False, False, False]


def test_colocated_stations_of_similar_strength_may_use_adjacent_channels():
    d = np.array([0.2, 0.2, 5.0])
    co, adj = RULE.classify(d, np.array([50.0, 50.0, 50.0]), np.array([60.0, 120.0, 60.0]))
    assert co.all()
    # same tower, similar radii: no ADJ; same tower, very different: ADJ; 5 km apart: ADJ
    assert adj.tolist() == [False, True, True]


@given(
    erp=st.floats(0.01, 1000),
    haat=st.floats(0, 600),
    factor=st.floats(1.01, 10),
)
def test_radius_grows_with_power_and_height(erp, haat, factor):
    model = CALIBRATED.uhf.radius
    base = model.radius_km(erp, haat, 0)
    assert model.radius_km(min(erp * factor, 1e4), haat, 0) >= base
    assert model.radius_km(erp, haat * factor + 1, 0) >= base
    assert base > 0


def test_constraints_follow_domains_and_skip_non_adjacent_channel_pairs():
    ids = np.array([10, 20])
    domains = [tuple(range(2, 52)), tuple(range(2, 52))]
    mat = domain_matrix(domains, 52)
    chans = np.arange(53)
    i, j = np.array([0]), np.array([1])
    yes = np.array([True])
    it = to_interference(band_constraints(ids, mat, i, j, yes, yes, chans >= 14))
    pairs = it.as_set()
    co = {ca for a, ca, b, cb in pairs if ca == cb}
    assert co == set(range(14, 52))  # UHF rule: UHF channels only
    adjacent = {min(ca, cb) for a, ca, b, cb in pairs if ca != cb}
    assert adjacent == set(range(14, 51)) - NOT_ADJACENT
    # both directions of every adjacent pair are forbidden
    assert (10, 20, 20, 21) in pairs and (10, 21, 20, 20) in pairs


def test_constraints_only_on_channels_both_domains_hold():
    ids = np.array([1, 2])
    domains = [(14, 15, 16), (15, 16, 17)]
    mat = domain_matrix(domains, 18)
    yes = np.array([True])
    it = to_interference(
        band_constraints(ids, mat, np.array([0]), np.array([1]), yes, yes, np.arange(19) >= 14)
    )
    assert it.as_set() == {
        (1, 15, 2, 15),
        (1, 16, 2, 16),
        (1, 14, 2, 15),
        (1, 15, 2, 16),
        (1, 16, 2, 17),
        (1, 16, 2, 15),
    }


def test_scaled_model_scales_every_radius():
    erp, haat, vhf = np.array([10.0, 1000.0]), np.array([100.0, 300.0]), np.array([0, 1])
    u1, v1 = CALIBRATED.radii_km(erp, haat, vhf)
    u2, v2 = CALIBRATED.scaled(0.5).radii_km(erp, haat, vhf)
    assert np.allclose(u2, u1 / 2) and np.allclose(v2, v1 / 2)
