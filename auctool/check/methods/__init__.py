"""The solving methods a check's steps call: cheap reductions, clique bounds, local search,
the neighbourhood re-solve and the complete solver.

Each answers one problem under a budget and knows nothing of the checker that calls it
(``auctool.check.steps`` wraps them, ``auctool.check.schedule`` orders them).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from auctool._lazy import attach

if TYPE_CHECKING:
    from auctool.check.methods.clique import CliqueProof, clique_proof
    from auctool.check.methods.complete import solve_decomposed, solve_incremental
    from auctool.check.methods.localsearch import local_search
    from auctool.check.methods.neighbourhood import NeighbourhoodOutcome, neighbourhood_solve
    from auctool.check.methods.reductions import ProblemView, greedy_extend

__all__ = [
    "CliqueProof",
    "NeighbourhoodOutcome",
    "ProblemView",
    "clique_proof",
    "greedy_extend",
    "local_search",
    "neighbourhood_solve",
    "solve_decomposed",
    "solve_incremental",
]

__getattr__, __dir__ = attach(
    __name__,
    {
        "CliqueProof": "auctool.check.methods.clique",
        "clique_proof": "auctool.check.methods.clique",
        "solve_decomposed": "auctool.check.methods.complete",
        "solve_incremental": "auctool.check.methods.complete",
        "local_search": "auctool.check.methods.localsearch",
        "NeighbourhoodOutcome": "auctool.check.methods.neighbourhood",
        "neighbourhood_solve": "auctool.check.methods.neighbourhood",
        "ProblemView": "auctool.check.methods.reductions",
        "greedy_extend": "auctool.check.methods.reductions",
    },
)
