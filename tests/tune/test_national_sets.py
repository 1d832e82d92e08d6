"""The bundled national sets: held out by auction, stratified, and answerable on the shipped world."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from auctool.check import Answer, CheckerConfig, make_checker
from auctool.formats.fcc import load_constraints
from auctool.formats.instances import load_instance_set
from auctool.model import violations

ROOT = Path(__file__).resolve().parents[2]
SETS = ROOT / "instances" / "sets"


@pytest.fixture(scope="module")
def national():
    return load_instance_set(SETS / "national-train"), load_instance_set(SETS / "national-test")


def test_train_and_test_are_different_auctions_on_the_shipped_world(national):
    train, test = national
    world = (ROOT / "instances" / "worlds" / "national").resolve()
    assert train.constraints_dir == test.constraints_dir == world
    assert {e.extra["seed"] for e in train.entries} == {1}
    assert {e.extra["seed"] for e in test.entries} == {2}


def test_each_side_keeps_the_recordings_answer_shares(national):
    for side in national:
        counts = Counter(e.answer for e in side.entries)
        assert set(counts) == {"SAT", "UNSAT", "TIMEOUT"}  # a tuner sees every kind
        assert side.meta["split"]["stratify"] is True
        # every question the recording's previous packing or cache answered is left out
        assert not any(
            str(e.extra.get("solved_by") or "").startswith(("presolve:previous", "cache"))
            for e in side.entries
        )


def test_a_recorded_question_is_answered_and_verified_on_the_shipped_world(national):
    train, _ = national
    data = load_constraints(train.constraints_dir)
    assert len(data.domains) == 2990
    entry = next(e for e in train.entries if e.answer == "SAT")
    problem = next(p for e, p in train.problems() if e.file == entry.file)
    with make_checker(data, CheckerConfig()) as checker:
        checker.warm(problem)
        result = checker.check(problem, 20.0)
    assert result.answer is Answer.SAT
    assert violations(result.assignment, problem, data) == []
