"""Readers for the station tables a world is built from (FCC and TVStudy exports, our own).

Every reader returns a DataFrame with auctool's column names and raises
:class:`InputError` naming the file and line of the first bad value: a missing column, a
number that is not one, a station listed twice.

Longitudes: the FCC files (``station_info.csv``, TVStudy's ``parameters.csv``) write
*west longitudes as positive numbers*; auctool's own ``stations.csv`` uses the usual
convention (east positive, so US longitudes are negative). The readers convert.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from auctool.errors import InputError
from auctool.formats.fcc.files import read_text

#: FCC ``station_info.csv`` column -> auctool column.
FCC_STATION_COLUMNS = {
    "FacID": "station",
    "Call": "call",
    "Country": "country",
    "Channel": "channel",
    "City": "city",
    "Lat": "lat",
    "Lon": "lon",
    "DMA": "dma",
    "Eligible": "eligible",
    "Population": "population",
}
STATION_TABLE_REQUIRED = ("station", "channel", "lat", "lon", "population")


def read_csv_text(
    path: Path,
    skip_to: str | None = None,
    max_columns: int | None = None,
    whole_lines: bool = False,
):
    """The CSV as strings (no type guessing), and the file line of the header.

    ``skip_to``: drop the lines before the first one that starts with this text (TVStudy
    exports have a few lines of study metadata above the column names). ``max_columns``:
    keep only the first columns (TVStudy rows carry antenna patterns beyond the header).
    ``whole_lines``: refuse a file that ends inside a line (cut short).
    """
    text = read_text(path, whole_lines)  # one-line errors: missing, a folder, not text, empty
    header_line = 1
    if skip_to is not None:
        lines = text.splitlines(keepends=True)
        starts = [i for i, line in enumerate(lines) if line.startswith(skip_to)]
        if not starts:
            raise InputError(f"no header line starting with {skip_to!r}", path)
        header_line = starts[0] + 1
        text = "".join(lines[starts[0] :])
    if not text.strip():
        raise InputError("file is empty", path)
    if max_columns is None:
        _no_extra_fields(text, path, header_line)
    usecols = None
    if max_columns is not None:
        usecols = range(min(max_columns, text.split("\n", 1)[0].count(",") + 1))
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            dtype=str,
            keep_default_na=False,
            usecols=usecols,
            skip_blank_lines=False,
        )
    except (pd.errors.ParserError, ValueError) as exc:
        line = _open_quote_line(text, header_line)
        what = "a quoted field opened on this line is never closed" if line else None
        raise InputError(what or f"cannot read as CSV ({str(exc).strip()})", path, line) from None
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame, header_line


def _no_extra_fields(text: str, path: Path, header_line: int) -> None:
    """A row with more fields than the header is an error naming its line (pandas would
    take the first column as an index and shift every value one column over)."""
    rows = csv.reader(io.StringIO(text))
    header = next(rows, [])
    for k, row in enumerate(rows, header_line + 1):
        if len(row) > len(header) and any(f.strip() for f in row[len(header) :]):
            raise InputError(f"{len(row)} fields where the header has {len(header)}", path, k)


def _open_quote_line(text: str, header_line: int) -> int | None:
    """The line where a quoted field that never closes opens (pandas says only 'EOF inside
    string'), or None when that is not what is wrong."""
    reader = csv.reader(io.StringIO(text), strict=True)
    start = header_line
    try:
        for _ in reader:
            start = header_line + reader.line_num
    except csv.Error as exc:
        return start if "unexpected end of data" in str(exc) else None
    return None


def require_columns(
    frame: pd.DataFrame, columns: Sequence[str], path: Path, line: int | None = None
) -> None:
    """``line``: the header's, to name in the error."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputError(
            f"missing column(s) {', '.join(missing)} (found: {', '.join(frame.columns)})",
            path,
            line,
        )


def numeric_column(
    frame: pd.DataFrame,
    column: str,
    path: Path,
    header_line: int = 1,
    whole: bool = False,
    allow_empty: bool = False,
) -> np.ndarray:
    """A column as floats (or int64 when ``whole``); the first bad cell is named by line."""
    raw = frame[column].astype(str).str.strip()
    values = pd.to_numeric(raw.where(raw != "", None), errors="coerce").to_numpy(dtype=float)
    bad = ~np.isfinite(values)
    if allow_empty:
        bad &= (raw != "").to_numpy()
    if whole:
        bad |= np.isfinite(values) & (values != np.round(values))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        kind = "a whole number" if whole else "a number"
        cell = raw.iloc[i]
        what = "is empty" if cell == "" else f"{cell!r} is not {kind}"
        raise InputError(f"column {column}: {what}", path, header_line + 1 + i)
    return values.astype(np.int64) if whole else values


def no_duplicates(ids: np.ndarray, path: Path, header_line: int, what: str = "station") -> None:
    seen = pd.Series(ids).duplicated()
    if seen.any():
        i = int(np.flatnonzero(seen.to_numpy())[0])
        raise InputError(f"{what} {ids[i]} listed twice", path, header_line + 1 + i)


def _flag(raw: pd.Series) -> np.ndarray:
    return raw.astype(str).str.strip().str.lower().isin(("true", "1", "yes", "y")).to_numpy()


def read_station_table(path: str | Path) -> pd.DataFrame:
    """A station table: FCC ``station_info.csv`` or an auctool ``stations.csv``.

    FCC form (detected by its ``FacID`` column): FacID, Channel, Lat, Lon (west positive),
    Population, optionally Call, Country, City, DMA, Eligible. auctool form: station,
    channel, lat, lon (east positive), population and any further columns.
    """
    path = Path(path)
    frame, header = read_csv_text(path)
    if "FacID" in frame.columns:
        require_columns(frame, ("FacID", "Channel", "Lat", "Lon", "Population"), path)
        frame = frame.rename(columns=FCC_STATION_COLUMNS)
        west_positive = True
    else:
        west_positive = False
    require_columns(frame, STATION_TABLE_REQUIRED, path)
    out = frame.copy()
    for col in ("station", "channel", "population"):
        out[col] = numeric_column(frame, col, path, header, whole=True)
    for col in ("lat", "lon"):
        out[col] = numeric_column(frame, col, path, header)
    if west_positive:
        out["lon"] = -out["lon"]
    bad = np.flatnonzero((out["lat"].abs() > 90) | (out["lon"].abs() > 180))
    if bad.size:
        raise InputError("latitude or longitude out of range", path, header + 1 + int(bad[0]))
    bad = np.flatnonzero(out["population"].to_numpy() < 0)
    if bad.size:
        raise InputError("column population: negative", path, header + 1 + int(bad[0]))
    no_duplicates(out["station"].to_numpy(), path, header)
    if "eligible" in out.columns:
        out["eligible"] = _flag(out["eligible"])
    for col in out.columns:
        if col not in STATION_TABLE_REQUIRED and col != "eligible":
            converted = pd.to_numeric(out[col], errors="coerce")
            if out[col].ne("").all() and converted.notna().all():
                out[col] = converted
    return out.reset_index(drop=True)


def read_volumes(path: str | Path) -> pd.Series:
    """FCC ``volumes.csv`` (FacID, Volume) -> volume by station id."""
    path = Path(path)
    frame, header = read_csv_text(path)
    require_columns(frame, ("FacID", "Volume"), path)
    ids = numeric_column(frame, "FacID", path, header, whole=True)
    vol = numeric_column(frame, "Volume", path, header)
    no_duplicates(ids, path, header)
    return pd.Series(vol, index=pd.Index(ids, name="station"), name="volume")


def read_tvstudy_parameters(path: str | Path) -> pd.DataFrame:
    """TVStudy ``parameters.csv`` -> station, lat, lon, haat (m), erp (kW), channel, type.

    A facility may have several records (distributed transmitters, auxiliary rows with
    empty fields); we keep the first one with a location, HAAT and ERP.
    """
    path = Path(path)
    frame, header = read_csv_text(path, skip_to="FacID,", max_columns=34)
    require_columns(frame, ("FacID", "Lat", "Lon", "HAAT", "ERP"), path)
    ids = numeric_column(frame, "FacID", path, header, whole=True)
    cols = {c: numeric_column(frame, c, path, header, allow_empty=True) for c in _TV_NUMERIC}
    out = pd.DataFrame(
        {
            "station": ids,
            "lat": cols["Lat"],
            "lon": -cols["Lon"],
            "haat": cols["HAAT"],
            "erp": cols["ERP"],
        }
    )
    for src, dst in (("Ch", "tv_channel"), ("Type", "type")):
        if src in frame.columns:
            out[dst] = numeric_column(frame, src, path, header, allow_empty=True)
    if "Country" in frame.columns:
        out["country"] = frame["Country"].to_numpy()
    ok = out[["lat", "lon", "haat", "erp"]].notna().all(axis=1)
    out = out[ok].drop_duplicates("station", keep="first")
    return out.reset_index(drop=True)


_TV_NUMERIC = ("Lat", "Lon", "HAAT", "ERP")


def read_assignment(path: str | Path) -> pd.Series:
    """A channel assignment -> channel by station id.

    Either TVStudy's ``post_auction_parameters.csv`` (FacID, Ch: the post-auction channel;
    distributed-transmitter facilities have several rows, one is kept) or a plain
    ``station,channel`` CSV (an auctool ``stations.csv`` works: its home channels).
    """
    path = Path(path)
    frame, header = read_csv_text(path)
    if "FacID" in frame.columns:
        require_columns(frame, ("FacID", "Ch"), path)
        ids = numeric_column(frame, "FacID", path, header, whole=True)
        chans = numeric_column(frame, "Ch", path, header, whole=True)
    else:
        require_columns(frame, ("station", "channel"), path)
        ids = numeric_column(frame, "station", path, header, whole=True)
        chans = numeric_column(frame, "channel", path, header, whole=True)
        no_duplicates(ids, path, header)
    series = pd.Series(chans, index=pd.Index(ids, name="station"), name="channel")
    return series[~series.index.duplicated(keep="first")]


def csv_rows(reader: csv.DictReader, path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """(line, row) of a CSV; a row with more fields than the header is an error naming
    its line (DictReader would put them aside, silently)."""
    n = len(reader.fieldnames or ())
    for row in reader:
        extra = [v for v in row.pop(None, None) or () if v.strip()]  # type: ignore[call-overload]
        if extra:
            line = reader.line_num
            raise InputError(f"{n + len(extra)} fields where the header has {n}", path, line)
        yield reader.line_num, row


def read_stations_column(
    path: str | Path, known: Sequence[int] | None, what: str, empty_ok: bool = False
) -> list[int]:
    """Station ids from a CSV's ``station`` column (or the FCC's ``facility_id``).

    Every id must appear once and, unless ``known`` is None (a national list read for a
    part of the nation), be a station of ``known`` (the world); an error names the file,
    the line and the station. A file listing no station is an error unless ``empty_ok``
    (a world's own list may be empty: nobody there bids).
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{what} file not found" if not path.exists() else "not a file", path)
    world = None if known is None else {int(s) for s in known}
    out: list[int] = []
    seen: set[int] = set()
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            fields = [f.strip().lower() for f in reader.fieldnames or []]
            column = next((c for c in ("station", "facility_id") if c in fields), None)
            if column is None:
                raise InputError(
                    "expected a header with a 'station' (or 'facility_id') column", path, 1
                )
            reader.fieldnames = fields
            for line, row in csv_rows(reader, path):
                station = cell_number(row.get(column), int, "station id", path, line)
                if world is not None and station not in world:
                    raise InputError(f"station {station} is not in the world", path, line)
                if station in seen:
                    raise InputError(f"station {station} listed twice", path, line)
                seen.add(station)
                out.append(station)
    except UnicodeDecodeError:
        raise InputError("not a text file", path) from None
    except csv.Error as exc:
        raise InputError(f"cannot read as CSV ({exc})", path) from None
    if not out and not empty_ok:
        raise InputError(f"no stations in the {what} file", path)
    return out


def cell_number(text: str | None, kind: type, what: str, path: Path, line: int):
    try:
        return kind((text or "").strip())
    except ValueError:
        raise InputError(f"{what} {text!r} is not a number", path, line) from None
