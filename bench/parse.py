"""Parsing a national-size Interference_Paired.csv (~2.7 million constraint pairs).

The FCC's national file is not in ../shared, so we generate one of that size with the
same structure (3,000 stations, channels 2-51 without 37, CO on every shared channel
between neighbours, ADJ+-1 between close neighbours, both directions listed) and time:

- auctool's columnar parser (cold, then from its on-disk cache);
- a baseline: the straightforward reader (csv module, one Python tuple per pair in a set).

Each measurement runs in a fresh process so the peak memory figure is its own.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np

from bench._table import run_measured, show


def generate(folder: Path, n: int = 3000, seed: int = 0) -> tuple[int, int]:
    from auctool.formats.fcc import write_constraints
    from auctool.model import ConstraintData, Interference

    rng = np.random.default_rng(seed)
    chans = np.array([c for c in range(2, 52) if c != 37])
    xy = rng.random((n, 2)) * 100
    a_list, b_list, close_list = [], [], []
    for i in range(n):
        d = np.hypot(*(xy[i + 1 :] - xy[i]).T)
        near = np.flatnonzero(d < 3.3) + i + 1
        a_list.append(np.full(near.size, i))
        b_list.append(near)
        close_list.append(d[near - i - 1] < 2.0)
    a, b, close = np.concatenate(a_list), np.concatenate(b_list), np.concatenate(close_list)
    ids = np.arange(1000, 1000 + n)
    k = chans.size
    co = (
        np.repeat(ids[a], k),
        np.tile(chans, a.size),
        np.repeat(ids[b], k),
        np.tile(chans, a.size),
    )
    ac, bc = ids[a[close]], ids[b[close]]
    lo, hi = chans[:-1], chans[:-1] + 1
    m = lo.size
    adj_up = (np.repeat(ac, m), np.tile(lo, ac.size), np.repeat(bc, m), np.tile(hi, ac.size))
    adj_dn = (np.repeat(ac, m), np.tile(hi, ac.size), np.repeat(bc, m), np.tile(lo, ac.size))
    parts = [np.concatenate(x) for x in zip(co, adj_up, adj_dn, strict=True)]
    it = Interference.from_arrays(*parts)
    data = ConstraintData({int(s): tuple(chans.tolist()) for s in ids}, it, "national-synth")
    write_constraints(data, folder, "unabridged")
    with open(folder / "Interference_Paired.csv") as fh:
        lines = sum(1 for _ in fh)
    return 2 * len(it), lines  # directed pairs, as the FCC counts them


AUCTOOL = """
import os
from auctool.formats.fcc import load_constraints
t = time.perf_counter()
data = load_constraints(sys.argv[1], use_cache=sys.argv[2] == '1')
RESULT = {'seconds': time.perf_counter() - t, 'pairs': len(data.interference)}
"""

NAIVE = """
import csv
t = time.perf_counter()
pairs = set()
offsets = {'CO': 0, 'ADJ+1': 1, 'ADJ-1': -1, 'ADJ+2': 2, 'ADJ-2': -2}
with open(sys.argv[1] + '/Interference_Paired.csv') as fh:
    for row in csv.reader(fh):
        key, c1, c2, s = row[0], int(row[1]), int(row[2]), int(row[3])
        assert c2 - c1 == offsets[key]
        for t_ in row[4:]:
            a, b = (s, c1), (int(t_), c2)
            pairs.add(a + b if a < b else b + a)
RESULT = {'seconds': time.perf_counter() - t, 'pairs': len(pairs)}
"""


def main() -> None:
    import os

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "national"
        directed, lines = generate(folder)
        size_mb = (folder / "Interference_Paired.csv").stat().st_size / 1e6
        os.environ["AUCTOOL_CACHE_DIR"] = str(Path(tmp) / "cache")
        naive = run_measured(NAIVE, str(folder))
        cold = run_measured(AUCTOOL, str(folder), "1")  # first load: parses, then writes the cache
        warm = run_measured(AUCTOOL, str(folder), "1")  # second load: from the cache
        nocache = run_measured(AUCTOOL, str(folder), "0")
    assert naive["pairs"] == cold["pairs"] == warm["pairs"]
    base = naive["seconds"]
    rows = [
        ["baseline: csv module + set of tuples", naive["seconds"], naive["peak_rss_mb"], 1.0],
        [
            "auctool parser (no cache)",
            nocache["seconds"],
            nocache["peak_rss_mb"],
            base / nocache["seconds"],
        ],
        [
            "auctool first load (parse + write cache)",
            cold["seconds"],
            cold["peak_rss_mb"],
            base / cold["seconds"],
        ],
        ["auctool from its cache", warm["seconds"], warm["peak_rss_mb"], base / warm["seconds"]],
    ]
    show(
        f"Parsing a national-size Interference_Paired.csv ({directed:,} directed pairs, "
        f"{lines:,} lines, {size_mb:.0f} MB)",
        ["reader", "seconds", "peak RSS (MB)", "speed-up vs baseline"],
        rows,
        "parse",
    )


if __name__ == "__main__":
    main()
