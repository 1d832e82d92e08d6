"""Incremental checking: one persistent solver per (constraint data, channel universe).

SATFC builds a fresh CNF for every check. An auction asks thousands of checks against
the same constraint data, each a small change of the last, so we keep one solver that
holds every interference clause once and learns across checks:

- variables x(s, c) for each station seen so far and each channel of its Domain.csv
  domain inside the universe (the band);
- a selector literal per station guards its at-least-one clause: a check assumes the
  selectors of the stations present, and ``-x(s, c)`` for channels outside a station's
  domain in this problem; absent stations' variables stay free (all-false satisfies
  every clause of theirs);
- phases from the previous assignment steer the search to the old packing;
- stations are added lazily (their clauses against every station already there), so
  the solver grows with the auction, never rebuilt.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Iterator, Mapping, Sequence

import numpy as np

from auctool.check.budget import Budget
from auctool.check.solve.solvers import BoundedSolver, SolveOutcome
from auctool.model.constraints import ConstraintData


class IncrementalSolver:
    """A growing CNF over the stations seen so far; ``solve`` answers one problem."""

    def __init__(
        self, data: ConstraintData, universe: frozenset[int], solver: str, amo: bool = True
    ):
        self.data = data
        self.universe = universe
        self.amo = amo
        self.solver = BoundedSolver(solver)
        self.top = 0
        self.selector: dict[int, int] = {}
        self.first_var: dict[int, int] = {}  # station -> its first x variable
        self._starts: list[int] = []  # first variables in the order stations were added
        self._order: list[int] = []  # ... and those stations
        self.channels: dict[int, tuple[int, ...]] = {}  # station -> channels with a variable
        self.var_table = np.zeros((len(data.ids), data.max_channel + 1), dtype=np.int64)
        self.added = np.zeros(len(data.ids), dtype=bool)
        self.checks = 0

    def close(self) -> None:
        self.solver.delete()

    # ---- growing --------------------------------------------------------------------
    #: Stations added per batch; the budget is checked between batches.
    BATCH = 64

    def ensure(self, stations: list[int], budget: Budget | None = None) -> bool:
        """Add the stations not seen before, in batches; False if the budget ran out first.

        Building the formula for a national band takes seconds; done in batches, a check
        that runs out of time stops between two (the stations added so far stay added,
        so the work is never lost) instead of overshooting its cutoff.
        """
        index = self.data.index
        new = [s for s in stations if not self.added[index[s]]]
        for k in range(0, len(new), self.BATCH):
            if budget is not None and budget.expired():
                return False
            self._add(new[k : k + self.BATCH])
        return True

    def _add(self, new: list[int]) -> None:
        index = self.data.index
        clauses: list[list[int]] = []
        new_idx = []
        for s in new:
            i = index[s]
            chans = tuple(c for c in self.data.domains[s] if c in self.universe)
            first = self.top + 1
            self.top += len(chans)
            sel = self.top + 1
            self.top = sel
            self.selector[s] = sel
            self.first_var[s] = first
            self._starts.append(first)
            self._order.append(s)
            self.channels[s] = chans
            xs = list(range(first, first + len(chans)))
            for c, v in zip(chans, xs, strict=True):
                self.var_table[i, c] = v
            clauses.append([-sel, *xs])
            if self.amo:
                clauses += [[-xs[a], -xs[b]] for a in range(len(xs)) for b in range(a + 1, len(xs))]
            self.added[i] = True
            new_idx.append(i)
        # interference between each new station and every station already present
        di = self.data.directed
        idx = np.array(new_idx, dtype=np.int64)
        rows = di.gather(idx)
        src = np.repeat(idx, di.offsets[idx + 1] - di.offsets[idx])
        dst, cs, ct = di.dst[rows], di.cs[rows], di.ct[rows]
        va = self.var_table[src, cs]
        vb = self.var_table[dst, ct]
        is_new_dst = np.isin(dst, idx)
        keep = (va > 0) & (vb > 0) & (~is_new_dst | (src < dst))  # new-new pairs once
        clauses += (-np.stack([va[keep], vb[keep]], axis=1)).tolist()
        self.solver.add_clauses(clauses)

    # ---- solving --------------------------------------------------------------------
    def solve(
        self,
        domains: Mapping[int, tuple[int, ...]],
        previous: Mapping[int, int],
        budget: Budget,
        phases: bool = True,
    ) -> tuple[SolveOutcome, dict[int, int] | None]:
        stations = list(domains)
        self.ensure(stations)  # no-op when the checker already ensured them under its budget
        assumptions = [self.selector[s] for s in stations]
        for s in stations:
            allowed = set(domains[s])
            first = self.first_var[s]
            for k, c in enumerate(self.channels[s]):
                if c not in allowed:
                    assumptions.append(-(first + k))
        if phases and previous:
            lits = []
            for s, c in previous.items():
                if s in self.first_var:
                    first = self.first_var[s]
                    lits += [
                        first + k if ch == c else -(first + k)
                        for k, ch in enumerate(self.channels[s])
                    ]
            self.solver.set_phases(lits)
        self.checks += 1
        out = self.solver.solve(budget.deadline, assumptions, budget.stop, budget.conflicts)
        budget.spend(out.conflicts)
        if not out.status:
            return out, None
        model = out.model
        assignment: dict[int, int] = {}
        for s in stations:
            first = self.first_var[s]
            allowed = set(domains[s])
            for k, c in enumerate(self.channels[s]):
                if model[first + k - 1] > 0 and c in allowed:
                    assignment[s] = c
                    break
        return out, assignment

    def explain(self, core: Sequence[int]) -> tuple[list[int], list[tuple[int, int]]]:
        """A failed-assumption core as stations: those whose selector it holds, and the
        (station, channel) exclusions it used for them.

        Those stations, kept off those channels, are infeasible on their own: a station
        not selected satisfies every clause with all its variables false, so it is never
        needed in a refutation.
        """
        stations: list[int] = []
        excluded: list[tuple[int, int]] = []
        for lit in core:
            var = abs(lit)
            s = self._order[bisect_right(self._starts, var) - 1]
            k = var - self.first_var[s]
            if k == len(self.channels[s]):
                stations.append(s)
            elif lit < 0:
                excluded.append((s, self.channels[s][k]))
        chosen = set(stations)
        return stations, [(s, c) for s, c in excluded if s in chosen]

    @property
    def size(self) -> tuple[int, int]:
        """(stations, variables) held."""
        return len(self.selector), self.top


#: Persistent solvers a checker keeps: one per channel universe, and an auction asks
#: about one band (two when a question spans bands).
CHECKER_SOLVERS = 2
#: Persistent solvers a tuner's worker keeps across trials: SMAC moves between solvers
#: and encodings, and a pool of two rebuilt one on every other trial (15 s of 400 trials'
#: overhead on the bundled set); a national formula is ~0.2 GB.
TUNER_SOLVERS = 6


class SolverPool:
    """Persistent incremental solvers, at most ``size`` of them, least recently used first out.

    A solver depends only on the constraint data, the channel universe, the SAT solver and
    the encoding's at-most-one choice, not on the other knobs; so checkers of different
    configurations (a tuner's trials in one worker) can share one loaded national formula
    instead of paying its ~1 s build per trial, as an auction pays it once.
    """

    def __init__(self, size: int = CHECKER_SOLVERS):
        self.size = size
        self._solvers: OrderedDict[tuple, IncrementalSolver] = OrderedDict()

    def get(
        self, data: ConstraintData, universe: frozenset[int], solver: str, amo: bool
    ) -> IncrementalSolver:
        key = (data.fingerprint, universe, solver, amo)
        found = self._solvers.get(key)
        if found is not None and found.data is data:
            self._solvers.move_to_end(key)
            return found
        if found is not None:  # same fingerprint, another load of the data: rebuild
            self._solvers.pop(key).close()
        made = self._solvers[key] = IncrementalSolver(data, universe, solver, amo=amo)
        while len(self._solvers) > self.size:
            _, old = self._solvers.popitem(last=False)
            old.close()
        return made

    def __len__(self) -> int:
        return len(self._solvers)

    def __iter__(self) -> Iterator[IncrementalSolver]:
        return iter(list(self._solvers.values()))

    def close(self) -> None:
        for solver in self._solvers.values():
            solver.close()
        self._solvers.clear()
