"""The checker's ConfigSpace, built from the one table of knobs (``auctool.check.config.KNOBS``).

SMAC tunes this space; ``auctool space`` prints and exports it (ConfigSpace JSON, PCS).
"""

from __future__ import annotations

from typing import Any

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

from auctool.check.config import FORBIDDEN, KNOBS, CheckerConfig, Knob


def _hyperparameter(knob: Knob):
    if knob.kind == "bool":
        return Categorical(knob.name, [True, False], default=knob.default)
    if knob.kind == "cat":
        return Categorical(knob.name, list(knob.choices), default=knob.default)
    if knob.kind == "int":
        return Integer(
            knob.name, (int(knob.low), int(knob.high)), default=knob.default, log=knob.log
        )
    return Float(knob.name, (float(knob.low), float(knob.high)), default=knob.default, log=knob.log)


def build_space(seed: int | None = None) -> ConfigurationSpace:
    """Every knob, with conditions (a knob only when its parent enables it) and the
    forbidden combinations (:data:`auctool.check.config.FORBIDDEN`)."""
    space = ConfigurationSpace(name="auctool-checker", seed=seed)
    hps = {k.name: _hyperparameter(k) for k in KNOBS}
    space.add(list(hps.values()))
    conditions = []
    for knob in KNOBS:
        if knob.parent is None:
            continue
        child, parent = hps[knob.name], hps[knob.parent]
        if len(knob.parent_values) == 1:
            conditions.append(EqualsCondition(child, parent, knob.parent_values[0]))
        else:
            conditions.append(InCondition(child, parent, list(knob.parent_values)))
    if conditions:
        space.add(conditions)
    space.add(
        [
            ForbiddenAndConjunction(
                ForbiddenEqualsClause(hps[rule.knob], rule.value),
                ForbiddenInClause(hps[rule.other], list(rule.values)),
            )
            for rule in FORBIDDEN
        ]
    )
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
