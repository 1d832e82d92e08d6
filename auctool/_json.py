"""JSON out, one way: the values auctool's results hold (numpy scalars and arrays, paths,
enums, frozen dataclasses) made plain, and result files written atomically.

Why one place: every report, manifest, journal and ``--json`` line went through its own
``default=`` hook, and they disagreed (one wrote a ``Path``, another raised on it).
"""

from __future__ import annotations

import dataclasses
import enum
import json
import os
from pathlib import Path
from typing import Any

from auctool._atomic import write_text


def plain(obj: Any) -> Any:
    """``json.dumps``'s ``default=``: a value JSON cannot hold, as one it can (else TypeError)."""
    if hasattr(obj, "item") and callable(obj.item) and getattr(obj, "ndim", 0) == 0:
        return obj.item()  # numpy scalars (SMAC's sampled values, pandas cells)
    if hasattr(obj, "tolist"):
        return obj.tolist()
    if isinstance(obj, enum.Enum):
        return obj.value
    if isinstance(obj, os.PathLike):
        return os.fspath(obj)
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)}
    if isinstance(obj, (set, frozenset)):
        return sorted(obj)
    raise TypeError(f"not JSON serialisable: {type(obj).__name__}")


def dumps(obj: Any, **kwargs: Any) -> str:
    """``json.dumps`` with :func:`plain` for what JSON lacks."""
    return json.dumps(obj, default=plain, **kwargs)


def write_json(path: str | Path, obj: Any) -> None:
    """A result file: indented, newline-terminated, written atomically (keeping the umask)."""
    write_text(path, dumps(obj, indent=1) + "\n")


def as_plain(obj: Any) -> Any:
    """The value in JSON's own types (dicts, lists, str keys), as it would be read back."""
    return json.loads(dumps(obj))
