"""Band plans: which channels a repacked station may use.

The incentive auction cleared the top of the UHF band. A *clearing target* (in MHz)
fixes the highest UHF channel left for television; channel 37 (radio astronomy) is
never assignable. Low VHF is 2-6, high VHF 7-13, UHF 14 up to the top channel.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

#: Clearing target (MHz cleared) -> highest UHF channel left for TV (FCC, Auction 1001).
CLEARING_TARGETS: dict[int, int] = {
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
#: Channel 37 is reserved for radio astronomy and never assignable.
UNASSIGNABLE = frozenset({37})
#: The full pre-auction UHF band tops out at channel 51.
UHF_TOP_PRE_AUCTION = 51
#: Every channel a station may ever hold: 2-51 but 37 (a domain's other numbers are dropped).
ASSIGNABLE = frozenset(range(2, UHF_TOP_PRE_AUCTION + 1)) - UNASSIGNABLE
DEFAULT_CLEARING_TARGET = 84


class Band(StrEnum):
    """The three TV bands; a station's *home band* is the one it broadcasts in."""

    LVHF = "LVHF"
    HVHF = "HVHF"
    UHF = "UHF"

    @classmethod
    def of_channel(cls, channel: int) -> Band:
        if 2 <= channel <= 6:
            return cls.LVHF
        if 7 <= channel <= 13:
            return cls.HVHF
        if channel >= 14:
            return cls.UHF
        raise ValueError(f"channel {channel} is in no TV band")


def top_uhf_channel(clearing_target_mhz: int) -> int:
    """The highest UHF channel left for TV under a clearing target (e.g. 84 -> 36)."""
    try:
        return CLEARING_TARGETS[clearing_target_mhz]
    except KeyError:
        known = ", ".join(str(k) for k in sorted(CLEARING_TARGETS))
        raise ValueError(
            f"unknown clearing target {clearing_target_mhz} MHz (known: {known})"
        ) from None


@dataclass(frozen=True)
class BandPlan:
    """The channels of each band after clearing; restricts every station's domain."""

    clearing_target_mhz: int = DEFAULT_CLEARING_TARGET

    def __post_init__(self) -> None:
        top_uhf_channel(self.clearing_target_mhz)  # validates

    @property
    def top_uhf(self) -> int:
        return top_uhf_channel(self.clearing_target_mhz)

    def channels(self, band: Band) -> frozenset[int]:
        if band is Band.LVHF:
            chans = range(2, 7)
        elif band is Band.HVHF:
            chans = range(7, 14)
        else:
            chans = range(14, self.top_uhf + 1)
        return frozenset(c for c in chans if c not in UNASSIGNABLE)

    def all_channels(self) -> frozenset[int]:
        return self.channels(Band.LVHF) | self.channels(Band.HVHF) | self.channels(Band.UHF)

    def restrict(
        self, domain: tuple[int, ...] | frozenset[int], band: Band | None = None
    ) -> tuple[int, ...]:
        """A domain cut down to the band (or to every cleared band when ``band`` is None)."""
        allowed = self.all_channels() if band is None else self.channels(band)
        return tuple(sorted(c for c in domain if c in allowed))
