"""What many auctions found, as values: figures from a summary, a seed's difference, the
means and percentiles over the seeds, the table and JSON a run writes (nothing runs)."""

from __future__ import annotations

import pytest

from auctool.auction.paired import paired_difference
from auctool.auction.seedresults import Figures, SeedOutcome, SeedsResult
from auctool.auction.tables import seeds_table


def _summary(cost: int, timeouts: int = 0) -> dict:
    return {
        "cost": cost,
        "winners": 3,
        "frozen_by_timeout": timeouts,
        "rounds": 9,
        "checks": {"total": 10, "UNSAT": 2, "TIMEOUT": timeouts},
        "check_seconds": {"p50": 0.01, "p99": 0.5},
    }


def _outcome(seed: int, run: int, base: int | None) -> SeedOutcome:
    other = None if base is None else Figures.of(_summary(base, 1), [0.2, 0.4])
    return SeedOutcome(seed, Figures.of(_summary(run), [0.1, 0.3]), other)


def test_figures_read_a_summary_and_a_seed_knows_its_difference():
    figs = Figures.of(_summary(500, 2), [0.5])
    assert (figs.cost, figs.checks, figs.unsat, figs.timeouts, figs.p99) == (500, 10, 2, 2, 0.5)
    assert figs.to_json()["TIMEOUT"] == 2 and figs.seconds == (0.5,)
    assert _outcome(1, 100, 130).difference == -30
    assert _outcome(1, 100, None).difference is None
    failed = SeedOutcome(2, error="boom")
    assert not failed.ok and failed.to_json()["status"] == "failed"


def test_overall_table_and_json_over_the_seeds():
    outcomes = (_outcome(1, 100, 130), SeedOutcome(2, error="boom"), _outcome(3, 200, 190))
    labels = {"run": "tuned.yaml", "baseline": "default.yaml"}
    result = SeedsResult(outcomes, {"world": "w"}, paired_difference([-30, 10]), labels)
    assert result.failed == (2,)
    run = result.overall("run")
    assert run["seeds"] == 2 and run["cost_mean"] == 150 and run["checks"] == 20
    assert run["check_seconds"]["max"] == pytest.approx(0.3)
    assert result.overall("baseline")["TIMEOUT"] == 2
    table = result.table()
    assert list(table["seed"]) == [1, 2, 3] and list(table["status"]) == ["ran", "failed", "ran"]
    assert table.loc[0, "cost_difference"] == -30 and table.loc[2, "baseline_cost"] == 190
    body = result.to_json()
    assert body["kind"] == "seeds" and body["labels"] == labels and body["paired"]["n"] == 2
    assert SeedsResult((SeedOutcome(1, error="x"),), {}, None).overall("run") is None


def test_the_table_names_the_configurations_it_compares():
    outcomes = (_outcome(1, 100, 130), _outcome(2, 200, 190))
    paired = paired_difference([-30, 10])

    def headers(labels):
        table = seeds_table(SeedsResult(outcomes, {}, paired, labels).to_json())
        return [str(c.header) for c in table.columns]

    named = headers({"run": "tuned.yaml", "baseline": "default.yaml"})
    assert named[1] == "tuned.yaml $M" and named[6] == "default.yaml $M"
    alike = headers({"run": "tuned.yaml", "baseline": "tuned.yaml"})  # two folders' files
    assert headers(None) == alike and (alike[1], alike[6]) == ("cost $M", "base $M")
