"""How close a world is to the real FCC data: pairs on the real subsets, counts, packings.

Three measures, each on data the world was not built to reproduce exactly:

- :func:`subset_agreement`: on each real connected subset (``../shared/data/fcc/subsets``,
  real constraints among its stations on its channels), precision and recall of the
  world's interfering station pairs, per band (CO on some channel of the band);
- :func:`~auctool.worlds.degrees.agreement`: per-station degree vs the FCC's own
  interference count (``Interference2``): mean ratio and correlation;
- violations of the real post-auction packing before it is admitted (the world build
  reports them; a realistic world needs few).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from auctool.formats.fcc import load_constraints
from auctool.model import ConstraintData
from auctool.worlds.distance import UHF_LOW


def _co_pairs(data: ConstraintData, domains, uhf: bool) -> set[tuple[int, int]]:
    """Station pairs with a CO constraint on a channel of the band both ``domains`` hold."""
    it = data.interference
    same = it.ca == it.cb
    band = (it.ca >= UHF_LOW) if uhf else (it.ca < UHF_LOW)
    a, b, c = it.a[same & band], it.b[same & band], it.ca[same & band]
    out = set()
    for x, y, ch in zip(a.tolist(), b.tolist(), c.tolist(), strict=True):
        if x in domains and y in domains and ch in domains[x] and ch in domains[y]:
            out.add((min(x, y), max(x, y)))
    return out


def subset_agreement(world: ConstraintData, folders: Iterable[Path]) -> dict[str, dict]:
    """Per band: precision and recall of the world's CO station pairs on the real subsets.

    A subset counts only its stations the world holds, and a pair only on the channels of
    the band both subset domains hold (the subsets were cut to channel ranges).
    """
    totals = {band: [0, 0, 0] for band in ("uhf", "vhf")}  # true positives, predicted, real
    used = 0
    for folder in folders:
        real = load_constraints(folder, use_cache=False)
        stations = [s for s in real.domains if s in world.domains]
        if len(stations) < 2:
            continue
        used += 1
        domains = {s: set(real.domains[s]) for s in stations}
        mine = world.subset(stations)
        for band, flag in (("uhf", True), ("vhf", False)):
            truth = _co_pairs(real.subset(stations), domains, flag)
            pred = _co_pairs(mine, domains, flag)
            t = totals[band]
            t[0] += len(truth & pred)
            t[1] += len(pred)
            t[2] += len(truth)
    out: dict[str, dict] = {"subsets": {"used": used}}
    for band, (tp, npred, nreal) in totals.items():
        out[band] = {
            "precision": round(tp / npred, 3) if npred else 0.0,
            "recall": round(tp / nreal, 3) if nreal else 0.0,
            "predicted_pairs": npred,
            "real_pairs": nreal,
        }
    return out
