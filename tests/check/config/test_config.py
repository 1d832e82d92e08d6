"""Configurations: the knob table, YAML files and the ConfigSpace agree with each other."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from ConfigSpace import ConfigurationSpace

from auctool.check.config.configs import (
    CheckerConfig,
    PortfolioConfig,
    dump_config,
    load_config,
    save_config,
)
from auctool.check.config.knobs import FORBIDDEN, KNOB_BY_NAME, KNOBS
from auctool.check.config.space import (
    build_space,
    from_configuration,
    sample_configs,
    space_as_json,
    space_as_pcs,
    to_configuration,
)
from auctool.errors import InputError


def test_every_knob_is_a_config_field_and_a_hyperparameter():
    fields = {f.name for f in dataclasses.fields(CheckerConfig)}
    assert fields == {k.name for k in KNOBS}
    space = build_space()
    assert set(space.keys()) == fields
    assert from_configuration(space.get_default_configuration()) == CheckerConfig()
    for k in KNOBS:
        assert getattr(CheckerConfig(), k.name) == k.default


#: Defaults changed on purpose since then (the shipped tuned configurations set these
#: knobs explicitly): rings 2 -> 3 answered 6 of 30 national TIMEOUT questions.
DEFAULTS_CHANGED_SINCE_ISSUE_13 = {"neighbourhood_rings": 3}


def test_the_space_keeps_every_knob_of_the_space_before_issue_13_as_it_was():
    """Same hyperparameters, ranges, defaults, conditions and forbiddens as the space
    serialised before the table became the single source; knobs added since only add
    (a tuned configuration of then still means the same thing now)."""
    before = ConfigurationSpace.from_json(
        Path(__file__).parent / "data" / "space_before_issue13.json"
    )
    now = build_space(seed=3)
    for name in before:
        if name in DEFAULTS_CHANGED_SINCE_ISSUE_13:
            old, new = before[name], now[name]
            assert (type(new), new.lower, new.upper) == (type(old), old.lower, old.upper), name
            assert new.default_value == DEFAULTS_CHANGED_SINCE_ISSUE_13[name], name
        else:
            assert now[name] == before[name], name
    assert {str(c) for c in before.conditions} <= {str(c) for c in now.conditions}
    assert {str(f) for f in before.forbidden_clauses} == {str(f) for f in now.forbidden_clauses}
    added = set(now) - set(before)
    assert added == {
        "ls_tabu",
        "ls_tabu_factor",
        "neighbourhood_ring_seconds",
        "neighbourhood_search_share",
        "race_complete_seconds",
        "pool",
        "ls_continue",
        "relaxed_core",
        "relaxed_core_seconds",
        "relaxed_core_solver",
    }
    assert all(now.get_default_configuration()[k] == KNOB_BY_NAME[k].default for k in added)


def test_every_forbidden_rule_is_refused_by_the_config_and_the_space():
    space = build_space()
    for rule in FORBIDDEN:
        for value in rule.values:
            values = {"solver": "minisat22", "encoding": "direct", rule.knob: rule.value}
            values[rule.other] = value
            with pytest.raises(ValueError, match=str(value)):
                CheckerConfig(**values)
            allowed = CheckerConfig(**{**values, rule.knob: False})
            assert allowed.incremental is False
            full = {**CheckerConfig(incremental=False).to_mapping(), **values}
            assert any(f.is_forbidden_value(full) for f in space.forbidden_clauses)
    assert CheckerConfig(solver="minisat22", encoding="multivalued").incremental is True


def test_phases_on_a_solver_that_takes_none_is_reported_as_ignored(tmp_path, caplog):
    path = tmp_path / "c.yaml"
    path.write_text("solver: lingeling\nincremental: false\nphases: true\n")
    with caplog.at_level("WARNING"):
        load_config(path)
    assert "phases has no effect: solver lingeling takes no phases" in caplog.text
    path.write_text("solver: glucose3\nphases: true\n")
    caplog.clear()
    with caplog.at_level("WARNING"):
        load_config(path)
    assert "phases" not in caplog.text


def test_sampled_configurations_round_trip_through_yaml(tmp_path):
    for config in sample_configs(40, seed=1):
        path = save_config(config, tmp_path / "c.yaml", header="sampled")
        assert load_config(path) == config
        assert from_configuration(to_configuration(config)) == config


def test_forbidden_combinations_are_refused():
    with pytest.raises(ValueError, match="incremental checking needs a solver that supports it"):
        CheckerConfig(incremental=True, solver="kissat404")
    with pytest.raises(ValueError, match="direct and multivalued encodings"):
        CheckerConfig(incremental=True, solver="minisat22", encoding="ladder")
    for config in sample_configs(200, seed=5):
        assert not (config.incremental and config.solver in ("kissat404", "lingeling"))


def test_bad_files_name_the_offending_key(tmp_path):
    def load(text: str):
        path = tmp_path / "c.yaml"
        path.write_text(text)
        return load_config(path)

    with pytest.raises(InputError, match="unknown setting 'turbo'"):
        load("turbo: 1\n")
    with pytest.raises(InputError, match="setting 'neighbourhood_rings': 9 is outside 1..4"):
        load("neighbourhood_rings: 9\n")
    with pytest.raises(InputError, match="setting 'ac3': expected true or false"):
        load("ac3: maybe\n")
    with pytest.raises(InputError, match="a configuration must be a mapping"):
        load("- a\n- b\n")
    with pytest.raises(InputError, match="portfolio member 2: unknown setting 'x'"):
        load("portfolio:\n  - {solver: minisat22}\n  - {x: 1}\n")
    with pytest.raises(InputError, match=r"c.yaml:2: not valid YAML"):
        load("solver: a\n  b: [\n")
    assert load("") == CheckerConfig()


def test_portfolio_yaml(tmp_path):
    config = PortfolioConfig(
        (CheckerConfig(solver="minisat22"), CheckerConfig(incremental=True, solver="minisat22")),
        workers=2,
    )
    path = save_config(config, tmp_path / "p.yaml")
    assert load_config(path) == config
    assert "portfolio:" in dump_config(config)


def test_a_portfolio_may_run_every_members_solvers():
    config = PortfolioConfig(
        (CheckerConfig(solver="glucose3", neighbourhood=False), CheckerConfig(solver="kissat404"))
    )
    assert config.solvers == ("glucose3", "kissat404", "minisat22")


def test_exports_are_readable_by_configspace(tmp_path):
    (tmp_path / "s.json").write_text(space_as_json())
    space = ConfigurationSpace.from_json(tmp_path / "s.json")
    assert set(space.keys()) == {k.name for k in KNOBS}
    pcs = space_as_pcs()
    assert "neighbourhood_rings | neighbourhood == True" in pcs


@pytest.mark.parametrize(
    "path", sorted((Path(__file__).resolve().parents[3] / "configs").glob("*.yaml")), ids=str
)
def test_every_shipped_configuration_loads_and_lies_in_the_space(path):
    config = load_config(path)
    members = getattr(config, "members", (config,))
    space = build_space(0)
    for member in members:
        to_configuration(member, space).check_valid_configuration()


def test_a_setting_given_twice_or_refused_names_its_line(tmp_path):
    """Issue 33: duplicate YAML keys were taken silently, config errors had no line."""
    from auctool.check.config.configs import load_config
    from auctool.errors import InputError

    twice = tmp_path / "twice.yaml"
    twice.write_text("solver: glucose3\nsolver: cadical195\n")
    with pytest.raises(InputError, match=r"twice.yaml:2: .*setting 'solver' given twice"):
        load_config(twice)
    bad = tmp_path / "bad.yaml"
    bad.write_text("cache: true\nls_flips: -5\n")
    with pytest.raises(InputError, match=r"bad.yaml:2: setting 'ls_flips'"):
        load_config(bad)
