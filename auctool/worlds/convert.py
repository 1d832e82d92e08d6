"""``auctool data convert``: a constraint folder (or a world) rewritten in the other format."""

from __future__ import annotations

import shutil
from pathlib import Path

from auctool._atomic import atomic_open
from auctool.formats.fcc import InterferenceFormat, load_constraints
from auctool.model import ConstraintData
from auctool.worlds.world import (
    PACKING_FILE,
    PARTICIPANTS_FILE,
    STATIONS_FILE,
    read_manifest,
    recording,
    write_manifest,
)
from auctool.worlds.writing import write_folder

#: What a world holds beside its constraints, copied unchanged.
WORLD_FILES = (STATIONS_FILE, PACKING_FILE, PARTICIPANTS_FILE)


def convert_folder(
    source: str | Path,
    out: str | Path,
    fmt: InterferenceFormat | str,
    source_format: InterferenceFormat | str = InterferenceFormat.AUTO,
) -> ConstraintData:
    """Rewrite the folder's constraints in ``fmt``; a world's station table, packing and
    participants come along unchanged, its manifest with the constraints counted as
    written. Every file is written atomically."""
    source, out = Path(source), Path(out)
    data = load_constraints(source, source_format, use_cache=False)
    written = write_folder(data, out, fmt)
    if source.resolve() != out.resolve():
        for name in WORLD_FILES:  # a world's own files come along as they are
            if (source / name).is_file():
                with atomic_open(out / name, "wb") as fh, open(source / name, "rb") as src:
                    shutil.copyfileobj(src, fh)
            else:
                (out / name).unlink(missing_ok=True)  # never a stale one (--force)
    meta = read_manifest(source)
    if meta:  # its counts say what was written (the compact format may add pairs)
        write_manifest(out, recording(meta, written))
    return written
