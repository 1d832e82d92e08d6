"""The checker: answers one feasibility question under a cutoff, with a verified witness.

``Checker(data, config).check(problem, cutoff)`` runs the configured pipeline and
returns a :class:`CheckResult`. Whatever component finds a SAT answer, the witness goes
through :func:`auctool.model.verify.violations` before it is returned; a witness that
fails is a bug and raises :class:`RunError` rather than being reported.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping

from auctool.check.config import CheckerConfig
from auctool.check.encoding import encode
from auctool.check.result import Answer, CheckResult, Stage
from auctool.check.solvers import solve_once
from auctool.errors import InputError, RunError
from auctool.model.constraints import ConstraintData
from auctool.model.problem import Problem
from auctool.model.verify import violations


def ordered_domains(
    problem: Problem, data: ConstraintData, order: str
) -> dict[int, tuple[int, ...]]:
    """The problem's domains in the variable order the configuration asks for."""
    stations = list(problem.domains)
    if order == "degree":
        degree = data.interference.degree
        stations.sort(key=lambda s: (-degree.get(s, 0), s))
    elif order == "domain":
        stations.sort(key=lambda s: (len(problem.domains[s]), s))
    return {s: problem.domains[s] for s in stations}


class Checker:
    """Feasibility checks against one constraint data set with one configuration."""

    def __init__(self, data: ConstraintData, config: CheckerConfig | None = None):
        self.data = data
        self.config = config or CheckerConfig()

    def close(self) -> None:
        """Free solvers and worker processes (a no-op for the plain pipeline)."""

    def __enter__(self) -> Checker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---------------------------------------------------------------------------------
    def prepare(self, problem: Problem) -> tuple[Problem, list[str]]:
        """Intersect the problem's domains with the data's (SATFC does the same), or fail."""
        try:
            return problem.against(self.data)
        except KeyError as exc:
            missing = exc.args[0]
            more = f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""
            raise InputError(
                f"station {missing[0]}{more} is not in the constraint data's Domain.csv "
                f"({self.data.source or self.data.name})",
                problem.name or None,
            ) from None

    def check(
        self, problem: Problem, cutoff: float | None = None, instance: str = ""
    ) -> CheckResult:
        """Answer SAT (with a verified assignment), UNSAT or TIMEOUT within ``cutoff`` seconds."""
        if cutoff is not None and (not math.isfinite(cutoff) or cutoff <= 0):
            raise InputError(f"cutoff must be a positive number of seconds, got {cutoff}")
        start = time.monotonic()
        deadline = start + cutoff if cutoff is not None else math.inf
        prepared, warnings = self.prepare(problem)
        stages: list[Stage] = []
        answer, assignment, solved_by = self._solve(prepared, deadline, stages)
        if assignment is not None:
            self._verify(assignment, prepared, solved_by)
        return CheckResult(
            answer=answer,
            seconds=time.monotonic() - start,
            assignment=assignment,
            solved_by=solved_by,
            stages=tuple(stages),
            instance=instance or problem.name,
            warnings=tuple(warnings),
        )

    def _solve(
        self, problem: Problem, deadline: float, stages: list[Stage]
    ) -> tuple[Answer, dict[int, int] | None, str | None]:
        t0 = time.monotonic()
        empty = [s for s, d in problem.domains.items() if not d]
        if empty:
            stages.append(Stage("trivial", time.monotonic() - t0, "UNSAT"))
            return Answer.UNSAT, None, "trivial:empty-domain"
        if not problem.domains:
            stages.append(Stage("trivial", time.monotonic() - t0, "SAT"))
            return Answer.SAT, {}, "trivial:no-stations"
        cfg = self.config
        enc = encode(ordered_domains(problem, self.data, cfg.order), self.data, cfg.encoding)
        clauses = enc.clauses()
        stages.append(
            Stage("encode", time.monotonic() - t0, f"{enc.nvars} vars, {len(clauses)} clauses")
        )
        t1 = time.monotonic()
        outcome = solve_once(cfg.solver, clauses, deadline, phases=enc.phases(problem.previous))
        name = f"solver:{cfg.solver}"
        if outcome.status is None:
            stages.append(Stage(name, time.monotonic() - t1, "unknown"))
            return Answer.TIMEOUT, None, None
        stages.append(Stage(name, time.monotonic() - t1, "SAT" if outcome.status else "UNSAT"))
        if not outcome.status:
            return Answer.UNSAT, None, name
        assert outcome.model is not None
        return Answer.SAT, enc.decode(outcome.model), name

    def _verify(
        self, assignment: Mapping[int, int], problem: Problem, solved_by: str | None
    ) -> None:
        bad = violations(assignment, problem, self.data, limit=3)
        if bad:
            raise RunError(
                f"internal error: {solved_by} produced an invalid witness ({bad[0].message}); "
                "the answer was not reported"
            )
