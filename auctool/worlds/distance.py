"""The distance model: which station pairs interfere, on which channels.

Every station gets an interference radius per band from its transmitter (ERP, antenna
height above average terrain, home band): UHF and VHF signals carry differently, and
the real FCC constraints differ by band. On the channels of a band, two stations may
not share a channel (CO) when closer than the sum of their radii, and may not sit on
adjacent channels (ADJ+-1) when closer than a share of that sum, except near co-located
stations of similar strength (same tower, similar power: adjacent channels coexist
there; the real data shows the same pattern).

Constraints are written on every channel of the band both domains hold (CO) and on every
adjacent channel pair (ADJ), as the real files do. Channels 4/5, 6/7 and 13/14 are not
neighbours in frequency and 37 is never assignable: no ADJ constraint spans them.

Default coefficients (:data:`CALIBRATED`) were fitted with ``auctool.worlds.calibrate`` on
the real connected subsets in ``../shared/data/fcc/subsets`` (243 stations with TVStudy
parameters, 18,037 station pairs; UHF rule on the 10,233 pairs whose subset domains both
hold UHF channels). ``python -m bench world`` refits them and reports precision and
recall against the real pairs. The numbers are ours; the data stays in ../shared.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # numpy loads where it is used: the CLI's defaults come from here
    import numpy as np

    from auctool.model import Interference


#: Channels c for which c and c+1 are NOT adjacent in frequency (band edges, the 37 gap).
NOT_ADJACENT = frozenset({4, 6, 13, 36, 37})
#: The lowest UHF channel: constraints on channels >= this follow the UHF rule.
UHF_LOW = 14


@dataclass(frozen=True)
class RadiusModel:
    """log(radius km) = intercept + erp*log(ERP kW) + haat*log(HAAT m) + vhf*[VHF home]."""

    intercept: float
    erp: float
    haat: float
    vhf: float = 0.0
    haat_floor_m: float = 30.0  # class A / LPTV records often carry HAAT 0 (unknown)
    erp_floor_kw: float = 0.001

    def radius_km(self, erp_kw, haat_m, vhf) -> np.ndarray:
        import numpy as np

        erp = np.log(np.clip(np.asarray(erp_kw, dtype=float), self.erp_floor_kw, None))
        haat = np.log(np.clip(np.asarray(haat_m, dtype=float), self.haat_floor_m, None))
        home_vhf = np.asarray(vhf, dtype=float)
        return np.exp(self.intercept + self.erp * erp + self.haat * haat + self.vhf * home_vhf)


@dataclass(frozen=True)
class BandRule:
    """How distance turns into constraints on the channels of one band."""

    radius: RadiusModel
    adjacent_share: float  # ADJ+-1 within this share of the CO reach r_i + r_j
    colocated_km: float  # ... except pairs closer than this
    colocated_ratio: float  # ... whose radii are within this factor of each other

    def classify(
        self, dist_km: np.ndarray, r_i: np.ndarray, r_j: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """(co, adj) masks for pairs at ``dist_km`` with radii ``r_i``, ``r_j``."""
        import numpy as np

        reach = r_i + r_j
        co = dist_km < reach
        similar = np.maximum(r_i, r_j) < self.colocated_ratio * np.minimum(r_i, r_j)
        near = dist_km < self.adjacent_share * reach
        adj = near & ~((dist_km < self.colocated_km) & similar)
        return co, adj


@dataclass(frozen=True)
class DistanceModel:
    """One rule per band, and ``scale``: every radius times this (a density knob)."""

    uhf: BandRule = field(
        default_factory=lambda: BandRule(
            RadiusModel(intercept=2.623, erp=0.133, haat=0.227, vhf=0.0),
            adjacent_share=0.54,
            colocated_km=1.0,
            colocated_ratio=1.5,
        )
    )
    vhf: BandRule = field(
        default_factory=lambda: BandRule(
            RadiusModel(intercept=3.156, erp=0.154, haat=0.121, vhf=0.551),
            adjacent_share=0.50,
            colocated_km=10.0,
            colocated_ratio=1.5,
        )
    )
    scale: float = 1.0

    def radii_km(self, erp_kw, haat_m, vhf) -> tuple[np.ndarray, np.ndarray]:
        """(UHF radius, VHF radius) of each station."""
        return (
            self.scale * self.uhf.radius.radius_km(erp_kw, haat_m, vhf),
            self.scale * self.vhf.radius.radius_km(erp_kw, haat_m, vhf),
        )

    def scaled(self, scale: float) -> DistanceModel:
        return replace(self, scale=scale)


CALIBRATED = DistanceModel()


def domain_matrix(domains: list[tuple[int, ...]], top: int) -> np.ndarray:
    """Boolean (station, channel 0..top) matrix of the domains."""
    import numpy as np

    mat = np.zeros((len(domains), top + 1), dtype=bool)
    rows = np.repeat(np.arange(len(domains)), [len(d) for d in domains])
    cols = np.fromiter((c for d in domains for c in d), dtype=np.int64, count=rows.size)
    mat[rows, cols] = True
    return mat


def band_constraints(
    ids: np.ndarray,
    mat: np.ndarray,
    i: np.ndarray,
    j: np.ndarray,
    co: np.ndarray,
    adj: np.ndarray,
    band: np.ndarray,
) -> list[tuple[np.ndarray, ...]]:
    """Constraint arrays (a, ca, b, cb) of CO / ADJ pairs on the channels ``band`` marks.

    ``mat`` is :func:`domain_matrix`; ``i``/``j`` index its rows and ``ids``.
    """
    import numpy as np

    allowed = mat & band
    parts: list[tuple[np.ndarray, ...]] = []
    ci, cj = i[co], j[co]
    p, ch = np.nonzero(allowed[ci] & allowed[cj])
    parts.append((ids[ci[p]], ch, ids[cj[p]], ch))
    top = mat.shape[1] - 1
    adjacent = np.ones(top, dtype=bool)  # adjacent[c]: c and c+1 are neighbours
    adjacent[[c for c in NOT_ADJACENT if c < top]] = False
    ai, aj = i[adj], j[adj]
    up = allowed[ai, :-1] & allowed[aj, 1:] & adjacent  # i on c, j on c+1
    p, ch = np.nonzero(up)
    parts.append((ids[ai[p]], ch, ids[aj[p]], ch + 1))
    down = allowed[ai, 1:] & allowed[aj, :-1] & adjacent  # i on c+1, j on c
    p, ch = np.nonzero(down)
    parts.append((ids[ai[p]], ch + 1, ids[aj[p]], ch))
    return parts


def to_interference(parts: list[tuple[np.ndarray, ...]]) -> Interference:
    import numpy as np

    from auctool.model import Interference

    if not parts:
        return Interference.empty()
    return Interference.from_arrays(*(np.concatenate(x) for x in zip(*parts, strict=True)))
