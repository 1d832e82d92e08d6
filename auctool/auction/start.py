"""The auction's start: a packing of every station that does not bid, found without luck.

Before round 1 the stations that stay on air whatever happens (the non-participants)
must fit in the band together. On a national world that is ~1,100-1,200 stations in
UHF 14-36: one SAT solve of the whole band (658,615 clauses) is hopeless within minutes
for CDCL solvers, yet the problem is easy for the right method. In order:

1. a known packing (``--initial-assignment``, e.g. the real post-auction channels, or the
   world's own ``packing.csv``) seeds the search: when it covers every station it is
   simply verified;
2. clique bounds: a clique of stations that needs more channels than the band has
   proves the packing impossible at once (about a second on a national band);
3. tabu local search from the known channels, the rest on their home channels where
   those are in the band (home channels were interference-free, so they are a good
   start): measured ~0.4 s on the realistic national world. When it cannot reach zero
   conflicts, its best state packs all but a few stations (one of each conflicting pair);
   a DSatur colouring is tried as the other start and the better one kept;
4. those few are inserted one at a time by the checker, as the auction itself would ask
   ("the band plus this station").

A station that cannot be inserted (or, in 2, the clique members most willing to sell)
is an *obstacle*. With ``packable`` participation it is made to bid (its value redrawn below its opening price: the pop-value model conditioned
on bidding); otherwise the start fails, naming the obstacles and, where the clique bound
finds one, the stations that prove the packing impossible.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from auctool.auction.market import Market
from auctool.auction.values import pop_values_below
from auctool.check.result import Answer
from auctool.errors import InputError, RunError
from auctool.model import ConstraintData, Problem
from auctool.model.verify import violations

#: Seconds the start may take by default (whatever the per-check cutoff).
START_SECONDS = 60.0


@dataclass(frozen=True)
class StartReport:
    """How the start packing was found."""

    stations: int  # non-bidders packed
    seeded: int  # of them, with a channel from the initial assignment
    method: str
    seconds: float
    made_to_bid: tuple[int, ...] = ()  # packable participation: non-bidders turned bidders

    def to_json(self) -> dict[str, Any]:
        out = dataclasses.asdict(self)
        out["seconds"] = round(self.seconds, 3)
        out["made_to_bid"] = list(self.made_to_bid)
        return out


class StartError(RunError):
    """The non-bidders could not be packed: the message names the obstacles; ``problem``
    is the packing question and ``answer`` what the start established (UNSAT with a
    clique proof, else TIMEOUT), so a recording can keep it."""

    def __init__(self, message: str, problem: Problem, answer: Answer, seconds: float):
        super().__init__(message)
        self.problem = problem
        self.answer = answer
        self.seconds = seconds


@dataclass(frozen=True, eq=False)
class Start:
    market: Market  # the market the auction runs on (participation may have changed)
    packing: dict[int, int]  # a verified packing of its non-bidders
    report: StartReport


def read_initial_assignment(
    path: str | Path, market: Market, data: ConstraintData
) -> dict[int, int]:
    """A known packing for the start, validated against the world and the band.

    Either TVStudy's ``post_auction_parameters.csv`` (FacID, Ch) or ``station,channel``.
    Errors name the file, the line and the station: a station the world lacks, a channel
    outside its domain, a UHF channel above the band, or two given stations that
    interfere. Entries the UHF market cannot use (VHF homes, a UHF station placed in VHF
    after moving band) are left out.
    """
    from auctool.worlds.tables import read_assignment

    path = Path(path)
    table = read_assignment(path)
    lines = _line_numbers(path, table.index)
    top = max(max(market.plan.channels(market.home)), 14)
    position = market.position
    out: dict[int, int] = {}
    for station, channel in table.items():
        s, c = int(station), int(channel)
        line = lines.get(s)
        if s not in data.domains:
            raise InputError(f"station {s} is not in the world", path, line)
        if c not in data.domains[s]:
            raise InputError(f"channel {c} is not in station {s}'s domain", path, line)
        i = position.get(s)
        if i is None or c < 14:
            continue
        if c > top:
            raise InputError(f"station {s}: channel {c} is outside the band 14-{top}", path, line)
        out[s] = c
    bad = violations(out, Problem({s: (c,) for s, c in out.items()}), data, limit=1)
    if bad:
        pair = bad[0]
        first = min(pair.stations, key=lambda s: lines.get(s, 0))
        raise InputError(f"not a feasible packing: {pair.message}", path, lines.get(first))
    return out


def _line_numbers(path: Path, stations) -> dict[int, int]:
    """The file line of each station's first row (for error messages)."""
    wanted = {int(s) for s in stations}
    found: dict[int, int] = {}
    with path.open(encoding="utf-8-sig", errors="replace") as fh:
        header = fh.readline().lower().split(",")
        col = next((k for k, h in enumerate(header) if h.strip() in ("facid", "station")), 0)
        for number, line in enumerate(fh, start=2):
            cells = line.split(",")
            try:
                s = int(cells[col])
            except (ValueError, IndexError):
                continue
            if s in wanted and s not in found:
                found[s] = number
    return found


