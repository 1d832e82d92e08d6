"""The descending clock auction itself, round by round (FCC rules as the UBC simulator plays them).

Round 0: the stations that do not bid are packed into the band (one check, seeded with
the start packing ``auctool.auction.start`` found, else their home channels; if it
fails the clearing target is out of reach), then every bidder is checked against
them; a bidder that cannot be packed is frozen at once at its opening price.

Round t >= 1: the base clock drops; active stations are processed in order of their
volume-normalised price cut (ties in a seeded random order). Before lowering a
station's price the auction asks whether the station could still be packed in its
home band together with every station now staying there (non-participants and
stations that exited). No (UNSAT, or TIMEOUT: an unanswered question counts as no):
the station is frozen, wins, and is paid its current price. Yes: if the new price is
below its value the station exits (it keeps broadcasting, and joins the band with the
checker's witness as the new packing); otherwise it stays active at the new price.
After the round every active station is re-checked (the status update). The auction
ends when no station is active.

Stages (Auction 1001 ran four: 126, 114, 108 and 84 MHz): a later stage is a new
auction on the wider band that starts from the previous one's end (``carry``). The
stations that exited stay on air (they join the band at round 0 with the non-bidders,
on the channels they had); the provisionally winning ones bid again, their prices
capped at what they held; the base clock restarts at 900. A station whose capped price
is below the clock's offer is *pending catch-up*: its price stays until the clock
comes down to it (no bid to process, so no question; the status update still checks it).

Frozen stations go off air, so they are not part of the band. A question identical to
one already answered SAT (same station, band unchanged since) is not asked again.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np

from auctool.auction.market import Market
from auctool.auction.outcome import (
    Ask,
    AskMany,
    AuctionOutcome,
    Question,
    RoundRecord,
    Status,
    band_problem,
)
from auctool.auction.rules import (
    OPENING_CLOCK,
    TimeoutRule,
    next_clock,
    offer_rate,
    prices,
    processing_order,
)
from auctool.check.result import Answer, CheckResult
from auctool.errors import RunError
from auctool.model.problem import Problem


class ClockAuction:
    """One auction over a market; every feasibility question goes to ``ask``."""

    def __init__(
        self,
        market: Market,
        ask: Ask,
        seed: int = 0,
        cutoff: float | None = None,
        initial_cutoff: float | None = None,
        start: Mapping[int, int] | None = None,
        stage: int = 1,
        carry: AuctionOutcome | None = None,
        on_timeout: TimeoutRule | str = TimeoutRule.FREEZE,
        ask_many: AskMany | None = None,
    ):
        """``carry``: the previous stage's outcome on the same stations (a later stage);
        ``on_timeout``: what a TIMEOUT does (:class:`~auctool.auction.rules.TimeoutRule`);
        ``ask_many``: asks a batch of questions about one band (default: one by one)."""
        self.market = market
        self.ask_many = ask_many or (lambda questions: [ask(q) for q in questions])
        self.on_timeout = TimeoutRule(on_timeout)
        if carry is not None and start is None:
            start = carry.assignment  # the previous band's packing fits the wider band
        self.start = dict(start) if start is not None else None  # a known non-bidder packing
        self.ask = ask
        self.seed = seed
        self.cutoff = cutoff
        self.initial_cutoff = initial_cutoff or cutoff  # the one big packing may get longer
        n = len(market)
        self.status = np.where(market.participates, Status.ACTIVE, Status.NON_PARTICIPANT).astype(
            np.int8
        )
        self.price = market.opening.copy()
        self.decided = np.full(n, -1, dtype=np.int64)
        self.frozen_by: list[str | None] = [None] * n
        self.sat_version = np.full(n, -1, dtype=np.int64)  # band version of the last SAT
        self.held_version = np.full(n, -1, dtype=np.int64)  # ... of a TIMEOUT held (-1: none)
        self.version = 0  # bumps whenever a station joins the band
        self.band: dict[int, tuple[int, ...]] = {}  # stations in the band -> their channels
        self.assignment: dict[int, int] = {}  # their current channels
        self._band_items: list[tuple[int, tuple[int, ...]]] = []
        self._band_ids: list[int] = []
        self.clock = OPENING_CLOCK
        self._checks = 0
        self._reused: list[tuple[int, int]] = []
        self._last: CheckResult | None = None  # the last question's result
        self.stage = stage
        self.decided_stage = np.full(n, -1, dtype=np.int64)
        self.held_rounds = np.zeros(n, dtype=np.int64)
        if carry is not None:
            self._carry(carry)

    def _carry(self, carry: AuctionOutcome) -> None:
        """Start from the previous stage's end: exited stations stay exited (on air), the
        provisionally winning ones bid again at their prices (never above the opening)."""
        if not np.array_equal(carry.market.ids, self.market.ids):
            raise RunError("internal error: a stage must run on the previous stage's stations")
        exited = carry.status == Status.EXITED
        again = carry.status == Status.FROZEN
        self.status[exited] = Status.EXITED
        self.status[again] = Status.ACTIVE
        self.price = np.minimum(carry.price, self.market.opening)
        self.decided[exited] = carry.decided_round[exited]
        if carry.decided_stage is not None:
            self.decided_stage[exited] = carry.decided_stage[exited]
        if carry.held_rounds is not None:
            self.held_rounds += carry.held_rounds

    # ---- questions ---------------------------------------------------------------------
    def _problem(self, station: int, channels: tuple[int, ...]) -> Problem:
        return band_problem(
            self._band_items,
            self._band_ids,
            station,
            channels,
            self.assignment,
            self.market.interference,
            self.cutoff,
        )

    def _set_band(self, band: dict[int, tuple[int, ...]], assignment: dict[int, int]) -> None:
        self.band = dict(sorted(band.items()))
        self._band_items = list(self.band.items())
        self._band_ids = list(self.band)
        self.assignment = dict(sorted((int(s), int(c)) for s, c in assignment.items()))

    def _reuse(self, i: int, rnd: int) -> None:
        self._reused.append((rnd, int(self.market.ids[i])))

    def _question(self, i: int, rnd: int, kind: str) -> Question:
        station = int(self.market.ids[i])
        problem = self._problem(station, self.market.domains[i])
        return Question(rnd, kind, station, problem, held=bool(self.held_version[i] >= 0))

    def _standing(self, i: int) -> bool:
        """A held TIMEOUT that stands without asking (``revisit``: the band is unchanged)."""
        return self.on_timeout is TimeoutRule.REVISIT and self.held_version[i] == self.version

    def _answer(self, i: int, rnd: int, kind: str) -> Answer:
        """The question's answer: asked, or a held TIMEOUT that stands (see ``_standing``;
        or the round has no time left to ask it again). Records what it learns."""
        if self._standing(i):
            return Answer.TIMEOUT
        return self._learn(i, self.ask(self._question(i, rnd, kind)))

    def _learn(self, i: int, result: CheckResult | None) -> Answer:
        """What an answer (None: declined) tells of station ``i``: recorded, returned."""
        if result is None:  # declined: the station stays held, asked in a later round
            return Answer.TIMEOUT
        self._checks += 1
        self._last = result
        if result.sat:
            self.sat_version[i] = self.version
            self.held_version[i] = -1
        elif result.answer is Answer.TIMEOUT and self.on_timeout is not TimeoutRule.FREEZE:
            self.held_version[i] = self.version  # no price drop, not frozen: asked again
        return result.answer

    def _answers(self, stations: list[int], rnd: int, kind: str) -> list[Answer]:
        """The answers for ``stations`` against the band as it stands, asked as one batch
        (in parallel when the asker can): their answers must not change the band."""
        asked = [i for i in stations if not self._standing(i)]
        results = self.ask_many([self._question(i, rnd, kind) for i in asked])
        learnt = {i: self._learn(i, r) for i, r in zip(asked, results, strict=True)}
        return [learnt.get(i, Answer.TIMEOUT) for i in stations]

    def _holding(self, answer: Answer) -> bool:
        return answer is Answer.TIMEOUT and self.on_timeout is not TimeoutRule.FREEZE

    # ---- transitions -----------------------------------------------------------------
    def _freeze(self, i: int, rnd: int, answer: Answer) -> None:
        self.status[i] = Status.FROZEN
        self.decided[i] = rnd
        self.decided_stage[i] = self.stage
        self.frozen_by[i] = answer.value

    def _exit(self, i: int, rnd: int, result: CheckResult) -> None:
        assert result.assignment is not None
        self.status[i] = Status.EXITED
        self.decided[i] = rnd
        self.decided_stage[i] = self.stage
        self._set_band(
            {**self.band, int(self.market.ids[i]): self.market.domains[i]}, result.assignment
        )
        self.version += 1

    # ---- the auction -------------------------------------------------------------------
    def pack_non_participants(self) -> None:
        m = self.market
        # the non-bidders, and in a later stage the stations that exited in earlier ones
        stay = np.flatnonzero(
            (self.status == Status.NON_PARTICIPANT) | (self.status == Status.EXITED)
        )
        empty = [int(m.ids[i]) for i in stay if not m.domains[i]]
        if empty:
            raise RunError(
                f"station {empty[0]} does not bid but has no channel in {m.band_label}: "
                f"the clearing target of {m.plan.clearing_target_mhz} MHz cannot be met"
            )
        band = {int(m.ids[i]): m.domains[i] for i in stay}
        if not band:
            return
        if self.start is not None:
            previous = {s: c for s, c in self.start.items() if s in band and c in band[s]}
        else:
            previous = {
                int(m.ids[i]): int(m.home_channel[i])
                for i in stay
                if m.home_channel[i] in m.domains[i]
            }
        problem = Problem(band, previous, interference=m.interference, cutoff=self.initial_cutoff)
        self._checks += 1
        result = self.ask(Question(0, "initial", None, problem))
        assert result is not None  # only held questions are declined
        if not result.sat:
            raise RunError(
                f"the {len(band)} stations that do not bid cannot be packed into "
                f"{m.band_label} ({result.answer.value} after {result.seconds:.1f} s): try a "
                "smaller clearing target, a longer (initial) cutoff or other values"
            )
        assert result.assignment is not None
        self._set_band(band, result.assignment)

    def status_update(self, rnd: int) -> None:
        """Re-check every active station against the band as it stands after the round
        (one batch: freezing a station does not change the band).

        Under ``hold`` / ``revisit``, a station whose question times out stays active at
        its price; when every station still active is held so, they all win."""
        feasible = False
        ask = []
        for i in np.flatnonzero(self.status == Status.ACTIVE).tolist():
            if self.sat_version[i] == self.version:
                self._reuse(i, rnd)
                feasible = True
            else:
                ask.append(i)
        for i, answer in zip(ask, self._answers(ask, rnd, "status"), strict=True):
            if answer is Answer.SAT:
                feasible = True
            elif not self._holding(answer):
                self._freeze(i, rnd, answer)
        held = (self.status == Status.ACTIVE) & (self.held_version >= 0)
        self.held_rounds[held] += 1
        active = np.flatnonzero(self.status == Status.ACTIVE)
        if active.size and not feasible:  # only held stations are left: they win
            for i in active.tolist():
                self._freeze(i, rnd, Answer.TIMEOUT)

    def bid_round(self, rnd: int) -> None:
        """Process the round's bids in the FCC's order. Only an exit changes the band, and
        stations that may exit come first (their cut is smaller), so the bids after the
        last of them are all about the same band: they are asked as one batch."""
        m = self.market
        self.clock = next_clock(self.clock)
        act = np.flatnonzero(self.status == Status.ACTIVE)
        old = self.price[act]
        # a price never rises: a later stage's capped prices wait for the clock (catch-up)
        new = np.minimum(prices(m.volume[act], offer_rate(self.clock, m.home)), old)
        value = m.value[act]
        # a station exits when the new price is below its value (never gives its licence away)
        leaving = (new < value) | (new == 0)
        accepted = np.where(leaving, np.minimum(value, old), new)
        cuts = (old - accepted) / m.volume[act]
        tiebreak = np.random.default_rng([self.seed, rnd]).random(len(m))[act]
        order = processing_order(cuts, tiebreak).tolist()
        settled = max((p + 1 for p, k in enumerate(order) if leaving[k]), default=0)
        batch: list[int] = []  # after the last possible exit: (index into act) to ask
        for p, k in enumerate(order):
            i = int(act[k])
            if not leaving[k] and new[k] == old[k]:
                continue  # pending catch-up: no bid to process (the status update checks)
            if not leaving[k] and self.sat_version[i] == self.version:
                self._reuse(i, rnd)
                self.price[i] = new[k]
                continue
            if p >= settled:
                batch.append(k)
                continue
            answer = self._answer(i, rnd, "bid")
            if self._holding(answer):
                continue  # no price drop, no exit: asked again at the status update
            if answer is not Answer.SAT:
                self._freeze(i, rnd, answer)
            elif leaving[k]:
                self._exit(i, rnd, self._last)
            else:
                self.price[i] = new[k]
        stations = [int(act[k]) for k in batch]
        for k, i, answer in zip(batch, stations, self._answers(stations, rnd, "bid"), strict=True):
            if self._holding(answer):
                continue
            if answer is not Answer.SAT:
                self._freeze(i, rnd, answer)
            else:
                self.price[i] = new[k]

    def _record(self, rnd: int, before: tuple[int, int, int, int]) -> RoundRecord:
        frozen = int((self.status == Status.FROZEN).sum())
        exited = int((self.status == Status.EXITED).sum())
        act = self.status == Status.ACTIVE
        offer = prices(self.market.volume[act], offer_rate(self.clock, self.market.home))
        return RoundRecord(
            round=rnd,
            clock=self.clock,
            active=int((self.status == Status.ACTIVE).sum()),
            frozen=frozen,
            exited=exited,
            new_frozen=frozen - before[0],
            new_exited=exited - before[1],
            checks=self._checks - before[2],
            reused=len(self._reused) - before[3],
            pending=int((self.price[act] < offer).sum()),
            frozen_cost=int(self.price[self.status == Status.FROZEN].sum()),
            active_cost=int(self.price[act].sum()),
            stage=self.stage,
            held=int((act & (self.held_version >= 0)).sum()),
        )

    def run(self, on_round: Callable[[RoundRecord], None] | None = None) -> AuctionOutcome:
        rounds: list[RoundRecord] = []
        rnd = 0
        zero_rounds = 0
        while True:
            before = (
                int((self.status == Status.FROZEN).sum()),
                int((self.status == Status.EXITED).sum()),
                self._checks,
                len(self._reused),
            )
            if rnd == 0:
                self.pack_non_participants()
            else:
                self.bid_round(rnd)
            self.status_update(rnd)
            rounds.append(self._record(rnd, before))
            if on_round is not None:
                on_round(rounds[-1])
            if not (self.status == Status.ACTIVE).any():
                break
            if self.clock <= 0:
                if self.on_timeout is TimeoutRule.FREEZE:
                    raise RunError("internal error: stations still active at a zero clock")
                if zero_rounds:  # held through a second round at a zero clock: they win
                    for i in np.flatnonzero(self.status == Status.ACTIVE).tolist():
                        self._freeze(i, rnd, Answer.TIMEOUT)
                    rounds[-1] = self._record(rnd, before)
                    break
                zero_rounds += 1
            rnd += 1
        return AuctionOutcome(
            market=self.market,
            seed=self.seed,
            status=self.status.copy(),
            price=self.price.copy(),
            decided_round=self.decided.copy(),
            frozen_by=tuple(self.frozen_by),
            assignment=dict(self.assignment),
            rounds=tuple(rounds),
            reused=tuple(self._reused),
            stage=self.stage,
            decided_stage=self.decided_stage.copy(),
            held_rounds=self.held_rounds.copy(),
        )
