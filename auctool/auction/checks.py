"""Sending the auction's questions to a checker: cutoff, timing, the per-check log, recording.

The auction engine knows nothing of checkers; :class:`CheckingAsker` is the ``ask``
it is given. It measures the time spent inside ``checker.check`` so the auction's own
overhead (everything else) can be reported.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from typing import Any, Protocol

from auctool.auction.engine import Question
from auctool.check.result import Answer, CheckResult, Component
from auctool.errors import InputError


class SupportsCheck(Protocol):
    def check(self, problem: Any, cutoff: float | None = None, instance: str = "") -> CheckResult:
        """Answer one feasibility problem."""
        ...


class SupportsParallelCheck(Protocol):
    workers: int

    def shares(self, n: int) -> int:
        """How many processes a batch of ``n`` questions is split over."""
        ...

    def check(
        self,
        checker: Any,
        problems: Sequence[Any],
        stations: Sequence[int],
        cutoffs: Sequence[float],
        names: Sequence[str],
    ) -> list[CheckResult]:
        """Problems about one band (each plus ``stations[x]``), checked in order."""
        ...


@dataclass(frozen=True)
class CheckRecord:
    """One line of the per-check log."""

    seq: int
    round: int
    kind: str
    station: int | None
    stations: int  # stations in the problem
    answer: Answer
    seconds: float  # as the checker reports it
    solved_by: Component | None
    instance: str
    core: int | None = None  # UNSAT: stations in the core it stored (None: none stored)
    stage: int = 1  # the auction's stage (Auction 1001 ran four, one per clearing target)
    cutoff: float | None = None  # the cutoff of the last attempt (escalated ones: larger)
    escalations: int = 0  # attempts after the first timed out (doubling cutoffs)
    held: bool = False  # asked again: the station's last question had timed out

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["answer"] = self.answer.value
        out["seconds"] = round(self.seconds, 6)
        return out


class Recorder(Protocol):
    def add(self, question: Question, record: CheckRecord) -> None:
        """Keep the problem and its answer."""
        ...


def instance_name(seed: int, seq: int, question: Question) -> str:
    """A name unique across the auctions of a recording (seed first, so sets can merge)."""
    who = f"-{question.station}" if question.station is not None else ""
    return f"s{seed}-{seq:06d}-r{question.round:03d}-{question.kind}{who}"


@dataclass(frozen=True)
class Escalation:
    """A timed-out question is asked again at doubling cutoffs up to ``max_cutoff``
    (the cutoff itself: not at all), and a held one (hold / revisit) asked again in a
    later round, while the round's ``round_budget`` seconds of such re-asking last;
    then a held question is declined (its TIMEOUT stands, the station stays held).
    Without the budget a national auction's ~200 held stations would each cost a
    cutoff or more every round."""

    max_cutoff: float
    round_budget: float
    in_cutoffs: bool = False  # charge the budget the cutoffs given (work mode), not the wall

    def __post_init__(self) -> None:
        if not (math.isfinite(self.max_cutoff) and self.max_cutoff > 0):
            raise InputError.of_setting(
                "max_cutoff", f"must be a positive number of seconds, got {self.max_cutoff:g}"
            )
        if not (math.isfinite(self.round_budget) and self.round_budget > 0):
            raise InputError.of_setting(
                "round_budget", f"must be a positive number of seconds, got {self.round_budget:g}"
            )


class CheckingAsker:
    """The ``ask`` of an auction: every question through ``checker`` with ``cutoff``."""

    def __init__(
        self,
        checker: SupportsCheck,
        cutoff: float,
        seed: int = 0,
        recorder: Recorder | None = None,
        stage: int = 1,
        first_seq: int = 0,
        escalation: Escalation | None = None,
        workers: SupportsParallelCheck | None = None,
    ):
        """``first_seq``: the checks earlier stages asked (instance names stay unique);
        ``escalation``: a timed-out question is asked again at doubling cutoffs;
        ``workers``: run a batch's attempts on several processes (see :meth:`many`)."""
        self.checker = checker
        self.workers = workers
        self.cutoff = cutoff
        self.escalation = escalation
        self._round: tuple[int, int] = (-1, -1)  # (stage, round) the budget below is of
        self._left = 0.0  # escalation seconds left in this round
        self.escalation_wall = 0.0  # seconds spent in escalated attempts
        self.declined = 0  # held questions not asked again: their round's budget was spent
        self.seed = seed
        self.recorder = recorder
        self.stage = stage
        self.first_seq = first_seq
        self.log: list[CheckRecord] = []
        self.check_wall = 0.0  # seconds inside checker.check
        self.record_wall = 0.0  # seconds writing the recording

    def __call__(self, question: Question) -> CheckResult | None:
        if self._declines(question):
            return None
        budgeted = question.held and self.escalation is not None
        name = instance_name(self.seed, self.first_seq + len(self.log), question)
        start = time.perf_counter()
        cutoff = question.problem.cutoff or self.cutoff
        result = self.checker.check(question.problem, cutoff, instance=name)
        if budgeted:
            self._charge(cutoff, time.perf_counter() - start)
        seconds, escalations = result.seconds, 0
        for longer in self._longer(question, cutoff, result):
            began = time.perf_counter()
            result = self.checker.check(question.problem, longer, instance=name)
            spent = time.perf_counter() - began
            self._charge(longer, spent)
            self.escalation_wall += spent
            seconds += result.seconds
            escalations += 1
            cutoff = longer
            if result.answer is not Answer.TIMEOUT:
                break
        self.check_wall += time.perf_counter() - start
        self._log(question, result, seconds, cutoff, escalations, name)
        return result

    def many(self, questions: list[Question]) -> list[CheckResult | None]:
        """Questions about one band, answered and logged in order: one by one, or with
        ``workers`` each pass in parallel (first attempts, then every TIMEOUT still
        pending at the next doubled cutoff, as the UBC simulator's first-to-finish
        processing), the re-asking budget charged each pass's longest path (its cutoff
        times the attempts per process in work mode, its wall otherwise)."""
        if self.workers is None or self.workers.shares(len(questions)) < 2:
            return [self(q) for q in questions]
        start = time.perf_counter()
        asked = [k for k, q in enumerate(questions) if not self._declines(q, charge=True)]
        first = self.first_seq + len(self.log)
        names = {k: instance_name(self.seed, first + n, questions[k]) for n, k in enumerate(asked)}
        cutoffs = {k: questions[k].problem.cutoff or self.cutoff for k in asked}
        results = dict(zip(asked, self._pass(questions, asked, cutoffs, names), strict=True))
        seconds = {k: r.seconds for k, r in results.items()}
        escalations = dict.fromkeys(asked, 0)
        pending = [k for k in asked if self._escalates(questions[k], results[k])]
        while pending:  # every question still pending has had the same cutoffs
            assert self.escalation is not None
            self._enter(questions[pending[0]])
            longer = min(2 * cutoffs[pending[0]], self.escalation.max_cutoff, self._left)
            if self._left <= 0 or longer <= cutoffs[pending[0]]:
                break
            workers = self.workers.workers
            pending = pending[: workers * max(1, int(self._left // longer))]  # what fits
            began = time.perf_counter()
            again = self._pass(questions, pending, dict.fromkeys(pending, longer), names)
            spent = time.perf_counter() - began
            self.escalation_wall += spent
            rounds = -(-len(pending) // workers)
            self._left -= longer * rounds if self.escalation.in_cutoffs else spent
            for k, result in zip(pending, again, strict=True):
                results[k], cutoffs[k] = result, longer
                seconds[k] += result.seconds
                escalations[k] += 1
            pending = [k for k in pending if results[k].answer is Answer.TIMEOUT]
        self.check_wall += time.perf_counter() - start
        for k in asked:
            self._log(questions[k], results[k], seconds[k], cutoffs[k], escalations[k], names[k])
        return [results.get(k) for k in range(len(questions))]

    def _pass(
        self,
        questions: list[Question],
        ks: list[int],
        cutoffs: dict[int, float],
        names: dict[int, str],
    ) -> list[CheckResult]:
        """One attempt at each of questions ``ks`` on the workers' processes; this
        process's checker keeps what the others found."""
        assert self.workers is not None
        checker = self.checker
        problems = [questions[k].problem for k in ks]
        stations = [questions[k].station for k in ks]
        if any(s is None for s in stations):  # the initial packing is never in a batch
            raise ValueError("a batch question is about one station")
        results = self.workers.check(
            checker, problems, stations, [cutoffs[k] for k in ks], [names[k] for k in ks]
        )
        learn = getattr(checker, "learn", None)
        if learn is not None:
            for problem, result in zip(problems, results, strict=True):
                learn(problem, result)
        return results

    def _escalates(self, question: Question, first: CheckResult) -> bool:
        return (
            self.escalation is not None
            and first.answer is Answer.TIMEOUT
            and question.kind != "initial"
        )

    def _declines(self, question: Question, charge: bool = False) -> bool:
        """A held question (a re-ask: on the round's budget) when the budget is spent;
        ``charge``: take its first attempt's cutoff off the budget now (a parallel pass
        charges before it runs)."""
        if not (question.held and self.escalation is not None):
            return False
        self._enter(question)
        if self._left <= 0:
            self.declined += 1
            return True
        if charge:
            self._left -= question.problem.cutoff or self.cutoff
        return False

    def _log(
        self,
        question: Question,
        result: CheckResult,
        seconds: float,
        cutoff: float,
        ups: int,
        name: str,
    ) -> None:
        """The question's record (its instance ``name`` carries the record's number)."""
        record = CheckRecord(
            seq=self.first_seq + len(self.log),
            round=question.round,
            kind=question.kind,
            station=question.station,
            stations=len(question.problem),
            answer=result.answer,
            seconds=seconds,
            solved_by=result.solved_by,
            instance=name,
            core=result.stats.get("core_stations"),
            stage=self.stage,
            cutoff=cutoff,
            escalations=ups,
            held=question.held,
        )
        self.log.append(record)
        if self.recorder is not None:
            start = time.perf_counter()
            self.recorder.add(question, record)
            self.record_wall += time.perf_counter() - start

    def _longer(self, question: Question, cutoff: float, first: CheckResult) -> Iterator[float]:
        """The cutoffs a timed-out question is asked again at: doubling up to the
        escalation's most, while this round's escalation budget lasts (none for the one
        big initial packing, which has its own cutoff)."""
        esc = self.escalation
        if esc is None or not self._escalates(question, first):
            return
        self._enter(question)
        previous = cutoff
        while self._left > 0:
            longer = min(2 * previous, esc.max_cutoff, self._left)
            if longer <= previous:
                return
            yield longer
            previous = longer

    def _enter(self, question: Question) -> None:
        """A new round (of a stage) starts with the whole re-asking budget."""
        here = (self.stage, question.round)
        if here != self._round and self.escalation is not None:
            self._round, self._left = here, self.escalation.round_budget

    def _charge(self, cutoff: float, spent: float) -> None:
        """Take one re-asking attempt off the round's budget: the seconds it took, or in
        work mode (which replays exactly) its cutoff."""
        assert self.escalation is not None
        self._left -= cutoff if self.escalation.in_cutoffs else spent
