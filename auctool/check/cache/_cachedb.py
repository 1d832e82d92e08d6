"""The containment caches' SQLite file: one transaction per stored entry, so a kill loses one.

Entries are stored as the in-memory index holds them (a bitset over the cache's dense
station numbering, plus one payload per member), so opening a file with 100,000 entries
is a bulk copy, not a re-indexing. The numbering itself is a table: positions are only
ever appended, inside the same transaction as the entry that needs them, and a writer
adopts positions other processes appended first, so several processes may share a file.

WAL journal with ``synchronous=NORMAL``: a committed entry survives the death of the
process (SIGKILL included); a kill mid-transaction rolls back that entry, never the file.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

from auctool.errors import InputError

FORMAT = "auctool-containment-cache"
VERSION = "2"  # 2: every entry carries a checksum (version 1 files are upgraded at open)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS positions (
    data_key TEXT NOT NULL, pos INTEGER NOT NULL, station INTEGER NOT NULL,
    PRIMARY KEY (data_key, pos)
);
CREATE TABLE IF NOT EXISTS entries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    data_key TEXT NOT NULL,
    answer TEXT NOT NULL CHECK (answer IN ('SAT', 'UNSAT')),
    size INTEGER NOT NULL,
    bits BLOB NOT NULL,      -- little-endian uint64 words over positions
    payload BLOB NOT NULL,   -- SAT: uint8 channel per member, UNSAT: uint64 domain mask per member
    digest BLOB,             -- SAT: digest of the problem's domains (exact-repeat detection)
    checksum BLOB            -- of every other column: a damaged row is dropped, never used
);
"""


#: One stored entry: rowid, data_key, answer, size, bits, payload, digest.
Row = tuple[int, str, str, int, bytes, bytes, bytes | None]


def checksum(
    data_key: str, answer: str, size: int, bits: bytes, payload: bytes, digest: bytes | None
) -> bytes:
    """What a row's columns hash to (16 bytes of BLAKE2b)."""
    h = hashlib.blake2b(digest_size=16)
    for part in (data_key.encode(), answer.encode(), str(size).encode(), bits, payload):
        h.update(len(part).to_bytes(8, "little"))
        h.update(part)
    h.update(b"\x00" if digest is None else b"\x01" + digest)
    return h.digest()


