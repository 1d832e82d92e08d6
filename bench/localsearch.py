"""Local search from the previous assignment vs the plain SAT checker, on auction-like problems.

Problem sets (each problem: a packed band plus one new station, UHF 14-36):

- synth-N: a synthetic world of N stations (``SynthSpec(stations=N)``); stations arrive
  in random order (``packing_sequence``). The band is first filled by local search alone
  (at most ``WARM_FLIPS`` moves each, unmeasured), then the last ``WINDOW`` arrivals are
  measured.
- st200-new: the real subset post-seed1328-st200, its post-auction UHF assignment as the
  previous one minus one station (146 problems, all SAT).
- st200-moved: the same, but the new station may not return to its post-auction channel
  (much harder; the first ``MOVED`` stations).

Both methods get the same cutoff on every problem: ``auctool.check.Checker`` with the
default configuration (one pysat solver on the direct encoding, previous assignment as
phases) and ``local_search`` (the returned assignment verified, included in its time).
Unsolved problems count at the time they took (about the cutoff).
"""

from __future__ import annotations

import csv
import statistics
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from bench._table import show

CUTOFF = 1.0
WINDOW = 50
MOVED = 30
WARM_FLIPS = 2000
UHF = tuple(range(14, 37))
SUBSET = Path(__file__).resolve().parents[2] / "shared" / "data" / "fcc" / "subsets"


@dataclass
class Tally:
    """Per method: seconds and solved flags, one entry per problem."""

    seconds: dict[str, list[float]] = field(default_factory=lambda: {"checker": [], "local": []})
    solved: dict[str, list[bool]] = field(default_factory=lambda: {"checker": [], "local": []})
    sat: int = 0
    verify: list[float] = field(default_factory=list)  # seconds to verify a found witness

    def add(self, method: str, seconds: float, solved: bool) -> None:
        self.seconds[method].append(seconds)
        self.solved[method].append(solved)


class Runner:
    """Runs both methods on a problem and answers with the better result (for packing)."""

    def __init__(self, data, tally: Tally, warm: int = 0):
        from auctool.check import Checker

        self.data, self.tally, self.warm = data, tally, warm
        self.checker = Checker(data)
        self.count = 0

    def __call__(self, problem):
        from auctool.check.methods.localsearch import local_search
        from auctool.check.result import Answer, CheckResult
        from auctool.model import violations

        self.count += 1
        if self.count <= self.warm:  # filling the band: local search alone, unmeasured
            found = local_search(  # bounded by flips, not time: the same band on any machine
                problem, self.data, seed=self.count, max_flips=WARM_FLIPS, verify=False
            )
            return CheckResult(Answer.SAT if found else Answer.TIMEOUT, 0.0, found)
        result = self.checker.check(problem, CUTOFF)
        t = time.perf_counter()
        found = local_search(problem, self.data, time.monotonic() + CUTOFF, seed=self.count)
        seconds = time.perf_counter() - t
        if found is not None:  # what verification costs inside both methods' times
            t = time.perf_counter()
            violations(found, problem, self.data, limit=1)
            self.tally.verify.append(time.perf_counter() - t)
        self.tally.add("checker", result.seconds, result.answer.conclusive)
        self.tally.add("local", seconds, found is not None)
        self.tally.sat += result.sat or found is not None
        if result.sat or found is None:
            return result
        return CheckResult(Answer.SAT, seconds, found)


def synth(n: int) -> Tally:
    from auctool.worlds.problems import packing_sequence
    from auctool.worlds.synth import SynthSpec, synth_world

    data, _ = synth_world(SynthSpec(stations=n, seed=1))
    tally = Tally()
    runner = Runner(data, tally, warm=n - WINDOW)
    for _ in packing_sequence(data, UHF, runner, seed=0):
        pass
    return tally


def real(moved: bool) -> Tally | None:
    from auctool.formats.fcc import load_constraints
    from auctool.model import Problem

    folder = SUBSET / "post-seed1328-st200"
    if not folder.is_dir():
        return None
    data = load_constraints(folder)
    with open(folder / "post_auction_parameters.csv") as fh:
        post = {int(r["FacID"]): int(r["Ch"]) for r in csv.DictReader(fh)}
    uhf = {s: tuple(c for c in data.domains[s] if c in UHF) for s, c in post.items() if c >= 14}
    tally = Tally()
    runner = Runner(data, tally)
    for new in list(uhf)[: MOVED if moved else None]:
        domains = dict(uhf)
        if moved:
            domains[new] = tuple(c for c in uhf[new] if c != post[new])
        runner(Problem(domains, {s: post[s] for s in uhf if s != new}, name=f"new-{new}"))
    return tally


def rows_of(name: str, tally: Tally) -> Iterable[list]:
    base = statistics.fmean(tally.seconds["checker"])
    for method, label in (("checker", "checker (default config)"), ("local", "local search")):
        secs = np.array(tally.seconds[method])
        ok = np.array(tally.solved[method])
        solved = 100 * float(ok.mean())
        yield [
            name,
            len(secs),
            tally.sat,
            label,
            solved,
            float(secs.mean()),
            float(np.percentile(secs, 50)),
            float(np.percentile(secs, 90)),
            float(secs[ok].mean()) if ok.any() else float("nan"),
            base / float(secs.mean()),
        ]


def main() -> None:
    rows: list[list] = []
    verify: list[str] = []
    sets = [(f"synth-{n}", lambda n=n: synth(n)) for n in (200, 400, 600)]
    sets += [("st200-new", lambda: real(False)), ("st200-moved", lambda: real(True))]
    for name, make in sets:
        tally = make()
        if tally is not None:
            rows += rows_of(name, tally)
            if tally.verify:
                verify.append(f"{name} {1000 * statistics.fmean(tally.verify):.1f} ms")
    show(
        f"Local search vs the SAT checker on auction-like problems ({CUTOFF:g} s cutoff each)",
        [
            "set",
            "problems",
            "SAT known",
            "method",
            "solved %",
            "mean s",
            "p50 s",
            "p90 s",
            "speed-up",
        ],
        rows,
        "localsearch",
        notes="SAT known: proved SAT by either method. Local search cannot prove UNSAT; its "
        "solved % counts SAT answers only. Speed-up: checker mean / method mean. Verifying a "
        "witness (auctool.model.verify, inside both methods' times): " + ", ".join(verify) + ".",
    )


if __name__ == "__main__":
    main()
