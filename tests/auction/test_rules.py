"""Auction arithmetic: hand-computed cases, then the real Auction 1001 figures, exactly."""

import itertools

import numpy as np
import pandas as pd
import pytest

from auctool.auction.rules import (
    clock_schedule,
    next_clock,
    offer_rate,
    opening_prices,
    prices,
    processing_order,
    raw_volumes,
    scale_volumes,
)
from auctool.model.bands import Band


def test_volume_is_sqrt_count_times_sqrt_population():
    raw = raw_volumes(np.array([4, 9]), np.array([100, 16]))
    assert raw.tolist() == [20.0, 12.0]


def test_volumes_scale_to_the_largest_uhf_station_and_round():
    # the VHF station (raw 30) is larger than the largest UHF one (raw 20): it scales past 1e6
    scaled = scale_volumes(
        np.array([20.0, 10.0, 30.0, 0.0003]), np.array([True, True, False, True])
    )
    assert scaled.tolist() == [1_000_000, 500_000, 1_500_000, 15]


def test_scaling_needs_a_uhf_station():
    with pytest.raises(ValueError, match="UHF"):
        scale_volumes(np.array([3.0]), np.array([False]))


def test_offers_are_relative_to_the_home_band():
    assert offer_rate(900, Band.UHF) == 900
    assert offer_rate(900, Band.HVHF) == 540  # 900 - 360
    assert offer_rate(900, Band.LVHF) == 225  # 900 - 675
    assert offer_rate(900, Band.UHF, "LVHF") == 675
    assert offer_rate(900, Band.HVHF, "LVHF") == 315
    assert offer_rate(450, Band.UHF) == 450


def test_prices_round_down_to_whole_dollars():
    assert prices(np.array([3, 7]), 2.5).tolist() == [7, 17]
    assert opening_prices(
        np.array([1000, 1000, 1000]), [Band.UHF, Band.HVHF, Band.LVHF]
    ).tolist() == [
        900_000,
        540_000,
        225_000,
    ]


def test_clock_drops_five_percent_then_nine_dollars_then_stops_at_zero():
    assert next_clock(900) == 855
    assert next_clock(200) == 190  # 5% = 10 > 9
    assert next_clock(100) == 91  # 5% = 5 < 9
    assert next_clock(4) == 0
    schedule = clock_schedule()
    assert schedule[0] == 855 and schedule[-1] == 0 and min(schedule[:-1]) > 0
    assert all(a > b for a, b in itertools.pairwise(schedule))


def test_processing_order_smallest_cut_first_ties_by_key():
    order = processing_order(np.array([45.0, 10.0, 45.0, 45.0]), np.array([0.9, 0.5, 0.1, 0.5]))
    assert order.tolist() == [1, 2, 3, 0]


# ---- the real Auction 1001 files ------------------------------------------------------
OPTION_COLUMNS = {"OFF": "Go Off-Air", "LVHF": "Move to Low VHF", "HVHF": "Move to High VHF"}


def _open_prices(fcc_data) -> pd.DataFrame:
    return pd.read_csv(fcc_data / "auction1001" / "open_prices.csv", encoding="utf-8-sig")


def test_scaled_volumes_match_the_fcc(fcc_data):
    table = _open_prices(fcc_data)
    uhf = table["Channel"].to_numpy() >= 14
    scaled = scale_volumes(table["Volume3"].to_numpy(), uhf)
    assert int((scaled != table["Scaled Volume4"].to_numpy()).sum()) == 0
    fcc = pd.read_csv(fcc_data / "nov2015" / "volumes.csv")
    merged = table.merge(fcc, left_on="Facility ID", right_on="FacID", validate="one_to_one")
    assert len(merged) == len(table)
    assert (merged["Volume"] == merged["Scaled Volume4"]).all()


@pytest.mark.parametrize("option", ["OFF", "LVHF", "HVHF"])
def test_opening_prices_match_the_fcc_for_every_station(fcc_data, option):
    table = _open_prices(fcc_data)
    volumes = pd.read_csv(fcc_data / "nov2015" / "volumes.csv").set_index("FacID")["Volume"]
    homes = [Band.of_channel(int(c)) for c in table["Channel"]]
    expected = pd.to_numeric(table[OPTION_COLUMNS[option]], errors="coerce")  # "Not Needed"
    priced = expected.notna().to_numpy()
    # an option is offered only above the home band (a UHF station may go to VHF, not back)
    offered = np.array([offer_rate(900, h, option) > 0 for h in homes])
    assert (priced <= offered).all()
    ours = opening_prices(volumes.loc[table["Facility ID"]].to_numpy(), homes, option)
    compare = priced & offered
    assert compare.sum() > 0
    mismatches = int((ours[compare] != expected.to_numpy()[compare].astype(np.int64)).sum())
    assert mismatches == 0


def test_stage_one_base_clock_matches_the_fcc_round_by_round(fcc_data):
    summary = pd.read_csv(fcc_data / "auction1001" / "reverse-auction_summary.csv")
    stage1 = summary[summary["stage"] == 1].sort_values("round")["base_clock_price"].tolist()
    assert len(stage1) == 52
    assert clock_schedule() == stage1
