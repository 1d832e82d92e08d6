import pytest

from auctool.model.bands import CLEARING_TARGETS, Band, BandPlan, top_uhf_channel


def test_clearing_targets_match_the_fcc_table():
    assert CLEARING_TARGETS == {
        126: 29,
        114: 31,
        108: 32,
        84: 36,
        78: 38,
        72: 39,
        60: 41,
        48: 43,
        42: 44,
    }
    assert top_uhf_channel(84) == 36


def test_channel_37_is_never_assignable():
    for target in CLEARING_TARGETS:
        assert 37 not in BandPlan(target).all_channels()
    assert BandPlan(78).channels(Band.UHF) == frozenset(range(14, 39)) - {37}


def test_bands_partition_the_channels():
    plan = BandPlan(84)
    assert plan.channels(Band.LVHF) == frozenset(range(2, 7))
    assert plan.channels(Band.HVHF) == frozenset(range(7, 14))
    assert plan.channels(Band.UHF) == frozenset(range(14, 37))
    assert (
        Band.of_channel(6) is Band.LVHF
        and Band.of_channel(7) is Band.HVHF
        and Band.of_channel(14) is Band.UHF
    )


def test_a_band_restricts_a_domain():
    plan = BandPlan(126)
    assert plan.restrict((5, 13, 14, 29, 30, 51), Band.UHF) == (14, 29)
    assert plan.restrict((5, 13, 14, 29, 30, 51)) == (5, 13, 14, 29)


def test_unknown_clearing_target_is_refused():
    with pytest.raises(ValueError, match="unknown clearing target 85"):
        BandPlan(85)
