"""Make a world folder: generate (synthetic or from a real table), describe, save.

The manifest records the exact command, the seed and every resolved setting, and
nothing that changes from run to run (no timings, no dates): the same command writes
the same bytes.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from auctool._json import as_plain
from auctool._version import __version__
from auctool.formats.fcc import InterferenceFormat
from auctool.worlds.build import check_assignment
from auctool.worlds.info import station_pair_counts
from auctool.worlds.national import TableSpec, world_from_table
from auctool.worlds.synth import SynthSpec, synth_world
from auctool.worlds.tables import read_assignment
from auctool.worlds.world import World, save_world


def summary(world: World) -> dict[str, Any]:
    counts = world.stations["interference_count"].to_numpy()
    return {
        "stations": len(world.stations),
        "constraints": len(world.data.interference),
        **station_pair_counts(world.data.interference),
        "interference_count_mean": round(float(counts.mean()), 2) if counts.size else 0.0,
        "interference_count_max": int(counts.max(initial=0)),
    }


def make_world(
    spec: SynthSpec | TableSpec,
    out: str | Path,
    fmt: InterferenceFormat | str = InterferenceFormat.UNABRIDGED,
    command: str = "",
    check: tuple[Path, ...] = (),
) -> tuple[World, dict[str, Any]]:
    """Generate the world, write it to ``out``; returns it and a report (with timings)."""
    start = time.perf_counter()
    if isinstance(spec, SynthSpec):
        world, report = synth_world(spec)
        kind = "synthetic"
    else:
        world, report = world_from_table(spec)
        kind = "table"
    if check:
        report["checked"] = [
            check_assignment(world.data, read_assignment(p).to_dict(), str(p)).to_json()
            for p in check
        ]
    generated = time.perf_counter()
    timings = report.pop("seconds", {})
    meta = {
        "name": world.name,
        "kind": kind,
        "command": command,
        "seed": spec.seed,
        "auctool_version": __version__,
        "format": InterferenceFormat(fmt).value,
        "summary": summary(world),
        "report": as_plain(report),
        "settings": as_plain(spec),
    }
    world = World(world.data, world.stations, meta, world.packing)
    save_world(world, out, fmt)
    timings.update(
        {
            "generate": round(generated - start, 3),
            "write": round(time.perf_counter() - generated, 3),
        }
    )
    return world, {**meta, "seconds": timings, "folder": str(out)}
