"""Which format an interference file is in, from its lines; refuse to guess when it matters.

An unabridged line has target channel = subject channel + the key's offset; a compact one
has low <= high and only CO / ADJ+1 / ADJ+2. ADJ-1/ADJ-2 lines exist only unabridged. When
every line fits both readings, the file is read unabridged if the two readings agree, and
refused if they differ.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

import numpy as np

from auctool.errors import InputError
from auctool.formats.fcc.expand import Pairs, compact_pairs, unabridged_pairs
from auctool.formats.fcc.kinds import InterferenceFormat
from auctool.formats.fcc.parse import RawLines
from auctool.model.interference import canonical_keys

log = logging.getLogger(__name__)


def choose_format(raw: RawLines, path: Path, fmt: InterferenceFormat) -> InterferenceFormat:
    """The format to read ``raw`` in: ``fmt`` checked when given, else detected."""
    fits_unabridged = (raw.ch2 - raw.ch1) == raw.offset
    negative = raw.offset < 0
    fits_compact = ~negative & (raw.ch1 <= raw.ch2)

    if fmt is InterferenceFormat.UNABRIDGED:
        _refuse_first(~fits_unabridged, raw, path, lambda i: _not_unabridged(raw, i))
        return fmt
    if fmt is InterferenceFormat.CHANNEL_SPECIFIC:
        _refuse_first(
            ~fits_compact,
            raw,
            path,
            lambda i: (
                f"{raw.keys[i]} is not part of the channel-specific format (only CO, ADJ+1, ADJ+2)"
                if negative[i]
                else f"low channel {raw.ch1[i]} is above high channel {raw.ch2[i]}"
            ),
        )
        return fmt

    if negative.any():  # ADJ-1 / ADJ-2 exist only in the unabridged format
        _refuse_first(
            ~fits_unabridged,
            raw,
            path,
            lambda i: _not_unabridged(raw, i) + " (file is unabridged: it has ADJ-1/ADJ-2 lines)",
        )
        return InterferenceFormat.UNABRIDGED
    if fits_unabridged.all():
        if _same_set(unabridged_pairs(raw), compact_pairs(raw)):
            return InterferenceFormat.UNABRIDGED  # both readings agree: nothing to decide
        raise InputError.suggesting(
            "ambiguous interference format: every line fits both the unabridged and the "
            "channel-specific format, and the two readings differ; say which with "
            "{interference_format} unabridged|channelspecific",
            path,
        )
    _refuse_first(
        ~fits_compact,
        raw,
        path,
        lambda i: (
            f"{raw.head(i)}: fits neither format (unabridged needs target channel = "
            f"subject channel {raw.offset[i]:+d}; channel-specific needs low <= high)"
        ),
    )
    i = int(np.flatnonzero(~fits_unabridged)[0])
    log.info(
        "%s: channel-specific format (line %d, %s, only fits that format)",
        path,
        raw.lineno[i],
        raw.head(i),
    )
    return InterferenceFormat.CHANNEL_SPECIFIC


def _not_unabridged(raw: RawLines, i: int) -> str:
    return (
        f"{raw.keys[i]} needs target channel = subject channel {raw.offset[i]:+d}, "
        f"got {raw.ch1[i]} -> {raw.ch2[i]}"
    )


def _refuse_first(
    bad: np.ndarray, raw: RawLines, path: Path, message: Callable[[int], str]
) -> None:
    """An InputError naming the first line ``bad`` marks, if any."""
    rows = np.flatnonzero(bad)
    if rows.size:
        i = int(rows[0])
        raise InputError(message(i), path, int(raw.lineno[i]))


def _same_set(p1: Pairs, p2: Pairs) -> bool:
    k1 = np.unique(canonical_keys(*p1))
    k2 = np.unique(canonical_keys(*p2))
    return bool(np.array_equal(k1, k2))
