"""What a feasibility check returns: the answer, its witness, and the story of how it was found."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Any


class Answer(StrEnum):
    SAT = "SAT"
    UNSAT = "UNSAT"
    TIMEOUT = "TIMEOUT"

    @property
    def conclusive(self) -> bool:
        return self is not Answer.TIMEOUT


@dataclass(frozen=True)
class Stage:
    """One step of the pipeline: what ran, for how long, and what it concluded."""

    name: str
    seconds: float
    outcome: str  # "SAT", "UNSAT", "unknown", "skipped", or a short note ("pruned 12 channels")

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "seconds": round(self.seconds, 6), "outcome": self.outcome}


@dataclass(frozen=True)
class CheckResult:
    """A verified answer. ``assignment`` is set exactly when ``answer`` is SAT."""

    answer: Answer
    seconds: float
    assignment: Mapping[int, int] | None = None
    solved_by: str | None = (
        None  # the component that answered ("solver:cadical195", "cache:sat", ...)
    )
    stages: tuple[Stage, ...] = ()
    instance: str = ""
    warnings: tuple[str, ...] = ()
    cache_hit: str | None = None  # "sat-superset", "unsat-subset", "exact-sat", "exact-unsat"
    stats: Mapping[str, Any] = field(default_factory=dict)
    model: tuple[int, ...] | None = None  # raw CNF checks: the verified model (no stations)
    #: UNSAT: stations that are infeasible by themselves, on this problem's channels (the
    #: clique, cached core, neighbourhood ring or solver core that proved the answer), so
    #: a user can see why; None when the proof names no smaller set (or the answer is not
    #: UNSAT)
    core: tuple[int, ...] | None = None

    def __post_init__(self) -> None:
        has_witness = self.assignment is not None or self.model is not None
        if (self.answer is Answer.SAT) != has_witness:
            raise ValueError("a SAT result needs a witness, and only a SAT result has one")
        if self.core is not None:
            if self.answer is not Answer.UNSAT or not self.core:
                raise ValueError("only an UNSAT result has a core, and a core has stations")
            object.__setattr__(self, "core", tuple(sorted(int(s) for s in self.core)))
        if self.assignment is not None:
            object.__setattr__(
                self, "assignment", MappingProxyType(dict(sorted(self.assignment.items())))
            )
        object.__setattr__(self, "stats", MappingProxyType(dict(self.stats)))

    def __reduce__(self):  # MappingProxyType does not pickle
        state = {f: getattr(self, f) for f in self.__dataclass_fields__}
        if state["assignment"] is not None:
            state["assignment"] = dict(state["assignment"])
        state["stats"] = dict(state["stats"])
        return (_rebuild_result, (state,))

    @property
    def sat(self) -> bool:
        return self.answer is Answer.SAT

    def to_json(self) -> dict[str, Any]:
        """The ``--json`` form: one object per problem (station ids as strings, JSON keys)."""
        out: dict[str, Any] = {
            "instance": self.instance,
            "result": self.answer.value,
            "seconds": round(self.seconds, 6),
            "solved_by": self.solved_by,
        }
        if self.assignment is not None:
            out["assignment"] = {str(s): c for s, c in self.assignment.items()}
        if self.model is not None:
            out["model"] = [lit for lit in self.model if lit > 0]
        out["stages"] = [s.to_json() for s in self.stages]
        if self.core is not None:
            out["core"] = list(self.core)
        if self.cache_hit:
            out["cache_hit"] = self.cache_hit
        if self.stats:
            out["stats"] = dict(self.stats)
        if self.warnings:
            out["warnings"] = list(self.warnings)
        return out


def _rebuild_result(state: dict[str, Any]) -> CheckResult:
    return CheckResult(**state)
