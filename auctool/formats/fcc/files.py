"""The files of a constraint folder: their names, where they are, and reading them as text.

Both parsers (``Domain.csv`` and ``Interference_Paired.csv``) share these checks, so a bad
field reads the same one-line error whichever file it is in.
"""

from __future__ import annotations

import gzip
from pathlib import Path

from auctool.errors import InputError
from auctool.formats.cut import require_whole_lines
from auctool.model.interference import MAX_CHANNEL, MAX_STATION_ID

DOMAIN_FILE = "Domain.csv"
INTERFERENCE_FILE = "Interference_Paired.csv"


def constraint_file(folder: Path, name: str) -> Path:
    """``folder/name``, or its gzipped ``name.gz`` when only that exists.

    A national interference file is ~60 MB of text and ~2.4 MB gzipped: a world that ships
    in a repository ships compressed.
    """
    plain = folder / name
    packed = folder / f"{name}.gz"
    return packed if not plain.exists() and packed.is_file() else plain


def read_text(path: Path, whole_lines: bool = False) -> str:
    """The whole file (gunzipped when it ends in ``.gz``); any failure is one InputError.

    ``whole_lines``: refuse a file that ends inside a line (cut short,
    :mod:`auctool.formats.cut`). The constraint files and a world's station table ask
    for it; the FCC's own tables (station_info.csv ...) end without a newline, and do not.
    """
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
    except gzip.BadGzipFile as exc:
        raise InputError(f"not a gzip file ({exc})", path) from None
    except EOFError:
        raise InputError("the gzip data ends early: file cut short?", path) from None
    except UnicodeDecodeError as exc:
        raise InputError(f"not a text file ({exc.reason} at byte {exc.start})", path) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", path) from None
    if not text.strip():
        raise InputError("file is empty", path)
    return require_whole_lines(text, path) if whole_lines else text


def fields(line: str) -> list[str]:
    """A line's comma-separated fields, trailing empty ones dropped (as SATFC does)."""
    parts = line.split(",")
    while parts and not parts[-1].strip():
        parts.pop()
    return parts


def int_field(value: str, what: str, path: Path, lineno: int) -> int:
    try:
        return int(value)
    except ValueError:
        raise InputError(f"{what} {value.strip()!r} is not a whole number", path, lineno) from None


def check_channel(ch: int, path: Path, lineno: int) -> int:
    if not 1 <= ch <= MAX_CHANNEL:
        raise InputError(f"channel {ch} out of range 1..{MAX_CHANNEL}", path, lineno)
    return ch


def check_station(s: int, path: Path, lineno: int) -> int:
    if not 0 <= s <= MAX_STATION_ID:
        raise InputError(f"station id {s} out of range 0..{MAX_STATION_ID}", path, lineno)
    return s
