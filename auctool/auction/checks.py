"""Sending the auction's questions to a checker: cutoff, timing, the per-check log, recording.

The auction engine knows nothing of checkers; :class:`CheckingAsker` is the ``ask``
it is given. It measures the time spent inside ``checker.check`` so the auction's own
overhead (everything else) can be reported.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from typing import Any, Protocol

from auctool.auction.engine import Question
from auctool.check.result import Answer, CheckResult, Component


class SupportsCheck(Protocol):
    def check(self, problem: Any, cutoff: float | None = None, instance: str = "") -> CheckResult:
        """Answer one feasibility problem."""
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
    ):
        """``first_seq``: the checks earlier stages asked (instance names stay unique)."""
        self.checker = checker
        self.cutoff = cutoff
        self.seed = seed
        self.recorder = recorder
        self.stage = stage
        self.first_seq = first_seq
        self.log: list[CheckRecord] = []
        self.check_wall = 0.0  # seconds inside checker.check
        self.record_wall = 0.0  # seconds writing the recording

    def __call__(self, question: Question) -> CheckResult:
        seq = self.first_seq + len(self.log)
        name = instance_name(self.seed, seq, question)
        start = time.perf_counter()
        cutoff = question.problem.cutoff or self.cutoff
        result = self.checker.check(question.problem, cutoff, instance=name)
        self.check_wall += time.perf_counter() - start
        record = CheckRecord(
            seq=seq,
            round=question.round,
            kind=question.kind,
            station=question.station,
            stations=len(question.problem),
            answer=result.answer,
            seconds=result.seconds,
            solved_by=result.solved_by,
            instance=name,
            core=result.stats.get("core_stations"),
            stage=self.stage,
        )
        self.log.append(record)
        if self.recorder is not None:
            start = time.perf_counter()
            self.recorder.add(question, record)
            self.record_wall += time.perf_counter() - start
        return result
