"""Checker configurations: one table of knobs -> the frozen config, the YAML files, the ConfigSpace.

Every knob of the checker suite is declared once in :data:`KNOBS`. From that table come
the :class:`CheckerConfig` validation, the YAML reader/writer, and the ConfigSpace SMAC
tunes (``auctool.check.space``), so the three can never disagree.
"""

from __future__ import annotations

import dataclasses
import logging
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from auctool._atomic import write_text
from auctool.check import clasp
from auctool.check.encoding import EncodingKind
from auctool.check.solvers import INCREMENTAL_SOLVERS, SOLVERS
from auctool.errors import InputError

log = logging.getLogger(__name__)


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


_ALL_SOLVERS = tuple(SOLVERS)
#: Solvers for the neighbourhood sub-problems (Kissat and CaDiCaL run in killable children).
_SMALL_SOLVERS = ("minisat22", "maplesat", "mergesat3", "minicard", "kissat404", "cadical195")

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
        for name, (_, values) in clasp.OPTIONS.items()
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
        "neighbourhood", "bool", True, "presolver: re-solve only the rings around the new stations"
    ),
    Knob(
        "neighbourhood_rings",
        "int",
        2,
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
        "race",
        "bool",
        True,
        "with two cores: the complete solver runs in a second process beside local search "
        "and the neighbourhood, the first answer wins (one core: one after the other)",
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


def _default(name: str) -> Any:
    """A field's default, read from its knob (the table is the only place it is written)."""
    return KNOB_BY_NAME[name].default


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
        return f"{self.knob}: {_yaml_word(self.value)} with {self.other}: {', '.join(self.values)}"


INCREMENTAL_ENCODINGS = ("direct", "multivalued")

#: Every forbidden combination, once: :class:`CheckerConfig` refuses them, the
#: ConfigSpace forbids them (``auctool.check.space``), ``auctool space`` lists them.
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


@dataclass(frozen=True)
class CheckerConfig:
    """One checker configuration: a value for every knob (inactive ones keep their default).

    The fields are the knobs of :data:`KNOBS`, in its order, with its defaults (checked
    when this module is imported)."""

    solver: str = _default("solver")
    clasp_configuration: str = _default("clasp_configuration")
    clasp_heuristic: str = _default("clasp_heuristic")
    clasp_restarts: str = _default("clasp_restarts")
    clasp_deletion: str = _default("clasp_deletion")
    clasp_sign: str = _default("clasp_sign")
    encoding: str = _default("encoding")
    order: str = _default("order")
    phases: bool = _default("phases")
    previous: bool = _default("previous")
    cache: bool = _default("cache")
    clique: bool = _default("clique")
    local_search: bool = _default("local_search")
    ls_flips: int = _default("ls_flips")
    ls_noise: float = _default("ls_noise")
    neighbourhood: bool = _default("neighbourhood")
    neighbourhood_rings: int = _default("neighbourhood_rings")
    neighbourhood_share: float = _default("neighbourhood_share")
    neighbourhood_solver: str = _default("neighbourhood_solver")
    race: bool = _default("race")
    ac3: bool = _default("ac3")
    underconstrained: bool = _default("underconstrained")
    components: bool = _default("components")
    #: None: on where the solver and encoding can keep a formula (the default's CaDiCaL
    #: can), off where they cannot (the knob's default, True, is the ConfigSpace's); an
    #: explicit True they cannot honour is an error
    incremental: bool | None = None

    def __post_init__(self) -> None:
        if self.incremental is None:
            object.__setattr__(
                self, "incremental", _incremental_allowed(self.solver, self.encoding)
            )
        for f in dataclasses.fields(self):
            object.__setattr__(self, f.name, KNOB_BY_NAME[f.name].validate(getattr(self, f.name)))
        problem = forbidden_reason(self)
        if problem:
            raise ValueError(problem)

    @classmethod
    def off_the_shelf(cls, solver: str = "glucose3") -> CheckerConfig:
        """One plain SAT solver on the direct encoding: no presolver, cache or phases.

        The baseline that benchmarks and the demo compare against (what a newcomer with
        pysat alone would write).
        """
        return cls(
            solver=solver,
            phases=False,
            previous=False,
            cache=False,
            clique=False,
            local_search=False,
            neighbourhood=False,
            ac3=False,
            underconstrained=False,
            components=False,
            incremental=False,
        )

    @property
    def solver_options(self) -> tuple[str, ...]:
        """The full-problem solver's own options (clasp's search knobs; none for pysat's)."""
        if self.solver != "clasp":
            return ()
        return tuple(clasp.arguments(self.to_mapping(), self.phases))

    @property
    def solvers(self) -> tuple[str, ...]:
        """The SAT solvers this configuration may run."""
        return (self.solver, self.neighbourhood_solver) if self.neighbourhood else (self.solver,)

    # ---- conversions -----------------------------------------------------------------
    @classmethod
    def from_mapping(
        cls, values: Mapping[str, Any], source: str | Path | None = None
    ) -> CheckerConfig:
        """Validate a flat mapping of knob -> value; unknown keys and bad values are named."""
        clean: dict[str, Any] = {}
        for key, value in values.items():
            knob = KNOB_BY_NAME.get(str(key))
            if knob is None:
                raise InputError(
                    f"unknown setting {key!r} (known: {', '.join(KNOB_BY_NAME)})", source
                )
            try:
                clean[knob.name] = knob.validate(value)
            except ValueError as exc:
                raise InputError(f"setting {key!r}: {exc}", source) from None
        try:
            return cls(**clean)
        except ValueError as exc:
            raise InputError(str(exc), source) from None

    def to_mapping(self, active_only: bool = True) -> dict[str, Any]:
        values = dataclasses.asdict(self)
        if active_only:
            values = {k: v for k, v in values.items() if is_active(KNOB_BY_NAME[k], values)}
        return values

    def replace(self, **changes: Any) -> CheckerConfig:
        return dataclasses.replace(self, **changes)

    def describe(self) -> str:
        """A short human label, e.g. for report columns."""
        mode = "incremental " if self.incremental else ""
        return f"{mode}{self.solver}/{self.encoding}"


def is_active(knob: Knob, values: Mapping[str, Any]) -> bool:
    if knob.parent is None:
        return True
    parent = KNOB_BY_NAME[knob.parent]
    return is_active(parent, values) and values.get(knob.parent) in knob.parent_values


def ignored_settings(given: Mapping[str, Any], config: CheckerConfig) -> list[str]:
    """The knobs a file sets that ``config`` never reads, each with the switch that
    disables it (``ls_flips: 500`` beside ``local_search: false`` would otherwise be
    accepted in silence, and a tuner's or a user's change would do nothing)."""
    values = dataclasses.asdict(config)
    notes = []
    for key in given:
        knob = KNOB_BY_NAME.get(str(key))
        while knob is not None and knob.parent is not None:
            parent = values.get(knob.parent)
            if parent not in knob.parent_values:
                wanted = " or ".join(_yaml_word(v) for v in knob.parent_values)
                unless = "" if isinstance(parent, bool) else f", not {wanted}"
                notes.append(f"{key} has no effect: {knob.parent} is {_yaml_word(parent)}{unless}")
                break
            knob = KNOB_BY_NAME[knob.parent]
    if "phases" in given and config.phases and not SOLVERS[config.solver].phases:
        notes.append(f"phases has no effect: solver {config.solver} takes no phases")
    return notes


def _yaml_word(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def forbidden_reason(config: CheckerConfig) -> str | None:
    """Why a combination of knobs is not allowed (None when it is fine)."""
    values = dataclasses.asdict(config)
    for rule in FORBIDDEN:
        if rule.applies(values):
            return rule.reason.format(value=values[rule.other])
    return None


def _incremental_allowed(solver: str, encoding: str) -> bool:
    values = {"incremental": True, "solver": solver, "encoding": encoding}
    return not any(rule.applies(values) for rule in FORBIDDEN)


def _check_fields() -> None:
    """The dataclass and the table agree: the same knobs, in order, with the same defaults."""
    fields = dataclasses.fields(CheckerConfig)
    if [f.name for f in fields] != [k.name for k in KNOBS]:
        raise AssertionError("CheckerConfig's fields are not the knobs of KNOBS, in order")
    for f in fields:
        if f.name != "incremental" and f.default != KNOB_BY_NAME[f.name].default:
            raise AssertionError(f"CheckerConfig.{f.name}: default not read from KNOBS")


_check_fields()


@dataclass(frozen=True)
class PortfolioConfig:
    """Several configurations run in parallel processes; the first conclusive answer wins."""

    members: tuple[CheckerConfig, ...]
    workers: int | None = None  # None: as many as the cores allow

    def describe(self) -> str:
        return f"portfolio of {len(self.members)}"


AnyConfig = CheckerConfig | PortfolioConfig


def config_from_data(data: Any, source: str | Path | None = None) -> AnyConfig:
    """A configuration from parsed YAML: a flat mapping, or ``{portfolio: [...]}``."""
    if data is None:
        return CheckerConfig()
    if not isinstance(data, Mapping):
        raise InputError("a configuration must be a mapping of setting: value", source)
    if "portfolio" in data:
        extra = set(data) - {"portfolio", "workers"}
        if extra:
            raise InputError(f"unknown setting {sorted(extra)[0]!r} beside 'portfolio'", source)
        members = data["portfolio"]
        if not isinstance(members, list) or not members:
            raise InputError("'portfolio' must be a non-empty list of configurations", source)
        configs = []
        for i, member in enumerate(members):
            if not isinstance(member, Mapping):
                raise InputError(f"portfolio member {i + 1} is not a mapping", source)
            try:
                configs.append(CheckerConfig.from_mapping(member, source))
            except InputError as exc:
                raise InputError(f"portfolio member {i + 1}: {exc.detail}", source) from None
        workers = data.get("workers")
        if workers is not None and (
            not isinstance(workers, int) or isinstance(workers, bool) or workers < 1
        ):
            raise InputError("'workers' must be a positive whole number", source)
        return PortfolioConfig(tuple(configs), workers)
    return CheckerConfig.from_mapping(data, source)


def load_config(path: str | Path) -> AnyConfig:
    """Read a YAML configuration file (as ``check``, ``simulate`` and ``tune`` accept)."""
    path = Path(path)
    if not path.is_file():
        raise InputError(
            "configuration file not found" if not path.exists() else "not a file", path
        )
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        reason = getattr(exc, "problem", None) or "not valid YAML"
        raise InputError(f"not valid YAML: {reason}", path, line) from None
    except UnicodeDecodeError:
        raise InputError("not a text file", path) from None
    config = config_from_data(data, path)
    if isinstance(config, PortfolioConfig):
        for i, (given, member) in enumerate(zip(data["portfolio"], config.members, strict=True)):
            for note in ignored_settings(given, member):
                log.warning("%s: portfolio member %d: %s", path, i + 1, note)
    elif data:
        for note in ignored_settings(data, config):
            log.warning("%s: %s", path, note)
    return config


def dump_config(config: AnyConfig, header: str = "") -> str:
    """YAML text for a configuration (comments from ``header`` on top)."""
    lines = [f"# {h}" if h else "#" for h in header.splitlines()] if header else []
    if isinstance(config, PortfolioConfig):
        body: Any = {"portfolio": [m.to_mapping() for m in config.members]}
        if config.workers:
            body["workers"] = config.workers
    else:
        body = config.to_mapping()
    text = yaml.safe_dump(body, sort_keys=False, default_flow_style=False)
    return "\n".join([*lines, text]) if lines else text


def save_config(config: AnyConfig, path: str | Path, header: str = "") -> Path:
    write_text(path, dump_config(config, header))
    return Path(path)
