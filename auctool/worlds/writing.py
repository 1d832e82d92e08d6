"""Writing constraint folders in either FCC format.

The channel-specific format cannot say "ADJ+1 between s on c and t on c+1" without also
saying CO on c and on c+1: an ADJ line implies them. Where a domain lacks one of those
channels (real domains have holes, e.g. near the Canadian border) the implied CO pair
can never matter, so we add it before writing: the folder then means exactly the same
and the format can express it. A missing implied pair between channels both domains
hold is a real difference and is refused.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from auctool.errors import InputError
from auctool.formats.fcc import InterferenceFormat, write_constraints
from auctool.formats.fcc.expand import implied_pairs
from auctool.model import ConstraintData, Interference
from auctool.worlds.distance import domain_matrix


def compact_ready(data: ConstraintData) -> ConstraintData:
    """The data plus every implied pair that touches a channel outside a domain."""
    it = data.interference
    if len(it) == 0 or data.ids.size == 0:
        return data
    ids = data.ids
    mat = domain_matrix(list(data.domains.values()), data.max_channel + 2)

    def in_domain(stations: np.ndarray, channels: np.ndarray) -> np.ndarray:
        pos = np.clip(np.searchsorted(ids, stations), 0, ids.size - 1)
        inside = channels < mat.shape[1]
        return (ids[pos] == stations) & inside & mat[pos, np.where(inside, channels, 0)]

    extra: list[tuple[np.ndarray, ...]] = []
    for _, _, (a, ca, b, cb) in implied_pairs(it):
        outside = ~in_domain(a, ca) | ~in_domain(b, cb)
        extra.append((a[outside], ca[outside], b[outside], cb[outside]))
    if not any(e[0].size for e in extra):
        return data
    added = Interference.from_arrays(*(np.concatenate(x) for x in zip(*extra, strict=True)))
    return ConstraintData(data.domains, it.union(added), data.name, data.source)


def write_folder(
    data: ConstraintData, folder: str | Path, fmt: InterferenceFormat | str
) -> ConstraintData:
    """Write ``Domain.csv`` + ``Interference_Paired.csv`` atomically; returns what was written."""
    fmt = InterferenceFormat(fmt)
    if fmt is InterferenceFormat.CHANNEL_SPECIFIC:
        data = compact_ready(data)
    try:
        write_constraints(data, folder, fmt)
    except ValueError as exc:
        raise InputError(str(exc), folder) from None
    return data
