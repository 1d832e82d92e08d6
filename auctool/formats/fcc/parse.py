"""``Interference_Paired.csv`` as columns: one entry per line, the targets flattened.

Both formats share the line shape ``KEY,ch,ch,subject,target...``; what the two channels
mean is decided later (:mod:`auctool.formats.fcc.detect`). Parsing is columnar (one flat
token list, one numpy conversion) so the national file (~2.7 M pairs) loads in seconds;
anything unusual falls back to a careful line-by-line reader that names the bad line.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from auctool.errors import InputError
from auctool.formats.fcc.files import check_channel, check_station, fields, int_field, read_text
from auctool.model.interference import KEY_OFFSETS, MAX_CHANNEL, MAX_STATION_ID


@dataclass
class RawLines:
    """The interference file as columns, one entry per line (targets flattened)."""

    offset: np.ndarray  # key offset per line
    ch1: np.ndarray
    ch2: np.ndarray
    subject: np.ndarray
    counts: np.ndarray  # number of targets per line
    targets: np.ndarray  # flat
    lineno: np.ndarray
    keys: list[str]

    def line_of_target(self, index: int) -> int:
        """The file line of the ``index``-th flat target."""
        return int(self.lineno[int(np.searchsorted(np.cumsum(self.counts), index, side="right"))])

    def head(self, i: int) -> str:
        """``KEY,ch,ch`` of line entry ``i``, to quote in messages."""
        return f"{self.keys[i]},{self.ch1[i]},{self.ch2[i]}"


def parse_interference_lines(path: Path) -> RawLines:
    """Read and tokenise the file; every field is range-checked, any error names its line."""
    text = read_text(path, whole_lines=True)
    raw = _parse_fast(text)
    if raw is None:
        raw = _parse_careful(text, path)
    _validate_ranges(raw, path)
    return raw


def _parse_fast(text: str) -> RawLines | None:
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
    if counts.min() < 4:
        return None
    tokens = ",".join(lines).split(",")
    starts = np.cumsum(counts) - counts
    try:
        keys = [tokens[i].strip().upper() for i in starts.tolist()]
        offsets = np.fromiter((KEY_OFFSETS[k] for k in keys), dtype=np.int64, count=len(keys))
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
    return RawLines(
        offsets,
        values[starts + 1],
        values[starts + 2],
        values[starts + 3],
        counts - 4,
        values[~is_head],
        np.array(linenos, dtype=np.int64),
        keys,
    )


def _parse_careful(text: str, path: Path) -> RawLines:
    """Line by line: slower, and the first bad field is reported with its line."""
    offsets: list[int] = []
    ch1: list[int] = []
    ch2: list[int] = []
    subjects: list[int] = []
    counts: list[int] = []
    linenos: list[int] = []
    keys: list[str] = []
    tokens: list[str] = []
    for lineno, raw in enumerate(text.splitlines(), 1):
        parts = fields(raw)
        if not parts:
            continue
        if len(parts) < 4:
            raise InputError(
                f"expected KEY,channel,channel,subject[,target...]; got {len(parts)} field(s)",
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
                int_field(parts[i], what, path, lineno)
            raise  # pragma: no cover - one of the above raised
        check_channel(c1, path, lineno)
        check_channel(c2, path, lineno)
        check_station(s, path, lineno)
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
                check_station(int_field(tok, "target station id", path, lineno), path, lineno)
            pos += count
        raise InputError("a target station id is not a whole number", path) from None
    if not offsets:
        raise InputError("no constraint lines", path)
    return RawLines(
        np.array(offsets, dtype=np.int64),
        np.array(ch1, dtype=np.int64),
        np.array(ch2, dtype=np.int64),
        np.array(subjects, dtype=np.int64),
        np.array(counts, dtype=np.int64),
        targets,
        np.array(linenos, dtype=np.int64),
        keys,
    )


def _validate_ranges(raw: RawLines, path: Path) -> None:
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
        raise InputError(
            f"station id {targets[bad]} out of range 0..{MAX_STATION_ID}",
            path,
            raw.line_of_target(bad),
        )
