"""``auctool._json``: the one JSON writer and its ``default=`` hook."""

import enum
import json
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from auctool._json import as_plain, dumps, write_json


class Colour(enum.Enum):
    RED = "red"


@dataclass(frozen=True)
class Pair:
    a: int
    where: Path


def test_what_results_hold_is_made_plain():
    value = {
        "n": np.int64(3),
        "x": np.float32(0.5),
        "arr": np.arange(3),
        "path": Path("/tmp/w"),
        "colour": Colour.RED,
        "pair": Pair(1, Path("p")),
        "ids": frozenset({3, 1}),
    }
    assert json.loads(dumps(value)) == {
        "n": 3, "x": 0.5, "arr": [0, 1, 2], "path": "/tmp/w", "colour": "red",
        "pair": {"a": 1, "where": "p"}, "ids": [1, 3],
    }  # fmt: skip
    assert as_plain({1: Pair(2, Path("q"))}) == {"1": {"a": 2, "where": "q"}}


def test_anything_else_is_refused_not_written_as_its_repr():
    with pytest.raises(TypeError, match="not JSON serialisable: object"):
        dumps({"x": object()})


def test_write_json_is_whole_and_keeps_the_umask(tmp_path):
    old = os.umask(0o027)
    try:
        write_json(tmp_path / "r.json", {"a": np.int64(1)})
    finally:
        os.umask(old)
    path = tmp_path / "r.json"
    assert path.read_text() == '{\n "a": 1\n}\n'
    assert oct(path.stat().st_mode & 0o777) == oct(0o640)
    assert [p.name for p in tmp_path.iterdir()] == ["r.json"]  # no temporary left
