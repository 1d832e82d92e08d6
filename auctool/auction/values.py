"""What stations are worth to their owners, and who therefore bids.

The default is the UBC simulator's "pop value" model (DOMAIN.md section 4): a station's
value for staying on air is ``population * exp(A + U (C - A))`` with U uniform(0, 1).
Users can supply their own values instead (a CSV ``station,value``). A station
participates when its opening offer exceeds its value.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from auctool._atomic import write_text
from auctool.errors import InputError
from auctool.worlds.tables import cell_number, csv_rows

#: The pop-value model's bounds on log(value per person).
POP_VALUE_A = -0.8726
POP_VALUE_C = 8.4756


def pop_values(stations: Sequence[int], populations: np.ndarray, seed: int) -> np.ndarray:
    """One value per station, seeded; a station's draw depends only on (seed, its id).

    Keying the draw on the station id keeps every station's value the same whatever
    subset of stations a world holds, so runs on related worlds stay comparable.
    """
    pops = np.asarray(populations, dtype=np.float64)
    u = np.array([np.random.default_rng([seed, int(s)]).random() for s in stations])
    return pops * np.exp(POP_VALUE_A + u * (POP_VALUE_C - POP_VALUE_A))


def pop_values_below(
    stations: Sequence[int], populations: np.ndarray, ceiling: np.ndarray, seed: int
) -> np.ndarray:
    """Pop-model values conditioned on being below ``ceiling`` (the opening price): the
    value of a station known to have bid.

    ``U`` is drawn uniformly on the part of (0, 1) where the value stays below the ceiling
    (keyed on (seed, station id), like :func:`pop_values`). Where even ``U = 0`` would be
    above it (a populous station with a small opening price), the model has no such
    value and the draw is uniform in (0, ceiling) instead.
    """
    pops = np.asarray(populations, dtype=np.float64)
    ceiling = np.asarray(ceiling, dtype=np.float64)
    u = np.array([np.random.default_rng([seed, int(s), 1]).random() for s in stations])
    with np.errstate(divide="ignore", invalid="ignore"):
        top = (np.log(ceiling / pops) - POP_VALUE_A) / (POP_VALUE_C - POP_VALUE_A)
    top = np.where(pops > 0, np.clip(np.nan_to_num(top, nan=1.0, posinf=1.0), 0.0, 1.0), 1.0)
    model = pops * np.exp(POP_VALUE_A + u * top * (POP_VALUE_C - POP_VALUE_A))
    return np.where(top > 0, np.minimum(model, ceiling), u * ceiling)


def read_values(path: str | Path, stations: Sequence[int]) -> np.ndarray:
    """Values from a CSV with a header naming ``station`` and ``value`` columns.

    Stations the file does not list get an infinite value (they do not take part);
    a station the world does not hold, a duplicate or a value that is not a finite
    non-negative number is an error naming the line.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError("values file not found" if not path.exists() else "not a file", path)
    position = {int(s): i for i, s in enumerate(stations)}
    out = np.full(len(position), math.inf)
    seen: set[int] = set()
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            fields = [f.strip().lower() for f in reader.fieldnames or []]
            if "station" not in fields or "value" not in fields:
                raise InputError("expected a header with 'station' and 'value' columns", path, 1)
            reader.fieldnames = fields
            for line, row in csv_rows(reader, path):
                station = cell_number(row.get("station"), int, "station id", path, line)
                value = cell_number(row.get("value"), float, "value", path, line)
                if not math.isfinite(value) or value < 0:
                    raise InputError(f"value {value:g} must be a non-negative number", path, line)
                if station not in position:
                    raise InputError(f"station {station} is not in the world", path, line)
                if station in seen:
                    raise InputError(f"station {station} listed twice", path, line)
                seen.add(station)
                out[position[station]] = value
    except UnicodeDecodeError:
        raise InputError("not a text file", path) from None
    if not seen:
        raise InputError("no values in the file", path)
    return out


def write_values(path: str | Path, stations: Sequence[int], values: np.ndarray) -> None:
    """The values as a CSV ``--values`` reads back (exact floats; infinite ones left out)."""
    lines = ["station,value"]
    lines += [
        f"{int(s)},{float(v)!r}" for s, v in zip(stations, values, strict=True) if math.isfinite(v)
    ]
    write_text(path, "\n".join(lines) + "\n")


def participates(opening: np.ndarray, values: np.ndarray) -> np.ndarray:
    """A station bids when its opening offer exceeds its value."""
    return np.asarray(opening, dtype=np.float64) > np.asarray(values, dtype=np.float64)
