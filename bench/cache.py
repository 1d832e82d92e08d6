"""Containment-cache look-ups at 1k / 10k / 100k entries, against a plain linear scan.

The entries mimic an auction's checks: chains of "the previous problem plus one
station" (3,000 station ids, UHF 14-36 domains, problems of 200 to 2,000 stations),
where one step in ten is an UNSAT "plus a station that does not fit". Queries:

- SAT hit: a cached SAT problem minus three stations (a SAT superset answers it);
- UNSAT hit: a cached UNSAT problem plus three stations (an UNSAT subset answers it);
- miss: a cached SAT problem plus one station its chain never packed (the typical
  auction question whose answer is not implied: cached sets differ from it by a station
  or two, so the bitsets cannot rule them out wholesale).

The baseline keeps each entry as a Python frozenset (witness and domains shared, not
copied) and scans them all, newest first. The 1k and 10k caches are built through
``store`` (its time is reported); the 100k one is written to a SQLite file in one
transaction, then opened (the load time), then 200 more entries are stored through it.
"""

from __future__ import annotations

import gc
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from types import MappingProxyType

import numpy as np

from bench._table import show

UNIVERSE = 3000
CHAIN = 100  # steps per chain
SCALES = (1_000, 10_000, 100_000)
QUERIES = 200
BASELINE_QUERIES = {1_000: 200, 10_000: 100, 100_000: 20}


def fast_problem(domains: dict[int, tuple[int, ...]]):
    """A Problem without re-validating its domains (sorted and valid by construction here).

    ``Problem(...)`` normalises every domain (~5 us a station): building 100,000 problems
    of ~1,100 stations that way would take the benchmark ten minutes.
    """
    from auctool.model import Problem

    problem = object.__new__(Problem)
    fields = {"domains": MappingProxyType(domains), "previous": MappingProxyType({})}
    for name, value in {**fields, "interference": None, "cutoff": None, "name": ""}.items():
        object.__setattr__(problem, name, value)
    return problem


class Stream:
    """A reproducible auction-like stream of (stations, answer, witness, never packed)."""

    def __init__(self, seed: int = 0):
        self.rng = np.random.default_rng(seed)
        self.ids = np.sort(self.rng.choice(np.arange(1, 200_000), UNIVERSE, replace=False))
        self.domains = {}
        for s in self.ids.tolist():  # most stations have the full band, some lose a few channels
            full = list(range(14, 37))
            drop = self.rng.choice(full, self.rng.integers(0, 4), replace=False).tolist()
            self.domains[s] = tuple(c for c in full if c not in drop)
        self.domain_sets = {s: frozenset(d) for s, d in self.domains.items()}  # for the baseline

    def problem(self, stations: Sequence[int]):
        return fast_problem({s: self.domains[s] for s in sorted(stations)})

    def chains(self, entries: int):
        made = 0
        while made < entries:
            order = self.rng.permutation(self.ids).tolist()
            start = int(self.rng.integers(200, 2000 - CHAIN))
            witness = {s: d[self.rng.integers(len(d))] for s, d in self.domains.items()}
            packed, nxt, frozen = order[:start], start, []
            never = order[start + CHAIN : -1 - CHAIN]
            for _ in range(min(CHAIN, entries - made)):
                if self.rng.random() < 0.1:
                    y = order[-1 - len(frozen)]  # never packed in this chain
                    frozen.append(y)
                    yield [*packed, y], "UNSAT", witness, never
                else:
                    packed = [*packed, order[nxt]]
                    nxt += 1
                    yield packed, "SAT", witness, never
                made += 1


class Workload:
    """One pass over a stream: the baseline's entries, the queries, and the cache's rows."""

    def __init__(self, stream: Stream, n: int):
        self.stream, self.n = stream, n
        self.baseline: list[tuple[str, frozenset, object]] = []
        self.queries: dict[str, list] = {"SAT hit": [], "UNSAT hit": [], "miss": []}
        self.rng = np.random.default_rng(n)

    def entries(self):
        """Yields (stations, answer, witness) while recording the baseline and queries."""
        rng, stream, q = self.rng, self.stream, self.queries
        for stations, answer, witness, never in stream.chains(self.n):
            if answer == "SAT":
                self.baseline.append((answer, frozenset(stations), witness))
                if rng.random() < 1.2 * QUERIES / (0.9 * self.n) and len(q["miss"]) < QUERIES:
                    q["SAT hit"].append(stream.problem(rng.permutation(stations)[3:].tolist()))
                    q["miss"].append(stream.problem([*stations, int(rng.choice(never))]))
            else:
                self.baseline.append((answer, frozenset(stations), stream.domain_sets))
                if rng.random() < 1.2 * QUERIES / (0.1 * self.n) and len(q["UNSAT hit"]) < QUERIES:
                    inside = set(stations)
                    extra = [s for s in rng.choice(stream.ids, 40).tolist() if s not in inside]
                    q["UNSAT hit"].append(stream.problem([*stations, *extra[:3]]))
            yield stations, answer, witness


