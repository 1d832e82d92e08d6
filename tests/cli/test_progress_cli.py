"""Progress off a terminal (issue 36): a plain line on stderr at a step when the last is
old enough, and from a timer when no step comes (a seed's auction can take minutes)."""

from __future__ import annotations

import threading

from auctool.cli import _common
from auctool.cli._common import Output, ProgressLines


def test_the_timer_says_the_line_when_no_step_comes(monkeypatch, capsys):
    monkeypatch.setattr(_common, "PROGRESS_LINE_SECONDS", 0.01)
    said = threading.Event()

    def line() -> str:
        said.set()
        return "seeds: 0/3 done, 5 s"

    with ProgressLines(Output(), line):
        assert said.wait(60)  # no step at all: the timer said it
    assert "seeds: 0/3 done, 5 s\n" in capsys.readouterr().err


def test_quiet_says_nothing_and_steps_wait_for_the_interval(monkeypatch, capsys):
    monkeypatch.setattr(_common, "PROGRESS_LINE_SECONDS", 0)
    with ProgressLines(Output(quiet=True), lambda: "x") as lines:
        lines.step()
    assert capsys.readouterr().err == ""
    monkeypatch.setattr(_common, "PROGRESS_LINE_SECONDS", 3600)  # the timer never fires
    with ProgressLines(Output(), lambda: "too soon") as lines:
        lines.step()
    assert capsys.readouterr().err == ""
