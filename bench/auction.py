"""A whole clock auction on a few-hundred-station synthetic world: where the time goes.

The figure that matters here is the auction's own overhead per check (everything
outside ``checker.check``: building each question, processing order, bookkeeping), which
must stay small next to the checks themselves for a national run (2,990 stations, tens of
thousands of checks) to be feasible. Baseline, measured in the same run: building each
question with the normalising ``Problem(...)`` constructor instead of
``Problem.from_canonical`` (what the engine did first), at the run's median band size.

``AUCTOOL_BENCH_AUCTION_STATIONS`` (default 300) and ``AUCTOOL_BENCH_AUCTION_CUTOFF``
(seconds per check, default 1) change the run.
"""

from __future__ import annotations

import os
import time

import numpy as np

from bench._table import show


def _question_seconds(band: int, normalise: bool, repeat: int = 30) -> float:
    """Seconds to build one question about a band of ``band`` stations, either way."""
    from auctool.model import Problem

    domains = {s: tuple(range(14, 37)) for s in range(1000, 1000 + band)}
    previous = {s: 14 + s % 23 for s in domains}
    start = time.perf_counter()
    for _ in range(repeat):
        d = dict(domains)
        d[999] = (14, 15)
        if normalise:
            Problem(d, previous)
        else:
            Problem.from_canonical(dict(sorted(d.items())), previous)
    return (time.perf_counter() - start) / repeat


def main() -> None:
    from auctool.auction.report import summary
    from auctool.auction.simulate import SimulationOptions, simulate
    from auctool.worlds.synth import SynthSpec, synth_world
    from auctool.worlds.world import World

    n = int(os.environ.get("AUCTOOL_BENCH_AUCTION_STATIONS", "300"))
    cutoff = float(os.environ.get("AUCTOOL_BENCH_AUCTION_CUTOFF", "1"))
    world, _ = synth_world(
        SynthSpec(
            stations=n, cities=max(14, 14 * n // 200), region_km=1000 * (n / 200) ** 0.5, seed=3
        )
    )
    data, table = world.data, world.stations
    start = time.perf_counter()
    run, _ = simulate(World(data, table), SimulationOptions(cutoff=cutoff, seed=1))
    wall = time.perf_counter() - start
    body = summary(run)
    checks = body["checks"]["total"]
    band = int(np.median([c.stations for c in run.checks])) if run.checks else 0
    fast = _question_seconds(band, normalise=False)
    slow = _question_seconds(band, normalise=True)
    over = body["timing"]["overhead_ms_per_check"]
    rows = [
        ["stations / bidders", f"{body['stations']} / {body['participants']}"],
        ["rounds", body["rounds"]],
        [
            "checks (SAT / UNSAT / TIMEOUT)",
            f"{checks} ({body['checks']['SAT']} / {body['checks']['UNSAT']} / "
            f"{body['checks']['TIMEOUT']})",
        ],
        ["answers reused (band unchanged)", body["checks"]["reused"]],
        ["median stations per question", band],
        ["check seconds p50", body["check_seconds"]["p50"]],
        ["check seconds p99", body["check_seconds"]["p99"]],
        ["check seconds total", body["check_seconds"]["total"]],
        ["auction wall seconds (with setup)", wall],
        ["auction overhead ms per check", over],
        [
            "overhead share of the auction loop",
            body["timing"]["overhead_seconds"] / max(body["timing"]["wall_seconds"], 1e-9),
        ],
        ["question build ms: from_canonical", 1000 * fast],
        ["question build ms: normalising Problem() (baseline)", 1000 * slow],
        ["speed-up of question building", slow / fast if fast else 0.0],
    ]
    show(
        f"Clock auction on a {n}-station synthetic world (84 MHz, cutoff {cutoff:g} s, "
        f"default checker)",
        ["figure", "value"],
        rows,
        "auction",
    )


if __name__ == "__main__":
    main()
