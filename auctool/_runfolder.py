"""Run folders: what kind of run a folder holds, and one writer at a time.

Every command that writes a run folder (``tune``, ``simulate --out``, ``simulate --seeds
--out``, ``simulate --record``, ``report --ablation``) claims it first: a folder that holds
another kind of run, or files that are no run at all, is refused (a user's files are
never mixed with a run's or overwritten), and the folder is locked while the command
writes, so a second command on it fails at once instead of interleaving its files.
Claiming also creates the folder and its lock file: an output that cannot be written
fails before the work, not after it.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from auctool._json import as_plain
from auctool.errors import InputError, RunError

LOCK = ".lock"
#: What a tune run was made with (the multi-seed run's is ``settings.json``).
TUNE_SETTINGS = "tune-settings.json"
KINDS = {
    "tune": "a tune run",
    "seeds": "a multi-seed simulation (--seeds)",
    "simulate": "a simulation (--out)",
    "recording": "a recording (--record) or instance set",
}


def run_kind(folder: Path) -> str | None:
    """``tune``, ``seeds``, ``simulate``, ``recording``; None for an empty (or absent)
    folder; ``other`` for files that are no run."""
    if not folder.is_dir():
        return None
    names = {p.name for p in folder.iterdir()} - {LOCK}
    if not names:
        return None
    tune = {"report.json", "journal-round-1.jsonl", "smac", "features.csv", "trials.csv"}
    if names & (tune | {TUNE_SETTINGS}):
        return "tune"
    if "settings.json" in names or "seeds.csv" in names:
        return "seeds"
    if {"summary.json", "rounds.csv"} <= names:
        return "simulate"
    if "manifest.json" in names:
        return "recording"
    return "other"


def claim(
    folder: Path, kind: str, subject: str = "the output folder", setting: str = "out"
) -> None:
    """Refuse ``folder`` unless it is empty, absent or holds a run of ``kind``
    (``setting``: the core parameter that named it, for a front end to word)."""
    if folder.exists() and not folder.is_dir():
        raise InputError.of_setting(setting, "must name a folder", folder, subject=subject)
    found = run_kind(folder)
    if found is None or found == kind:
        return
    what = KINDS.get(found, "files that are no auctool run")
    raise InputError(f"{subject} holds {what}, not {KINDS[kind]}: give another folder", folder)


@contextlib.contextmanager
def locked(folder: Path, what: str = "auctool command") -> Iterator[None]:
    """Hold the folder's lock while writing it (created, with the folder, if missing).

    A second holder fails at once: :class:`RunError` naming the folder. An unwritable
    place fails here, before any work, as an :class:`InputError`.
    """
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(folder / LOCK, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError as exc:
        raise InputError(f"cannot write: {exc.strerror or exc}", folder) from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise RunError(f"{folder}: another {what} is writing to this folder") from None
        if not os.access(folder, os.W_OK):
            raise InputError("cannot write: the folder is read-only", folder)
        yield
    finally:
        # unlock first: a child forked meanwhile (a solver process) shares the lock
        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


@contextlib.contextmanager
def claimed(
    folder: Path | None, kind: str, subject: str = "the output folder", setting: str = "out"
) -> Iterator[None]:
    """:func:`claim` then :func:`locked` (nothing for ``folder`` None)."""
    if folder is None:
        yield
        return
    claim(folder, kind, subject, setting)
    created = not folder.exists()
    try:
        with locked(folder, f"auctool {kind}"):
            yield
    except BaseException:
        if created:  # a run that failed before writing anything leaves no trace
            _remove_if_bare(folder)
        raise


def _remove_if_bare(folder: Path) -> None:
    with contextlib.suppress(OSError):
        if {p.name for p in folder.iterdir()} <= {LOCK}:
            (folder / LOCK).unlink(missing_ok=True)
            folder.rmdir()


def changed_settings(before: Mapping[str, Any], now: Mapping[str, Any]) -> list[str]:
    """``key: old -> new`` for every setting that differs (JSON-normalised; nested tables
    by dotted key, ``options.cutoff: 1 -> 2``, so the difference is named, not a blob)."""
    old, new = _flat(before), _flat(as_plain(now))
    return [
        f"{k}: {_word(old.get(k))} -> {_word(new.get(k))}"
        for k in sorted(set(old) | set(new))
        if old.get(k) != new.get(k)
    ]


def _flat(table: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in table.items():
        if isinstance(value, Mapping) and value:
            out.update(_flat(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out


def _word(value: Any) -> str:
    text = "none" if value is None else json.dumps(value) if not isinstance(value, str) else value
    return text if len(text) <= 40 else text[:37] + "..."


def read_settings(path: Path) -> dict[str, Any] | None:
    """An earlier run's settings file (None when there is none); unreadable is an input error."""
    if not path.is_file():
        return None
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read the earlier run's settings ({exc})", path) from None
    if not isinstance(found, dict):
        raise InputError("the earlier run's settings are not a JSON object", path)
    return found
