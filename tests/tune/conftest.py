from __future__ import annotations

import pytest

from auctool.tune.sets import make_sequence_sets
from auctool.worlds.synth import SynthSpec
from tests.tune._sets import pigeonhole_sets


@pytest.fixture(scope="session")
def php_sets(tmp_path_factory):
    """Train/test sets: 9 easy SAT problems and one hopeless UNSAT each (cutoff 0.2 s)."""
    return pigeonhole_sets(tmp_path_factory.mktemp("php"))


@pytest.fixture(scope="session")
def synth_sets(tmp_path_factory):
    """Two held-out splits of packing-sequence problems on a 30-station synthetic world."""
    root = tmp_path_factory.mktemp("synth")
    spec = SynthSpec(stations=30, seed=3)
    return make_sequence_sets(root, spec, {"a": [0], "b": [1]}, cutoff=0.5, limit=12)
