"""The FCC reverse clock auction's arithmetic: volumes, opening prices, the base clock, bid order.

Figures from the FCC's Auction 1000/1001 procedures as the UBC simulator implements them
(DOMAIN.md section 4); ``tests/auction/test_fcc_rules.py`` checks them against the real
Auction 1001 files (every opening price and the stage-1 clock, exactly).
"""

from __future__ import annotations

from enum import StrEnum

import numpy as np

from auctool.model.bands import Band


class TimeoutRule(StrEnum):
    """What an unanswered question (TIMEOUT) does to the station it is about.

    ``freeze``: the FCC's rule, it counts as infeasible: the station wins at its price.
    ``hold`` (the UBC simulator's NO_PRICE_DROPS_FOR_TIMEOUTS): the station keeps its
    price, stays active and is asked again at the status update and in later rounds;
    when every station still active is held, they all win. ``revisit``: as ``hold``, but a
    held question is asked again only once the band has changed since it timed out (a
    station joined it; the UBC simulator's REVISIT_TIMEOUTS), else its TIMEOUT stands.
    """

    FREEZE = "freeze"
    HOLD = "hold"
    REVISIT = "revisit"


#: Opening base clock prices per option ($ per unit of volume). A station's offer to move
#: to an option is the difference between the option's price and its home band's.
OPENING_BASE_PRICES: dict[str, float] = {"OFF": 900.0, "LVHF": 675.0, "HVHF": 360.0, "UHF": 0.0}
OPENING_CLOCK = OPENING_BASE_PRICES["OFF"]
#: Each round the base clock drops by the larger of 5% of its last value and 1% of 900.
DECREMENT_SHARE = 0.05
MIN_DECREMENT_SHARE = 0.01
#: Volumes are scaled so that the largest UHF station has this volume.
SCALED_MAX_VOLUME = 1_000_000


def raw_volumes(interference_count: np.ndarray, population: np.ndarray) -> np.ndarray:
    """sqrt(interference count) * sqrt(interference-free population), before scaling."""
    count = np.asarray(interference_count, dtype=np.float64)
    pop = np.asarray(population, dtype=np.float64)
    return np.sqrt(count) * np.sqrt(pop)


def scale_volumes(raw: np.ndarray, uhf: np.ndarray) -> np.ndarray:
    """Whole-number volumes with the largest UHF station at 1,000,000 (the FCC rounds)."""
    raw = np.asarray(raw, dtype=np.float64)
    uhf = np.asarray(uhf, dtype=bool)
    if not uhf.any() or raw[uhf].max() <= 0:
        raise ValueError("no UHF station with a positive volume to scale by")
    return np.round(raw / raw[uhf].max() * SCALED_MAX_VOLUME).astype(np.int64)


def offer_rate(clock: float, home: Band, option: str = "OFF") -> float:
    """$ per unit of volume offered at this base clock for moving from ``home`` to ``option``.

    Every option's clock scales with the base clock, so the offer is
    ``clock - clock * base[home] / 900`` (e.g. high VHF going off air: 540 at the opening).
    """
    ratio_home = OPENING_BASE_PRICES[home.value] / OPENING_CLOCK
    ratio_option = OPENING_BASE_PRICES[option] / OPENING_CLOCK
    return clock * ratio_option - clock * ratio_home


def prices(volumes: np.ndarray, rates: np.ndarray | float) -> np.ndarray:
    """Offers in whole dollars, rounded down (volume times the per-volume rate)."""
    return np.floor(np.asarray(volumes, dtype=np.float64) * rates).astype(np.int64)


def opening_prices(volumes: np.ndarray, homes: list[Band], option: str = "OFF") -> np.ndarray:
    """The opening offers for one option (900 off air, 675 low VHF, 360 high VHF, minus home)."""
    rates = np.array([offer_rate(OPENING_CLOCK, h, option) for h in homes])
    return prices(volumes, rates)


def next_clock(clock: float, opening: float = OPENING_CLOCK) -> float:
    """The next round's base clock: down by max(5% of the last clock, 1% of the opening), >= 0."""
    return max(clock - max(DECREMENT_SHARE * clock, MIN_DECREMENT_SHARE * opening), 0.0)


def clock_schedule(opening: float = OPENING_CLOCK) -> list[float]:
    """Base clocks of rounds 1, 2, ... down to (and including) the first zero."""
    out = [next_clock(opening, opening)]
    while out[-1] > 0:
        out.append(next_clock(out[-1], opening))
    return out


def processing_order(cuts: np.ndarray, tiebreak: np.ndarray) -> np.ndarray:
    """Indices in intra-round processing order: smallest volume-normalised cut first.

    A station that would exit at its value accepts a smaller cut than one taking the
    full clock decrement, so (as in the FCC's intra-round bidding) it is processed
    first; equal cuts go in the order of the random ``tiebreak`` keys.
    """
    return np.lexsort((tiebreak, cuts))
