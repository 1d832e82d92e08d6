"""Tiny instance sets with known answers for the tuning tests (seconds, not minutes).

The world is the Mycielski graph M6 (47 stations, triangle-free, chromatic number 6) on
5 channels. Any proper induced subgraph packs (M6 is vertex-critical), and with the
previous assignment it is easy; all 47 stations do not, and proving it is hopeless for
every configuration at a test cutoff (no clique bound sees it: there is no triangle).
"""

from __future__ import annotations

from pathlib import Path

from auctool.formats.fcc import write_constraints
from auctool.formats.instances import InstanceEntry, write_manifest
from auctool.formats.srpk import write_srpk
from auctool.model import Problem
from tests.helpers import mycielski_packing, mycielski_world

SIZES = (6, 10, 15, 20, 25, 30, 35, 40, 46)  # 9 SAT problems, then all 47: hopeless UNSAT


def pigeonhole_sets(root: Path, cutoff: float = 0.2) -> dict[str, Path]:
    """``root/php`` (constraints), ``root/train`` and ``root/test``: 9 SAT + 1 hopeless each.

    (The name is historical: the hard problem used to be a pigeonhole problem, which the
    checker's clique bounds now refute in a millisecond.)
    """
    data, full = mycielski_world(6, "php")
    write_constraints(data, root / "php")
    stations = list(full.domains)
    chans = full.domains[stations[0]]
    packing = mycielski_packing(data, full)
    out = {}
    for split, shift in (("train", 0), ("test", 2)):

        def rotate(c: int, shift: int = shift) -> int:
            return chans[(chans.index(c) + shift) % len(chans)]

        entries = []
        for i, k in enumerate((*SIZES, len(stations))):
            members = stations[:k]
            previous = {s: rotate(packing[s]) for s in members[:-1]}
            name = f"k{i + 2:02d}"  # k02..k10 SAT, k11 the hopeless one
            write_srpk(
                Problem({s: chans for s in members}, previous, "php", cutoff, name),
                root / split / f"{name}.srpk",
            )
            entries.append(InstanceEntry(f"{name}.srpk", "SAT" if k < len(stations) else "UNSAT"))
        write_manifest(
            root / split,
            entries,
            {"name": split, "constraints": "../php", "cutoff": cutoff, "created_by": "tests"},
        )
        out[split] = root / split
    return out
