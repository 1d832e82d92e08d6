"""Hand-made instances whose answers are known, a brute-force oracle for tiny ones, and
how a test starts a command as a user would."""

from __future__ import annotations

import itertools
import signal
from collections.abc import Mapping
from pathlib import Path

from auctool.model import ConstraintData, Interference, Problem

SHARED_FCC = Path(__file__).resolve().parents[2] / "shared" / "data" / "fcc"


def data_from(domains: Mapping[int, tuple[int, ...]], pairs, name: str = "hand") -> ConstraintData:
    return ConstraintData(dict(domains), Interference.from_pairs(pairs), name)


def co_everywhere(stations, channels) -> list[tuple[int, int, int, int]]:
    """Co-channel interference between every two stations on every channel."""
    return [(s, c, t, c) for s, t in itertools.combinations(stations, 2) for c in channels]


def triangle(n_channels: int) -> tuple[ConstraintData, Problem]:
    """Three mutually co-channel stations: SAT iff at least 3 channels."""
    chans = tuple(range(14, 14 + n_channels))
    data = data_from({1: chans, 2: chans, 3: chans}, co_everywhere((1, 2, 3), chans), "triangle")
    return data, Problem(dict(data.domains), name=f"triangle{n_channels}")


def two_hops() -> tuple[ConstraintData, Problem]:
    """New station 1 must take 14; its neighbour 2 (14 or 15) is held by 3 on 15: ring 1
    ({1, 2}) fits, ring 2 ({1, 2, 3}) does not (a relaxed core, not a clique); 4, beyond,
    plays no part."""
    domains = {1: (14,), 2: (14, 15), 3: (15,), 4: (14, 15)}
    pairs = co_everywhere((1, 2), (14, 15)) + co_everywhere((2, 3), (14, 15))
    pairs += co_everywhere((3, 4), (14, 15))
    return data_from(domains, pairs, "two-hops"), Problem(domains, {2: 14, 3: 15, 4: 14})


def adjacent_pair() -> tuple[ConstraintData, Problem]:
    """Two stations on {14, 15} with CO and ADJ+-1 everywhere: UNSAT."""
    pairs = [(1, 14, 2, 14), (1, 15, 2, 15), (1, 14, 2, 15), (1, 15, 2, 14)]
    data = data_from({1: (14, 15), 2: (14, 15)}, pairs, "adj")
    return data, Problem(dict(data.domains), name="adjacent")


def brute_force(problem: Problem, data: ConstraintData) -> dict[int, int] | None:
    """Exhaustive search (tiny problems only): a valid assignment or None."""
    stations = list(problem.domains)
    forbidden = data.interference.as_set()
    for combo in itertools.product(*(problem.domains[s] for s in stations)):
        assign = dict(zip(stations, combo, strict=True))
        ok = True
        for (s, cs), (t, ct) in itertools.combinations(assign.items(), 2):
            a, b = sorted([(s, cs), (t, ct)])
            if (a[0], a[1], b[0], b[1]) in forbidden:
                ok = False
                break
        if ok:
            return assign
    return None


def pigeonhole(n_holes: int) -> tuple[ConstraintData, Problem]:
    """n+1 mutually co-channel stations on n channels: UNSAT, and exponentially hard for
    resolution-based solvers: the standard 'hard at any cutoff' problem for cutoff tests."""
    chans = tuple(range(14, 14 + n_holes))
    stations = tuple(range(1, n_holes + 2))
    data = data_from({s: chans for s in stations}, co_everywhere(stations, chans), "pigeonhole")
    return data, Problem(dict(data.domains), name=f"php{n_holes}")


def mycielski(order: int) -> tuple[int, list[tuple[int, int]]]:
    """The Mycielski graph M_order: chromatic number ``order``, no triangle (clique number 2).

    Colouring it with ``order - 1`` channels is UNSAT, hopeless for CDCL solvers at any test
    cutoff, and invisible to clique bounds: the standard 'hopeless at any cutoff' problem
    now that pigeonhole problems are refuted by counting. Returns (vertices, edges).
    """
    n, edges = 2, [(0, 1)]
    for _ in range(order - 2):
        grown = list(edges)
        for u, v in edges:
            grown += [(u, n + v), (v, n + u)]
        grown += [(n + u, 2 * n) for u in range(n)]
        edges, n = grown, 2 * n + 1
    return n, edges


def mycielski_world(order: int = 6, name: str = "myciel") -> tuple[ConstraintData, Problem]:
    """Stations 1..n of M_order, co-channel interference along its edges, order-1 channels."""
    n, edges = mycielski(order)
    chans = tuple(range(14, 14 + order - 1))
    pairs = [(u + 1, c, v + 1, c) for u, v in edges for c in chans]
    data = data_from({s: chans for s in range(1, n + 1)}, pairs, name)
    return data, Problem(dict(data.domains), name=f"myciel{order}")


def mycielski_packing(data: ConstraintData, full: Problem) -> dict[int, int]:
    """A packing of every station of a Mycielski world but the last (M_k minus a vertex
    is (k-1)-colourable), found by the checker itself (and so verified)."""
    from auctool.check import Checker, CheckerConfig

    stations = list(full.domains)
    chans = full.domains[stations[0]]
    result = Checker(data, CheckerConfig(solver="cadical195")).check(
        Problem({s: chans for s in stations[:-1]}), 60
    )
    assert result.assignment is not None
    return dict(result.assignment)


