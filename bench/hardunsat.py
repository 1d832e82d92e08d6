"""Hard UNSAT national questions: the band packed, one station more, no clique to show it.

The problems (issue 37): on the real-pairs national world (``bench/.cache/national-world``,
made by ``bench.national`` when absent), the band is its post-auction packing in UHF 14-36
(1,885 stations) and each question adds one station that packing left out. Kept are the
questions that are UNSAT *by construction*: the new station's first ring with the rest of
the band removed (a sub-problem) is proved UNSAT by a fresh solver given up to 5 s, while
the clique bounds (0.25 s) do not prove the whole. They are built once into
``bench/.cache/hard-unsat`` (each with the ring's proof time).

Each question is asked of a fresh, warmed checker (an auction's steady state) at 1 s and at
10 s, three configurations one after the other per question (the same machine state): the
default; the default with ``relaxed_core: false`` (the previous default); off-the-shelf.
Targets (issue 37): at least 90% proved within 1 s, all within 10 s. A SAT answer to any of
them would be a wrong answer: the bench stops.
"""

from __future__ import annotations

import json
import sys
import time

import numpy as np

from bench._table import show
from bench.hardtail import CACHE

WORLD = CACHE / "national-world"
SET = CACHE / "hard-unsat"
UHF_84 = tuple(range(14, 37))
CUTOFFS = (1.0, 10.0)
PROOF_SECONDS = 5.0


def build() -> None:
    """Write the questions (see the module docstring) and their manifest."""
    from auctool.check.budget import Budget
    from auctool.check.methods.clique import clique_proof
    from auctool.check.methods.neighbourhood import relaxed_core
    from auctool.check.methods.reductions import ProblemView
    from auctool.formats.srpk import write_srpk
    from auctool.model.problem import Problem
    from auctool.worlds.world import load_world

    if not (WORLD / "manifest.json").is_file():
        from bench import national

        national.main()
    world = load_world(WORLD)
    data = world.data
    allowed = set(UHF_84)
    band = {s: c for s, c in (world.packing or {}).items() if c in allowed}
    left_out = [s for s in data.stations if s not in band and allowed & set(data.domains[s])]
    SET.mkdir(parents=True, exist_ok=True)
    entries = []
    for station in left_out:
        domains = {s: tuple(c for c in data.domains[s] if c in allowed) for s in [*band, station]}
        if clique_proof(ProblemView(data, domains), [station], Budget.of(0.25)) is not None:
            continue  # easy: the clique bounds prove it in milliseconds
        name = f"add-{station}.srpk"
        problem = Problem(domains, dict(band), interference=data.name, name=name[:-5])
        start = time.monotonic()
        ring = relaxed_core(problem, data, Budget.of(PROOF_SECONDS), "minisat22", max_rings=1)
        if ring is None:
            continue  # not UNSAT by construction (maybe UNSAT, maybe not: unknown)
        write_srpk(problem, SET / name)
        entries.append(
            {
                "file": name,
                "stations": len(domains),
                "core_stations": len(ring),
                "core_proof_seconds": round(time.monotonic() - start, 3),
            }
        )
    manifest = {
        "made_by": "python -m bench hardunsat (bench/hardunsat.py: build)",
        "world": str(WORLD.relative_to(CACHE.parent.parent)),
        "band": f"the world's packing in UHF {UHF_84[0]}-{UHF_84[-1]}: {len(band)} stations",
        "questions_tried": len(left_out),
        "answer": "UNSAT (the first ring alone, rest of the band removed, proved by minisat22)",
        "entries": entries,
    }
    (SET / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")


def configs() -> dict[str, object]:
    from auctool.check import CheckerConfig

    return {
        "default": CheckerConfig(),
        "relaxed_core: false (previous default)": CheckerConfig(relaxed_core=False),
        "off-the-shelf": CheckerConfig.off_the_shelf(),
    }


def main() -> None:
    from auctool.check import make_checker
    from auctool.formats.fcc import load_constraints
    from auctool.formats.srpk import read_srpk

    if not (SET / "manifest.json").is_file():
        print("building the hard UNSAT questions (a few minutes)", file=sys.stderr)
        build()
    entries = json.loads((SET / "manifest.json").read_text())["entries"]
    data = load_constraints(WORLD)
    compared = configs()
    runs: dict[tuple[str, float], list[tuple[float, str]]] = {}
    for i, entry in enumerate(entries, 1):
        problem = read_srpk(SET / entry["file"])
        for cutoff in CUTOFFS:
            for name, config in compared.items():
                with make_checker(data, config) as checker:
                    checker.warm(problem)
                    r = checker.check(problem, cutoff)
                if r.answer.value == "SAT":
                    raise SystemExit(f"WRONG ANSWER: {name} says SAT on {entry['file']}")
                runs.setdefault((name, cutoff), []).append((r.seconds, r.answer.value))
        print(f"{i}/{len(entries)} questions", file=sys.stderr)
    rows = []
    for (name, cutoff), got in runs.items():
        seconds = [s for s, a in got if a == "UNSAT"]
        rows.append(
            [
                f"{cutoff:g} s",
                name,
                len(got),
                len(seconds),
                100.0 * len(seconds) / len(got),
                float(np.median(seconds)) if seconds else "-",
                max(seconds) if seconds else "-",
            ]
        )
    rows.sort(key=lambda r: (float(r[0][:-2]), list(compared).index(r[1])))
    show(
        f"Hard UNSAT: {len(entries)} national questions (real pairs, packing + 1 station, "
        "UNSAT by a relaxed core, no clique)",
        ["cutoff", "configuration", "n", "proved", "proved %", "p50 s (proved)", "max s"],
        rows,
        "hardunsat",
        notes="Targets (issue 37): >= 90% proved within 1 s, all within 10 s.",
    )


if __name__ == "__main__":
    main()