def _band(market: Market) -> dict[int, tuple[int, ...]]:
    stay = np.flatnonzero(~market.participates)
    return {int(market.ids[i]): market.domains[i] for i in stay}


def _pack_most(market: Market, band, previous, data, deadline: float, share: float):
    """Tabu search from ``previous``: the packing of all but a few stations, and those few
    (one station of every conflicting pair left, the one most willing to sell first)."""
    from auctool.check.methods.localsearch import fewest_conflicts

    seconds = min(15.0, share * max(deadline - time.monotonic(), 0.0))
    problem = Problem(band, {s: c for s, c in previous.items() if c in band.get(s, ())})
    assignment, pairs = fewest_conflicts(problem, data, time.monotonic() + seconds)
    ratio = market.value / np.maximum(market.opening, 1)
    cover: list[int] = []
    left = list(pairs)
    while left:
        count: dict[int, int] = {}
        for a, b in left:
            count[a] = count.get(a, 0) + 1
            count[b] = count.get(b, 0) + 1
        pick = max(count, key=lambda s: (count[s], -ratio[market.position[s]], s))
        cover.append(pick)
        left = [p for p in left if pick not in p]
    for s in cover:
        assignment.pop(s)
    return assignment, cover


def find_start(
    market: Market,
    data: ConstraintData,
    initial: Mapping[int, int] | None = None,
    seconds: float = START_SECONDS,
    packable: bool = False,
    seed: int = 0,
    checker: Any = None,
) -> Start:
    """A verified packing of the market's non-bidders (see the module doc)."""
    from auctool.worlds.homes import greedy_channels

    start = time.perf_counter()
    deadline = time.monotonic() + seconds
    band = _band(market)
    empty = [s for s, d in band.items() if not d]
    if empty and not packable:
        raise StartError(
            f"station {empty[0]} does not bid but has no channel in {market.band_label}"
            + (f" ({len(empty)} such stations)" if len(empty) > 1 else "")
            + f": the clearing target of {market.plan.clearing_target_mhz} MHz cannot be met",
            Problem(band),
            Answer.UNSAT,
            time.perf_counter() - start,
        )
    given = {s: c for s, c in (initial or {}).items() if s in band and c in band[s]}
    home = {
        int(market.ids[i]): int(market.home_channel[i])
        for i in np.flatnonzero(~market.participates)
        if market.home_channel[i] in market.domains[i]
    }
    previous = {**home, **given}
    method = "initial assignment"
    packing: dict[int, int] = dict(given)
    cover: list[int] = []
    made: list[int] = list(empty)
    if len(given) < len(band):
        # cheap proofs first: a clique too big for the band fails at once (or, packable,
        # the members most willing to sell are made to bid until none is left)
        broken = _break_cliques(market, band, data, deadline, packable, made)
        if broken is not None and not packable:
            message = _obstacle_message(market, band, list(broken.stations), broken)
            problem = Problem(band, {s: c for s, c in previous.items() if c in band[s]})
            raise StartError.suggesting(message, problem, Answer.UNSAT, time.perf_counter() - start)
        band = {s: d for s, d in band.items() if s not in made}
        method = (
            "local search from the initial assignment"
            if given
            else "local search from home channels"
        )
        packing, cover = _pack_most(market, band, previous, data, deadline, 0.3)
        if cover:
            placed = greedy_channels(data.subset(band), band, np.random.default_rng(seed))
            other, other_cover = _pack_most(market, band, placed, data, deadline, 0.3)
            if len(other_cover) < len(cover):
                packing, cover = other, other_cover
                method = "DSatur colouring + local search"
    obstacles: list[int] = []
    if cover:
        method += " + insertion by the checker"
        packing, obstacles = _insert(market, band, packing, cover, data, deadline, checker)
    if obstacles and not packable:
        proof = _clique(band, data, 5.0, [s for s in obstacles if band.get(s)])
        message = _obstacle_message(market, band, obstacles, proof)
        problem = Problem(band, {s: c for s, c in previous.items() if c in band.get(s, ())})
        answer = Answer.TIMEOUT if proof is None else Answer.UNSAT  # a clique proves it impossible
        raise StartError.suggesting(message, problem, answer, time.perf_counter() - start)
    made += obstacles
    if made:
        market = _make_bid(market, made, seed)
        band = _band(market)
    bad = violations(packing, Problem(band), data, limit=1)
    if bad or set(packing) != set(band):
        raise RunError(
            "internal error: the start packing does not verify "
            f"({bad[0].message if bad else 'incomplete'})"
        )
    report = StartReport(
        stations=len(band),
        seeded=sum(1 for s in band if s in given),
        method=method,
        seconds=time.perf_counter() - start,
        made_to_bid=tuple(sorted(made)),
    )
    return Start(market, packing, report)


