"""``auctool data convert``: a constraint folder (or a world) rewritten in the other format."""

from __future__ import annotations

import shutil
from pathlib import Path

from auctool._atomic import atomic_open
from auctool.formats.fcc import InterferenceFormat, load_constraints
from auctool.model import ConstraintData
from auctool.worlds.world import STATIONS_FILE, WORLD_MANIFEST
from auctool.worlds.writing import write_folder


def convert_folder(
    source: str | Path,
    out: str | Path,
    fmt: InterferenceFormat | str,
    source_format: InterferenceFormat | str = InterferenceFormat.AUTO,
) -> ConstraintData:
    """Rewrite the folder's constraints in ``fmt``; a world's station table and manifest
    come along unchanged. Every file is written atomically."""
    source, out = Path(source), Path(out)
    data = load_constraints(source, source_format, use_cache=False)
    written = write_folder(data, out, fmt)
    if source.resolve() != out.resolve():
        for name in (STATIONS_FILE, WORLD_MANIFEST):
            if (source / name).is_file():
                with atomic_open(out / name, "wb") as fh, open(source / name, "rb") as src:
                    shutil.copyfileobj(src, fh)
    return written
