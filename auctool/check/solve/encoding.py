"""SAT encodings of a repacking problem.

One Boolean x(s, c) per station and channel of its domain. Every encoding has
at-least-one clauses per station and one binary clause per forbidden pair; they differ
in how at-most-one channel per station is said:

- ``direct``: pairwise at-most-one clauses (SATFC's default);
- ``multivalued``: none at all (a station may hold several channels; decoding takes the
  first true one, which is still valid because interference clauses forbid every pair);
- ``ladder`` / ``seqcounter`` / ``bitwise``: at-most-one through pysat's cardinality
  encodings (fewer clauses for large domains, auxiliary variables).

Clause generation is vectorised over the constraint data's dense pair index: a problem
on the national data costs one numpy pass, not a Python loop per pair.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from auctool.check.config.kinds import EncodingKind
from auctool.model.constraints import ConstraintData


@dataclass(frozen=True, eq=False)
class Encoding:
    """A CNF plus the map back from variables to (station, channel)."""

    kind: EncodingKind
    stations: tuple[int, ...]
    var_station: np.ndarray  # index v-1 -> station id, for the x(s, c) variables
    var_channel: np.ndarray
    alo: list[list[int]]  # one at-least-one clause per station
    binary: np.ndarray  # (k, 2) int: interference (and pairwise at-most-one) clauses
    extra: list[list[int]] = field(default_factory=list)  # cardinality-encoding clauses
    nvars: int = 0

    @property
    def n_channel_vars(self) -> int:
        return int(self.var_station.size)

    def clauses(self) -> list[list[int]]:
        """Every clause as Python lists (what pysat's ``append_formula`` wants)."""
        return self.alo + self.binary.tolist() + self.extra

    def __len__(self) -> int:
        return len(self.alo) + int(self.binary.shape[0]) + len(self.extra)

    def var(self, station: int, channel: int) -> int:
        hits = np.flatnonzero((self.var_station == station) & (self.var_channel == channel))
        if hits.size == 0:
            raise KeyError((station, channel))
        return int(hits[0]) + 1

    def decode(self, model: Sequence[int]) -> dict[int, int]:
        """Model -> station -> channel (the first true channel of each station)."""
        m = np.asarray(model[: self.n_channel_vars], dtype=np.int64)
        true_vars = np.flatnonzero(m > 0)
        out: dict[int, int] = {}
        for s, c in zip(
            self.var_station[true_vars].tolist(), self.var_channel[true_vars].tolist(), strict=True
        ):
            out.setdefault(s, c)
        return out

    def phases(self, assignment: Mapping[int, int]) -> list[int]:
        """Preferred literals: x(s, a[s]) true, the station's other channels false."""
        lits: list[int] = []
        for v, (s, c) in enumerate(
            zip(self.var_station.tolist(), self.var_channel.tolist(), strict=True), 1
        ):
            if s in assignment:
                lits.append(v if assignment[s] == c else -v)
        return lits

    def comments(self) -> list[str]:
        """DIMACS comment lines mapping variables back to channels."""
        lines = [f"auctool encoding {self.kind.value}: {len(self.stations)} stations"]
        lines += [
            f"var {v} station {s} channel {c}"
            for v, (s, c) in enumerate(
                zip(self.var_station.tolist(), self.var_channel.tolist(), strict=True), 1
            )
        ]
        return lines


def variable_table(
    domains: Mapping[int, Sequence[int]], data: ConstraintData
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Number the x(s, c) variables and build the dense (station index, channel) -> var table."""
    stations = list(domains)
    sizes = np.fromiter((len(domains[s]) for s in stations), dtype=np.int64, count=len(stations))
    var_station = np.repeat(np.array(stations, dtype=np.int64), sizes)
    var_channel = np.fromiter(
        (c for s in stations for c in domains[s]), dtype=np.int64, count=int(sizes.sum())
    )
    table = np.zeros((len(data.ids), data.max_channel + 1), dtype=np.int32)
    if var_station.size:
        rows = np.searchsorted(data.ids, var_station)
        table[rows, var_channel] = np.arange(1, var_station.size + 1, dtype=np.int32)
    return var_station, var_channel, table


#: Below this share of the data's stations, gather the problem's pairs station by station
#: (O(their degree)) instead of scanning every pair of the data once.
LOCAL_GATHER_SHARE = 0.3


def interference_clauses(
    table: np.ndarray, data: ConstraintData, indices: np.ndarray | None = None
) -> np.ndarray:
    """(k, 2) array of negative literal pairs for every forbidden pair inside the problem.

    ``indices`` (dense station indices of the problem) enables the local gather for
    problems much smaller than the data; both paths yield the same clause set.
    """
    if indices is not None and indices.size < LOCAL_GATHER_SHARE * len(data.ids):
        di = data.directed
        rows = di.gather(indices)
        src = np.repeat(indices, di.offsets[indices + 1] - di.offsets[indices])
        dst, cs, ct = di.dst[rows], di.cs[rows], di.ct[rows]
        keep = src < dst
        va = table[src[keep], cs[keep]]
        vb = table[dst[keep], ct[keep]]
    else:
        ia, ca, ib, cb = data.pair_index
        if ia.size == 0:
            return np.zeros((0, 2), dtype=np.int64)
        va = table[ia, ca]
        vb = table[ib, cb]
    mask = (va > 0) & (vb > 0)
    return -np.stack([va[mask], vb[mask]], axis=1).astype(np.int64)


def _pairwise_amo(var_station: np.ndarray) -> np.ndarray:
    """(k, 2) clauses -x_i v -x_j for every two channels of the same station."""
    out = []
    bounds = np.flatnonzero(np.diff(var_station)) + 1
    starts = np.concatenate([[0], bounds])
    ends = np.concatenate([bounds, [var_station.size]])
    for n in np.unique(ends - starts):
        if n < 2:
            continue
        iu, ju = np.triu_indices(n, k=1)
        first = starts[(ends - starts) == n]
        vi = first[:, None] + iu[None, :] + 1
        vj = first[:, None] + ju[None, :] + 1
        out.append(-np.stack([vi.ravel(), vj.ravel()], axis=1))
    return np.concatenate(out) if out else np.zeros((0, 2), dtype=np.int64)


def encode(
    domains: Mapping[int, Sequence[int]],
    data: ConstraintData,
    kind: EncodingKind | str = EncodingKind.DIRECT,
) -> Encoding:
    """Encode "every station gets a channel of its domain, no forbidden pair" as CNF."""
    kind = EncodingKind(kind)
    var_station, var_channel, table = variable_table(domains, data)
    nvars = int(var_station.size)
    alo: list[list[int]] = []
    pos = 1
    for s in domains:
        n = len(domains[s])
        alo.append(list(range(pos, pos + n)))
        pos += n
    indices = np.searchsorted(data.ids, np.fromiter(domains, dtype=np.int64, count=len(domains)))
    binary = interference_clauses(table, data, indices)
    extra: list[list[int]] = []
    if kind is EncodingKind.DIRECT:
        binary = np.concatenate([_pairwise_amo(var_station), binary])
    elif kind is not EncodingKind.MULTIVALUED:
        from pysat.card import CardEnc, EncType

        enc_type = {
            EncodingKind.LADDER: EncType.ladder,
            EncodingKind.SEQCOUNTER: EncType.seqcounter,
            EncodingKind.BITWISE: EncType.bitwise,
        }[kind]
        top = nvars
        for lits in alo:
            if len(lits) < 2:
                continue
            if len(lits) <= 4:  # pairwise is smallest for tiny domains
                extra += [
                    [-lits[i], -lits[j]] for i in range(len(lits)) for j in range(i + 1, len(lits))
                ]
                continue
            card = CardEnc.atmost(lits=lits, bound=1, top_id=top, encoding=enc_type)
            extra += card.clauses
            top = max(top, card.nv)
        nvars = top
    return Encoding(
        kind=kind,
        stations=tuple(domains),
        var_station=var_station,
        var_channel=var_channel,
        alo=alo,
        binary=binary,
        extra=extra,
        nvars=nvars,
    )