class CacheFile:
    """The SQLite side of a :class:`~auctool.check.cache.containment.ContainmentCache`."""

    def __init__(self, path: Path):
        self.path = path
        self.damaged = 0  # rows found damaged (and deleted) while reading
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(path, timeout=60, isolation_level=None)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            with self._transaction():
                tables = {
                    name
                    for (name,) in self.db.execute(
                        "SELECT name FROM sqlite_master WHERE type = 'table'"
                    )
                }
                if tables and "meta" not in tables:  # never add ours to another program's
                    raise InputError("not an auctool cache file (other SQLite tables)", path)
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        self.db.execute(statement)
                meta = dict(self.db.execute("SELECT key, value FROM meta").fetchall())
                if not meta:
                    self.db.executemany(
                        "INSERT INTO meta VALUES (?, ?)", [("format", FORMAT), ("version", VERSION)]
                    )
                elif meta.get("format") != FORMAT:
                    raise InputError("not an auctool cache file (other SQLite tables)", path)
                elif meta.get("version") == "1":
                    self._upgrade()
                elif meta.get("version") != VERSION:
                    raise InputError(
                        f"cache file version {meta.get('version')} (this auctool reads {VERSION}): "
                        "delete it or use another path",
                        path,
                    )
        except sqlite3.DatabaseError as exc:
            raise InputError(f"cannot use as a cache file: {exc}", path) from None
        except OSError as exc:
            raise InputError(f"cannot open cache file: {exc.strerror or exc}", path) from None

    def _upgrade(self) -> None:
        """Version 1 rows carry no checksum: add the column; their rows cannot be told from
        damaged ones, so they go (a cache only saves time)."""
        columns = {row[1] for row in self.db.execute("PRAGMA table_info(entries)")}
        if "checksum" not in columns:
            self.db.execute("ALTER TABLE entries ADD COLUMN checksum BLOB")
        self.db.execute("DELETE FROM entries")
        self.db.execute("UPDATE meta SET value = ? WHERE key = 'version'", (VERSION,))

    def close(self) -> None:
        self.db.close()

    def _transaction(self):
        return _Transaction(self.db)

    # ---- reading ----------------------------------------------------------------------
    def positions(self) -> dict[str, list[int]]:
        """data_key -> station ids in position order."""
        out: dict[str, list[int]] = {}
        rows = self.db.execute(
            "SELECT data_key, pos, station FROM positions ORDER BY data_key, pos"
        )
        for key, pos, station in rows:
            stations = out.setdefault(key, [])
            if pos != len(stations):
                raise InputError(f"damaged cache file (position {pos} of {key[:12]})", self.path)
            stations.append(station)
        return out

    def rows(self, newest: int | None = None) -> Iterator[Row]:
        """Every intact entry, oldest first (only the ``newest`` most recent when given).

        A row whose columns do not hash to its checksum (or of a type SQLite should never
        hold there) is damaged: it is left out, deleted from the file, and counted in
        :attr:`damaged`.
        """
        sql = "SELECT id, data_key, answer, size, bits, payload, digest, checksum FROM entries"
        if newest is None:
            cursor = self.db.execute(sql + " ORDER BY id")
        else:
            cursor = self.db.execute(
                f"SELECT * FROM ({sql} ORDER BY id DESC LIMIT ?) ORDER BY id", (newest,)
            )
        bad: list[int] = []
        for row in cursor.fetchall():
            if _intact(row):
                yield row[:7]
            else:
                bad.append(int(row[0]))
        if bad:
            self.damaged += len(bad)
            self.delete(bad)

    # ---- writing ----------------------------------------------------------------------
    def append(
        self,
        data_key: str,
        known: int,
        wanted: Sequence[int],
        build: Callable[[list[int], list[int]], tuple[str, int, bytes, bytes, bytes | None]],
    ) -> tuple[int, list[int]]:
        """Store one entry in one transaction; returns (row id, stations given positions).

        ``known`` is how many positions the caller holds for ``data_key``; positions
        appended since by other processes are adopted first, then ``wanted`` stations
        still unnumbered get the next ones. ``build(adopted, fresh)`` makes the row
        (answer, size, bits, payload, digest) once the numbering is final.
        """
        with self._transaction():
            adopted = [
                s
                for (s,) in self.db.execute(
                    "SELECT station FROM positions WHERE data_key = ? AND pos >= ? ORDER BY pos",
                    (data_key, known),
                )
            ]
            taken = set(adopted)
            fresh = [s for s in wanted if s not in taken]
            start = known + len(adopted)
            self.db.executemany(
                "INSERT INTO positions VALUES (?, ?, ?)",
                [(data_key, start + i, s) for i, s in enumerate(fresh)],
            )
            row = (data_key, *build(adopted, fresh))
            cursor = self.db.execute(
                "INSERT INTO entries (data_key, answer, size, bits, payload, digest, checksum) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (*row, checksum(*row)),
            )
            rowid = int(cursor.lastrowid or 0)
        return rowid, adopted + fresh

    def append_many(
        self,
        data_key: str,
        stations: Sequence[int],
        rows: Iterable[tuple[str, int, bytes, bytes, bytes | None]],
    ) -> None:
        """Number ``stations`` (after the existing positions) and store many rows in one
        transaction: for writing a file in bulk (benchmarks, imports), not for a live cache."""
        with self._transaction():
            (known,) = self.db.execute(
                "SELECT COUNT(*) FROM positions WHERE data_key = ?", (data_key,)
            ).fetchone()
            self.db.executemany(
                "INSERT INTO positions VALUES (?, ?, ?)",
                [(data_key, known + i, int(s)) for i, s in enumerate(stations)],
            )
            self.db.executemany(
                "INSERT INTO entries (data_key, answer, size, bits, payload, digest, checksum) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                ((data_key, *row, checksum(data_key, *row)) for row in rows),
            )

    def trim(self, newest: int) -> None:
        """Keep only the ``newest`` most recent entries."""
        with self._transaction():
            self.db.execute(
                "DELETE FROM entries WHERE id NOT IN "
                "(SELECT id FROM entries ORDER BY id DESC LIMIT ?)",
                (newest,),
            )

    def delete(self, rowids: Sequence[int]) -> None:
        with self._transaction():
            self.db.executemany("DELETE FROM entries WHERE id = ?", [(int(r),) for r in rowids])


def _intact(row: tuple) -> bool:
    """Do a row's columns have their types and hash to its checksum?"""
    _, key, answer, size, bits, payload, digest, check = row
    typed = (
        isinstance(key, str)
        and answer in ("SAT", "UNSAT")
        and isinstance(size, int)
        and isinstance(bits, bytes)
        and isinstance(payload, bytes)
        and (digest is None or isinstance(digest, bytes))
        and isinstance(check, bytes)
    )
    return typed and check == checksum(key, answer, size, bits, payload, digest)


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT, ROLLBACK on any exception (the connection is in autocommit)."""

    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def __enter__(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type, *_: object) -> None:
        self.db.execute("ROLLBACK" if exc_type else "COMMIT")
