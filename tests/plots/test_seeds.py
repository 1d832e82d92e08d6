"""The paired-differences plot and the verdict read one interval (issue 36): with three
seeds of one sign the percentile bootstrap excluded 0 on the plot while the verdict, on
the t interval, said "not significant"."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from matplotlib.container import ErrorbarContainer

from auctool.auction.paired import PairedDifference, paired_difference
from auctool.plots import seeds as seeds_module


def _folder(tmp_path: Path, diffs: list[int]) -> Path:
    """A multi-seed run's summary.json: baseline 1,000 $ M, run that plus each difference."""
    rows = [
        {"seed": k, "run": {"cost": 10**9 + d}, "baseline": {"cost": 10**9}, "cost_difference": d}
        for k, d in enumerate(diffs, 1)
    ]
    body = {"kind": "seeds", "seeds": rows, "paired": paired_difference(diffs).to_json()}
    (tmp_path / "summary.json").write_text(json.dumps(body))
    return tmp_path


def _figure(folder: Path, monkeypatch) -> tuple[Any, dict]:
    """The figure seeds_plots draws of ``folder`` (kept, not saved), and the summary."""
    figures = []
    monkeypatch.setattr(seeds_module, "save", lambda fig, path: figures.append(fig) or path)
    _, summary = seeds_module.seeds_plots(folder, folder)
    return figures[0], summary


def _drawn(tmp_path: Path, diffs: list[int], monkeypatch) -> tuple[list, str, dict]:
    """The intervals the right panel draws ($ M), its title, and the run's paired JSON."""
    figure, summary = _figure(_folder(tmp_path, diffs), monkeypatch)
    right = figure.axes[1]
    bars = [c for c in right.containers if isinstance(c, ErrorbarContainer)]
    spans = [tuple(seg[:, 0]) for c in bars for seg in c.lines[2][0].get_segments()]
    return spans, right.get_title(), summary["paired"]


@pytest.mark.parametrize(
    "diffs",
    [
        [-10_000_000, -20_000_000, -300_000_000],  # one sign: the bootstrap excluded 0
        [-50_000_000, -52_000_000, -49_000_000, -51_000_000],  # significant
        [-5_000_000, 4_000_000, 1_000_000],
    ],
)
def test_the_plot_draws_the_verdicts_interval_and_says_its_verdict(tmp_path, monkeypatch, diffs):
    spans, title, stats = _drawn(tmp_path, diffs, monkeypatch)
    low, high = (v / 1e6 for v in stats["t_interval"])
    assert spans == [pytest.approx((low, high))]  # the t interval, and no other
    verdict = PairedDifference.from_json(stats)
    assert title.endswith(f"({verdict.headline})")
    assert stats["verdict"].startswith(f"{verdict.headline}:")
    assert (low > 0 or high < 0) == stats["significant"] == verdict.significant


def test_the_plot_names_run_and_baseline(tmp_path, monkeypatch):
    folder = _folder(tmp_path, [-1, 2])
    body = json.loads((folder / "summary.json").read_text())
    body["labels"] = {"run": "tuned.yaml", "baseline": "default.yaml"}
    (folder / "summary.json").write_text(json.dumps(body))
    left = _figure(folder, monkeypatch)[0].axes[0]
    assert left.get_xlabel().endswith(": default.yaml")
    assert left.get_ylabel().endswith(": tuned.yaml")