def _break_cliques(market: Market, band, data, deadline: float, packable: bool, made: list[int]):
    """Clique proofs on the band; packable: make bid, from each clique, the members most
    willing to sell (lowest value for their opening price) until no proof is found, and
    return None. Otherwise: the first proof (or None)."""
    ratio = market.value / np.maximum(market.opening, 1)
    live = {s: d for s, d in band.items() if d and s not in made}
    while time.monotonic() < deadline:
        proof = _clique(live, data, min(5.0, max(deadline - time.monotonic(), 0.1)))
        if proof is None:
            return None
        if not packable:
            return proof
        excess = max(1, len(proof.stations) - proof.channels)
        willing = sorted(proof.stations, key=lambda s: ratio[market.position[s]])[:excess]
        made.extend(willing)
        for s in willing:
            live.pop(s, None)
    return None


def _clique(band, data: ConstraintData, seconds: float, seeds: list[int] | None = None):
    """A clique proof that the band cannot be packed (seeded at its most connected
    stations), or None."""
    from auctool.check.budget import Budget
    from auctool.check.methods.clique import clique_proof
    from auctool.check.methods.reductions import ProblemView

    live = {s: d for s, d in band.items() if d}
    if seeds is None:
        degree = data.interference.degree
        seeds = sorted(live, key=lambda s: -degree.get(s, 0))[:50]
    return clique_proof(ProblemView(data, live), seeds, Budget.of(max(seconds, 0.1)))


def _insert(market, band, packing, todo, data, deadline, checker):
    """Add the ``todo`` stations back one by one with the checker (each question "the
    packing plus this station", as the auction asks, 1 s each); those it cannot fit (UNSAT,
    or no answer) are the obstacles. The ones most likely to stay out (highest value for
    their opening price) go first."""
    from auctool.check import Checker

    own = checker is None
    checker = checker or Checker(data)
    ratio = market.value / np.maximum(market.opening, 1)
    position = market.position
    packing = dict(packing)
    obstacles: list[int] = []
    try:
        for s in sorted(todo, key=lambda s: -ratio[position[s]]):
            left = deadline - time.monotonic()
            if left <= 0.05:
                obstacles.append(s)
                continue
            problem = Problem({**{t: band[t] for t in packing}, s: band[s]}, packing)
            result = checker.check(problem, cutoff=min(left, 1.0))
            if result.assignment is not None:
                packing = dict(result.assignment)
            else:
                obstacles.append(s)
    finally:
        if own:
            checker.close()
    return packing, obstacles


def _make_bid(market: Market, stations: list[int], seed: int) -> Market:
    """The market with these non-bidders bidding, at values drawn below their opening prices."""
    idx = np.array([market.position[s] for s in stations], dtype=np.int64)
    bids = market.participates.copy()
    bids[idx] = True
    value = market.value.copy()
    value[idx] = pop_values_below(stations, market.population[idx], market.opening[idx], seed)
    notes = {**market.notes, "made_to_bid": len(stations)}
    return dataclasses.replace(market, participates=bids, value=value, notes=notes)


def _obstacle_message(market: Market, band, obstacles: list[int], proof) -> str:
    """What stands in the way: the obstacles and the clique proof when there is one (a
    template naming the settings that may help: ``AuctoolError.suggesting``)."""
    shown = ", ".join(str(s) for s in obstacles[:8]) + (" ..." if len(obstacles) > 8 else "")
    why = (
        f"{proof.describe()}: stations {', '.join(map(str, proof.stations))}"
        if proof is not None
        else "no packing found in the time allowed"
    )
    said = (
        f"the {len(band)} stations that do not bid cannot be packed into {market.band_label}: "
        f"{len(obstacles)} of them could not be placed ({shown}); {why}."
    )
    return (
        said.replace("{", "{{").replace("}", "}}") + " Try "
        "{participation} packable, {initial_assignment}, another {clearing_target} or other "
        "values"
    )
