"""The one table of the SAT solvers auctool drives and what each can do, measured, and
clasp's search options as the checker's knobs see them.

Data only (no python-sat or clingo import): the knob table and the command line read it
before any solver loads; :mod:`auctool.check.solve.solvers` builds and bounds the solvers
it names, :mod:`auctool.check.solve.clasp` runs clasp with :func:`clasp_arguments`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class SolverInfo:
    """What one pysat solver can do, measured (``tests/check/solve/test_solvers.py``)."""

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


#: knob -> (clasp option, {choice: value}); the first choice is the default.
CLASP_OPTIONS: dict[str, tuple[str, dict[str, str]]] = {
    "clasp_configuration": (
        "--configuration",
        {c: c for c in ("trendy", "tweety", "frumpy", "crafty", "jumpy", "handy")},
    ),
    "clasp_heuristic": (
        "--heuristic",
        {"berkmin": "Berkmin", "vsids": "Vsids", "vmtf": "Vmtf", "domain": "Domain"},
    ),
    "clasp_restarts": (
        "--restarts",
        {"dynamic": "D,100,0.7", "luby": "L,128", "geometric": "x,100,1.5", "none": "no"},
    ),
    "clasp_deletion": (
        "--deletion",
        {"basic": "basic,75", "sort": "sort,75", "ipsort": "ipSort,75", "ipheap": "ipHeap,75"},
    ),
    "clasp_sign": ("--sign-def", {"asp": "asp", "pos": "pos", "neg": "neg", "rnd": "rnd"}),
}


def clasp_arguments(choices: Mapping[str, str], phases: bool) -> list[str]:
    """clasp's options for the knobs' ``choices`` (``phases``: sign heuristics are read)."""
    args = []
    for knob, (option, values) in CLASP_OPTIONS.items():
        value = values[choices.get(knob, next(iter(values)))]
        if option == "--heuristic" and phases:
            value = "Domain"  # the previous assignment's signs need the domain heuristic
        args.append(f"{option}={value}")
    return args
