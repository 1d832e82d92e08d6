"""Reading ``Interference_Paired.csv`` in either format: parse, detect, expand, check."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from auctool.errors import InputError
from auctool.formats.fcc.detect import choose_format
from auctool.formats.fcc.expand import compact_pairs, unabridged_pairs
from auctool.formats.fcc.kinds import InterferenceFormat
from auctool.formats.fcc.parse import parse_interference_lines
from auctool.model.interference import MAX_CHANNEL, Interference


def read_interference(
    path: str | Path, fmt: InterferenceFormat | str = InterferenceFormat.AUTO
) -> tuple[Interference, InterferenceFormat]:
    """Parse an interference file; returns the constraint set and the format it was in."""
    path = Path(path)
    raw = parse_interference_lines(path)
    chosen = choose_format(raw, path, InterferenceFormat(fmt))
    unabridged = chosen is InterferenceFormat.UNABRIDGED
    s, cs, t, ct = unabridged_pairs(raw) if unabridged else compact_pairs(raw)
    if (cs > MAX_CHANNEL).any() or (ct > MAX_CHANNEL).any():
        raise InputError(f"an implied channel exceeds {MAX_CHANNEL}", path)
    self_pairs = np.flatnonzero(s == t)
    if self_pairs.size:
        # an unabridged pair is one target of one line; a compact line expands into many
        line = raw.line_of_target(int(self_pairs[0])) if unabridged else None
        raise InputError(
            f"station {s[self_pairs[0]]} is listed as interfering with itself", path, line
        )
    return Interference.from_arrays(s, cs, t, ct), chosen
