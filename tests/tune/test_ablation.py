"""The ablation path: measured with the real checker where the answer is known, and the
path logic (switches and forbidden combinations) on a cost we define."""

from __future__ import annotations

import pytest

from auctool.check.config.configs import CheckerConfig
from auctool.check.config.knobs import KNOBS
from auctool.formats.fcc import write_constraints
from auctool.formats.instances import InstanceEntry, load_instance_set, write_manifest
from auctool.formats.srpk import write_srpk
from auctool.model import Problem
from auctool.tune.ablation import Ablation, Change, change_groups, greedy_path, measure_ablation
from auctool.tune.features import set_features
from auctool.tune.journal import Journal, file_digest
from auctool.tune.parallel import Pool
from auctool.tune.scoring import Measurement
from auctool.tune.validation import Contender, validate
from tests.helpers import pigeonhole


@pytest.fixture(scope="module")
def clique_set(tmp_path_factory):
    """9 stations that all interfere, on 8 channels: without the clique bound CDCL times out
    on all 9 (pigeonhole); with it, it is UNSAT at once. 5 or 8 of them pack easily."""
    root = tmp_path_factory.mktemp("clique")
    data, full = pigeonhole(8)
    write_constraints(data, root / "php")
    entries = []
    for k in (5, 8, 9):
        stations = list(full.domains)[:k]
        name = f"s{k}.srpk"
        write_srpk(
            Problem({s: full.domains[s] for s in stations}, {}, "php", 0.2), root / "set" / name
        )
        entries.append(InstanceEntry(name, "SAT" if k < 9 else "UNSAT"))
    write_manifest(root / "set", entries, {"constraints": "../php", "cutoff": 0.2})
    return load_instance_set(root / "set")


def test_the_path_finds_the_knob_that_matters(clique_set, tmp_path):
    start = CheckerConfig(clique=False)
    target = CheckerConfig(clique=True, order="degree")  # two knobs from start
    store = tmp_path / "ablation.jsonl"
    ab = measure_ablation(start, target, clique_set, 0.2, store=store)
    assert ab.steps[0].config == start.to_mapping() and ab.steps[0].changes == ()
    assert ab.steps[-1].config == target.to_mapping() and len(ab.steps) == 3
    assert ab.steps[1].changes == (Change("clique", False, True),)  # it ends the timeout
    assert ab.steps[0].solved == 2 and ab.steps[1].solved == 3 and ab.steps[1].n == 3
    assert ab.steps[1].candidates == 2 and ab.steps[2].candidates == 1
    assert ab.gain > 0.5  # one timeout less: 10 x 0.2 s over 3 problems, about 0.67 s
    assert sum(s.share for s in ab.steps[1:]) == pytest.approx(1.0)
    assert ab.steps[1].share > 0.9
    assert ab.steps[0].interval is None and all(s.interval > 0 for s in ab.steps[1:])
    # 4 configurations measured (start, 2 candidates, the last step), 3 problems each
    assert ab.checks == len(Journal(store).read()[1]) == 12
    again = measure_ablation(start, target, clique_set, 0.2, store=store)
    assert len(Journal(store).read()[1]) == 12  # resumed: nothing measured twice
    assert [s.config for s in again.steps] == [s.config for s in ab.steps]
    assert Ablation.from_json(ab.to_json()).to_json() == ab.to_json()


def test_a_work_mode_ablation_reuses_no_check_measured_on_the_clock(clique_set, tmp_path):
    """A tune in work mode is ablated in work mode: its validation journal seeds the path,
    a time-mode one (same set and cutoff) does not."""
    start, target = CheckerConfig(clique=False), CheckerConfig()
    _, folders = set_features(clique_set)
    digests = {k: file_digest(clique_set.root / k) for k in folders}
    timed = tmp_path / "validation.jsonl"
    contenders = [Contender("default", start), Contender("incumbent", target)]
    validate(contenders, clique_set, folders, 0.2, Pool(), store=timed, digests=digests)
    store = tmp_path / "ablation.jsonl"
    ab = measure_ablation(
        start, target, clique_set, 0.2, store=store, seed_from=timed, budget_mode="work"
    )
    header, lines = Journal(store).read()
    assert header["budget_mode"] == "work" and len(lines) == ab.checks
    assert all(line["budget_mode"] == "work" for line in lines)
    assert ab.steps[-1].solved == 3  # the clique bound answers whatever the budget counts


def _cost(config: CheckerConfig) -> tuple[Measurement, ...]:
    """A cost we know: each change towards the target below saves its weight."""
    saved = 3.0 * (not config.incremental) + 2.0 * (config.solver == "glucose42")
    saved += 1.0 * (not config.local_search)
    return (Measurement("p1", "SAT", 10.0 - saved, 100.0), Measurement("p2", "SAT", 1.0, 100.0))


def test_switches_carry_their_knobs_and_forbidden_moves_are_skipped():
    start = CheckerConfig()  # incremental CaDiCaL, local search on
    target = CheckerConfig(solver="glucose42", incremental=False, local_search=False, ls_flips=500)
    # the switch carries every knob it switches on (the table's children of local_search)
    switch = ("local_search", *(k.name for k in KNOBS if k.parent == "local_search"))
    assert switch[:5] == ("local_search", "ls_flips", "ls_noise", "ls_tabu", "ls_tabu_factor")
    assert change_groups(start, target) == [("solver",), switch, ("incremental",)]
    seen: list[int] = []
    steps, skipped, _ = greedy_path(
        start, target, lambda cs: seen.append(len(cs)) or [_cost(c) for c in cs]
    )
    moved = [[c.knob for c in s.changes] for s in steps[1:]]
    # glucose42 cannot keep a formula: the solver moves only once incremental is off
    assert moved == [["incremental"], ["solver"], list(switch)]
    assert skipped == (
        "solver alone (step 1): incremental checking needs a solver that supports it, not glucose42 (set incremental: false)",
    )
    assert seen == [1, 2, 2, 1]  # the start, then each step's allowed candidates
    assert [s.gain for s in steps] == [0.0, 1.5, 1.0, 0.5]  # PAR10: the mean of 2 problems
    assert [s.share for s in steps[1:]] == pytest.approx([0.5, 1 / 3, 1 / 6])
    assert steps[-1].config == target.to_mapping()


def test_no_gain_no_shares():
    start, target = CheckerConfig(incremental=False), CheckerConfig()
    steps, _, interval = greedy_path(start, target, lambda cs: [_cost(c) for c in cs])
    assert steps[1].gain == -1.5 and all(s.share is None for s in steps)  # mean of 2 problems
    assert interval == pytest.approx(steps[1].interval) and interval > 0
