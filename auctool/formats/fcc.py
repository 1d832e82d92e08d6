"""FCC constraint folders: ``Domain.csv`` and ``Interference_Paired.csv``, both formats.

*Unabridged* lines are ``KEY,subject ch,target ch,subject,target...`` with the target
channel equal to subject channel + the key's offset. *Channel-specific compact* lines are
``KEY,low ch,high ch,subject,target...`` (CO, ADJ+1, ADJ+2 only) and stand for every
subject channel in ``low..high``, ADJ+1 implying CO on both channels, ADJ+2 implying CO on
three and ADJ+1 on two (SATFC's ChannelSpecificConstraintManager semantics).

The reader detects the format from the lines themselves and refuses to guess when every
line fits both and the two readings differ. Parsing is columnar (one flat token list,
one numpy conversion) so the national file (~2.7 M pairs) loads in seconds; a parsed
form is cached on disk keyed by the files' identity.
"""

from __future__ import annotations

import gzip
import hashlib
import logging
import os
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import numpy as np

from auctool.errors import InputError
from auctool.formats.atomic import atomic_open
from auctool.model.constraints import ConstraintData
from auctool.model.interference import (
    KEY_OFFSETS,
    MAX_CHANNEL,
    MAX_STATION_ID,
    OFFSET_KEYS,
    Interference,
    canonical_keys,
    unpack_pairs,
)

log = logging.getLogger(__name__)

DOMAIN_FILE = "Domain.csv"
INTERFERENCE_FILE = "Interference_Paired.csv"
_CACHE_VERSION = "1"


class InterferenceFormat(StrEnum):
    AUTO = "auto"
    UNABRIDGED = "unabridged"
    CHANNEL_SPECIFIC = "channelspecific"


class WriteFormat(StrEnum):
    """The formats a folder is written in: ``auto`` only makes sense when reading."""

    UNABRIDGED = "unabridged"
    CHANNEL_SPECIFIC = "channelspecific"


# ---------------------------------------------------------------------------------------
# reading
# ---------------------------------------------------------------------------------------
def constraint_file(folder: Path, name: str) -> Path:
    """``folder/name``, or its gzipped ``name.gz`` when only that exists.

    A national interference file is ~60 MB of text and ~2.4 MB gzipped: a world that ships
    in a repository ships compressed.
    """
    plain = folder / name
    packed = folder / f"{name}.gz"
    return packed if not plain.exists() and packed.is_file() else plain


def _read_text(path: Path) -> str:
    if not path.exists():
        raise InputError("file not found", path)
    if path.is_dir():
        raise InputError("is a folder, expected a file", path)
    try:
        if path.suffix == ".gz":
            with gzip.open(path, "rt", encoding="utf-8-sig") as fh:
                text = fh.read()
        else:
            text = path.read_text(encoding="utf-8-sig")
    except (gzip.BadGzipFile, EOFError) as exc:
        raise InputError(f"not a gzip file ({exc})", path) from None
    except UnicodeDecodeError as exc:
        raise InputError(f"not a text file ({exc.reason} at byte {exc.start})", path) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", path) from None
    if not text.strip():
        raise InputError("file is empty", path)
    return text


def _int_field(value: str, what: str, path: Path, lineno: int) -> int:
    try:
        return int(value)
    except ValueError:
        raise InputError(f"{what} {value.strip()!r} is not a whole number", path, lineno) from None


def _check_channel(ch: int, path: Path, lineno: int) -> int:
    if not 1 <= ch <= MAX_CHANNEL:
        raise InputError(f"channel {ch} out of range 1..{MAX_CHANNEL}", path, lineno)
    return ch


def _check_station(s: int, path: Path, lineno: int) -> int:
    if not 0 <= s <= MAX_STATION_ID:
        raise InputError(f"station id {s} out of range 0..{MAX_STATION_ID}", path, lineno)
    return s


def _fields(line: str) -> list[str]:
    parts = line.split(",")
    while parts and not parts[-1].strip():  # tolerate trailing commas, as SATFC does
        parts.pop()
    return parts


