"""The distance model's defaults are what the real subsets give, and beat a fixed radius."""

from __future__ import annotations

import functools

import numpy as np
import pytest

from auctool.worlds.calibrate import fit_model, load_subsets, score, subset_folders
from auctool.worlds.distance import CALIBRATED

pytestmark = pytest.mark.realdata


@functools.cache
def _load(root: str):
    return load_subsets(subset_folders(root))


@pytest.fixture
def cal(fcc_data):
    return _load(str(fcc_data / "subsets"))


def test_pairs_are_labelled_from_the_real_files(cal):
    p = cal.pairs
    assert len(cal.stations) > 200 and len(p) > 10_000
    # every real ADJ pair in a band is also a CO pair there (the FCC's rules nest)
    for band in ("uhf", "vhf"):
        assert not (p[f"adj_{band}"] & ~p[f"co_{band}"]).any()
    assert p["region"].nunique() == 2


def test_defaults_are_the_fitted_model(cal):
    fitted = fit_model(cal)
    for band in ("uhf", "vhf"):
        f, d = getattr(fitted, band), getattr(CALIBRATED, band)
        assert np.allclose(
            [f.radius.intercept, f.radius.erp, f.radius.haat, f.radius.vhf],
            [d.radius.intercept, d.radius.erp, d.radius.haat, d.radius.vhf],
            atol=0.002,
        )
        assert (f.adjacent_share, f.colocated_km, f.colocated_ratio) == (
            d.adjacent_share,
            d.colocated_km,
            d.colocated_ratio,
        )


def test_calibrated_model_beats_one_fixed_radius(cal):
    model, baseline = score(cal, CALIBRATED), score(cal, fit_model(cal, fixed=True))
    for key in ("co_uhf", "adj_uhf", "co_vhf", "adj_vhf"):
        assert model[key].f1 > baseline[key].f1, key
