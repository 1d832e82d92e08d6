"""Containment caches (SATFC's SAT and UNSAT caches): answers implied by answers already found.

Sound for one constraint data set (entries are keyed by ``ConstraintData.fingerprint``):

- a cached SAT problem (stations S, witness w) answers a query Q SAT when every station
  of Q is in S and w[q] is in Q's domain of q: dropping stations never breaks a packing,
  interference only forbids pairs. The hit carries w restricted to Q.
- a cached UNSAT problem (stations U, domains D) answers Q UNSAT when U is inside Q and
  Q's domain of every u in U is inside D(u): Q contains a harder copy of U.

Kept in memory (numpy bitsets, :mod:`auctool.check.cache._bitindex`) and optionally in a
SQLite file (:mod:`auctool.check.cache._cachedb`) that later runs load at open. Problems whose
domains hold a channel above 62 are not cached (FCC TV channels end at 51): each
station's domain is one uint64 channel mask.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import numpy as np

from auctool.check.cache._bitindex import (
    OVERFLOW,
    TOP_CHANNEL,
    Query,
    Shelf,
    domain_masks,
    members_of,
    words_of,
)
from auctool.check.cache._cachedb import CacheFile
from auctool.check.result import Answer
from auctool.errors import RunError
from auctool.model.problem import Problem

T = TypeVar("T")
_WORD = np.dtype("<u8")  # the file's words: little-endian uint64
#: Containment candidates whose payload is checked per look-up (more: counted as a miss).
MAX_CHECKS = 32


@dataclass(frozen=True)
class CacheHit:
    """A cached answer. ``assignment`` (SAT only) is a witness over the query's stations."""

    kind: str  # "sat-superset" | "unsat-subset" | "exact-sat" | "exact-unsat"
    assignment: Mapping[int, int] | None = None
    stations: tuple[int, ...] | None = None  # UNSAT: the cached problem's (a core of the query)
    rowid: int = field(default=0, compare=False)  # to :meth:`ContainmentCache.forget` it

    @property
    def answer(self) -> Answer:
        return Answer.UNSAT if "unsat" in self.kind else Answer.SAT


FileRow = tuple[str, int, bytes, bytes, bytes | None]