def read_domains(path: str | Path) -> dict[int, tuple[int, ...]]:
    """``DOMAIN,<station>,<ch>,<ch>,...`` lines -> station -> sorted channels."""
    path = Path(path)
    domains: dict[int, tuple[int, ...]] = {}
    for lineno, raw in enumerate(_read_text(path).splitlines(), 1):
        if not raw.strip():
            continue
        parts = _fields(raw)
        if not parts:  # nothing but commas: as blank as a blank line
            continue
        if parts[0].strip().upper() != "DOMAIN":
            raise InputError(
                f"expected a line 'DOMAIN,<station>,<channel>,...', got {raw[:40]!r}", path, lineno
            )
        if len(parts) < 2:
            raise InputError("DOMAIN line without a station id", path, lineno)
        station = _check_station(_int_field(parts[1], "station id", path, lineno), path, lineno)
        chans = [
            _check_channel(_int_field(p, "channel", path, lineno), path, lineno) for p in parts[2:]
        ]
        if station in domains:
            raise InputError(f"station {station} listed twice", path, lineno)
        domains[station] = tuple(sorted(set(chans)))
    return domains


@dataclass
class _RawLines:
    """The interference file as columns, one entry per line (targets flattened)."""

    offset: np.ndarray  # key offset per line
    ch1: np.ndarray
    ch2: np.ndarray
    subject: np.ndarray
    counts: np.ndarray  # number of targets per line
    targets: np.ndarray  # flat
    lineno: np.ndarray
    keys: list[str]


def _parse_fast(text: str) -> _RawLines | None:
    """One C-level split and one numpy conversion for the whole file.

    Returns None on anything unusual (a bad token, an unknown key, trailing commas, too
    few fields); the careful line-by-line reader then takes over and names the line.
    """
    raw_lines = text.split("\n")
    linenos = [i for i, line in enumerate(raw_lines, 1) if line.strip()]
    lines = [raw_lines[i - 1] for i in linenos]
    if not lines:
        return None
    counts = np.fromiter((line.count(",") + 1 for line in lines), dtype=np.int64, count=len(lines))
    if counts.min() < 5:
        return None
    tokens = ",".join(lines).split(",")
    starts = np.cumsum(counts) - counts
    offset_of = KEY_OFFSETS
    try:
        keys = [tokens[i].strip().upper() for i in starts.tolist()]
        offsets = np.fromiter((offset_of[k] for k in keys), dtype=np.int64, count=len(keys))
    except KeyError:
        return None
    for i in starts.tolist():
        tokens[i] = "0"
    try:
        values = np.array(tokens, dtype=np.int64)
    except (ValueError, OverflowError):
        return None
    is_head = np.zeros(values.size, dtype=bool)
    for k in range(4):
        is_head[starts + k] = True
    return _RawLines(
        offsets,
        values[starts + 1],
        values[starts + 2],
        values[starts + 3],
        counts - 4,
        values[~is_head],
        np.array(linenos, dtype=np.int64),
        keys,
    )


def _validate_ranges(raw: _RawLines, path: Path) -> None:
    for arr, what, low, high in (
        (raw.ch1, "channel", 1, MAX_CHANNEL),
        (raw.ch2, "channel", 1, MAX_CHANNEL),
        (raw.subject, "station id", 0, MAX_STATION_ID),
    ):
        bad = np.flatnonzero((arr < low) | (arr > high))
        if bad.size:
            i = int(bad[0])
            raise InputError(
                f"{what} {arr[i]} out of range {low}..{high}", path, int(raw.lineno[i])
            )
    targets = raw.targets
    if targets.size and (targets.min() < 0 or targets.max() > MAX_STATION_ID):
        bad = int(np.flatnonzero((targets < 0) | (targets > MAX_STATION_ID))[0])
        line = raw.lineno[int(np.searchsorted(np.cumsum(raw.counts), bad, side="right"))]
        raise InputError(
            f"station id {targets[bad]} out of range 0..{MAX_STATION_ID}", path, int(line)
        )