# ---- a tiny station table with a real constraint folder ------------------------------
_STATION_INFO = "FacID,Call,Country,Channel,City,Lat,Lon,DMA,Eligible,Population\n"
# around Buffalo: three US stations the real folder has (1, 2, 3), one US station it lacks
# (4) and two Canadian ones across the border (5, 6); the folder also names station 9,
# which the table does not have
_ROWS = (
    "1,A,US,20,Buffalo,42.88,78.88,B,True,1000000\n"
    "2,B,US,22,Buffalo,42.95,78.80,B,True,900000\n"
    "3,C,US,24,Rochester,43.15,77.60,R,True,800000\n"
    "4,D,US,26,Buffalo,42.90,78.90,B,True,700000\n"
    "5,E,CA,28,Toronto,43.65,79.38,T,False,2000000\n"
    "6,F,CA,30,Hamilton,43.25,79.87,T,False,500000\n"
)
#: Real pairs (channel-specific): 1-2 CO over UHF, 2-3 ADJ+1, 9 (not in the table) with 1.
REAL_PAIRS = (
    "CO,14,51,1,2\nCO,14,51,2,1\nADJ+1,14,51,2,3\nADJ+1,14,51,3,2\nCO,14,51,9,1\nCO,14,51,1,9\n"
)


def real_pairs_table(tmp_path: Path, real: str = REAL_PAIRS) -> tuple[Path, Path, Path]:
    """(station_info.csv, Domain.csv, real constraint folder): station 2's domain stops at
    36, the others hold all of UHF; the folder's own domains are full-band, as SATFC's."""
    uhf = [c for c in range(14, 52) if c != 37]
    (tmp_path / "station_info.csv").write_text(_STATION_INFO + _ROWS)
    lines = [f"DOMAIN,{s},{','.join(map(str, uhf))}\n" for s in (1, 3, 4, 5, 6)]
    narrow = ",".join(str(c) for c in uhf if c <= 36)
    (tmp_path / "Domain.csv").write_text("".join(lines) + f"DOMAIN,2,{narrow}\n")
    folder = tmp_path / "real"
    folder.mkdir(exist_ok=True)
    full = ",".join(str(c) for c in range(2, 52) if c != 37)
    (folder / "Domain.csv").write_text("".join(f"DOMAIN,{s},{full}\n" for s in (1, 2, 3, 9)))
    (folder / "Interference_Paired.csv").write_text(real)
    return tmp_path / "station_info.csv", tmp_path / "Domain.csv", folder


def national_spec(fcc: Path, **settings):
    """The FCC's national station table, domains, volumes and transmitters, plus ``settings``."""
    from auctool.worlds.spec import FCC_LAYOUT, TableSpec

    return TableSpec(
        fcc / FCC_LAYOUT["stations"],
        fcc / FCC_LAYOUT["domains"],
        volumes=fcc / FCC_LAYOUT["volumes"],
        parameters=fcc / FCC_LAYOUT["parameters"],
        **settings,
    )


# ---- a chain of stations with cities and countries, for regions -----------------------
UPSTATE_CHANNELS = (14, 15, 16)
# a chain 1-2-3-4 across upstate New York; Toronto's 5 interferes with 2 and with Utica's
# 6, which only it reaches (so with the US alone 6 is out of reach)
UPSTATE_PAIRS = [
    (1, 14, 2, 14),
    (1, 15, 2, 16),  # ADJ: a hop as much as CO (with the CO pairs it implies)
    (1, 15, 2, 15),
    (1, 16, 2, 16),
    (2, 15, 3, 15),
    (3, 14, 4, 14),
    (2, 16, 5, 16),
    (5, 14, 6, 14),
]
UPSTATE_TABLE = {
    "station": [1, 2, 3, 4, 5, 6],
    "call": ["A", "B", "C", "D", "E", "F"],
    "country": ["US", "US", "US", "US", "CA", "US"],
    "city": ["BUFFALO", "ROCHESTER", "SYRACUSE", "ALBANY", "TORONTO", "UTICA"],
    "dma": ["Buffalo, NY", "Rochester, NY", "Syracuse, NY", "Albany, NY", None, "Utica, NY"],
    "population": [1_000_000, 900_000, 800_000, 700_000, 2_000_000, 300_000],
    "channel": [14, 15, 16, 15, 14, 16],
    "volume": [5000, 4000, 3000, 2000, None, 1000],
    "eligible": [True, True, True, True, False, True],
}


def upstate_world(participants: tuple[int, ...] | None = None):
    """The six stations above, their home channels and packing interference-free."""
    import pandas as pd

    from auctool.worlds.world import World

    data = data_from(
        {s: UPSTATE_CHANNELS for s in UPSTATE_TABLE["station"]}, UPSTATE_PAIRS, "upstate"
    )
    packing = {1: 14, 2: 15, 3: 16, 4: 14, 5: 14, 6: 16}
    return World(
        data, pd.DataFrame(UPSTATE_TABLE), {"command": "made by hand"}, packing, participants
    )


def as_from_a_terminal() -> None:
    """``preexec_fn`` for a command a test interrupts: Ctrl-C at its default, as typed.

    A shell running the suite in the background (``make test &``, some CI runners) hands its
    children SIGINT ignored, and Python then installs no KeyboardInterrupt handler: the
    command would rightly ignore the test's Ctrl-C. The test is about the command's own
    handling, so it must not depend on how pytest was started.
    """
    signal.signal(signal.SIGINT, signal.SIG_DFL)
