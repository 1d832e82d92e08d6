"""Tiny instance sets with known answers for the tuning tests (seconds, not minutes).

The pigeonhole world: ``holes + 1`` mutually co-channel stations on ``holes`` channels.
Any ``k <= holes`` of them pack (SAT, easy: the previous assignment almost is the answer);
all of them do not, and proving it is exponentially hard for resolution, so that one
problem is a TIMEOUT at any test cutoff, for every configuration.
"""

from __future__ import annotations

from pathlib import Path

from auctool.formats.fcc import write_constraints
from auctool.formats.instances import InstanceEntry, write_manifest
from auctool.formats.srpk import write_srpk
from auctool.model import Problem
from tests.helpers import co_everywhere, data_from

HOLES = 10


def pigeonhole_sets(root: Path, cutoff: float = 0.2, holes: int = HOLES) -> dict[str, Path]:
    """``root/php`` (constraints), ``root/train`` and ``root/test``: holes-1 SAT + 1 hard each."""
    chans = tuple(range(14, 14 + holes))
    stations = tuple(range(1, holes + 2))
    data = data_from({s: chans for s in stations}, co_everywhere(stations, chans), "php")
    write_constraints(data, root / "php")
    out = {}
    for split, shift in (("train", 0), ("test", 3)):
        entries = []
        for k in (*range(2, holes + 1), holes + 1):
            members = stations[:k]
            previous = {s: chans[(i + shift) % holes] for i, s in enumerate(members[:-1])}
            name = f"k{k:02d}"
            write_srpk(
                Problem({s: chans for s in members}, previous, "php", cutoff, name),
                root / split / f"{name}.srpk",
            )
            entries.append(InstanceEntry(f"{name}.srpk", "SAT" if k <= holes else "UNSAT"))
        write_manifest(
            root / split,
            entries,
            {"name": split, "constraints": "../php", "cutoff": cutoff, "created_by": "tests"},
        )
        out[split] = root / split
    return out
