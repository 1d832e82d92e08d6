"""Every knob of the checker suite, declared once: type, range, default, parent, help.

From this table come the :class:`~auctool.check.config.configs.CheckerConfig` fields and their
validation, the YAML reader/writer, the ConfigSpace SMAC tunes (``auctool.check.config.space``)
and ``auctool space``, so they can never disagree. :data:`FORBIDDEN` lists the
combinations a configuration may not take, once for all of them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from auctool.check.config.kinds import EncodingKind
from auctool.check.config.solvertable import CLASP_OPTIONS, INCREMENTAL_SOLVERS, SOLVERS


@dataclass(frozen=True)
class Knob:
    """One tunable setting: its type, range, default, and when it is active."""

    name: str
    kind: str  # "cat", "bool", "int", "float"
    default: Any
    help: str
    choices: tuple[Any, ...] = ()
    low: float | None = None
    high: float | None = None
    log: bool = False
    parent: str | None = None  # active only when `parent` takes one of `parent_values`
    parent_values: tuple[Any, ...] = (True,)

    def validate(self, value: Any) -> Any:
        """The value in its canonical Python type, or ValueError saying what is wrong."""
        if hasattr(value, "item"):  # numpy scalars from ConfigSpace samples
            value = value.item()
        if self.kind == "bool":
            if isinstance(value, bool):
                return value
            if isinstance(value, str) and value.lower() in ("true", "false"):
                return value.lower() == "true"
            raise ValueError(f"expected true or false, got {value!r}")
        if self.kind == "cat":
            value = str(value) if not isinstance(value, str) else value
            if value not in self.choices:
                raise ValueError(f"{value!r} is not one of {', '.join(map(str, self.choices))}")
            return value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError(f"expected a number, got {value!r}")
        if self.kind == "int":
            if isinstance(value, float) and not value.is_integer():
                raise ValueError(f"expected a whole number, got {value!r}")
            value = int(value)
        else:
            value = float(value)
            if not math.isfinite(value):
                raise ValueError(f"expected a finite number, got {value!r}")
        assert self.low is not None and self.high is not None
        if not self.low <= value <= self.high:
            raise ValueError(f"{value} is outside {self.low:g}..{self.high:g}")
        return value


#: The race's local side: flips of the whole problem's search before the neighbourhood
#: (``auctool.check.schedule``; here because a knob's help names it).
WHOLE_FLIPS = 30_000

_ALL_SOLVERS = tuple(SOLVERS)
#: Solvers for the neighbourhood sub-problems (Kissat and CaDiCaL run in killable children).
_SMALL_SOLVERS = ("minisat22", "maplesat", "mergesat3", "minicard", "kissat404", "cadical195")
#: The knobs whose values are solvers (work mode offers only those with a conflict budget).
SOLVER_KNOBS = ("solver", "neighbourhood_solver", "relaxed_core_solver")

_CLASP_HELP = {
    "clasp_configuration": "clasp: the preset its other options start from",
    "clasp_heuristic": "clasp: decision heuristic (domain is used anyway when phases are on)",
    "clasp_restarts": "clasp: restart policy (dynamic, Luby, geometric, none)",
    "clasp_deletion": "clasp: which learned clauses a reduction deletes",
    "clasp_sign": "clasp: the sign a decision tries first when phases give none",
}

KNOBS: tuple[Knob, ...] = (
    Knob("solver", "cat", "cadical195", "SAT solver for the full problem", choices=_ALL_SOLVERS),
    *(
        Knob(
            name,
            "cat",
            next(iter(values)),
            _CLASP_HELP[name],
            choices=tuple(values),
            parent="solver",
            parent_values=("clasp",),
        )
        for name, (_, values) in CLASP_OPTIONS.items()
    ),
    Knob(
        "encoding",
        "cat",
        "direct",
        "how at-most-one channel per station is encoded",
        choices=tuple(e.value for e in EncodingKind),
    ),
    Knob(
        "order",
        "cat",
        "natural",
        "variable numbering: problem order, most-constrained "
        "stations first, or smallest domains first",
        choices=("natural", "degree", "domain"),
    ),
    Knob("phases", "bool", True, "start the solver's search from the previous assignment"),
    Knob(
        "previous",
        "bool",
        True,
        "presolver: keep the previous assignment, place new stations greedily",
    ),
    Knob(
        "pool",
        "bool",
        False,
        "presolver: when the previous assignment fails, start from the band's recent "
        "packings (earlier questions' witnesses), new stations placed greedily",
        parent="previous",
    ),
    Knob(
        "cache",
        "bool",
        True,
        "containment cache: a SAT superset or UNSAT subset already answered answers at once",
    ),
    Knob(
        "clique",
        "bool",
        True,
        "presolver: UNSAT by counting when a clique of stations "
        "cannot get enough distinct (or non-adjacent) channels",
    ),
    Knob(
        "local_search",
        "bool",
        True,
        "presolver: tabu search repairs the previous assignment (proves SAT only)",
    ),
    Knob(
        "ls_flips",
        "int",
        1_000_000,
        "moves the local search may make",
        low=100,
        high=2_000_000,
        log=True,
        parent="local_search",
    ),
    Knob(
        "ls_noise",
        "float",
        0.1,
        "chance a local-search move is a random one",
        low=0.0,
        high=0.2,
        parent="local_search",
    ),
    Knob(
        "ls_tabu",
        "int",
        8,
        "a channel a station leaves stays tabu for a random 0..ls_tabu steps, plus "
        "ls_tabu_factor steps per station in conflict",
        low=0,
        high=32,
        parent="local_search",
    ),
    Knob(
        "ls_tabu_factor",
        "float",
        0.6,
        "tabu steps added per station in conflict (see ls_tabu)",
        low=0.0,
        high=2.0,
        parent="local_search",
    ),
    Knob(
        "ls_continue",
        "bool",
        False,
        "local search: a question asked again (escalated, held, revisited) continues from "
        "where its last search stopped instead of from the previous assignment",
        parent="local_search",
    ),
    Knob(
        "neighbourhood", "bool", True, "presolver: re-solve only the rings around the new stations"
    ),
    Knob(
        "neighbourhood_rings",
        "int",
        3,
        "most interference rings the neighbourhood grows to",
        low=1,
        high=4,
        parent="neighbourhood",
    ),
    Knob(
        "neighbourhood_share",
        "float",
        0.2,
        "share of the cutoff the neighbourhood may use when the complete solver does not "
        "race beside it",
        low=0.02,
        high=0.6,
        log=True,
        parent="neighbourhood",
    ),
    Knob(
        "neighbourhood_solver",
        "cat",
        "minisat22",
        "solver for the neighbourhood sub-problems",
        choices=_SMALL_SOLVERS,
        parent="neighbourhood",
    ),
    Knob(
        "neighbourhood_ring_seconds",
        "float",
        0.05,
        "seconds the first ring's sub-problem may take (each further ring four times more, "
        "the last what is left): absolute, so a longer cutoff never loses an answer",
        low=0.005,
        high=0.5,
        log=True,
        parent="neighbourhood",
    ),
    Knob(
        "neighbourhood_search_share",
        "float",
        0.95,
        "share of a ring's time its local search may take before the ring's SAT solver "
        "(with local_search on)",
        low=0.1,
        high=1.0,
        parent="neighbourhood",
    ),
    Knob(
        "relaxed_core",
        "bool",
        True,
        "presolver: prove UNSAT on the new stations and their neighbours alone (the rest of "
        "the band removed: a sub-problem, so its UNSAT is the whole's); on the complete "
        "solver's side, before the whole band",
    ),
    Knob(
        "relaxed_core_seconds",
        "float",
        0.25,
        "seconds the relaxed-core proofs may take in all (ring 1, then ring 2)",
        low=0.01,
        high=2.0,
        log=True,
        parent="relaxed_core",
    ),
    Knob(
        "relaxed_core_solver",
        "cat",
        "minisat22",
        "solver for the relaxed-core proofs",
        choices=_SMALL_SOLVERS,
        parent="relaxed_core",
    ),
    Knob(
        "race",
        "bool",
        True,
        "with two cores: the complete solver runs in a second process beside local search "
        "and the neighbourhood, the first answer wins (one core: one after the other)",
    ),
    Knob(
        "race_complete_seconds",
        "float",
        0.35,
        "in a race: seconds of the complete solver before its core also searches the whole "
        f"problem (with more than {WHOLE_FLIPS:,} ls_flips), then the solver again to the end",
        low=0.0,
        high=2.0,
        parent="race",
    ),
    Knob(
        "ac3", "bool", True, "presolver: arc consistency prunes channels; an empty domain is UNSAT"
    ),
    Knob(
        "underconstrained",
        "bool",
        True,
        "drop stations that always keep a free channel, add back greedily",
    ),
    Knob(
        "components", "bool", True, "solve each connected component of the interference graph alone"
    ),
    Knob(
        "incremental",
        "bool",
        True,
        "one persistent solver per constraint data and band, loaded once "
        "(needs an incremental solver)",
    ),
)
KNOB_BY_NAME: dict[str, Knob] = {k.name: k for k in KNOBS}


@dataclass(frozen=True)
class Forbidden:
    """A forbidden combination: ``knob`` = ``value`` together with ``other`` in ``values``."""

    knob: str
    value: Any
    other: str
    values: tuple[Any, ...]
    #: why, for a user (``{value}`` is the other knob's value)
    reason: str

    def applies(self, values: Mapping[str, Any]) -> bool:
        return values.get(self.knob) == self.value and values.get(self.other) in self.values

    def describe(self) -> str:
        """The rule in the words of a YAML file, e.g. for ``auctool space``."""
        return f"{self.knob}: {yaml_word(self.value)} with {self.other}: {', '.join(self.values)}"


INCREMENTAL_ENCODINGS = ("direct", "multivalued")

#: Every forbidden combination, once: :class:`CheckerConfig` refuses them, the
#: ConfigSpace forbids them (``auctool.check.config.space``), ``auctool space`` lists them.
FORBIDDEN: tuple[Forbidden, ...] = (
    Forbidden(
        "incremental",
        True,
        "solver",
        tuple(s for s in SOLVERS if s not in INCREMENTAL_SOLVERS),
        "incremental checking needs a solver that supports it, not {value} "
        "(set incremental: false)",
    ),
    Forbidden(
        "incremental",
        True,
        "encoding",
        tuple(e.value for e in EncodingKind if e.value not in INCREMENTAL_ENCODINGS),
        "incremental checking supports the direct and multivalued encodings, "
        "not {value} (set incremental: false)",
    ),
)


def switched_off(
    knob: Knob | None, values: Mapping[str, Any], given_only: bool = False
) -> Knob | None:
    """The first knob up ``knob``'s parent chain (itself first) whose parent's value in
    ``values`` switches it off, or None (the one walk of the chain: validation, the
    ConfigSpace and the notes on ignored settings all ask it). ``given_only``: a parent
    missing from ``values`` switches nothing off."""
    while knob is not None and knob.parent is not None:
        given = knob.parent in values
        if (given or not given_only) and values.get(knob.parent) not in knob.parent_values:
            return knob
        knob = KNOB_BY_NAME[knob.parent]
    return None


def is_active(knob: Knob, values: Mapping[str, Any]) -> bool:
    return switched_off(knob, values) is None


def forbidden_reason(values: Mapping[str, Any]) -> str | None:
    """Why a combination of knob values is not allowed (None when it is fine)."""
    for rule in FORBIDDEN:
        if rule.applies(values):
            return rule.reason.format(value=values[rule.other])
    return None


def yaml_word(value: Any) -> str:
    """A value as a YAML file spells it (``true``, not ``True``)."""
    return str(value).lower() if isinstance(value, bool) else str(value)
