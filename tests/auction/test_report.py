"""Reports: check-time statistics, the summary, the comparison with a baseline, the CSV files."""

import json
import time

import pandas as pd
import pytest

from auctool.auction.checks import CheckingAsker
from auctool.auction.engine import ClockAuction
from auctool.auction.market import build_market
from auctool.auction.report import (
    comparison,
    frozen_by_timeout_alone,
    seconds_stats,
    summary,
    write_outputs,
)
from auctool.auction.simulate import Simulation, SimulationOptions
from auctool.check import Answer, CheckerConfig, CheckResult, make_checker
from tests.auction.worlds import THREE_STATION_VALUES, three_station_world


def test_seconds_stats_by_hand():
    stats = seconds_stats(list(range(1, 102)))  # 1..101
    assert stats == {
        "p50": 51.0,
        "p90": 91.0,
        "p99": 100.0,
        "max": 101.0,
        "mean": 51.0,
        "total": 5151.0,
    }
    assert seconds_stats([])["p99"] == 0.0


class TimesOutOn:
    """A real checker, except that questions about ``station`` time out: a slow configuration.

    Timing cannot be made deterministic in a test, so the slow side is simulated here."""

    def __init__(self, checker, station: int):
        self.checker, self.station = checker, station

    def check(self, problem, cutoff=None, instance=""):
        if problem.new_stations == (self.station,):
            return CheckResult(Answer.TIMEOUT, cutoff or 0.0, instance=instance)
        return self.checker.check(problem, cutoff, instance)


def _simulation(tmp_path, slow_station: int | None = None) -> Simulation:
    world = three_station_world()
    values = tmp_path / "values.csv"
    values.write_text(THREE_STATION_VALUES)
    options = SimulationOptions(cutoff=5, values_file=values)
    checker = make_checker(world.data, CheckerConfig())
    if slow_station is not None:
        checker = TimesOutOn(checker, slow_station)
    asker = CheckingAsker(checker, 5)
    start = time.perf_counter()
    outcome = ClockAuction(build_market(world, 84, 0, values), asker, cutoff=5).run()
    return Simulation(
        outcome,
        tuple(asker.log),
        CheckerConfig(),
        options,
        time.perf_counter() - start,
        asker.check_wall,
        0.0,
    )


def test_summary_figures(tmp_path):
    body = summary(_simulation(tmp_path))
    assert body["rounds"] == 8 and body["final_clock"] == pytest.approx(597.078, abs=1e-3)
    assert (
        body["checks"]["total"] == 5 and body["checks"]["SAT"] == 4 and body["checks"]["UNSAT"] == 1
    )
    assert body["checks"]["by_kind"] == {"bid": 2, "initial": 1, "status": 2}
    # whichever components answered, every check is counted once, by name and by family
    assert sum(body["solved_by"].values()) == 5 == sum(body["solved_by_kind"].values())
    assert {name.split(":")[0] for name in body["solved_by"]} == set(body["solved_by_kind"])
    assert body["cost"] == 314_251 and body["winners"] == 1 and body["winner_value"] == 100_000
    assert body["exited"] == 1 and body["participants"] == 2 and body["on_air"] == 2
    assert len(body["per_round"]) == 9 and body["per_round"][0]["base_clock"] == 900
    assert body["timing"]["overhead_seconds"] >= 0
    json.dumps(body)  # plain JSON


def test_a_timeout_the_baseline_answered_counts_as_frozen_by_timeout_alone(tmp_path):
    """B's round-0 question times out in the slow run: B wins at its opening price,
    where the baseline (answering SAT) let the clock run and paid C 314,251 instead."""
    slow, fast = _simulation(tmp_path, slow_station=2), _simulation(tmp_path)
    assert slow.outcome.frozen_by[1] == "TIMEOUT" and slow.outcome.price[1] == 900_000
    assert frozen_by_timeout_alone(slow, fast) == [2]
    assert frozen_by_timeout_alone(fast, slow) == []
    cmp = comparison(slow, fast)
    assert cmp["cost"] == 900_000 and cmp["baseline_cost"] == 314_251
    assert cmp["cost_difference"] == 900_000 - 314_251
    assert cmp["frozen_by_timeout_alone"] == 1 and cmp["baseline_frozen_by_timeout_alone"] == 0
    assert summary(slow)["solved_by"]["none (TIMEOUT)"] == 1


def test_outputs_are_csv_tables_and_a_summary(tmp_path):
    run = _simulation(tmp_path)
    paths = write_outputs(tmp_path / "out", run, _simulation(tmp_path, slow_station=3))
    names = sorted(str(p.relative_to(tmp_path / "out")) for p in paths)
    assert names == sorted(
        [f"{d}{n}.csv" for d in ("", "baseline/") for n in ("rounds", "checks", "stations")]
        + ["summary.json"]
    )
    rounds = pd.read_csv(tmp_path / "out" / "rounds.csv")
    assert list(rounds.columns[:5]) == ["round", "base_clock", "active", "frozen", "exited"]
    assert rounds["round"].tolist() == list(range(9)) and rounds["checks"].sum() == 5
    checks = pd.read_csv(tmp_path / "out" / "checks.csv")
    assert checks["answer"].tolist() == ["SAT", "SAT", "SAT", "SAT", "UNSAT"]
    stations = pd.read_csv(tmp_path / "out" / "stations.csv").set_index("station")
    assert stations.loc[3, "payment"] == 314_251 and stations.loc[2, "status"] == "exited"
    assert stations.loc[1, "status"] == "non-participant" and pd.isna(stations.loc[1, "value"])
    body = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert body["comparison"]["cost"] == 314_251 and "baseline" in body


def test_the_cores_report_counts_what_the_checks_stored(tmp_path):
    run = _simulation(tmp_path)
    cores = summary(run)["cores"]
    unsat = [c for c in run.checks if c.answer == "UNSAT"]
    assert cores["unsat_answers"] == len(unsat) == 1
    # the one UNSAT answer is a clique proof: its stations went into the cache as a core
    assert unsat[0].solved_by.startswith("presolve:clique") and unsat[0].core >= 2
    assert cores["stored"] == 1 and cores["stations_max"] == unsat[0].core
    assert cores["unsat_from_cache"] == 0 and cores["cache_hit_rate"] == 0.0
