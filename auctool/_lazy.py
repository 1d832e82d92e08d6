"""Names a package exports, imported on first use (a module ``__getattr__``, PEP 562).

Importing a submodule runs its package's ``__init__`` first, so a package that imported
its heavy modules up front would load numpy, numba and python-sat for anyone importing
its lightest module (the command line's ``--help`` needs a few enums and constants).
Every package exports its names through :func:`attach` instead, and nothing heavy loads
until a name is used.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from typing import Any


def attach(
    package: str, table: Mapping[str, str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``__getattr__`` and ``__dir__`` for ``package``: ``table`` maps each exported name
    to the module it lives in (a value is imported once, then kept in the package)."""

    def __getattr__(name: str) -> Any:
        module = table.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        setattr(sys.modules[package], name, value)
        return value

    def __dir__() -> list[str]:
        return sorted(set(vars(sys.modules[package])) | set(table))

    return __getattr__, __dir__
