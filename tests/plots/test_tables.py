"""The tuning table says why a run has no validation (issue 33: a run killed while it
validated read like a finished --no-validate run)."""

from __future__ import annotations

from auctool.plots.tables import tuning_table


def _caption(summary) -> str:
    return str(tuning_table(summary).caption)


def test_a_run_stopped_while_validating_says_so():
    assert "validation not finished" in _caption({"validate": True, "validation": None})
    assert "--no-validate" in _caption({"validate": False, "validation": None})
    assert "--no-validate" in _caption({"validation": None})  # older report.json files
