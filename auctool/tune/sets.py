"""Train/test instance sets from packing sequences on a synthetic world.

Until ``simulate --record`` records sets from real auctions, this makes sets of the same
kind (a band already packed, one new station to fit in) for tests, benchmarks and demos:
one world, a packing sequence per seed, each split drawing its own sequences so the test
set is held out. Every problem is checked once while recording (the sequence depends on
the answers), and the manifest keeps the answer, the time, and how the set was made.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from pathlib import Path

from auctool.check.config.configs import CheckerConfig
from auctool.check.factory import make_checker
from auctool.formats.fcc import write_constraints
from auctool.formats.instances import InstanceEntry, InstanceSet, load_instance_set, write_manifest
from auctool.formats.srpk import write_srpk
from auctool.model.bands import UNASSIGNABLE
from auctool.worlds.problems import packing_sequence
from auctool.worlds.synth import SynthSpec, synth_world

#: UHF 14-36: the band left for TV at the 84 MHz clearing target (channel 37 excluded).
UHF_14_36: tuple[int, ...] = tuple(c for c in range(14, 37) if c not in UNASSIGNABLE)


def make_sequence_sets(
    root: str | Path,
    spec: SynthSpec,
    splits: Mapping[str, Sequence[int]],
    cutoff: float,
    channels: tuple[int, ...] = UHF_14_36,
    limit: int | None = None,
    skip: int = 0,
    world: str = "world",
) -> dict[str, InstanceSet]:
    """Write ``root/<world>/`` (constraints) and one instance set per split.

    ``splits`` maps a split name to the seeds of its packing sequences; ``skip`` drops
    the first problems of each sequence (the trivially easy start), ``limit`` caps its
    length. Problems carry ``CUTOFF,<cutoff>``; the manifest names the constraint folder.
    """
    root = Path(root)
    data = synth_world(dataclasses.replace(spec, name=world))[0].data
    write_constraints(data, root / world)
    checker = make_checker(data, CheckerConfig())
    out: dict[str, InstanceSet] = {}
    for split, seeds in splits.items():
        entries: list[InstanceEntry] = []
        for seed in seeds:
            sequence = packing_sequence(
                data, channels, lambda p: checker.check(p, cutoff), seed=seed, limit=limit
            )
            for k, (problem, result) in enumerate(sequence):
                if k < skip:
                    continue
                name = f"s{seed}-{k:03d}"
                write_srpk(
                    problem.replace(name=name, cutoff=cutoff, interference=world),
                    root / split / f"{name}.srpk",
                )
                entries.append(InstanceEntry(f"{name}.srpk", result.answer.value, result.seconds))
        write_manifest(
            root / split,
            entries,
            {
                "name": split,
                "constraints": f"../{world}",
                "cutoff": cutoff,
                "created_by": (
                    f"auctool.tune.sets.make_sequence_sets: synth_world({spec!r}), "
                    f"packing_sequence(seeds={list(seeds)}, limit={limit}, skip={skip}), "
                    f"channels {channels[0]}-{channels[-1]}, default checker at {cutoff:g} s"
                ),
                "seed": spec.seed,
            },
        )
        out[split] = load_instance_set(root / split)
    return out
