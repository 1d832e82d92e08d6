"""The public API in ``auctool/__init__.py``: every name resolves, ``import auctool`` is cheap."""

from __future__ import annotations

import inspect
import json
import subprocess
import sys

import pytest

import auctool

HEAVY = ("numpy", "pandas", "pysat", "smac", "ConfigSpace", "dask", "numba", "matplotlib")


def test_all_is_exactly_the_eager_names_and_the_lazy_table():
    eager = {"__version__", "AuctoolError", "InputError", "RunError"}
    assert set(auctool.__all__) == eager | set(auctool._LAZY)
    assert len(auctool.__all__) == len(set(auctool.__all__))


@pytest.mark.parametrize("name", sorted(auctool._LAZY))
def test_every_lazy_name_comes_from_the_module_the_table_names(name):
    value = getattr(auctool, name)
    assert getattr(sys.modules[auctool._LAZY[name]], name) is value
    if inspect.isclass(value) or inspect.isfunction(value):
        assert value.__module__.startswith("auctool.")
    assert name in dir(auctool)


def test_an_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'tune'"):
        auctool.__getattr__("tune")  # the subpackage's name: the tuner is run_tune
    assert not hasattr(auctool, "no_such_name")


def test_the_exception_hierarchy_the_docstring_draws():
    assert issubclass(auctool.InputError, auctool.AuctoolError)
    assert issubclass(auctool.RunError, auctool.AuctoolError)
    assert issubclass(auctool.StartError, auctool.RunError)
    assert (auctool.AuctoolError.exit_code, auctool.InputError.exit_code) == (1, 2)
    assert auctool.RunError.exit_code == 1


def _fresh(code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    return done.stdout


def test_import_auctool_loads_no_heavy_library():
    code = (
        f"import sys, json, auctool; print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))"
    )
    assert json.loads(_fresh(code)) == []


@pytest.mark.parametrize(
    "module",
    [
        "auctool.cli",  # --help: typer, rich and the options' enums, nothing else
        "auctool.check",
        "auctool.check.result",
        "auctool.check.config",
        "auctool.check.config.configs",
        "auctool.check.solve",
        "auctool.check.methods",
        "auctool.check.cache",
        "auctool.model",
        "auctool.auction",
        "auctool.formats.fcc",
        "auctool.worlds.spec",
    ],
)
def test_the_command_line_and_every_package_import_no_heavy_library(module):
    code = (
        f"import sys, json, {module}; print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))"
    )
    assert json.loads(_fresh(code)) == []


@pytest.mark.parametrize(
    "package",
    [
        "auctool.check",
        "auctool.check.config",
        "auctool.check.solve",
        "auctool.check.methods",
        "auctool.model",
        "auctool.auction",
        "auctool.formats.fcc",
    ],
)
def test_every_package_name_resolves_from_its_lazy_table(package):
    code = (
        f"import json, {package} as p; print(json.dumps({{'names': len(p.__all__), "
        "'missing': [n for n in p.__all__ if getattr(p, n, None) is None], "
        "'undir': sorted(set(p.__all__) - set(dir(p)))}))"
    )
    got = json.loads(_fresh(code))
    assert got["names"] > 3 and got["missing"] == [] and got["undir"] == []


def test_every_public_name_resolves_in_a_fresh_interpreter():
    """One process, first use of each name in turn: no import cycle behind the lazy table."""
    code = (
        "import auctool\n"
        "for name in reversed(auctool.__all__):\n"
        "    getattr(auctool, name)\n"
        "print('ok')\n"
    )
    assert _fresh(code).strip() == "ok"
