"""matplotlib on the Agg backend, and an atomic PNG save (a reader never sees half a file)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from auctool._atomic import atomic_open
from auctool.errors import InputError

#: One colour per configuration, in the order the run lists them (default first).
COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b")


def pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    return plt


def save(fig: Any, path: Path) -> Path:
    """Write ``fig`` as PNG to ``path`` atomically and close it."""
    try:
        with atomic_open(path, "wb") as fh:
            fig.savefig(fh, format="png", dpi=120, bbox_inches="tight")
    finally:
        pyplot().close(fig)
    return path


def read_json(path: Path) -> dict[str, Any]:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise InputError(f"cannot read the run's JSON ({exc})", path) from None
