"""The checker's ConfigSpace, built from the one table of knobs (``auctool.check.config.knobs.KNOBS``).

SMAC tunes this space; ``auctool space`` prints and exports it (ConfigSpace JSON, PCS).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

import yaml
from ConfigSpace import (
    Categorical,
    Configuration,
    ConfigurationSpace,
    EqualsCondition,
    Float,
    ForbiddenAndConjunction,
    ForbiddenEqualsClause,
    ForbiddenInClause,
    InCondition,
    Integer,
)

from auctool.check.config.configs import CheckerConfig
from auctool.check.config.knobs import (
    FORBIDDEN,
    KNOB_BY_NAME,
    KNOBS,
    SOLVER_KNOBS,
    Knob,
    forbidden_reason,
    switched_off,
)
from auctool.check.config.solvertable import SOLVERS
from auctool.errors import InputError


def _hyperparameter(knob: Knob, fixed: Mapping[str, Any], default: Any, budget_mode: str):
    if knob.name in fixed:  # held at one value: a single-choice knob SMAC cannot move
        return Categorical(knob.name, [fixed[knob.name]], default=fixed[knob.name])
    if knob.kind == "bool":
        return Categorical(knob.name, [True, False], default=default)
    if knob.kind == "cat":
        return Categorical(knob.name, list(_choices(knob, budget_mode)), default=default)
    if knob.kind == "int":
        return Integer(knob.name, (int(knob.low), int(knob.high)), default=default, log=knob.log)
    return Float(knob.name, (float(knob.low), float(knob.high)), default=default, log=knob.log)


def _choices(knob: Knob, budget_mode: str) -> tuple[Any, ...]:
    """A categorical knob's choices; in work mode a solver knob offers only the solvers
    that take a conflict budget (the checker refuses the others there: a configuration
    tuned in work mode must run in work mode)."""
    if budget_mode == "work" and knob.name in SOLVER_KNOBS:
        return tuple(c for c in knob.choices if SOLVERS[c].conflict_budget)
    return knob.choices


def parse_fixed(items: Sequence[str]) -> dict[str, Any]:
    """``KNOB=VALUE`` words (``cache=true``, ``ls_noise=0.2``) -> the knobs held fixed.

    Why: some knobs only pay inside an auction (``cache`` answers the questions a clock
    auction asks again); tuning on independent problems cannot measure them, so a user
    holds them while SMAC tunes the rest.
    """
    words: dict[str, Any] = {}
    for item in items:
        name, sep, word = item.partition("=")
        name = name.strip().replace("-", "_")
        if not sep or not name or not word.strip():
            raise InputError(f"--fix {item!r}: expected KNOB=VALUE, e.g. cache=true")
        try:
            value = yaml.safe_load(word.strip())
        except yaml.YAMLError:
            value = word.strip()
        if name in words and words[name] != value:
            raise InputError(f"--fix {name} is given twice, with different values")
        words[name] = value
    return check_fixed(words)


def check_fixed(values: Mapping[str, Any]) -> dict[str, Any]:
    """The fixed knobs validated: unknown knobs, bad values, a knob its fixed parent
    switches off and a forbidden pair are input errors, each named."""
    fixed: dict[str, Any] = {}
    for name, value in values.items():
        knob = KNOB_BY_NAME.get(name)
        if knob is None:
            raise InputError(f"--fix {name}: unknown knob (see 'auctool space')")
        try:
            fixed[name] = knob.validate(value)
        except ValueError as exc:
            raise InputError(f"--fix {name}: {exc}") from None
    for name in fixed:
        above = _switched_off_by(KNOB_BY_NAME[name], fixed)
        if above is not None:
            raise InputError(f"--fix {name} has no effect: {above} is fixed at {fixed[above]}")
    reason = forbidden_reason(fixed)
    if reason is not None:
        raise InputError("--fix: " + reason)
    return fixed


def _switched_off_by(knob: Knob, fixed: Mapping[str, Any]) -> str | None:
    """The fixed ancestor that switches the knob off for good (it leaves the space)."""
    off = switched_off(knob, fixed, given_only=True)
    return None if off is None else off.parent


def build_space(
    seed: int | None = None, fixed: Mapping[str, Any] | None = None, budget_mode: str = "time"
) -> ConfigurationSpace:
    """Every knob, with conditions (a knob only when its parent enables it) and the
    forbidden combinations (:data:`auctool.check.config.knobs.FORBIDDEN`); the ``fixed`` knobs
    (:func:`parse_fixed`) take one value only, and what they switch off is left out. In
    ``budget_mode`` "work" the solver knobs offer only solvers with a conflict budget."""
    fixed = dict(fixed or {})
    space = ConfigurationSpace(name="auctool-checker", seed=seed)
    knobs = [k for k in KNOBS if _switched_off_by(k, fixed) is None]
    # the default configuration with the fixed values in it (fixing the solver to one that
    # keeps no formula turns the default's incremental off, as CheckerConfig does)
    defaults = dataclasses.asdict(CheckerConfig.from_mapping(fixed)) if fixed else {}
    hps = {
        k.name: _hyperparameter(k, fixed, defaults.get(k.name, k.default), budget_mode)
        for k in knobs
    }
    space.add(list(hps.values()))
    conditions = []
    for knob in knobs:
        if knob.parent is None:
            continue
        child, parent = hps[knob.name], hps[knob.parent]
        values = [v for v in knob.parent_values if v in parent.choices]
        if len(values) == 1:
            conditions.append(EqualsCondition(child, parent, values[0]))
        else:
            conditions.append(InCondition(child, parent, values))
    if conditions:
        space.add(conditions)
    forbidden = []
    for rule in FORBIDDEN:
        if rule.knob not in hps or rule.other not in hps:
            continue
        others = [v for v in rule.values if v in hps[rule.other].choices]
        if rule.value in hps[rule.knob].choices and others:
            forbidden.append(
                ForbiddenAndConjunction(
                    ForbiddenEqualsClause(hps[rule.knob], rule.value),
                    ForbiddenInClause(hps[rule.other], others),
                )
            )
    space.add(forbidden)
    return space


def to_configuration(
    config: CheckerConfig, space: ConfigurationSpace | None = None
) -> Configuration:
    space = space or build_space()
    return Configuration(space, values=config.to_mapping(active_only=True))


def from_configuration(values: Configuration | dict[str, Any]) -> CheckerConfig:
    """SMAC's sampled values (numpy types, inactive knobs absent) -> a CheckerConfig."""
    return CheckerConfig.from_mapping(dict(values))


def space_as_json(space: ConfigurationSpace | None = None) -> str:
    """ConfigSpace's own JSON serialisation (readable by ConfigurationSpace.from_json)."""
    import io

    buffer = io.StringIO()
    (space or build_space()).to_json(buffer, indent=1)
    return buffer.getvalue() + "\n"


def space_as_pcs(space: ConfigurationSpace | None = None) -> str:
    """The PCS text format (SMAC 2 / ParamILS / irace-style users)."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from ConfigSpace.read_and_write import pcs_new

        return pcs_new.write(space or build_space())


def sample_configs(n: int, seed: int) -> list[CheckerConfig]:
    """``n`` random configurations (never a forbidden one), reproducible by seed."""
    space = build_space(seed=seed)
    samples = space.sample_configuration(n) if n > 1 else [space.sample_configuration()]
    return [from_configuration(c) for c in samples]
