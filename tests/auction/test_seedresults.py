"""What many auctions found, as values: figures from a summary, a seed's difference, the
means and percentiles over the seeds, the paired differences of every headline figure, the
tables and JSON a run writes (nothing runs)."""

from __future__ import annotations

import pytest

from auctool.auction.seedresults import Figures, SeedOutcome, SeedsResult
from auctool.auction.tables import paired_table, seeds_table, seeds_tables


def _summary(cost: int, timeouts: int = 0, wall: float | None = None, frozen: int | None = None):
    """A seed's summary.json (``wall`` None: one written before wall time was kept)."""
    body = {
        "cost": cost,
        "winners": 3,
        "frozen_by_timeout": timeouts if frozen is None else frozen,
        "rounds": 9,
        "checks": {"total": 10, "UNSAT": 2, "TIMEOUT": timeouts},
        "check_seconds": {"p50": 0.01, "p99": 0.5},
    }
    if wall is not None:
        body["timing"] = {"wall_seconds": wall}
        body["check_seconds"]["total"] = wall / 2
    return body


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
    result = SeedsResult(outcomes, {"world": "w"}, labels)
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
    assert body["paired"]["mean"] == -10 and body["paired_figures"]["cost"]["n"] == 2
    nothing = SeedsResult((SeedOutcome(1, error="x"),), {})
    assert nothing.overall("run") is None and nothing.paired is None
    assert nothing.to_json()["paired_figures"] is None


def test_the_table_names_the_configurations_it_compares():
    outcomes = (_outcome(1, 100, 130), _outcome(2, 200, 190))

    def headers(labels):
        table = seeds_table(SeedsResult(outcomes, {}, labels).to_json())
        return [str(c.header) for c in table.columns]

    named = headers({"run": "tuned.yaml", "baseline": "default.yaml"})
    assert named[1] == "tuned.yaml $M" and named[6] == "default.yaml $M"
    alike = headers({"run": "tuned.yaml", "baseline": "tuned.yaml"})  # two folders' files
    assert headers(None) == alike and (alike[1], alike[6]) == ("cost $M", "base $M")


def _pair(seed: int, cost: tuple, frozen: tuple, wall: tuple) -> SeedOutcome:
    """A seed whose (run, baseline) cost, frozen-by-TIMEOUT and wall are given."""
    run, base = (_summary(c, 1, w, f) for c, f, w in zip(cost, frozen, wall, strict=True))
    return SeedOutcome(seed, Figures.of(run), Figures.of(base))


#: Six seeds: the run 10 $ cheaper (give or take 1) and 0.9 or 1 s faster on every seed;
#: frozen by a TIMEOUT one more, then one fewer, by turns (no difference to speak of).
SIX = tuple(
    _pair(k, (989 + k % 3, 1000), (2 + (-1) ** k, 2), (9 + 0.1 * (k + k % 2), 10 + 0.1 * k))
    for k in range(1, 7)
)


def test_every_headline_figure_is_paired_with_its_interval():
    result = SeedsResult(SIX, {})
    cost, frozen = result.paired_figures["cost"], result.paired_figures["frozen_by_timeout"]
    wall, timeouts = result.paired_figures["wall_seconds"], result.paired_figures["TIMEOUT"]
    assert cost == result.paired and cost.mean == -10 and cost.t_interval[1] < 0
    assert frozen.mean == 0 and frozen.t_interval[0] < 0 < frozen.t_interval[1]
    assert not frozen.significant and (frozen.run_lower, frozen.baseline_lower) == (3, 3)
    assert wall.mean == pytest.approx(-0.95) and wall.significant and wall.run_lower == 6
    assert timeouts.ties == 6 and timeouts.t_interval == (0, 0)
    body = result.to_json()["paired_figures"]
    assert list(body) == ["cost", "frozen_by_timeout", "TIMEOUT", "wall_seconds"]
    assert body["cost"]["run_cheaper"] == 6 == body["cost"]["run_lower"]
    assert result.to_json()["paired"].items() <= body["cost"].items()
    assert "run_cheaper" not in body["wall_seconds"]
    assert "the run is faster" in body["wall_seconds"]["verdict"]
    assert body["wall_seconds"]["run_mean"] == pytest.approx(9.4)
    assert body["wall_seconds"]["baseline_mean"] == pytest.approx(10.35)
    ratio = body["wall_seconds"]["ratio"]
    assert ratio["ratio"] == pytest.approx(10.35 / 9.4, abs=1e-4)
    assert 1 < ratio["t_interval"][0] < ratio["ratio"] < ratio["t_interval"][1]
    assert all(b["seeds_left_out"] == 0 for b in body.values())
    first = SIX[0].run
    assert first.to_json()["check_seconds_total"] == first.wall_seconds / 2 == 4.6


def test_an_older_seed_without_wall_time_loads_and_is_left_out_of_the_wall_interval():
    old = _summary(990, 1)  # a seed summary.json from before wall time was kept
    figs = Figures.of(old, [0.1])
    assert figs.wall_seconds is None and figs.check_seconds_total is None and figs.cost == 990
    assert figs.to_json()["wall_seconds"] is None
    resumed = SeedOutcome(7, figs, Figures.of(_summary(1000, 1)), resumed=True)
    result = SeedsResult((*SIX, resumed), {})
    body = result.to_json()["paired_figures"]
    assert body["cost"]["n"] == 7 and body["cost"]["seeds_left_out"] == 0
    assert body["wall_seconds"]["n"] == 6 and body["wall_seconds"]["seeds_left_out"] == 1
    caption = str(paired_table(result.to_json()).caption)
    assert "wall s: over 6 seeds, 1 left out" in caption
    only_old = SeedsResult((resumed,), {}).to_json()["paired_figures"]
    assert only_old["wall_seconds"] is None and only_old["cost"]["n"] == 1
    rows = _rows(paired_table(SeedsResult((resumed,), {}).to_json()))
    assert rows["wall s"][5] == "no seed has it" and rows["cost $M"][5] == "one seed: no interval"


def _rows(table) -> dict[str, list[str]]:
    cells = [[str(c) for c in column.cells] for column in table.columns]
    return {row[0]: row for row in zip(*cells, strict=True)}


def test_the_paired_table_has_a_row_per_figure_with_its_verdict():
    labels = {"run": "tuned.yaml", "baseline": "default.yaml"}
    body = SeedsResult(SIX, {}, labels).to_json()
    first, table = seeds_tables(body)
    assert first.caption is None  # the verdicts are the paired table's, said once
    headers = [str(c.header) for c in table.columns]
    assert headers[:6] == ["figure", "tuned.yaml", "default.yaml", "difference",
                           "95% t interval", "verdict"]  # fmt: skip
    rows = _rows(table)
    assert list(rows) == ["cost $M", "frozen by TIMEOUT", "TIMEOUT checks", "wall s"]
    assert rows["cost $M"][5] == "significant: run cheaper"
    assert rows["frozen by TIMEOUT"][5] == "not significant"
    assert rows["wall s"][1:4] == ("9.400", "10.350", "-0.950")
    assert rows["wall s"][5] == "significant: run faster" and rows["wall s"][7] == "6 / 0 / 0"
    assert "baseline / run = 1.10, 95% t interval [1." in str(table.caption)


def test_a_seeds_summary_written_before_the_figures_were_paired_still_reads():
    body = SeedsResult(SIX, {}).to_json()
    del body["paired_figures"]  # an older run folder's summary.json
    assert paired_table(body) is None and len(seeds_tables(body)) == 1
    assert "run is cheaper" in str(seeds_table(body).caption)  # its cost verdict, as then