def _parse_interference_lines(path: Path) -> _RawLines:
    text = _read_text(path)
    fast = _parse_fast(text)
    if fast is not None:
        _validate_ranges(fast, path)
        return fast
    offsets: list[int] = []
    ch1: list[int] = []
    ch2: list[int] = []
    subjects: list[int] = []
    counts: list[int] = []
    linenos: list[int] = []
    keys: list[str] = []
    tokens: list[str] = []
    for lineno, raw in enumerate(text.splitlines(), 1):
        parts = _fields(raw)
        if not parts:
            continue
        if len(parts) < 5:
            raise InputError(
                f"expected KEY,channel,channel,subject,target[,target...]; got {len(parts)} field(s)",
                path,
                lineno,
            )
        key = parts[0].strip().upper()
        off = KEY_OFFSETS.get(key)
        if off is None:
            raise InputError(
                f"unknown constraint key {parts[0].strip()!r} (expected one of {', '.join(KEY_OFFSETS)})",
                path,
                lineno,
            )
        try:
            c1, c2, s = int(parts[1]), int(parts[2]), int(parts[3])
        except ValueError:
            for i, what in ((1, "channel"), (2, "channel"), (3, "subject station id")):
                _int_field(parts[i], what, path, lineno)
            raise  # pragma: no cover - one of the above raised
        _check_channel(c1, path, lineno)
        _check_channel(c2, path, lineno)
        _check_station(s, path, lineno)
        offsets.append(off)
        ch1.append(c1)
        ch2.append(c2)
        subjects.append(s)
        counts.append(len(parts) - 4)
        linenos.append(lineno)
        keys.append(key)
        tokens.extend(parts[4:])
    try:
        targets = np.array(tokens, dtype=np.int64)
    except (ValueError, OverflowError):
        # slow path, only on error: find the line and the token
        pos = 0
        for count, lineno in zip(counts, linenos, strict=True):
            for tok in tokens[pos : pos + count]:
                _int_field(tok, "target station id", path, lineno)
            pos += count
        raise InputError("a target station id is not a whole number", path) from None
    if not offsets:
        raise InputError("no constraint lines", path)
    raw = _RawLines(
        np.array(offsets, dtype=np.int64),
        np.array(ch1, dtype=np.int64),
        np.array(ch2, dtype=np.int64),
        np.array(subjects, dtype=np.int64),
        np.array(counts, dtype=np.int64),
        targets,
        np.array(linenos, dtype=np.int64),
        keys,
    )
    _validate_ranges(raw, path)
    return raw


def _unabridged_pairs(raw: _RawLines):
    subj = np.repeat(raw.subject, raw.counts)
    c1 = np.repeat(raw.ch1, raw.counts)
    c2 = np.repeat(raw.ch2, raw.counts)
    return subj, c1, raw.targets, c2


#: Compact format: key offset -> (subject ch offset, target ch offset) pairs implied per channel.
_COMPACT_EXPANSION: dict[int, tuple[tuple[int, int], ...]] = {
    0: ((0, 0),),
    1: ((0, 1), (0, 0), (1, 1)),
    2: ((0, 2), (0, 0), (1, 1), (2, 2), (0, 1), (1, 2)),
}


def _compact_pairs(raw: _RawLines):
    # one row per (line, subject channel in low..high)
    span = raw.ch2 - raw.ch1 + 1
    line_of = np.repeat(np.arange(span.size), span)
    first = np.repeat(np.cumsum(span) - span, span)
    chan = raw.ch1[line_of] + (np.arange(line_of.size) - first)
    out_s, out_cs, out_t, out_ct = [], [], [], []
    # targets of each line, as index ranges into the flat target array
    starts = np.cumsum(raw.counts) - raw.counts
    for off, pattern in _COMPACT_EXPANSION.items():
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


def _same_set(p1, p2) -> bool:
    k1 = np.unique(canonical_keys(*p1))
    k2 = np.unique(canonical_keys(*p2))
    return bool(np.array_equal(k1, k2))


def _line_text(raw: _RawLines, i: int) -> str:
    return f"{raw.keys[i]},{raw.ch1[i]},{raw.ch2[i]}"


