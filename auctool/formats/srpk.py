"""SATFC's ``.srpk`` problem files.

Header lines ``INTERFERENCE,<constraint folder name>`` and ``CUTOFF,<seconds>``, then one
line per station: ``<station>,<previous channel or -1>,<ch>,<ch>,...``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from auctool._atomic import write_text
from auctool.errors import InputError
from auctool.formats.cut import require_whole_lines
from auctool.model.cutoff import invalid
from auctool.model.interference import MAX_CHANNEL, MAX_STATION_ID
from auctool.model.problem import Problem

SUFFIX = ".srpk"


def parse_srpk(text: str, path: str | Path = "<text>", name: str | None = None) -> Problem:
    """Parse ``.srpk`` text; errors name the file and line."""
    path = Path(path) if not isinstance(path, Path) else path
    interference: str | None = None
    cutoff: float | None = None
    domains: dict[int, tuple[int, ...]] = {}
    previous: dict[int, int] = {}
    seen_line = False
    for lineno, parts in _records(text):
        seen_line = True
        if not parts:
            raise InputError("a line of nothing but commas", path, lineno)
        head = parts[0].upper()
        if head == "INTERFERENCE":
            if len(parts) != 2 or not parts[1]:
                raise InputError("expected 'INTERFERENCE,<constraint folder name>'", path, lineno)
            interference = parts[1]
            continue
        if head == "CUTOFF":
            if len(parts) != 2:
                raise InputError("expected 'CUTOFF,<seconds>'", path, lineno)
            try:
                cutoff = float(parts[1])
            except ValueError:
                raise InputError(f"cutoff {parts[1]!r} is not a number", path, lineno) from None
            why = invalid(cutoff)
            if why is not None:
                raise InputError(f"cutoff {why}", path, lineno)
            continue
        if len(parts) < 2:
            raise InputError(
                "expected '<station>,<previous channel or -1>,<channel>,...'", path, lineno
            )
        try:
            values = [int(p) for p in parts]
        except ValueError:
            bad = next(p for p in parts if not _is_int(p))
            what = "station id" if parts[0] == bad else "channel"
            raise InputError(f"{what} {bad!r} is not a whole number", path, lineno) from None
        station, prev, chans = values[0], values[1], values[2:]
        if not 0 <= station <= MAX_STATION_ID:
            raise InputError(f"station id {station} out of range", path, lineno)
        if station in domains:
            raise InputError(f"station {station} listed twice", path, lineno)
        bad_ch = [c for c in chans if not 1 <= c <= MAX_CHANNEL]
        if bad_ch:
            raise InputError(f"channel {bad_ch[0]} out of range 1..{MAX_CHANNEL}", path, lineno)
        if prev != -1 and not 1 <= prev <= MAX_CHANNEL:
            raise InputError(f"previous channel {prev} is neither -1 nor a channel", path, lineno)
        domains[station] = tuple(sorted(set(chans)))
        if prev != -1:
            previous[station] = prev
    if not seen_line:
        raise InputError("file is empty", path)
    return Problem(
        domains,
        previous,
        interference=interference,
        cutoff=cutoff,
        name=name if name is not None else Path(path).stem,
    )


def _records(text: str) -> Iterator[tuple[int, list[str]]]:
    """(line number, fields) of each line that is not blank or a comment; trailing empty
    fields dropped (SATFC writes none, hand-made files may)."""
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = [p.strip() for p in line.split(",")]
        while parts and not parts[-1]:
            parts.pop()
        yield lineno, parts


def station_lines(path: str | Path) -> dict[int, int]:
    """Station id -> the line of the file that lists it ({} when it cannot be read): for
    errors found after parsing, which know the station but not where it came from."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return {}
    return {
        int(parts[0]): lineno
        for lineno, parts in _records(text)
        if parts and parts[0].lstrip("-").isdigit()
    }


def _is_int(text: str) -> bool:
    try:
        int(text)
    except ValueError:
        return False
    return True


def read_srpk(path: str | Path) -> Problem:
    """A problem file; one cut short (ending inside a line) is refused, naming that line."""
    path = Path(path)
    if not path.exists():
        raise InputError("file not found", path)
    if path.is_dir():
        raise InputError("is a folder, expected a .srpk file", path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise InputError("not a text file", path) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", path) from None
    return parse_srpk(require_whole_lines(text, path), path)


def format_srpk(problem: Problem) -> str:
    lines = []
    if problem.interference:
        lines.append(f"INTERFERENCE,{problem.interference}")
    if problem.cutoff is not None:
        lines.append(f"CUTOFF,{problem.cutoff:g}")
    for s, chans in problem.domains.items():
        prev = problem.previous.get(s, -1)
        lines.append(",".join(map(str, (s, prev, *chans))))
    return "\n".join(lines) + "\n"


def write_srpk(problem: Problem, path: str | Path) -> Path:
    """Write atomically (a kill never leaves half a problem behind)."""
    path = Path(path)
    write_text(path, format_srpk(problem))
    return path
