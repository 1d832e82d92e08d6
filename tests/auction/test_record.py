"""Recorded instance sets: what they hold, several seeds in one set, train/test splits."""

import json
import random

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from auctool.auction.record import MADE_BY, _stratified, split_recording
from auctool.auction.simulate import SimulationOptions, simulate
from auctool.check import CheckerConfig, make_checker
from auctool.errors import InputError, RunError
from auctool.formats.fcc import load_constraints
from auctool.formats.instances import InstanceEntry, load_instance_set
from auctool.worlds.world import load_world
from tests.auction.worlds import THREE_STATION_VALUES, three_station_world, write_world


@pytest.fixture
def world_dir(tmp_path):
    folder = write_world(three_station_world(), tmp_path / "abc")
    (tmp_path / "values.csv").write_text(THREE_STATION_VALUES)
    return folder


def _record(world_dir, folder, seed: int, sat_share: float = 1.0):
    options = SimulationOptions(cutoff=5, seed=seed, values_file=world_dir.parent / "values.csv")
    run, _ = simulate(
        load_world(world_dir),
        options,
        record_dir=folder,
        world_dir=world_dir,
        command=f"cmd {seed}",
        record_sat_share=sat_share,
    )
    return run


def test_a_recording_replays_to_the_recorded_answers(world_dir, tmp_path):
    run = _record(world_dir, tmp_path / "rec", seed=3)
    rec = load_instance_set(tmp_path / "rec")
    assert rec.meta["made_by"] == MADE_BY
    assert rec.constraints_dir == world_dir.resolve()
    assert rec.meta["runs"] == [
        {
            "seed": 3,
            "command": "cmd 3",
            "config": CheckerConfig().to_mapping(),
            **SimulationOptions(
                cutoff=5, seed=3, values_file=world_dir.parent / "values.csv"
            ).to_json(),
            "sat_share": 1.0,
            "complete": True,
        }
    ]
    assert [e.answer for e in rec.entries] == [c.answer for c in run.checks]
    assert [e.extra["round"] for e in rec.entries] == [c.round for c in run.checks]
    checker = make_checker(load_constraints(rec.constraints_dir), CheckerConfig())
    for entry, problem in rec.problems():
        assert problem.cutoff == 5 and problem.interference == "abc"
        if entry.extra["kind"] != "initial":
            assert problem.new_stations == (entry.extra["station"],)
        assert checker.check(problem, 5).answer.value == entry.answer


def test_seeds_share_a_recording_and_a_rerun_replaces_its_own_seed(world_dir, tmp_path):
    folder = tmp_path / "rec"
    _record(world_dir, folder, seed=1)
    _record(world_dir, folder, seed=2)
    first = load_instance_set(folder)
    assert first.meta["seeds"] == [1, 2] and [r["seed"] for r in first.meta["runs"]] == [1, 2]
    (folder / first.entries[0].file).write_text("garbage")  # a rerun rewrites seed 1's files
    _record(world_dir, folder, seed=1)
    again = load_instance_set(folder)
    assert [e.file for e in again.entries] == [e.file for e in first.entries]
    assert "INTERFERENCE" in (folder / first.entries[0].file).read_text()
    assert len(list(folder.glob("*.srpk"))) == len(again)


def test_a_sat_share_keeps_every_hard_question_and_a_seeded_sample_of_the_rest(world_dir, tmp_path):
    full = _record(world_dir, tmp_path / "all", seed=3)
    for k in range(2):
        _record(world_dir, tmp_path / f"s{k}", seed=3, sat_share=0.3)
    kept = [load_instance_set(tmp_path / f"s{k}") for k in range(2)]
    answers = [c.answer for c in full.checks]
    for rec in kept:
        assert rec.meta["runs"][0]["sat_share"] == 0.3
        got = [e.answer for e in rec.entries]
        assert got.count("UNSAT") + got.count("TIMEOUT") == answers.count("UNSAT") + answers.count(
            "TIMEOUT"
        )
        assert 0 < got.count("SAT") < answers.count("SAT")
    assert [e.file for e in kept[0].entries] == [e.file for e in kept[1].entries]  # seeded
    with pytest.raises(InputError, match="share of SAT questions"):
        _record(world_dir, tmp_path / "bad", seed=3, sat_share=0)


def test_split_by_seed_and_by_round(world_dir, tmp_path):
    folder = tmp_path / "rec"
    for seed in (1, 2, 3):
        _record(world_dir, folder, seed)
    train, test = split_recording(folder, tmp_path / "train", tmp_path / "test", test_seeds=[3])
    assert {e.extra["seed"] for e in train.entries} == {1, 2}
    assert {e.extra["seed"] for e in test.entries} == {3}
    assert len(train) + len(test) == len(load_instance_set(folder))
    assert train.constraints_dir == test.constraints_dir == world_dir.resolve()
    assert test.meta["split"] == {
        "test_seeds": [3],
        "test_from_round": None,
        "drop_solved_by": [],
        "most": None,
        "stratify": False,
        "seed": 0,
        "side": "test",
    }
    early, late = split_recording(folder, tmp_path / "early", tmp_path / "late", test_from_round=1)
    assert max(e.extra["round"] for e in early.entries) == 0
    assert min(e.extra["round"] for e in late.entries) >= 1
    for _entry, problem in late.problems():
        assert problem.interference == "abc"


def test_record_refuses_a_folder_holding_something_else(world_dir, tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    (other / "notes.txt").write_text("mine")
    with pytest.raises(InputError, match="not empty"):
        _record(world_dir, other, seed=1)
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "p.srpk").write_text("INTERFERENCE,abc\n1,-1,14\n")
    (foreign / "manifest.json").write_text(json.dumps({"instances": ["p.srpk"]}))
    with pytest.raises(InputError, match="not recorded by simulate"):
        _record(world_dir, foreign, seed=1)
    moved = write_world(three_station_world(), tmp_path / "elsewhere" / "abc")
    (moved.parent / "values.csv").write_text(THREE_STATION_VALUES)
    _record(world_dir, tmp_path / "rec", seed=1)
    with pytest.raises(InputError, match="another world"):
        _record(moved, tmp_path / "rec", seed=2)


def test_a_failed_run_keeps_its_questions(world_dir, tmp_path):
    (world_dir.parent / "values.csv").write_text("station,value\n1,1e12\n2,1e12\n3,1e12\n")
    with pytest.raises(RunError, match="cannot be packed"):
        _record(world_dir, tmp_path / "rec", seed=1)
    rec = load_instance_set(tmp_path / "rec")
    assert [e.answer for e in rec.entries] == ["UNSAT"]
    assert rec.meta["runs"][0]["complete"] is False


@given(
    st.lists(st.sampled_from(["SAT", "UNSAT", "TIMEOUT"]), min_size=4, max_size=200),
    st.integers(3, 60),
    st.integers(0, 5),
)
def test_a_stratified_sample_keeps_each_answer_in_its_share(answers, most, seed):
    entries = [InstanceEntry(f"p{i:03d}.srpk", a) for i, a in enumerate(answers)]
    most = min(most, len(entries) - 1)
    kinds = set(answers)
    assume(most >= len(kinds))
    chosen = _stratified(entries, most, random.Random(seed))
    assert len(chosen) == most and len({e.file for e in chosen}) == most
    for kind in kinds:
        got = sum(e.answer == kind for e in chosen)
        exact = most * answers.count(kind) / len(answers)
        assert got >= 1 and abs(got - exact) <= len(kinds)