def _choose_format(raw: _RawLines, path: Path, fmt: InterferenceFormat) -> InterferenceFormat:
    fits_unabridged = (raw.ch2 - raw.ch1) == raw.offset
    negative = raw.offset < 0
    fits_compact = ~negative & (raw.ch1 <= raw.ch2)

    if fmt is InterferenceFormat.UNABRIDGED:
        bad = np.flatnonzero(~fits_unabridged)
    elif fmt is InterferenceFormat.CHANNEL_SPECIFIC:
        bad = np.flatnonzero(~fits_compact)
    else:
        bad = np.array([], dtype=np.int64)
    if bad.size:
        i = int(bad[0])
        if fmt is InterferenceFormat.UNABRIDGED:
            msg = (
                f"{raw.keys[i]} needs target channel = subject channel "
                f"{raw.offset[i]:+d}, got {raw.ch1[i]} -> {raw.ch2[i]}"
            )
        elif negative[i]:
            msg = (
                f"{raw.keys[i]} is not part of the channel-specific format (only CO, ADJ+1, ADJ+2)"
            )
        else:
            msg = f"low channel {raw.ch1[i]} is above high channel {raw.ch2[i]}"
        raise InputError(msg, path, int(raw.lineno[i]))
    if fmt is not InterferenceFormat.AUTO:
        return fmt

    if negative.any():  # ADJ-1 / ADJ-2 exist only in the unabridged format
        bad = np.flatnonzero(~fits_unabridged)
        if bad.size:
            i = int(bad[0])
            raise InputError(
                f"{raw.keys[i]} needs target channel = subject channel {raw.offset[i]:+d}, "
                f"got {raw.ch1[i]} -> {raw.ch2[i]} (file is unabridged: it has ADJ-1/ADJ-2 lines)",
                path,
                int(raw.lineno[i]),
            )
        return InterferenceFormat.UNABRIDGED
    if fits_unabridged.all():
        if _same_set(_unabridged_pairs(raw), _compact_pairs(raw)):
            return InterferenceFormat.UNABRIDGED  # both readings agree: nothing to decide
        raise InputError(
            "ambiguous interference format: every line fits both the unabridged and the "
            "channel-specific format, and the two readings differ; say which with "
            "--interference-format unabridged|channelspecific",
            path,
        )
    bad = np.flatnonzero(~fits_compact)
    if bad.size:
        i = int(bad[0])
        raise InputError(
            f"{_line_text(raw, i)}: fits neither format (unabridged needs target channel = "
            f"subject channel {raw.offset[i]:+d}; channel-specific needs low <= high)",
            path,
            int(raw.lineno[i]),
        )
    i = int(np.flatnonzero(~fits_unabridged)[0])
    log.info(
        "%s: channel-specific format (line %d, %s, only fits that format)",
        path,
        raw.lineno[i],
        _line_text(raw, i),
    )
    return InterferenceFormat.CHANNEL_SPECIFIC


def read_interference(
    path: str | Path, fmt: InterferenceFormat | str = InterferenceFormat.AUTO
) -> tuple[Interference, InterferenceFormat]:
    """Parse an interference file; returns the constraint set and the format it was in."""
    path = Path(path)
    fmt = InterferenceFormat(fmt)
    raw = _parse_interference_lines(path)
    chosen = _choose_format(raw, path, fmt)
    pairs = (
        _unabridged_pairs(raw) if chosen is InterferenceFormat.UNABRIDGED else _compact_pairs(raw)
    )
    s, cs, t, ct = pairs
    if (cs > MAX_CHANNEL).any() or (ct > MAX_CHANNEL).any():
        raise InputError(f"an implied channel exceeds {MAX_CHANNEL}", path)
    self_pairs = np.flatnonzero(s == t)
    if self_pairs.size:
        line = _line_of_pair(raw, chosen, int(self_pairs[0]))
        raise InputError(
            f"station {s[self_pairs[0]]} is listed as interfering with itself", path, line
        )
    return Interference.from_arrays(s, cs, t, ct), chosen


def _line_of_pair(raw: _RawLines, fmt: InterferenceFormat, pair_index: int) -> int | None:
    if fmt is InterferenceFormat.UNABRIDGED:
        return int(
            raw.lineno[int(np.searchsorted(np.cumsum(raw.counts), pair_index, side="right"))]
        )
    return None


def _cache_path(folder: Path, fmt: InterferenceFormat) -> Path | None:
    root = os.environ.get("AUCTOOL_CACHE_DIR")
    if root == "":
        return None
    base = Path(root) if root else Path.home() / ".cache" / "auctool"
    h = hashlib.sha256(f"{_CACHE_VERSION}|{fmt.value}".encode())
    for name in (DOMAIN_FILE, INTERFERENCE_FILE):
        p = constraint_file(folder, name).resolve()
        st = p.stat()
        h.update(f"|{p}|{st.st_size}|{st.st_mtime_ns}".encode())
    return base / "constraints" / f"{h.hexdigest()[:32]}.npz"


def _load_cached(cache: Path, folder: Path) -> ConstraintData | None:
    try:
        with np.load(cache) as z:
            ids, lens, chans = z["dom_ids"], z["dom_lens"], z["dom_chans"]
            it = Interference(z["a"], z["ca"], z["b"], z["cb"])
    except (OSError, KeyError, ValueError):
        return None
    bounds = np.cumsum(lens)
    domains = (
        {
            int(s): tuple(c.tolist())
            for s, c in zip(ids.tolist(), np.split(chans, bounds[:-1]), strict=True)
        }
        if ids.size
        else {}
    )
    return ConstraintData(domains, it, folder.name, str(folder))


