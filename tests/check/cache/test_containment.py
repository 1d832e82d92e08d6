"""Containment caches: sound hits, complete look-ups, persistence that survives SIGKILL."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auctool.check.cache.containment import MAX_CHECKS, CacheHit, ContainmentCache
from auctool.check.checker import Checker
from auctool.check.result import Answer
from auctool.errors import InputError, RunError
from auctool.model import Problem, violations
from tests.helpers import brute_force
from tests.strategies import random_data

CH = (14, 15, 16)


def band(stations, chans=CH) -> Problem:
    return Problem({s: chans for s in stations})


def test_exact_and_containment_hits():
    cache = ContainmentCache()
    cache.store("d", band([1, 2, 3]), Answer.SAT, {1: 14, 2: 15, 3: 16})
    cache.store("d", band([7, 8], (14,)), "UNSAT")
    assert cache.lookup("d", band([1, 2, 3])) == CacheHit("exact-sat", {1: 14, 2: 15, 3: 16})
    assert cache.lookup("d", band([1, 3])) == CacheHit("sat-superset", {1: 14, 3: 16})
    assert cache.lookup("d", band([7, 8], (14,))) == CacheHit("exact-unsat", None, (7, 8))
    hit = cache.lookup("d", Problem({7: (14,), 8: (14,), 9: (20,)}))
    assert hit == CacheHit("unsat-subset", None, (7, 8)) and hit.answer is Answer.UNSAT  # 9: no
    assert cache.lookup("d", band([1, 2, 3, 4])) is None  # station 4 was never packed
    assert cache.lookup("other-data", band([1, 3])) is None  # entries never mix data sets
    assert len(cache) == 2
    assert cache.stats["miss"] == 2 and cache.stats["sat-superset"] == 1


def test_domains_decide_containment():
    cache = ContainmentCache()
    cache.store("d", band([1, 2]), "SAT", {1: 14, 2: 16})
    cache.store("d", Problem({5: (14, 15), 6: (14, 15)}), "UNSAT")
    # the witness must fit the query's domains
    assert cache.lookup("d", Problem({1: (15, 16), 2: (16,)})) is None
    assert cache.lookup("d", Problem({1: (14,), 2: (15, 16)})).kind == "sat-superset"
    # a narrower domain is harder (still UNSAT); a wider one is not implied
    assert cache.lookup("d", Problem({5: (14,), 6: (15,)})).kind == "unsat-subset"
    assert cache.lookup("d", Problem({5: (14, 15, 16), 6: (14, 15)})) is None
    # same stations, same witness, other domains: a hit, but not an exact repeat
    assert cache.lookup("d", Problem({1: (14, 20), 2: (16,)})).kind == "sat-superset"


def test_store_rules():
    cache = ContainmentCache()
    cache.store("d", band([1]), Answer.TIMEOUT)
    assert len(cache) == 0
    with pytest.raises(ValueError, match="needs its witness"):
        cache.store("d", band([1]), "SAT")
    with pytest.raises(ValueError, match="station 2 no channel"):
        cache.store("d", band([1, 2]), "SAT", {1: 14})
    with pytest.raises(ValueError, match="outside its domain"):
        cache.store("d", band([1]), "SAT", {1: 20})
    with pytest.raises(ValueError, match="without stations is SAT"):
        cache.store("d", Problem({}), "UNSAT")
    cache.store("d", band([1, 2]), "UNSAT")
    with pytest.raises(RunError, match="contradicts a cached"):
        cache.store("d", band([1, 2, 3]), "SAT", {1: 14, 2: 15, 3: 16})
    cache.store("d", band([1, 2, 3]), "UNSAT")  # implied by the cached subset: not stored again
    cache.store("d", Problem({1: (70, 71)}), "UNSAT")  # channels above 62: never cached
    assert len(cache) == 1 and cache.stats["uncacheable"] == 1


def test_many_stations_grow_the_bitsets():
    """Stations numbered across many 64-bit words; hits need every word checked."""
    cache = ContainmentCache()
    for k in range(0, 600, 50):
        stations = range(k, k + 300)
        cache.store("d", band(stations), "SAT", {s: 14 + s % 3 for s in stations})
    hit = cache.lookup("d", band(range(420, 640)))
    assert hit is not None and hit.assignment == {s: 14 + s % 3 for s in range(420, 640)}
    assert cache.lookup("d", band([*range(420, 640), 1])) is None
    cache.store("d", band([3, 900], (14,)), "UNSAT")
    assert cache.lookup("d", band(range(0, 1000), (14,))).kind == "unsat-subset"
    assert cache.lookup("d", band(range(0, 899), (14,))) is None


# ---- completeness: the index finds what a plain scan finds ------------------------------
@st.composite
def entry_streams(draw):
    universe = draw(st.integers(2, 200))
    stations = st.sets(st.integers(1, universe), min_size=1, max_size=min(universe, 80))
    out = []
    for _ in range(draw(st.integers(1, 20))):
        s = sorted(draw(stations))
        sat = draw(st.booleans())
        out.append((s, sat, [14 + (x * 7 + len(s)) % 3 for x in s]))
    queries = [sorted(draw(stations)) for _ in range(draw(st.integers(1, 10)))]
    return out, queries


def plain_hit(entries, query: set[int]) -> set[str]:
    kinds = set()
    for stations, sat, _channels in entries:
        if sat and query <= set(stations):
            kinds.add("SAT")
        if not sat and set(stations) <= query:
            kinds.add("UNSAT")
    return kinds


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(entry_streams())
def test_index_agrees_with_a_plain_scan(stream):
    """With uniform domains every containing entry qualifies: the index must find one."""
    entries, queries = stream
    cache = ContainmentCache()
    kept = []
    for stations, sat, channels in entries:
        problem = band(stations)
        try:
            cache.store(
                "d", problem, "SAT" if sat else "UNSAT", dict(zip(stations, channels, strict=True))
            )
        except RunError:  # the random stream contradicts itself: skip that entry
            continue
        kept.append((stations, sat, channels))
    for q in queries + [s for s, _, _ in kept]:
        hit = cache.lookup("d", band(q))
        expected = plain_hit(kept, set(q))
        assert (hit is not None) == bool(expected)
        if hit is not None:
            assert hit.answer.value in expected
            if hit.assignment is not None:
                assert sorted(hit.assignment) == q


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(entry_streams())
def test_eviction_keeps_the_rest_intact(stream):
    """With a small bound, whatever survives still answers with its own witness."""
    entries, queries = stream
    cache = ContainmentCache(max_entries=4)
    kept = []
    for stations, sat, channels in entries:
        witness = dict(zip(stations, channels, strict=True))
        try:
            cache.store("d", band(stations), "SAT" if sat else "UNSAT", witness)
        except RunError:
            continue
        kept.append((set(stations), sat, witness))
    assert len(cache) <= 4
    for q in queries + [sorted(s) for s, _, _ in kept]:
        hit = cache.lookup("d", band(q))
        if hit is None:
            continue
        if hit.assignment is None:
            assert any(not sat and s <= set(q) for s, sat, _ in kept)
        else:
            assert any(
                sat and set(q) <= s and all(hit.assignment[x] == w[x] for x in q)
                for s, sat, w in kept
            )


# ---- soundness against a real solver ------------------------------------------------------
@st.composite
def tiny_worlds(draw):
    n = draw(st.integers(2, 6))
    stations = list(range(1, n + 1))
    data = draw(random_data(stations, range(14, 18), max_pairs=30, max_offset=1))
    problem = st.builds(
        lambda chosen, doms: Problem({s: doms[s] for s in chosen}),
        st.sets(st.sampled_from(stations), min_size=1),
        st.fixed_dictionaries(
            {s: st.sets(st.integers(14, 17)).map(lambda d: tuple(sorted(d))) for s in stations}
        ),
    )
    return data, draw(st.lists(problem, min_size=2, max_size=12))


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tiny_worlds())
def test_cache_never_contradicts_a_fresh_solve(world):
    data, problems = world
    checker = Checker(data)
    cache = ContainmentCache()
    for problem in problems:
        truth = brute_force(problem, data)
        hit = cache.lookup(data.fingerprint, problem)
        if hit is not None:
            assert hit.answer is (Answer.SAT if truth is not None else Answer.UNSAT)
            if hit.assignment is not None:
                assert violations(hit.assignment, problem, data) == []
        result = checker.check(problem, 10)
        cache.store(data.fingerprint, problem, result.answer, result.assignment)


# ---- persistence --------------------------------------------------------------------------
def test_a_file_is_reloaded_and_bounded(tmp_path):
    path = tmp_path / "cache.sqlite"
    with ContainmentCache(path) as cache:
        for k in range(40):
            cache.store(
                "d", band(range(k, k + 70)), "SAT", {s: 14 + s % 3 for s in range(k, k + 70)}
            )
        cache.store("d", band([500, 501], (14,)), "UNSAT")
        cache.store("e", band([500, 501], (14,)), "SAT", {500: 14, 501: 14})
    with ContainmentCache(path) as cache:
        assert len(cache) == 42
        assert cache.lookup("d", band(range(30, 100))).kind == "exact-sat"
        assert cache.lookup("d", band([500, 501, 2], (14,))).kind == "unsat-subset"
        assert cache.lookup("e", band([501], (14,))).assignment == {501: 14}
    with ContainmentCache(path, max_entries=10) as cache:
        assert len(cache) == 10  # the newest ten
        assert cache.lookup("d", band(range(0, 5))) is None
        recent = band(range(35, 105))
        assert cache.lookup("d", recent) is not None  # used now: survives eviction
        for k in range(100, 105):  # fewer than ten: the recently used entry is not the oldest
            cache.store("d", band([k + 1000]), "SAT", {k + 1000: 14})
        assert len(cache) <= 10 and cache.stats["evicted"] > 0
        assert cache.lookup("d", recent) is not None
    with ContainmentCache(path) as cache:
        assert len(cache) <= 10


def test_two_writers_share_one_file(tmp_path):
    """Two caches on one file number new stations consistently (positions are adopted)."""
    path = tmp_path / "shared.sqlite"
    a, b = ContainmentCache(path), ContainmentCache(path)
    a.store("d", band([1, 2]), "SAT", {1: 14, 2: 15})
    b.store("d", band([3, 4]), "SAT", {3: 16, 4: 14})
    b.store("d", band([2, 5]), "SAT", {2: 16, 5: 14})
    a.store("d", band([6, 1]), "UNSAT")
    a.close()
    b.close()
    with ContainmentCache(path) as cache:
        assert len(cache) == 4
        assert cache.lookup("d", band([4])).assignment == {4: 14}
        assert cache.lookup("d", band([5])).assignment == {5: 14}
        assert cache.lookup("d", band([1, 6, 3])).kind == "unsat-subset"


def test_not_a_cache_file_is_an_input_error(tmp_path):
    text = tmp_path / "notes.txt"
    text.write_text("hello, this is not SQLite\n" * 20)
    with pytest.raises(InputError, match="cannot use as a cache file"):
        ContainmentCache(text)
    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
        db.execute("INSERT INTO meta VALUES ('format', 'something-else')")
    with pytest.raises(InputError, match="not an auctool cache file"):
        ContainmentCache(other)
    app = tmp_path / "other_app.sqlite"
    with sqlite3.connect(app) as db:
        db.execute("CREATE TABLE notes (body TEXT)")
    with pytest.raises(InputError, match="not an auctool cache file"):
        ContainmentCache(app)
    with sqlite3.connect(app) as db:  # and nothing of ours was added to it
        names = {n for (n,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert names == {"notes"}


WRITER = """
import sys
from auctool.check.cache.containment import ContainmentCache
from auctool.model import Problem
cache = ContainmentCache(sys.argv[1])
k = len(cache)
while True:
    stations = range(k, k + 300)
    cache.store("d", Problem({s: (14, 15, 16) for s in stations}), "SAT",
                {s: 14 + s % 3 for s in stations})
    k += 1
    print(k, flush=True)
