"""What a feasibility check returns: the answer, its witness, and the story of how it was found."""

from __future__ import annotations

import re
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


class Family(StrEnum):
    """What kind of component answered a check."""

    TRIVIAL = "trivial"  # an empty domain, no stations
    CACHE = "cache"  # the containment cache (its hit kind as the method)
    PRESOLVE = "presolve"  # previous, clique-*, local-search, neighbourhood..., ac3, ...
    SOLVER = "solver"  # a SAT solver on a fresh formula (its name as the method)
    INCREMENTAL = "incremental"  # a persistent SAT solver (its name as the method)
    PORTFOLIO = "portfolio"  # a portfolio member (its answer's component inside)
    START = "start"  # the auction's start (its clique bound)


_NAME = re.compile(r"(?P<family>[a-z]+)(?:\[(?P<member>\d+)\])?:(?P<rest>.+)")


class Component(str):
    """The component that answered a check, by a stable name: ``family:method`` with an
    optional detail (``presolve:neighbourhood(k=2)``, ``solver:cadical195``,
    ``cache:exact-unsat``, ``portfolio[2]:solver:glucose3``).

    A string (the very names results, recordings and reports have always stored, so
    they stay readable) built only by the constructors here; :meth:`parse` reads one
    back and :meth:`selects` matches it against a user's selector, by family and method
    rather than by string prefix.
    """

    __slots__ = ()

    @classmethod
    def of(cls, family: Family, method: str, detail: str = "") -> Component:
        return cls(f"{family.value}:{method}{f'({detail})' if detail else ''}")

    @classmethod
    def member(cls, k: int, inner: Component) -> Component:
        """Portfolio member ``k`` (from 1) answered with ``inner``."""
        return cls(f"{Family.PORTFOLIO.value}[{k}]:{inner}")

    @classmethod
    def parse(cls, text: str) -> Component:
        """A stored name as a component; ValueError for a name no component has."""
        match = _NAME.fullmatch(text)
        if match is None or match["family"] not in Family.__members__.values():
            raise ValueError(
                f"{text!r} names no component (family:method, families: {', '.join(Family)})"
            )
        if (match["family"] == Family.PORTFOLIO) != (match["member"] is not None):
            raise ValueError(f"{text!r}: only a portfolio member has a [number]")
        if match["member"] is not None:
            cls.parse(match["rest"])
        return cls(text)

    @property
    def family(self) -> Family:
        return Family(_NAME.fullmatch(self)["family"])  # type: ignore[index]

    @property
    def method(self) -> str:
        """``neighbourhood`` of ``presolve:neighbourhood(k=2)``; a portfolio's inner name."""
        rest = _NAME.fullmatch(self)["rest"]  # type: ignore[index]
        return rest if self.family is Family.PORTFOLIO else rest.split("(", 1)[0]

    def selects(self, selector: str) -> bool:
        """Whether a selector, ``family`` or ``family:method`` or a full name, takes this
        component (``cache`` takes every cache hit, ``presolve:neighbourhood`` every
        neighbourhood SAT answer whatever its rings)."""
        family, _, method = selector.partition(":")
        return family == self.family and (
            not method or method in (self.method, self[len(family) + 1 :])
        )

    @staticmethod
    def check_selector(selector: str) -> str:
        """``selector`` if it can select some component, else ValueError saying why."""
        family = selector.partition(":")[0]
        if family not in Family.__members__.values():
            raise ValueError(f"{selector!r} selects no component (families: {', '.join(Family)})")
        return selector


@dataclass(frozen=True)
class Step:
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
    solved_by: Component | None = None  # the component that answered
    #: the steps the check ran (``stages``: the public name, as in ``--json`` and
    #: ``check --stages``)
    stages: tuple[Step, ...] = ()
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
            "answer": self.answer.value,
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
