"""Instance sets: a folder of ``.srpk`` problems plus ``manifest.json``.

The manifest records how the set was made (command, seed), where its constraint data
lives (a path relative to the set), and per instance the known answer and the time it
took when recorded; ``tune`` and ``validate`` read sets through here.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from auctool._json import write_json
from auctool.errors import InputError
from auctool.formats.fcc import DOMAIN_FILE
from auctool.formats.srpk import SUFFIX, read_srpk, station_lines
from auctool.model.constraints import ConstraintData
from auctool.model.problem import Problem

MANIFEST = "manifest.json"


@dataclass(frozen=True)
class InstanceEntry:
    file: str  # relative to the set's folder
    answer: str | None = None  # SAT / UNSAT / TIMEOUT when recorded, if known
    seconds: float | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"file": self.file}
        if self.answer is not None:
            out["answer"] = self.answer
        if self.seconds is not None:
            out["seconds"] = round(self.seconds, 6)
        out.update(self.extra)
        return out


@dataclass(frozen=True)
class InstanceSet:
    root: Path
    entries: tuple[InstanceEntry, ...]
    meta: Mapping[str, Any] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.entries)

    @property
    def name(self) -> str:
        return str(self.meta.get("name") or self.root.name)

    @property
    def constraints_dir(self) -> Path | None:
        rel = self.meta.get("constraints")
        return (self.root / rel).resolve() if rel else None

    def paths(self) -> list[Path]:
        return [self.root / e.file for e in self.entries]

    def problems(self) -> Iterator[tuple[InstanceEntry, Problem]]:
        for entry in self.entries:
            yield entry, read_srpk(self.root / entry.file)


def load_instance_set(path: str | Path) -> InstanceSet:
    """A set from its folder (with or without a manifest; without, every ``.srpk`` in it)."""
    root = Path(path)
    if not root.is_dir():
        raise InputError(
            "instance set folder not found" if not root.exists() else "not a folder", root
        )
    manifest = root / MANIFEST
    if manifest.is_file():
        try:
            meta = json.loads(manifest.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise InputError(f"manifest is not valid JSON ({exc})", manifest) from None
        if not isinstance(meta, dict) or not isinstance(meta.get("instances", []), list):
            raise InputError("manifest must be an object with an 'instances' list", manifest)
        entries = []
        for i, item in enumerate(meta.pop("instances", [])):
            if isinstance(item, str):
                item = {"file": item}
            if not isinstance(item, dict) or "file" not in item:
                raise InputError(f"manifest instance {i + 1} has no 'file'", manifest)
            known = {"file", "answer", "seconds"}
            entries.append(
                InstanceEntry(
                    str(item["file"]),
                    item.get("answer"),
                    item.get("seconds"),
                    {k: v for k, v in item.items() if k not in known},
                )
            )
        missing = [e.file for e in entries if not (root / e.file).is_file()]
        if missing:
            raise InputError(f"manifest lists {missing[0]}, which is not in the set", manifest)
        return InstanceSet(root, tuple(entries), meta)
    files = sorted(p.name for p in root.glob(f"*{SUFFIX}"))
    if not files:
        raise InputError(f"no {SUFFIX} files and no {MANIFEST}", root)
    return InstanceSet(root, tuple(InstanceEntry(f) for f in files), {})


def write_manifest(
    root: str | Path, entries: Sequence[InstanceEntry], meta: Mapping[str, Any]
) -> Path:
    body = dict(meta)
    body["instances"] = [e.to_json() for e in entries]
    path = Path(root) / MANIFEST
    write_json(path, body)
    return path


def find_manifest_constraints(problem_path: Path) -> Path | None:
    """The constraint folder the manifest next to a problem names, if any."""
    manifest = problem_path.parent / MANIFEST
    if not manifest.is_file():
        return None
    try:
        meta = json.loads(manifest.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None
    rel = meta.get("constraints") if isinstance(meta, dict) else None
    return (problem_path.parent / rel).resolve() if rel else None


def resolve_constraints_dir(data: Path | None, problem: Problem, problem_path: Path | None) -> Path:
    """Where the constraint folder for a problem is.

    ``data`` may be a constraint folder itself, or a folder of constraint folders (the
    problem's INTERFERENCE name picks one, as SATFC's constraint-sets root does); with no
    ``data``, the manifest of the problem's instance set says.
    """
    if data is not None:
        if (data / DOMAIN_FILE).is_file():
            return data
        if problem.interference and (data / problem.interference / DOMAIN_FILE).is_file():
            return data / problem.interference
        if not data.exists():
            raise InputError("constraint data folder not found", data)
        hint = f" nor a folder {problem.interference!r} holding one" if problem.interference else ""
        raise InputError(f"no {DOMAIN_FILE} here{hint}", data)
    if problem_path is not None:
        found = find_manifest_constraints(problem_path)
        if found is not None:
            return found
    raise InputError.suggesting("no constraint data: pass {data} CONSTRAINT_DIR", problem_path)


def require_known_stations(
    problem: Problem, data: ConstraintData, path: str | Path | None = None
) -> None:
    """Every station of the problem has a ``Domain.csv`` line, else one InputError at the
    line of ``path`` that lists the first one missing (a checker given the problem alone
    can name no more than the problem)."""
    missing = [s for s in problem.domains if s not in data.domains]
    if not missing:
        return
    lines = station_lines(path) if path else {}
    first = min(missing, key=lambda s: (lines.get(s, float("inf")), s))
    more = f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""
    raise InputError(
        f"station {first}{more} is not in the constraint data's Domain.csv "
        f"({data.source or data.name})",
        path or problem.name or None,
        lines.get(first),
    )