"""


def test_sigkill_while_writing_never_corrupts(tmp_path):
    path = tmp_path / "killed.sqlite"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[3])}
    committed = 0
    for round_ in range(6):
        proc = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path)], stdout=subprocess.PIPE, text=True, env=env
        )
        assert proc.stdout is not None
        line = proc.stdout.readline()  # at least one commit this round
        time.sleep(0.05 * (round_ % 3))
        os.kill(proc.pid, signal.SIGKILL)
        rest = proc.stdout.read()
        proc.wait()
        last = [int(x) for x in (line + rest).split()]
        committed = max(committed, last[-1])
        with sqlite3.connect(path) as db:
            assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        with ContainmentCache(path) as cache:
            assert len(cache) >= committed  # every reported commit survived
            k = len(cache) - 1
            stations = range(k, k + 300)
            assert cache.lookup("d", band(stations)).assignment == {s: 14 + s % 3 for s in stations}


def test_max_checks_bounds_the_work():
    """Many supersets whose witnesses do not fit: the look-up gives up, it never lies."""
    cache = ContainmentCache()
    for k in range(MAX_CHECKS + 5):
        stations = [1, 2, 100 + k]
        cache.store("d", band(stations), "SAT", {1: 14, 2: 14, 100 + k: 15})
    assert cache.lookup("d", Problem({1: (15,), 2: (15,)})) is None
    assert cache.lookup("d", Problem({1: (14,), 2: (14, 15)})).kind == "sat-superset"


@pytest.mark.slow
def test_a_persisted_cache_of_100_000_entries_answers_correctly(tmp_path):
    """Load: 100,000 auction-like entries (bands of 60-140 out of 2,000 stations) written,
    reopened from SQLite, and queried: every stored problem is found again, a superset of
    an UNSAT one is UNSAT, a sub-band of a SAT one gets a witness. (Speed is measured in
    ``bench/cache.py``, not asserted here.)"""
    import random

    rng = random.Random(7)
    path = tmp_path / "big.sqlite"
    stored = []
    with ContainmentCache(path) as cache:
        for k in range(100_000):
            size = rng.randint(60, 140)
            stations = rng.sample(range(2000), size)
            problem = band(stations)
            if k % 10 == 0:
                cache.store("d", problem, "UNSAT")
                stored.append((problem, Answer.UNSAT))
            else:
                witness = {s: 14 + s % 3 for s in stations}
                cache.store("d", problem, "SAT", witness)
                stored.append((problem, Answer.SAT))
        assert len(cache) >= 99_000  # a few stores were implied by earlier entries
    with ContainmentCache(path) as cache:
        assert len(cache) >= 99_000
        for problem, answer in rng.sample(stored, 300):
            hit = cache.lookup("d", problem)
            assert hit is not None and hit.answer is answer
            if answer is Answer.UNSAT:
                bigger = band([*problem.domains, 5000, 5001])
                assert cache.lookup("d", bigger).answer is Answer.UNSAT
            else:
                part = band(list(problem.domains)[:30])
                sub = cache.lookup("d", part)
                assert sub is not None and sub.answer is Answer.SAT
                assert set(sub.assignment) == set(part.domains)


# ---- damaged and false entries (issue 33) ----------------------------------------------
def _two_stations():
    """Two stations that interfere on 14 only: SAT on (14, 15), UNSAT on (14,)."""
    from tests.helpers import data_from

    return data_from({1: (14, 15), 2: (14, 15)}, [(1, 14, 2, 14)])


def test_a_damaged_row_is_dropped_at_open_never_answered_from(tmp_path):
    path = tmp_path / "cache.sqlite"
    with ContainmentCache(path) as cache:
        cache.store("d", band([1, 2], (14,)), "UNSAT")
        cache.store("d", band([3, 4]), "SAT", {3: 14, 4: 15})
    with sqlite3.connect(path) as db:  # a flipped byte in the UNSAT row's domain masks
        db.execute("UPDATE entries SET payload = zeroblob(length(payload)) WHERE answer='UNSAT'")
    with ContainmentCache(path) as cache:
        assert len(cache) == 1 and cache.stats["damaged"] == 1
        assert cache.lookup("d", band([1, 2], (14,))) is None
        assert cache.lookup("d", band([3])).assignment == {3: 14}
    with sqlite3.connect(path) as db:  # and it is gone from the file
        assert db.execute("SELECT COUNT(*) FROM entries").fetchone() == (1,)


def test_a_false_unsat_entry_is_proved_again_and_forgotten(tmp_path):
    """A row with a good checksum that lies (another program's file, a bug): the checker
    proves a cached core again before answering from it."""
    data = _two_stations()
    path = tmp_path / "cache.sqlite"
    with ContainmentCache(path) as cache:
        cache.store(data.fingerprint, Problem({1: (14,), 2: (14,)}), "UNSAT")  # true
        cache.store(data.fingerprint, Problem({1: (14, 15), 2: (14, 15)}), "UNSAT")  # false
    problem = Problem({1: (14, 15), 2: (14, 15)})
    with Checker(data, cache_file=path) as checker:
        result = checker.check(problem, 5)
        assert result.answer is Answer.SAT and violations(result.assignment, problem, data) == []
        assert checker.cache.stats["forgotten"] == 1
        true = checker.check(Problem({1: (14,), 2: (14,)}), 5)
        assert true.answer is Answer.UNSAT and true.cache_hit == "exact-unsat"
    with ContainmentCache(path) as cache:  # the false row left the file, the truth is in
        assert cache.lookup(data.fingerprint, problem).kind == "exact-sat"
        assert len(cache) == 2


def test_a_false_sat_entry_is_verified_and_forgotten(tmp_path):
    data = _two_stations()
    problem = Problem({1: (14, 15), 2: (14, 15)})
    with Checker(data) as checker:
        checker.cache.store(data.fingerprint, problem, "SAT", {1: 14, 2: 14})  # breaks 1-2
        result = checker.check(problem, 5)
        assert result.answer is Answer.SAT and result.cache_hit is None
        assert violations(result.assignment, problem, data) == []
        assert checker.cache.stats["forgotten"] == 1


def test_a_version_1_file_is_upgraded_and_its_unverifiable_rows_dropped(tmp_path):
    path = tmp_path / "old.sqlite"
    with ContainmentCache(path) as cache:
        cache.store("d", band([3, 4]), "SAT", {3: 14, 4: 15})
    with sqlite3.connect(path) as db:
        db.execute("UPDATE meta SET value = '1' WHERE key = 'version'")
        db.execute("UPDATE entries SET checksum = NULL")
    with ContainmentCache(path) as cache:
        assert len(cache) == 0
        cache.store("d", band([3, 4]), "SAT", {3: 14, 4: 15})
    with ContainmentCache(path) as cache:
        assert len(cache) == 1
