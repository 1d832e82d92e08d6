"""Shared fixtures: tiny hand-made instances with known answers, and the real FCC data.

The real data lives in ../shared/data/fcc (never copied into the repository); tests that
need it use the ``fcc_data`` fixture and are skipped cleanly when it is absent.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.helpers import SHARED_FCC


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory, monkeypatch):
    """Parsed-constraint caches go to a per-session temp folder, never ~/.cache."""
    monkeypatch.setenv("AUCTOOL_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "auctool-cache"))


@pytest.fixture
def umask() -> Iterator[Callable[[int], None]]:
    """Set the process umask for one test, and put the old one back."""
    old = os.umask(0o022)
    os.umask(old)

    def set_mask(mask: int) -> None:
        os.umask(mask)

    yield set_mask
    os.umask(old)


@pytest.fixture
def fcc_data() -> Path:
    if not (SHARED_FCC / "subsets").is_dir():
        pytest.skip("real FCC data (../shared/data/fcc) not available")
    return SHARED_FCC


def pytest_collection_modifyitems(config, items):
    if os.environ.get("AUCTOOL_NO_REALDATA"):
        skip = pytest.mark.skip(reason="AUCTOOL_NO_REALDATA set")
        for item in items:
            if "fcc_data" in getattr(item, "fixturenames", ()):
                item.add_marker(skip)
