"""Checker configurations: the frozen config, its YAML files, portfolios of them.

Every knob is declared once in :data:`auctool.check.config.knobs.KNOBS`; :class:`CheckerConfig`
has one field per knob, validated by it, so the config, the files and the ConfigSpace
(``auctool.check.config.space``) can never disagree.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from auctool._atomic import write_text
from auctool.check.config.knobs import (
    FORBIDDEN,
    KNOB_BY_NAME,
    KNOBS,
    forbidden_reason,
    is_active,
    switched_off,
    yaml_word,
)
from auctool.check.config.solvertable import SOLVERS, clasp_arguments
from auctool.errors import InputError

log = logging.getLogger(__name__)


def _default(name: str) -> Any:
    """A field's default, read from its knob (the table is the only place it is written)."""
    return KNOB_BY_NAME[name].default


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
    pool: bool = _default("pool")
    cache: bool = _default("cache")
    clique: bool = _default("clique")
    local_search: bool = _default("local_search")
    ls_flips: int = _default("ls_flips")
    ls_noise: float = _default("ls_noise")
    ls_tabu: int = _default("ls_tabu")
    ls_tabu_factor: float = _default("ls_tabu_factor")
    ls_continue: bool = _default("ls_continue")
    neighbourhood: bool = _default("neighbourhood")
    neighbourhood_rings: int = _default("neighbourhood_rings")
    neighbourhood_share: float = _default("neighbourhood_share")
    neighbourhood_solver: str = _default("neighbourhood_solver")
    neighbourhood_ring_seconds: float = _default("neighbourhood_ring_seconds")
    neighbourhood_search_share: float = _default("neighbourhood_search_share")
    relaxed_core: bool = _default("relaxed_core")
    relaxed_core_seconds: float = _default("relaxed_core_seconds")
    relaxed_core_solver: str = _default("relaxed_core_solver")
    race: bool = _default("race")
    race_complete_seconds: float = _default("race_complete_seconds")
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
        problem = forbidden_reason(dataclasses.asdict(self))
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
            relaxed_core=False,
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
        return tuple(clasp_arguments(self.to_mapping(), self.phases))

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


def ignored_settings(given: Mapping[str, Any], config: CheckerConfig) -> list[str]:
    """The knobs a file sets that ``config`` never reads, each with the switch that
    disables it (``ls_flips: 500`` beside ``local_search: false`` would otherwise be
    accepted in silence, and a tuner's or a user's change would do nothing)."""
    values = dataclasses.asdict(config)
    notes = []
    for key in given:
        off = switched_off(KNOB_BY_NAME.get(str(key)), values)
        if off is not None:
            parent = values.get(off.parent)
            wanted = " or ".join(yaml_word(v) for v in off.parent_values)
            unless = "" if isinstance(parent, bool) else f", not {wanted}"
            notes.append(f"{key} has no effect: {off.parent} is {yaml_word(parent)}{unless}")
    if "phases" in given and config.phases and not SOLVERS[config.solver].phases:
        notes.append(f"phases has no effect: solver {config.solver} takes no phases")
    return notes


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

    @property
    def solvers(self) -> tuple[str, ...]:
        """The SAT solvers its members may run (as :attr:`CheckerConfig.solvers`)."""
        return tuple(s for m in self.members for s in m.solvers)


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
    lines: dict[str, int] = {}
    try:
        data = _load_yaml(path.read_text(encoding="utf-8"), lines)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        reason = getattr(exc, "problem", None) or "not valid YAML"
        raise InputError(f"not valid YAML: {reason}", path, line) from None
    except UnicodeDecodeError:
        raise InputError("not a text file", path) from None
    try:
        config = config_from_data(data, path)
    except InputError as exc:  # name the line of the setting it is about
        named = re.findall(r"'([A-Za-z_0-9]+)'", exc.detail)
        line = next((lines[k] for k in named if k in lines), None)
        if exc.line is None and line is not None:
            raise InputError(exc.detail, path, line) from None
        raise
    if isinstance(config, PortfolioConfig):
        for i, (given, member) in enumerate(zip(data["portfolio"], config.members, strict=True)):
            for note in ignored_settings(given, member):
                log.warning("%s: portfolio member %d: %s", path, i + 1, note)
    elif data:
        for note in ignored_settings(data, config):
            log.warning("%s: %s", path, note)
    return config


def _load_yaml(text: str, lines: dict[str, int]) -> Any:
    """``yaml.safe_load``, but a key given twice in one mapping is an error (YAML would
    keep the last silently), and ``lines`` learns each key's first line."""

    class Loader(yaml.SafeLoader):
        pass

    def mapping(loader: yaml.SafeLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = loader.construct_object(key_node, deep=True)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"setting {key!r} given twice", key_node.start_mark
                )
            seen.add(key)
            lines.setdefault(str(key), key_node.start_mark.line + 1)
        return loader.construct_mapping(node, deep=deep)

    Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, mapping)
    return yaml.load(text, Loader=Loader)


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
