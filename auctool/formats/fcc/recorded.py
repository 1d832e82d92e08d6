"""The counts a folder's ``manifest.json`` records, compared on every load.

An auctool world records what it holds (``summary``: stations, constraints). A file cut
at a line break reads cleanly, so only these counts can tell that lines are missing. The
parse cache is keyed on the constraint files alone, so the comparison runs on cached
loads too. A folder without a manifest, or whose manifest records no counts (an instance
set's, a plain FCC folder), is taken as it is.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from auctool.errors import InputError
from auctool.formats.fcc.files import DOMAIN_FILE, INTERFERENCE_FILE, constraint_file

MANIFEST_FILE = "manifest.json"


def read_manifest(folder: str | Path) -> dict[str, Any]:
    """The folder's ``manifest.json`` ({} when there is none)."""
    manifest = Path(folder) / MANIFEST_FILE
    if not manifest.is_file():
        return {}
    try:
        meta = json.loads(manifest.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"manifest is not valid JSON ({exc})", manifest) from None
    if not isinstance(meta, dict):
        raise InputError("manifest is not a JSON object", manifest)
    return meta


def check_count(meta: dict[str, Any], what: str, found: int, path: Path) -> None:
    """An InputError naming ``path`` when the manifest records another count of ``what``."""
    summary = meta.get("summary")
    expected = summary.get(what) if isinstance(summary, dict) else None
    if isinstance(expected, int) and not isinstance(expected, bool) and expected != found:
        raise InputError(
            f"{found:,} {what} where the world's manifest says {expected:,} (cut short or "
            f"edited? remake the world, or delete {MANIFEST_FILE} to take the files as they are)",
            path,
        )


def check_recorded_counts(folder: Path, stations: int, constraints: int) -> None:
    """The stations of ``Domain.csv`` and the constraints of ``Interference_Paired.csv``
    against the counts the folder's manifest records, if any."""
    meta = read_manifest(folder)
    if not meta:
        return
    check_count(meta, "stations", stations, constraint_file(folder, DOMAIN_FILE))
    check_count(meta, "constraints", constraints, constraint_file(folder, INTERFERENCE_FILE))
