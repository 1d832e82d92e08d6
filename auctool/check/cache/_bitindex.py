"""The in-memory side of the containment caches: station sets as bitsets, one column per entry.

Each entry is a set of *positions* (a dense station numbering owned by the cache) stored
as a column of uint64 words in a ``(n_words, capacity)`` matrix, so testing one word of
every entry is a single contiguous numpy operation. Each member of an entry carries one
byte of payload (a channel for SAT witnesses, a domain-variant number for UNSAT entries),
kept in one flat array in ascending position order.

A :class:`Shelf` holds everything cached for one constraint data set (the station
numbering, the distinct domains of each station, the SAT and UNSAT entries); a
:class:`Query` is a problem seen through a shelf's numbering.

Look-ups use per-position counts (how many entries contain each position) to test the
most discriminating word first over all entries, then narrow the few survivors with one
2-D test; a query whose rarest station no entry holds misses in O(1) numpy calls.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator

import numpy as np

from auctool.model.problem import Problem

#: Channels above are not cached (FCC TV channels end at 51): a domain is one uint64 mask.
TOP_CHANNEL = 62
OVERFLOW = 1 << 63
#: Survivors of the first word tests are checked all at once when at most this many.
_DENSE_CHECK = 512
_ONE = np.uint64(1)


def words_of(positions: np.ndarray, n_words: int) -> np.ndarray:
    """Positions -> a bitset of ``n_words`` uint64 (bit p % 64 of word p // 64)."""
    flags = np.zeros(n_words * 64, dtype=bool)
    flags[positions] = True
    return np.packbits(flags, bitorder="little").view(np.uint64)


def members_of(words: np.ndarray) -> np.ndarray:
    """Bitset words -> ascending positions."""
    raw = np.ascontiguousarray(words, dtype=np.uint64).view(np.uint8)
    return np.flatnonzero(np.unpackbits(raw, bitorder="little"))


class BitIndex:
    """A growing set of entries (position sets + per-member byte payloads)."""

    def __init__(self) -> None:
        self.words = np.zeros((1, 256), dtype=np.uint64)
        self.n = 0
        self.sizes = np.zeros(256, dtype=np.int32)
        self.stamps = np.zeros(256, dtype=np.int64)  # last use, for least-recently-used eviction
        self.rowids = np.zeros(256, dtype=np.int64)  # the SQLite row (or a counter in memory)
        self.offsets = np.zeros(257, dtype=np.int64)
        self.payload = np.zeros(1 << 16, dtype=np.uint8)
        self.counts = np.zeros(64, dtype=np.int64)  # entries containing each position
        self.digests: list[bytes | None] = []

    def __len__(self) -> int:
        return self.n

    # ---- growth ---------------------------------------------------------------------
    def _reserve(self, entries: int, positions: int, payload: int) -> None:
        n_words, cap = self.words.shape
        need_words = max(n_words, -(-positions // 64))
        need_cap = cap
        while need_cap < self.n + entries:
            need_cap *= 2
        if need_words != n_words or need_cap != cap:
            grown = np.zeros((need_words, need_cap), dtype=np.uint64)
            grown[:n_words, : self.n] = self.words[:, : self.n]
            self.words = grown
            for name in ("sizes", "stamps", "rowids"):
                old = getattr(self, name)
                new = np.zeros(need_cap, dtype=old.dtype)
                new[: self.n] = old[: self.n]
                setattr(self, name, new)
            offsets = np.zeros(need_cap + 1, dtype=np.int64)
            offsets[: self.n + 1] = self.offsets[: self.n + 1]
            self.offsets = offsets
        if self.counts.size < need_words * 64:
            counts = np.zeros(need_words * 64, dtype=np.int64)
            counts[: self.counts.size] = self.counts
            self.counts = counts
        end = int(self.offsets[self.n]) + payload
        if end > self.payload.size:
            grown_payload = np.zeros(max(end, 2 * self.payload.size), dtype=np.uint8)
            grown_payload[: self.payload.size] = self.payload
            self.payload = grown_payload

    def add(
        self,
        positions: np.ndarray,
        payload: np.ndarray,
        rowid: int,
        stamp: int,
        digest: bytes | None = None,
    ) -> int:
        """Append one entry (``positions`` ascending, ``payload`` aligned); its index."""
        top = int(positions[-1]) + 1 if positions.size else 0
        self._reserve(1, top, payload.size)
        i = self.n
        if positions.size:
            w = words_of(positions, -(-top // 64))
            self.words[: w.size, i] = w
            self.counts[positions] += 1
        start = int(self.offsets[i])
        self.payload[start : start + payload.size] = payload
        self.offsets[i + 1] = start + payload.size
        self.sizes[i] = positions.size
        self.stamps[i] = stamp
        self.rowids[i] = rowid
        self.digests.append(digest)
        self.n += 1
        return i

    def add_bulk(
        self,
        words: list[np.ndarray],
        payloads: list[bytes],
        sizes: np.ndarray,
        rowids: np.ndarray,
        digests: list[bytes | None],
        n_positions: int,
    ) -> None:
        """Append many entries at once (loading a cache file): one pass, no per-entry growth."""
        k = len(words)
        if not k:
            return
        flat = np.frombuffer(b"".join(payloads), dtype=np.uint8)
        self._reserve(k, n_positions, flat.size)
        base, start = self.n, int(self.offsets[self.n])
        for j, w in enumerate(words):
            self.words[: w.size, base + j] = w
        self.payload[start : start + flat.size] = flat
        lengths = np.fromiter((len(p) for p in payloads), dtype=np.int64, count=k)
        self.offsets[base + 1 : base + k + 1] = start + np.cumsum(lengths)
        self.sizes[base : base + k] = sizes
        self.rowids[base : base + k] = rowids
        self.stamps[base : base + k] = rowids  # file order is age order
        self.digests.extend(digests)
        self.n += k
        self._count(base, base + k, +1)

    def _count(self, lo: int, hi: int, sign: int) -> None:
        """Add (or remove) the members of entries lo..hi to the per-position counts."""
        for a in range(lo, hi, 4096):
            b = min(hi, a + 4096)
            block = np.ascontiguousarray(self.words[:, a:b].T).view(np.uint8)
            bits = np.unpackbits(block, axis=1, bitorder="little")
            self.counts[: bits.shape[1]] += sign * bits.sum(axis=0, dtype=np.int64)

    def keep(self, mask: np.ndarray) -> None:
        """Drop the entries where ``mask`` (length n) is False, keeping the order of the rest."""
        gone = np.flatnonzero(~mask)
        for i in gone:  # counts: removed entries only (eviction drops a small share)
            self.counts[members_of(self.words[:, i])] -= 1
        kept = np.flatnonzero(mask)
        lengths = np.diff(self.offsets[: self.n + 1])[kept]
        starts = self.offsets[kept]
        flat = (
            np.concatenate([self.payload[s : s + n] for s, n in zip(starts, lengths, strict=True)])
            if kept.size
            else np.zeros(0, dtype=np.uint8)
        )
        m = kept.size
        self.words[:, :m] = self.words[:, kept]
        self.words[:, m : self.n] = 0
        for name in ("sizes", "stamps", "rowids"):
            arr = getattr(self, name)
            arr[:m] = arr[kept]
        self.payload[: flat.size] = flat
        self.offsets[1 : m + 1] = np.cumsum(lengths)
        self.digests = [self.digests[i] for i in kept.tolist()]
        self.n = m

    # ---- look-ups -------------------------------------------------------------------
    def members(self, i: int) -> np.ndarray:
        return members_of(self.words[:, i])

    def payload_of(self, i: int) -> np.ndarray:
        return self.payload[self.offsets[i] : self.offsets[i + 1]]

    def supersets(self, positions: np.ndarray) -> Iterator[int]:
        """Entries holding every given position (ascending), newest first."""
        n = self.n
        if n == 0 or (
            positions.size
            and (positions[-1] >= self.counts.size or self.counts[positions].min() == 0)
        ):
            return iter(())
        if positions.size == 0:
            return reversed(range(n))
        q = words_of(positions, self.words.shape[0])
        flags = np.zeros(q.size * 64, dtype=np.int64)
        flags[positions] = 1
        # per word: how many (entry, member) pairs are missing there -> exclusion power
        score = ((n - self.counts[: flags.size]) * flags).reshape(q.size, 64).sum(axis=1)
        return self._narrow(q, score, lambda col, qw: (col & qw) == qw, np.ones(n, dtype=bool))

    def subsets(self, positions: np.ndarray) -> Iterator[int]:
        """Entries holding only given positions (ascending), newest first."""
        n = self.n
        if n == 0:
            return iter(())
        n_words = self.words.shape[0]
        q = ~words_of(positions[positions < n_words * 64], n_words)
        flags = np.ones(n_words * 64, dtype=np.int64)
        flags[positions[positions < n_words * 64]] = 0
        score = (self.counts[: flags.size] * flags).reshape(n_words, 64).sum(axis=1)
        small = self.sizes[:n] <= positions.size
        return self._narrow(q, score, lambda col, qw: (col & qw) == 0, small)

    def _narrow(self, q, score, test, alive: np.ndarray) -> Iterator[int]:
        """Test words in decreasing exclusion power; dense check once few survive."""
        ranked = np.argsort(-score, kind="stable")
        order = ranked[score[ranked] > 0].tolist()
        n = self.n
        if order:
            w = order.pop(0)
            alive = alive & test(self.words[w, :n], q[w])
        cand = np.flatnonzero(alive)
        while order and cand.size > _DENSE_CHECK:
            w = order.pop(0)
            cand = cand[test(self.words[w, cand], q[w])]
        if order and cand.size:
            rows = np.array(order)
            block = self.words[np.ix_(rows, cand)]
            cand = cand[test(block, q[rows, None]).all(axis=0)]
        return reversed(cand.tolist())


_MASKS: dict[tuple[int, ...], int] = {}


def _mask(channels: tuple[int, ...]) -> int:
    mask = 0
    for c in channels:
        mask |= 1 << c if 0 <= c <= TOP_CHANNEL else OVERFLOW
    if len(_MASKS) > 100_000:
        _MASKS.clear()
    _MASKS[channels] = mask
    return mask


def domain_masks(problem: Problem) -> np.ndarray:
    """Each domain as a uint64 channel mask (problem order); channels above 62 set bit 63.

    Memoised by domain tuple: one C-level dict pass for the domains seen before (the
    auction asks about the same stations' domains again and again).
    """
    domains = list(problem.domains.values())
    masks = list(map(_MASKS.get, domains))
    if None in masks:
        masks = [_mask(d) if m is None else m for d, m in zip(domains, masks, strict=True)]
    return np.array(masks, dtype=np.uint64)


def domains_digest(ids: np.ndarray, masks: np.ndarray) -> bytes:
    """Identifies a problem's stations and domains (problem order: ids ascending)."""
    return hashlib.blake2b(ids.tobytes() + masks.tobytes(), digest_size=16).digest()


class Shelf:
    """Everything cached for one constraint data set: station numbering, domain variants, entries."""

    def __init__(self) -> None:
        self.stations: list[int] = []  # position -> station id
        self._sorted_ids = np.zeros(0, dtype=np.int64)
        self._sorted_pos = np.zeros(0, dtype=np.int64)
        self.vmask = np.zeros((64, 2), dtype=np.uint64)  # position, variant -> domain mask
        self.nvar = np.zeros(64, dtype=np.int64)
        self.sat = BitIndex()
        self.unsat = BitIndex()

    def positions(self, ids: np.ndarray) -> np.ndarray:
        """Position of each station id, -1 where the station is not numbered yet."""
        if not self.stations or not ids.size:
            return np.full(ids.size, -1, dtype=np.int64)
        i = np.minimum(np.searchsorted(self._sorted_ids, ids), self._sorted_ids.size - 1)
        return np.where(self._sorted_ids[i] == ids, self._sorted_pos[i], -1)

    def adopt(self, stations: list[int]) -> None:
        if not stations:
            return
        self.stations.extend(stations)
        ids = np.array(self.stations, dtype=np.int64)
        order = np.argsort(ids, kind="stable")
        self._sorted_ids, self._sorted_pos = ids[order], order.astype(np.int64)
        n = len(self.stations)
        if n > self.nvar.size:
            cap = max(n, 2 * self.nvar.size)
            vmask = np.zeros((cap, self.vmask.shape[1]), dtype=np.uint64)
            vmask[: self.nvar.size] = self.vmask
            nvar = np.zeros(cap, dtype=np.int64)
            nvar[: self.nvar.size] = self.nvar
            self.vmask, self.nvar = vmask, nvar

    def intern(self, pos: np.ndarray, masks: np.ndarray) -> np.ndarray | None:
        """Variant number of each (position, domain mask); None past 255 variants of a station."""
        if not pos.size:
            return np.zeros(0, dtype=np.uint8)
        k = int(self.nvar[pos].max()) or 1
        match = (self.vmask[pos, :k] == masks[:, None]) & (np.arange(k) < self.nvar[pos][:, None])
        var = match.argmax(axis=1)
        for i in np.flatnonzero(~match.any(axis=1)).tolist():
            p = int(pos[i])
            v = int(self.nvar[p])
            if v > 255:
                return None
            if v >= self.vmask.shape[1]:
                wider = np.zeros((self.vmask.shape[0], 2 * self.vmask.shape[1]), dtype=np.uint64)
                wider[:, : self.vmask.shape[1]] = self.vmask
                self.vmask = wider
            self.vmask[p, v] = masks[i]
            self.nvar[p] = v + 1
            var[i] = v
        return var.astype(np.uint8)


class Query:
    """A problem seen through one shelf's station numbering (domain masks computed lazily)."""

    def __init__(self, shelf: Shelf, problem: Problem, masks: Callable[[Problem], np.ndarray]):
        self.problem = problem
        self.n = len(problem.domains)
        self.ids = np.fromiter(problem.domains.keys(), dtype=np.int64, count=self.n)
        self.positions = shelf.positions(self.ids)  # problem order, -1: not numbered yet
        known = np.flatnonzero(self.positions >= 0)
        self.unknown = self.n - known.size
        self.order = known[np.argsort(self.positions[known], kind="stable")]  # by position
        self.pos = self.positions[self.order]
        self._masks_of = masks
        self._masks: np.ndarray | None = None

    @property
    def masks(self) -> np.ndarray:
        """Domain masks in problem order."""
        if self._masks is None:
            self._masks = self._masks_of(self.problem)
        return self._masks

    def digest(self) -> bytes:
        return domains_digest(self.ids, self.masks)
