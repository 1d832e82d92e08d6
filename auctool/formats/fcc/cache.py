"""The parsed form of a constraint folder, cached on disk as ``.npz``.

A national folder takes seconds to parse and milliseconds to load from here. The key is
the files' identity (resolved path, size, mtime) and the format asked for, so an edited
file is parsed again. The folder lives under ``$AUCTOOL_CACHE_DIR`` (default
``~/.cache/auctool``; set it empty to disable). A cache is an optimisation: a run never
fails over it, and never reads wrong data from it: the file carries a digest of its
arrays, and one that is truncated, damaged or not an ``.npz`` at all is deleted and the
folder parsed again.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import zlib
from pathlib import Path

import numpy as np

from auctool._atomic import atomic_open
from auctool.errors import AuctoolError
from auctool.formats.fcc.files import DOMAIN_FILE, INTERFERENCE_FILE, constraint_file
from auctool.formats.fcc.kinds import InterferenceFormat
from auctool.model.constraints import ConstraintData
from auctool.model.interference import Interference

log = logging.getLogger(__name__)

CACHE_ENV = "AUCTOOL_CACHE_DIR"
#: 2: a digest of the arrays; 3: files cut short are refused (a cache made before may hold one)
_CACHE_VERSION = "3"
_ARRAYS = ("dom_ids", "dom_lens", "dom_chans", "a", "ca", "b", "cb")


def cache_path(folder: Path, fmt: InterferenceFormat) -> Path | None:
    """Where this folder's parsed form is cached, or None when caching is off."""
    root = os.environ.get(CACHE_ENV)
    if root == "":
        return None
    base = Path(root) if root else Path.home() / ".cache" / "auctool"
    h = hashlib.sha256(f"{_CACHE_VERSION}|{fmt.value}".encode())
    for name in (DOMAIN_FILE, INTERFERENCE_FILE):
        p = constraint_file(folder, name).resolve()
        st = p.stat()
        h.update(f"|{p}|{st.st_size}|{st.st_mtime_ns}".encode())
    return base / "constraints" / f"{h.hexdigest()[:32]}.npz"


def _digest(arrays: dict[str, np.ndarray]) -> np.ndarray:
    """CRC-32 over every array's type, shape and bytes: catches damage (not forgery) at
    ~1 GB/s, so a national folder's cache still loads in a fraction of a second."""
    crc = 0
    for name in _ARRAYS:
        arr = np.ascontiguousarray(arrays[name])
        crc = zlib.crc32(f"{name}|{arr.dtype.str}|{arr.shape}|".encode(), crc)
        crc = zlib.crc32(memoryview(arr).cast("B"), crc)
    return np.array([crc], dtype=np.uint64)


def load_cached(cache: Path, folder: Path) -> ConstraintData | None:
    """The cached data, or None when the file is missing, unreadable or damaged (a
    damaged one is deleted)."""
    try:
        with np.load(cache) as z:
            arrays = {name: z[name] for name in _ARRAYS}
            stored = z["digest"]
        if not np.array_equal(stored, _digest(arrays)):
            raise ValueError("digest mismatch")
        lens, chans = arrays["dom_lens"], arrays["dom_chans"]
        if int(lens.sum()) != chans.size or lens.size != arrays["dom_ids"].size:
            raise ValueError("inconsistent domains")
        it = Interference(arrays["a"], arrays["ca"], arrays["b"], arrays["cb"])
    except FileNotFoundError:
        return None
    except Exception as exc:  # a cache never fails a run: BadZipFile, EOFError, zlib ...
        log.debug("constraint cache %s unusable (%s): parsing again", cache, exc)
        with contextlib.suppress(OSError):
            cache.unlink()
        return None
    ids = arrays["dom_ids"]
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


def store_cached(cache: Path, data: ConstraintData) -> None:
    """Write the cache atomically; a failure is logged, never raised."""
    ids = np.array(list(data.domains), dtype=np.int64)
    lens = np.array([len(d) for d in data.domains.values()], dtype=np.int64)
    chans = np.array([c for d in data.domains.values() for c in d], dtype=np.int16)
    it = data.interference
    arrays = {
        "dom_ids": ids, "dom_lens": lens, "dom_chans": chans,
        "a": it.a, "ca": it.ca, "b": it.b, "cb": it.cb,
    }  # fmt: skip
    try:
        with atomic_open(cache, "wb") as fh:
            np.savez(fh, digest=_digest(arrays), **arrays)
    except (OSError, AuctoolError) as exc:  # a full disk, a read-only home: parse next time
        log.debug("could not write constraint cache %s: %s", cache, exc)
