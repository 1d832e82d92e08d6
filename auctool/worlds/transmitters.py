"""Synthetic transmitters: ERP and antenna height drawn like real stations' are.

Real TV transmitters come in two classes with very different power: full-power stations
(hundreds of kW in UHF, tens in VHF, towers of ~300 m) and low-power / class A stations
(a few kW, often no meaningful HAAT). We draw the class, then log10 ERP and log10 HAAT
from a normal per class and home band. Synthetic stations then go through the same
radius model as real ones, so a synthetic world and a real one share one code path.

Default numbers (:data:`TRANSMITTERS`): fitted by ``auctool.worlds.calibrate.fit_transmitters``
on the 2,990 US/Canadian stations of ``nov2015/station_info.csv`` joined with TVStudy's
``parameters.csv`` (class = TVStudy type 1 vs the rest). Ours; the data stays in ../shared.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # numpy loads where it is used: the CLI's defaults come from here
    import numpy as np


@dataclass(frozen=True)
class ClassDraw:
    """Normal distributions of log10 ERP (kW) and log10 HAAT (m) for one class."""

    log_erp: tuple[float, float]
    log_haat: tuple[float, float]


@dataclass(frozen=True)
class BandTransmitters:
    full_power_share: float
    full: ClassDraw
    low: ClassDraw


@dataclass(frozen=True)
class TransmitterMix:
    uhf: BandTransmitters = field(
        default_factory=lambda: BandTransmitters(
            0.729,
            ClassDraw((2.360, 0.737), (2.428, 0.412)),
            ClassDraw((0.140, 1.216), (1.478, 0.031)),
        )
    )
    vhf: BandTransmitters = field(
        default_factory=lambda: BandTransmitters(
            0.670,
            ClassDraw((1.049, 0.840), (2.261, 0.524)),
            ClassDraw((-1.594, 0.707), (1.477, 0.0)),
        )
    )

    def draw(self, vhf: np.ndarray, rng: np.random.Generator) -> dict[str, np.ndarray]:
        """ERP (kW), HAAT (m) and the full-power flag of stations with these home bands."""
        import numpy as np

        vhf = np.asarray(vhf, dtype=bool)
        n = vhf.size
        u = rng.random(n)
        z = rng.standard_normal((n, 2))
        erp = np.empty(n)
        haat = np.empty(n)
        full = np.empty(n, dtype=bool)
        for mask, band in ((~vhf, self.uhf), (vhf, self.vhf)):
            full[mask] = u[mask] < band.full_power_share
            for cls_mask, cls in ((full & mask, band.full), (~full & mask, band.low)):
                erp[cls_mask] = 10 ** (cls.log_erp[0] + cls.log_erp[1] * z[cls_mask, 0])
                haat[cls_mask] = 10 ** (cls.log_haat[0] + cls.log_haat[1] * z[cls_mask, 1])
        return {
            "erp_kw": np.clip(erp, 0.001, 1000.0).round(3),
            "haat_m": np.clip(haat, 0.0, 700.0).round(1),
            "full_power": full,
        }


TRANSMITTERS = TransmitterMix()
