"""Fuzzing the inputs through the real entry point: FCC constraint folders, ``.srpk``
problems, YAML configurations and TOML settings, each mutated at random.

Whatever the bytes, ``auctool`` either answers (exit 0) or says what is wrong in one
line with exit code 2: never a traceback, never exit 1 ("the run failed"), never a hang.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auctool.check.config.configs import CheckerConfig, save_config
from auctool.formats.fcc import write_constraints
from auctool.formats.srpk import write_srpk
from auctool.model import Problem
from tests.helpers import co_everywhere, data_from

EXAMPLES = 60
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)


@st.composite
def mutated(draw, original: str) -> bytes:
    """``original`` with a few random edits, or (sometimes) random bytes altogether."""
    if draw(st.integers(0, 9)) == 0:
        return draw(st.binary(max_size=200))
    text = original
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["delete", "insert", "replace_line", "duplicate", "truncate"]))
        at = draw(st.integers(0, max(0, len(text))))
        if op == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 30)) :]
        elif op == "insert":
            text = text[:at] + draw(_text) + text[at:]
        elif op == "replace_line":
            lines = text.split("\n")
            k = draw(st.integers(0, len(lines) - 1))
            lines[k] = draw(st.sampled_from(["", ",,,", "-1", "nan", "1e999", "x" * 500])) or draw(
                _text
            )
            text = "\n".join(lines)
        elif op == "duplicate":
            text = text[:at] + text[at:] + text[at:]
        else:
            text = text[:at]
    return text.encode("utf-8", "surrogatepass")


def _run(main_cli, args: list) -> None:
    code, _, err = main_cli(*args)
    assert "Traceback" not in err, err
    assert code in (0, 2), f"exit {code}: {err}"
    if code == 2:  # notes on stderr may come first; the error is the last line, and one line
        lines = err.splitlines()
        assert lines[-1].startswith("auctool: error: "), err
        assert not any(line.startswith("auctool: error") for line in lines[:-1]), err


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("fuzz")
    chans = (14, 15, 16)
    data = data_from({1: chans, 2: chans, 3: chans, 4: (14,)}, co_everywhere((1, 2, 3), chans), "w")
    write_constraints(data, root / "w")
    write_srpk(Problem({1: chans, 2: chans, 3: chans}, {1: 14}, "w", 2.0, "p"), root / "p.srpk")
    save_config(CheckerConfig(), root / "c.yaml")
    (root / "s.toml").write_text("[check]\ncutoff = 2\njson = true\n\n[space]\nseed = 1\n")
    return root


@FUZZ
@given(data=st.data())
def test_fuzzed_srpk(main_cli, base, tmp_path_factory, data):
    original = (base / "p.srpk").read_text()
    path = tmp_path_factory.mktemp("srpk") / "p.srpk"
    path.write_bytes(data.draw(mutated(original)))
    _run(main_cli, ["check", "--data", base / "w", "--cutoff", "2", "--json", path])


@FUZZ
@given(which=st.sampled_from(["Domain.csv", "Interference_Paired.csv"]), data=st.data())
def test_fuzzed_constraint_folder(main_cli, base, tmp_path_factory, which, data):
    folder = tmp_path_factory.mktemp("fcc") / "w"
    shutil.copytree(base / "w", folder)
    original = (folder / which).read_text()
    (folder / which).write_bytes(data.draw(mutated(original)))
    _run(main_cli, ["check", "--data", folder, "--cutoff", "2", "--json", base / "p.srpk"])


@FUZZ
@given(data=st.data())
def test_fuzzed_yaml_configuration(main_cli, base, tmp_path_factory, data):
    path = tmp_path_factory.mktemp("yaml") / "c.yaml"
    path.write_bytes(data.draw(mutated((base / "c.yaml").read_text())))
    _run(main_cli, ["check", "--data", base / "w", "--config", path, "--json", base / "p.srpk"])


@FUZZ
@given(data=st.data())
def test_fuzzed_toml_settings(main_cli, base, tmp_path_factory, data):
    path = tmp_path_factory.mktemp("toml") / "s.toml"
    path.write_bytes(data.draw(mutated((base / "s.toml").read_text())))
    _run(main_cli, ["--settings", path, "check", "--data", base / "w", base / "p.srpk"])


def test_a_configuration_outside_the_space_names_the_key(main_cli, base, tmp_path):
    for text, key in (
        ("solver: glucose3\nls_flips: 10\n", "ls_flips"),
        ("neighbourhood_share: 3\n", "neighbourhood_share"),
        ("solvr: glucose3\n", "solvr"),
        ("solver: kissat404\nincremental: true\n", "incremental"),
    ):
        path = tmp_path / "bad.yaml"
        path.write_text(text)
        code, _, err = main_cli("check", "--data", base / "w", "--config", path, base / "p.srpk")
        assert code == 2 and key in err and err.count("\n") == 1, err
