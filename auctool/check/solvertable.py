"""The one table of the SAT solvers auctool drives and what each can do, measured.

Data only (no python-sat import): the knob table and the command line read it before
any solver loads; :mod:`auctool.check.solvers` builds and bounds the solvers it names.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SolverInfo:
    """What one pysat solver can do, measured (``tests/check/test_solvers.py``)."""

    name: str
    method: str  # "interrupt", "process", "clasp"
    pysat: str = ""  # pysat's name when it differs from ours
    assumptions: bool = True
    phases: bool = True
    incremental: bool = True  # clauses may be added between solves, assumptions honoured
    conflict_budget: bool = True  # honours pysat's conf_budget (work mode)

    @property
    def pysat_name(self) -> str:
        return self.pysat or self.name

    @property
    def in_process(self) -> bool:
        """A pysat solver that can be stopped in this process (a :class:`BoundedSolver`)."""
        return self.method == "interrupt"


SOLVERS: dict[str, SolverInfo] = {
    info.name: info
    for info in (
        SolverInfo("minisat22", "interrupt"),
        SolverInfo("minisatgh", "interrupt", pysat="mgh"),
        SolverInfo("minicard", "interrupt"),
        SolverInfo("glucose3", "process"),  # interrupts up to ~0.3 s late
        SolverInfo("gluecard3", "process", incremental=False),  # interrupts up to ~0.3 s late
        SolverInfo("glucose42", "process", incremental=False),  # late interrupts (~0.3 s)
        SolverInfo("glucose4", "process"),  # interrupts up to ~0.3 s late
        SolverInfo("gluecard4", "process", incremental=False),  # interrupts up to ~0.3 s late
        SolverInfo("mergesat3", "interrupt"),
        SolverInfo("maplechrono", "process", incremental=False),  # late interrupts (~0.3-0.8 s)
        SolverInfo("maplecm", "process", incremental=False),  # interrupts up to ~0.1 s late
        SolverInfo("maplesat", "interrupt"),
        # CaDiCaL cannot be interrupted; conflict-budget slices checking the clock bounded it
        # on small formulas but not its pre/inprocessing on large ones (measured 1.4-1.8 s for a 1 s cutoff on
        # 1,000-station incremental formulas): killable child processes only
        SolverInfo("cadical103", "process", phases=False, incremental=False),
        SolverInfo("cadical153", "process"),
        SolverInfo("cadical195", "process"),
        SolverInfo("lingeling", "process", phases=False, incremental=False, conflict_budget=False),
        SolverInfo("kissat404", "process", assumptions=False, phases=False, incremental=False),
        SolverInfo("clasp", "clasp", incremental=False),
    )
}


#: Solvers usable for incremental checking (persistent solver, assumptions, learned clauses kept).
INCREMENTAL_SOLVERS = tuple(n for n, i in SOLVERS.items() if i.incremental and i.method != "clasp")
