"""``Domain.csv``: ``DOMAIN,<station>,<ch>,<ch>,...``, read and written."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from auctool.errors import InputError
from auctool.formats.fcc.files import check_channel, check_station, fields, int_field, read_text


def read_domains(path: str | Path) -> dict[int, tuple[int, ...]]:
    """``DOMAIN,<station>,<ch>,<ch>,...`` lines -> station -> sorted channels."""
    path = Path(path)
    domains: dict[int, tuple[int, ...]] = {}
    for lineno, raw in enumerate(read_text(path, whole_lines=True).splitlines(), 1):
        if not raw.strip():
            continue
        parts = fields(raw)
        if not parts:  # nothing but commas: as blank as a blank line
            continue
        if parts[0].strip().upper() != "DOMAIN":
            raise InputError(
                f"expected a line 'DOMAIN,<station>,<channel>,...', got {raw[:40]!r}", path, lineno
            )
        if len(parts) < 2:
            raise InputError("DOMAIN line without a station id", path, lineno)
        station = check_station(int_field(parts[1], "station id", path, lineno), path, lineno)
        chans = [
            check_channel(int_field(p, "channel", path, lineno), path, lineno) for p in parts[2:]
        ]
        if station in domains:
            raise InputError(f"station {station} listed twice", path, lineno)
        domains[station] = tuple(sorted(set(chans)))
    return domains


def domain_lines(domains: Mapping[int, tuple[int, ...]]) -> list[str]:
    """One ``DOMAIN`` line per station, by station id."""
    return [f"DOMAIN,{s}" + "".join(f",{c}" for c in chans) for s, chans in sorted(domains.items())]
