"""What the lines of each format mean, as channel pairs; the one table of what ADJ implies.

An unabridged line ``KEY,c,c+k,s,t...`` is the pair (s@c, t@c+k) for every target. A
channel-specific line ``KEY,low,high,s,t...`` stands for every subject channel c in
``low..high``, and an ADJ key implies more than its own pair (SATFC's
ChannelSpecificConstraintManager): :data:`COMPACT_EXPANSION`. The writer of that format
and the world writer that makes a folder expressible in it read the same table.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from auctool.formats.fcc.parse import RawLines
from auctool.model.interference import Interference

Pairs = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]  # subject, its ch, target, its ch

#: Compact format: key offset -> the (subject ch offset, target ch offset) pairs one line
#: means per subject channel, its own pair first: ADJ+1 implies CO on both channels,
#: ADJ+2 implies CO on three and ADJ+1 on two.
COMPACT_EXPANSION: dict[int, tuple[tuple[int, int], ...]] = {
    0: ((0, 0),),
    1: ((0, 1), (0, 0), (1, 1)),
    2: ((0, 2), (0, 0), (1, 1), (2, 2), (0, 1), (1, 2)),
}


def unabridged_pairs(raw: RawLines) -> Pairs:
    subj = np.repeat(raw.subject, raw.counts)
    c1 = np.repeat(raw.ch1, raw.counts)
    c2 = np.repeat(raw.ch2, raw.counts)
    return subj, c1, raw.targets, c2


def compact_pairs(raw: RawLines) -> Pairs:
    # one row per (line, subject channel in low..high)
    span = raw.ch2 - raw.ch1 + 1
    line_of = np.repeat(np.arange(span.size), span)
    first = np.repeat(np.cumsum(span) - span, span)
    chan = raw.ch1[line_of] + (np.arange(line_of.size) - first)
    out_s, out_cs, out_t, out_ct = [], [], [], []
    # targets of each line, as index ranges into the flat target array
    starts = np.cumsum(raw.counts) - raw.counts
    for off, pattern in COMPACT_EXPANSION.items():
        rows = np.flatnonzero(raw.offset[line_of] == off)
        if rows.size == 0:
            continue
        lines = line_of[rows]
        reps = raw.counts[lines]
        tgt_idx = np.repeat(starts[lines], reps) + (
            np.arange(reps.sum()) - np.repeat(np.cumsum(reps) - reps, reps)
        )
        subj = np.repeat(raw.subject[lines], reps)
        base = np.repeat(chan[rows], reps)
        tgt = raw.targets[tgt_idx]
        for ds, dt in pattern:
            out_s.append(subj)
            out_cs.append(base + ds)
            out_t.append(tgt)
            out_ct.append(base + dt)
    cat = np.concatenate
    return cat(out_s), cat(out_cs), cat(out_t), cat(out_ct)


def from_lower_channel(it: Interference) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Each pair as (station on the lower channel, that channel, the other station, offset).

    The compact format writes every pair that way; a CO pair keeps its canonical order.
    """
    ca, cb = it.ca.astype(np.int64), it.cb.astype(np.int64)
    flip = cb < ca
    return (
        np.where(flip, it.b, it.a),
        np.minimum(ca, cb),
        np.where(flip, it.a, it.b),
        np.abs(cb - ca),
    )


def implied_pairs(it: Interference) -> Iterator[tuple[int, np.ndarray, Pairs]]:
    """For every ADJ key and every pair it implies besides its own: (key offset, the
    indices of the set's pairs at that offset, the implied pairs, one per index)."""
    s, lo, t, off = from_lower_channel(it)
    for k, pattern in COMPACT_EXPANSION.items():
        rows = np.flatnonzero(off == k)
        for ds, dt in pattern[1:]:
            yield k, rows, (s[rows], lo[rows] + ds, t[rows], lo[rows] + dt)