def _store_cached(cache: Path, data: ConstraintData) -> None:
    ids = np.array(list(data.domains), dtype=np.int64)
    lens = np.array([len(d) for d in data.domains.values()], dtype=np.int64)
    chans = np.array([c for d in data.domains.values() for c in d], dtype=np.int16)
    it = data.interference
    try:
        with atomic_open(cache, "wb") as fh:
            np.savez(
                fh, dom_ids=ids, dom_lens=lens, dom_chans=chans, a=it.a, ca=it.ca, b=it.b, cb=it.cb
            )
    except OSError as exc:  # a cache is an optimisation: never fail a run over it
        log.debug("could not write constraint cache %s: %s", cache, exc)


def load_constraints(
    folder: str | Path,
    fmt: InterferenceFormat | str = InterferenceFormat.AUTO,
    use_cache: bool = True,
) -> ConstraintData:
    """Read a constraint folder (``Domain.csv`` + ``Interference_Paired.csv``).

    Every station an interference line names must have a domain. The parsed form is cached
    under ``$AUCTOOL_CACHE_DIR`` (default ``~/.cache/auctool``; set it empty to disable).
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(
            "constraint folder not found" if not folder.exists() else "not a folder", folder
        )
    fmt = InterferenceFormat(fmt)
    for name in (DOMAIN_FILE, INTERFERENCE_FILE):
        if not constraint_file(folder, name).is_file():
            raise InputError(f"constraint folder has no {name} (or {name}.gz)", folder)
    cache = _cache_path(folder, fmt) if use_cache else None
    if cache is not None and cache.exists():
        data = _load_cached(cache, folder)
        if data is not None:
            return data
    domains = read_domains(constraint_file(folder, DOMAIN_FILE))
    interference, _ = read_interference(constraint_file(folder, INTERFERENCE_FILE), fmt)
    stations = interference.stations
    known = np.array(sorted(domains), dtype=np.int64)
    unknown = stations[~np.isin(stations, known)]
    if unknown.size:
        raise InputError(
            f"station {unknown[0]} has interference constraints but no line in {DOMAIN_FILE}"
            + (f" ({unknown.size} such stations)" if unknown.size > 1 else ""),
            folder / INTERFERENCE_FILE,
        )
    data = ConstraintData(domains, interference, folder.name, str(folder))
    if cache is not None:
        _store_cached(cache, data)
    return data


# ---------------------------------------------------------------------------------------
# writing
# ---------------------------------------------------------------------------------------
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
    a, ca, b, cb = it.a, it.ca.astype(np.int64), it.b, it.cb.astype(np.int64)
    # orient each pair from the station on the lower channel (CO: lower id, canonical)
    flip = cb < ca
    s = np.where(flip, b, a)
    t = np.where(flip, a, b)
    cs = np.where(flip, cb, ca)
    off = np.abs(cb - ca)
    if off.size and off.max() > 2:
        raise ValueError("a pair has a channel offset above 2: no FCC key for it")
    present = it.keys
    implied: list[np.ndarray] = []
    for k, pattern in _COMPACT_EXPANSION.items():
        if k == 0:
            continue
        m = off == k
        for ds, dt in pattern[1:]:
            keys = canonical_keys(s[m], cs[m] + ds, t[m], cs[m] + dt)
            missing = ~np.isin(keys, present)
            if missing.any():
                i = int(np.flatnonzero(m)[np.flatnonzero(missing)[0]])
                raise ValueError(
                    f"cannot write the channel-specific format exactly: ADJ+{k} between "
                    f"{s[i]}@{cs[i]} and {t[i]}@{cs[i] + k} lacks the implied pair "
                    f"{s[i]}@{cs[i] + ds} / {t[i]}@{cs[i] + dt}"
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
    run_id = np.cumsum(new_run) - 1
    starts = np.flatnonzero(new_run)
    ends = np.append(starts[1:], n) - 1
    lo, hi = cs[starts], cs[ends]
    r_off, r_s, r_t = off[starts], s[starts], t[starts]
    del run_id
    rows = _sorted_rows(r_off, lo, hi, r_s, r_t)
    return _group_lines(*rows)


def domain_lines(domains) -> list[str]:
    return [f"DOMAIN,{s}" + "".join(f",{c}" for c in chans) for s, chans in sorted(domains.items())]


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


__all__ = [
    "DOMAIN_FILE",
    "INTERFERENCE_FILE",
    "InterferenceFormat",
    "compact_lines",
    "constraint_file",
    "load_constraints",
    "read_domains",
    "read_interference",
    "unabridged_lines",
    "unpack_pairs",
    "write_constraints",
]