def store_all(cache, work: Workload, entries=None) -> list[float]:
    """Every entry through ``store``; the time of each store call."""
    times = []
    for stations, answer, witness in entries or work.entries():
        problem = work.stream.problem(stations)
        sat = {s: witness[s] for s in stations} if answer == "SAT" else None
        t = time.perf_counter()
        cache.store("bench", problem, answer, sat)
        times.append(time.perf_counter() - t)
    return times


def write_file(path: Path, work: Workload) -> None:
    """All entries straight into a cache file, one transaction (what ``store`` would write)."""
    from auctool.check.cache._bitindex import domain_masks, domains_digest
    from auctool.check.cache._cachedb import CacheFile
    from auctool.check.cache.containment import file_row

    stream = work.stream
    pos_of = {s: i for i, s in enumerate(stream.ids.tolist())}  # position order = id order
    masks = domain_masks(stream.problem(stream.ids.tolist()))

    def rows():
        for stations, answer, witness in work.entries():
            p = np.sort(np.fromiter(map(pos_of.__getitem__, stations), dtype=np.int64))
            ids = stream.ids[p]
            if answer == "UNSAT":
                yield file_row(p, None, masks[p], None)
            else:
                channels = np.fromiter(map(witness.__getitem__, ids.tolist()), dtype=np.int64)
                yield file_row(p, channels, masks[p], domains_digest(ids, masks[p]))

    file = CacheFile(path)
    file.append_many("bench", stream.ids.tolist(), rows())
    file.close()


def baseline_lookup(entries, problem) -> str | None:
    """The plain way: every entry a frozenset, scanned newest first."""
    q = frozenset(problem.domains)
    for answer, stations, extra in reversed(entries):
        if answer == "SAT":
            if q <= stations and all(extra[s] in problem.domains[s] for s in q):
                return "SAT"
        elif stations <= q and all(extra[u].issuperset(problem.domains[u]) for u in stations):
            return "UNSAT"
    return None


def timed(f: Callable, items: list) -> tuple[list[float], list]:
    out, times = [], []
    for item in items:
        t = time.perf_counter()
        out.append(f(item))
        times.append(time.perf_counter() - t)
    return times, out


def summary(times: list[float]) -> tuple[float, float]:
    ms = sorted(t * 1000 for t in times)
    return statistics.fmean(ms), ms[min(len(ms) - 1, int(0.99 * len(ms)))]


def measure(cache, work: Workload) -> list[list]:
    """The table rows of one scale: both ways on the same queries, answers compared."""
    rows = []
    gc.collect()
    gc.freeze()  # the baseline's 100,000 frozensets would make every collection crawl
    for kind, problems in work.queries.items():
        ours, answers = timed(lambda p: cache.lookup("bench", p), problems)
        few = problems[: BASELINE_QUERIES[work.n]]
        base, base_answers = timed(lambda p: baseline_lookup(work.baseline, p), few)
        for a, b in zip(answers, base_answers, strict=False):
            assert (a.answer.value if a else None) == b, f"cache and baseline disagree ({kind})"
        m, p99 = summary(ours)
        bm, bp99 = summary(base)
        hits = f"{sum(a is not None for a in answers)}/{len(answers)}"
        rows.append([f"{len(cache):,}", kind, m, p99, bm, bp99, bm / m, hits])
    gc.unfreeze()
    return rows


def main() -> None:
    from auctool.check.cache.containment import ContainmentCache

    rows, notes = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for n in SCALES:
            work = Workload(Stream(n), n)
            if n < SCALES[-1]:
                cache = ContainmentCache()
                stores = store_all(cache, work)
                notes.append(
                    f"{n:,} entries: store mean {statistics.fmean(stores) * 1000:.2f} ms (memory)"
                )
            else:
                path = Path(tmp) / "cache.sqlite"
                write_file(path, work)
                t = time.perf_counter()
                cache = ContainmentCache(path)
                load = time.perf_counter() - t
                size = path.stat().st_size / 1e6
                notes.append(
                    f"SQLite load: {len(cache):,} entries in {load:.2f} s (file {size:.0f} MB)"
                )
            rows += measure(cache, work)
            if n == SCALES[-1]:
                extra = Workload(Stream(n + 1), 200)
                stores = store_all(cache, extra)
                notes.append(
                    f"{len(cache):,} entries: store mean {statistics.fmean(stores) * 1000:.2f} ms, "
                    f"p99 {summary(stores)[1]:.2f} ms (SQLite file, one transaction each)"
                )
            cache.close()
            del cache, work
            gc.collect()
    show(
        "Containment-cache look-ups: auctool bitset index vs a linear scan over frozensets",
        [
            "entries",
            "query",
            "mean ms",
            "p99 ms",
            "baseline mean ms",
            "baseline p99 ms",
            "speed-up",
            "hits",
        ],
        rows,
        "cache",
        notes="\n".join(notes),
    )


if __name__ == "__main__":
    main()