def file_row(
    positions: np.ndarray, channels: np.ndarray | None, masks: np.ndarray, digest: bytes | None
) -> FileRow:
    """An entry as the cache file stores it (positions ascending, channels/masks aligned):
    answer, size, bitset, payload (SAT: channel bytes; UNSAT: domain masks), digest."""
    top = -(-(int(positions[-1]) + 1) // 64) if positions.size else 0
    bits = words_of(positions, top).astype(_WORD).tobytes()
    if channels is None:
        return "UNSAT", positions.size, bits, masks.astype(_WORD).tobytes(), None
    return "SAT", positions.size, bits, channels.astype(np.uint8).tobytes(), digest


class ContainmentCache:
    """SAT-superset and UNSAT-subset caches, in memory and optionally in a SQLite file.

    ``max_entries`` bounds the entries kept (least recently used are dropped, from the
    file too). Not thread-safe; several processes may share one file (each sees the
    others' entries at its next open).
    """

    def __init__(self, path: str | Path | None = None, max_entries: int | None = None):
        if max_entries is not None and max_entries < 1:
            raise ValueError("max_entries must be at least 1")
        self.path = None if path is None else Path(path)
        self.max_entries = max_entries
        self.stats: Counter[str] = Counter()
        self._shelves: dict[str, Shelf] = {}
        self._tick = 0
        self._memo: tuple[Problem, np.ndarray] | None = None  # look-up then store: masks once
        self.file_error: str | None = None  # why the file was given up, if it was
        self._file = CacheFile(self.path) if self.path is not None else None
        if self._file is not None:
            self._load(self._file)
            if max_entries is not None:
                self._file.trim(max_entries)  # the file mirrors what is in memory

    def _to_file(self, write: Callable[[CacheFile], T]) -> T | None:
        """``write`` to the cache file; when that fails (a full disk, a file made read-only)
        the cache goes on in memory and says why in :attr:`file_error`."""
        if self._file is None:
            return None
        try:
            return write(self._file)
        except (sqlite3.Error, OSError) as exc:
            self.file_error = f"cannot write {self.path}: {exc}; going on without it"
            with contextlib.suppress(sqlite3.Error):
                self._file.close()
            self._file = None
            return None

    def __len__(self) -> int:
        return sum(len(s.sat) + len(s.unsat) for s in self._shelves.values())

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None

    def __enter__(self) -> ContainmentCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _next_tick(self) -> int:
        self._tick += 1
        return self._tick

    # ---- look-up ----------------------------------------------------------------------
    def lookup(self, data_key: str, problem: Problem) -> CacheHit | None:
        """The answer implied by a cached one, or None."""
        hit = self._find(data_key, problem)
        self.stats[hit.kind if hit else "miss"] += 1
        return hit

    def _find(self, data_key: str, problem: Problem) -> CacheHit | None:
        shelf = self._shelves.get(data_key)
        if shelf is None:
            return None
        q = Query(shelf, problem, self._masks)
        return self._find_sat(shelf, q) or self._find_unsat(shelf, q)

    def _masks(self, problem: Problem) -> np.ndarray:
        if self._memo is None or self._memo[0] is not problem:
            self._memo = (problem, domain_masks(problem))
        return self._memo[1]

    def _find_sat(self, shelf: Shelf, q: Query) -> CacheHit | None:
        if q.unknown:
            return None  # a station no cached problem holds: no superset
        index = shelf.sat
        mine = None
        for checked, e in enumerate(index.supersets(q.pos)):
            if checked >= MAX_CHECKS:
                break
            if mine is None:
                mine = q.masks[q.order]
            channels = index.payload_of(e)[np.searchsorted(index.members(e), q.pos)]
            if not ((mine >> channels.astype(np.uint64)) & np.uint64(1)).all():
                continue
            index.stamps[e] = self._next_tick()
            exact = index.sizes[e] == q.n and index.digests[e] == q.digest()
            assignment = dict(zip(q.ids[q.order].tolist(), channels.tolist(), strict=True))
            kind = "exact-sat" if exact else "sat-superset"
            return CacheHit(kind, assignment, rowid=int(index.rowids[e]))
        return None

    def _find_unsat(self, shelf: Shelf, q: Query) -> CacheHit | None:
        index = shelf.unsat
        by_pos = None
        for checked, e in enumerate(index.subsets(q.pos)):
            if checked >= MAX_CHECKS:
                break
            if by_pos is None:
                by_pos = q.masks[q.order]
            members = index.members(e)
            cached = shelf.vmask[members, index.payload_of(e)]
            mine = by_pos[np.searchsorted(q.pos, members)]
            if (mine & ~cached).any():
                continue
            index.stamps[e] = self._next_tick()
            exact = index.sizes[e] == q.n and bool((mine == cached).all())
            stations = q.ids[q.order][np.searchsorted(q.pos, members)]
            return CacheHit(
                "exact-unsat" if exact else "unsat-subset",
                None,
                tuple(stations.tolist()),
                int(index.rowids[e]),
            )
        return None

    def forget(self, data_key: str, hit: CacheHit) -> None:
        """Drop the entry behind ``hit`` (from the file too): its answer did not hold up."""
        shelf = self._shelves.get(data_key)
        if shelf is None:
            return
        index = shelf.unsat if hit.answer is Answer.UNSAT else shelf.sat
        index.keep(index.rowids[: index.n] != hit.rowid)
        self._to_file(lambda f: f.delete([hit.rowid]))
        self.stats["forgotten"] += 1

    # ---- storing ----------------------------------------------------------------------
    def store(
        self,
        data_key: str,
        problem: Problem,
        answer: Answer | str,
        assignment: Mapping[int, int] | None = None,
    ) -> None:
        """Remember a conclusive answer (TIMEOUT is ignored); SAT needs its witness.

        Answers already implied by the cache are not stored again; an answer the cache
        contradicts raises :class:`RunError` (a solver or caller bug, never reported).
        """
        answer = Answer(answer)
        if answer is Answer.TIMEOUT:
            return
        masks = self._masks(problem)
        channels = self._witness(problem, answer, assignment)
        if masks.size and (masks & np.uint64(OVERFLOW)).any():
            self.stats["uncacheable"] += 1
            return
        if channels is not None and not ((masks >> channels) & np.uint64(1)).all():
            raise ValueError("the SAT witness puts a station on a channel outside its domain")
        shelf = self._shelves.setdefault(data_key, Shelf())
        q = Query(shelf, problem, self._masks)
        known = self._find_sat(shelf, q) or self._find_unsat(shelf, q)
        if known is not None:
            if known.answer is not answer:
                raise RunError(
                    f"internal error: {answer.value} for {problem!r} contradicts a cached "
                    f"{known.kind} answer; not stored"
                )
            return
        wanted = q.ids[q.positions < 0].tolist()

        def layout(added: list[int]) -> tuple[np.ndarray, np.ndarray]:
            """Positions (ascending) and the problem indices in that order."""
            if not wanted:
                return q.pos, q.order
            full = q.positions.copy()
            new = {s: len(shelf.stations) + i for i, s in enumerate(added)}
            full[q.positions < 0] = [new[s] for s in wanted]
            order = np.argsort(full, kind="stable")
            return full[order], order

        def row(adopted: list[int], fresh: list[int]) -> FileRow:
            p, order = layout(adopted + fresh)
            return file_row(p, None if channels is None else channels[order], masks[order], digest)

        digest = q.digest() if channels is not None else None
        stored = self._to_file(lambda f: f.append(data_key, len(shelf.stations), wanted, row))
        if stored is not None:
            rowid, added = stored
            self._tick = max(self._tick, rowid)
        else:
            rowid, added = self._tick + 1, wanted
        p, order = layout(added)
        shelf.adopt(added)
        stamp = self._next_tick()
        if channels is None:
            variants = shelf.intern(p, masks[order])
            if variants is not None:
                shelf.unsat.add(p, variants, rowid, stamp)
        else:
            shelf.sat.add(p, channels[order].astype(np.uint8), rowid, stamp, digest)
        self.stats["stored"] += 1
        if self.max_entries is not None and len(self) > self.max_entries:
            self._evict(self.max_entries - max(1, self.max_entries // 10))

    @staticmethod
    def _witness(
        problem: Problem, answer: Answer, assignment: Mapping[int, int] | None
    ) -> np.ndarray | None:
        """The witness's channels in problem order (SAT), after checking it covers the problem."""
        if answer is Answer.UNSAT:
            if not problem.domains:
                raise ValueError("a problem without stations is SAT, not UNSAT")
            return None
        if assignment is None:
            raise ValueError("a SAT answer needs its witness assignment")
        try:
            channels = np.array(list(map(assignment.__getitem__, problem.domains)), dtype=np.int64)
        except KeyError as exc:
            raise ValueError(f"the SAT witness gives station {exc.args[0]} no channel") from None
        if channels.size and not 0 <= channels.min() <= channels.max() <= TOP_CHANNEL:
            raise ValueError("the SAT witness puts a station on a channel outside its domain")
        return channels.astype(np.uint64)

    def _evict(self, target: int) -> None:
        """Drop the least recently used entries until ``target`` remain."""
        indexes = [ix for s in self._shelves.values() for ix in (s.sat, s.unsat) if len(ix)]
        stamps = np.concatenate([ix.stamps[: ix.n] for ix in indexes])
        drop = stamps.size - target
        if drop <= 0:
            return
        threshold = np.partition(stamps, drop - 1)[drop - 1]
        gone: list[int] = []
        for ix in indexes:
            keep = ix.stamps[: ix.n] > threshold
            gone += ix.rowids[: ix.n][~keep].tolist()
            ix.keep(keep)
        self._to_file(lambda f: f.delete(gone))
        self.stats["evicted"] += len(gone)

    # ---- loading ----------------------------------------------------------------------
    def _load(self, file: CacheFile) -> None:
        for key, stations in file.positions().items():
            self._shelves.setdefault(key, Shelf()).adopt(stations)
        batches: dict[tuple[str, str], tuple[list, list, list, list, list]] = {}
        damaged: list[int] = []
        for rowid, key, answer, size, bits, payload, digest in file.rows(self.max_entries):
            shelf = self._shelves.get(key)
            if shelf is None or len(bits) % 8 or len(payload) % (8 if answer == "UNSAT" else 1):
                damaged.append(rowid)
                continue
            words = np.frombuffer(bits, dtype=_WORD)
            members = members_of(words)
            if words.size > -(-len(shelf.stations) // 64) or members.size != size:
                damaged.append(rowid)
                continue
            if answer == "UNSAT":  # domain masks -> this process's variant numbers
                masks = np.frombuffer(payload, dtype=_WORD)
                if masks.size != members.size:
                    damaged.append(rowid)
                    continue
                variants = shelf.intern(members, masks)
                if variants is None:
                    continue
                payload = variants.tobytes()
            if len(payload) != size:
                damaged.append(rowid)
                continue
            batch = batches.setdefault((key, answer), ([], [], [], [], []))
            for column, value in zip(batch, (words, payload, size, rowid, digest), strict=True):
                column.append(value)
            self._tick = max(self._tick, rowid)
        if damaged:  # intact checksums but impossible contents: written by a bug, not used
            file.delete(damaged)
        if file.damaged + len(damaged):
            self.stats["damaged"] += file.damaged + len(damaged)
        for (key, answer), (words, payloads, sizes, rowids, digests) in batches.items():
            shelf = self._shelves[key]
            index = shelf.sat if answer == "SAT" else shelf.unsat
            index.add_bulk(
                words, payloads, np.array(sizes), np.array(rowids), digests, len(shelf.stations)
            )
