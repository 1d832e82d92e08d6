"""Writing a constraint folder in either format, each file atomically.

Lines are built vectorised (sorted rows, equal heads joined), so a national folder writes
in seconds. The channel-specific writer refuses a set it cannot express exactly (an ADJ
pair without the pairs :data:`~auctool.formats.fcc.expand.COMPACT_EXPANSION` says it
implies); :func:`auctool.worlds.writing.compact_ready` adds those that cannot matter.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from auctool._atomic import atomic_open
from auctool.formats.fcc.domains import domain_lines
from auctool.formats.fcc.expand import from_lower_channel, implied_pairs
from auctool.formats.fcc.files import DOMAIN_FILE, INTERFERENCE_FILE
from auctool.formats.fcc.kinds import InterferenceFormat
from auctool.model.constraints import ConstraintData
from auctool.model.interference import OFFSET_KEYS, Interference, canonical_keys


def _group_lines(key_names, c1, c2, subj, targets) -> list[str]:
    """Rows already sorted by (key, c1, c2, subject, target): join equal heads into lines."""
    n = subj.size
    if n == 0:
        return []
    head_change = np.ones(n, dtype=bool)
    head_change[1:] = (
        (key_names[1:] != key_names[:-1])
        | (c1[1:] != c1[:-1])
        | (c2[1:] != c2[:-1])
        | (subj[1:] != subj[:-1])
    )
    starts = np.flatnonzero(head_change)
    groups = np.split(targets, starts[1:])
    keys = [OFFSET_KEYS[int(k)] for k in key_names[starts]]
    return [
        f"{k},{a},{b},{s},{','.join(map(str, g.tolist()))}"
        for k, a, b, s, g in zip(
            keys,
            c1[starts].tolist(),
            c2[starts].tolist(),
            subj[starts].tolist(),
            groups,
            strict=True,
        )
    ]


def _sorted_rows(off, c1, c2, subj, tgt):
    order = np.lexsort((tgt, off, c2, c1, subj))
    return off[order], c1[order], c2[order], subj[order], tgt[order]


def unabridged_lines(it: Interference) -> list[str]:
    """Both directions of every pair, one line per (key, subject channel, subject)."""
    a, ca, b, cb = it.a, it.ca.astype(np.int64), it.b, it.cb.astype(np.int64)
    off = cb - ca
    if off.size and np.abs(off).max() > 2:
        i = int(np.flatnonzero(np.abs(off) > 2)[0])
        raise ValueError(f"pair {a[i]}@{ca[i]} / {b[i]}@{cb[i]} has no FCC key (offset > 2)")
    subj = np.concatenate([a, b])
    tgt = np.concatenate([b, a])
    c1 = np.concatenate([ca, cb])
    c2 = np.concatenate([cb, ca])
    rows = _sorted_rows(c2 - c1, c1, c2, subj, tgt)
    return _group_lines(*rows)


def compact_lines(it: Interference) -> list[str]:
    """The channel-specific form: ADJ+2, then ADJ+1 and CO lines not implied, ranges merged.

    Raises ``ValueError`` when the set cannot be written exactly (an ADJ pair without the
    CO/ADJ+1 pairs the format implies for it).
    """
    s, cs, t, off = from_lower_channel(it)
    if off.size and off.max() > 2:
        raise ValueError("a pair has a channel offset above 2: no FCC key for it")
    present = it.keys
    implied: list[np.ndarray] = []
    for k, rows, pair in implied_pairs(it):
        keys = canonical_keys(*pair)
        missing = np.flatnonzero(~np.isin(keys, present))
        if missing.size:
            j = int(missing[0])
            i = int(rows[j])
            raise ValueError(
                f"cannot write the channel-specific format exactly: ADJ+{k} between "
                f"{s[i]}@{cs[i]} and {t[i]}@{cs[i] + k} lacks the implied pair "
                f"{pair[0][j]}@{pair[1][j]} / {pair[2][j]}@{pair[3][j]}"
            )
        implied.append(keys)
    implied_keys = np.unique(np.concatenate(implied)) if implied else np.array([], dtype=np.uint64)
    # a pair is written unless an ADJ pair of a higher key implies it
    own = canonical_keys(s, cs, t, cs + off)
    write = ~np.isin(own, implied_keys) | (off == 2)
    s, t, cs, off = s[write], t[write], cs[write], off[write]
    # merge runs of consecutive subject channels per (key, subject, target)
    order = np.lexsort((cs, t, s, off))
    s, t, cs, off = s[order], t[order], cs[order], off[order]
    n = s.size
    if n == 0:
        return []
    new_run = np.ones(n, dtype=bool)
    new_run[1:] = (
        (off[1:] != off[:-1]) | (s[1:] != s[:-1]) | (t[1:] != t[:-1]) | (cs[1:] != cs[:-1] + 1)
    )
    starts = np.flatnonzero(new_run)
    ends = np.append(starts[1:], n) - 1
    rows = _sorted_rows(off[starts], cs[starts], cs[ends], s[starts], t[starts])
    return _group_lines(*rows)


def write_constraints(
    data: ConstraintData,
    folder: str | Path,
    fmt: InterferenceFormat | str = InterferenceFormat.UNABRIDGED,
) -> Path:
    """Write ``Domain.csv`` and ``Interference_Paired.csv`` (each atomically)."""
    folder = Path(folder)
    fmt = InterferenceFormat(fmt)
    if fmt is InterferenceFormat.AUTO:
        fmt = InterferenceFormat.UNABRIDGED
    lines = (
        unabridged_lines(data.interference)
        if fmt is InterferenceFormat.UNABRIDGED
        else compact_lines(data.interference)
    )
    with atomic_open(folder / DOMAIN_FILE) as fh:
        fh.write("\n".join(domain_lines(data.domains)) + "\n")
    with atomic_open(folder / INTERFERENCE_FILE) as fh:
        fh.write("\n".join(lines) + ("\n" if lines else ""))
    return folder
