"""Run folders: a folder of another kind is refused, one writer at a time (issue 33, item 3)."""

from __future__ import annotations

import pytest

from auctool._runfolder import claim, claimed, locked, run_kind
from auctool.errors import InputError, RunError


def test_kinds_are_told_by_their_files(tmp_path):
    assert run_kind(tmp_path / "absent") is None
    assert run_kind(tmp_path) is None
    (tmp_path / ".lock").write_text("")
    assert run_kind(tmp_path) is None  # a lock alone is no run
    cases = {
        "tune": ("report.json",),
        "seeds": ("settings.json",),
        "simulate": ("summary.json", "rounds.csv"),
        "recording": ("manifest.json",),
        "other": ("notes.txt",),
    }
    for kind, files in cases.items():
        folder = tmp_path / kind
        folder.mkdir()
        for name in files:
            (folder / name).write_text("{}")
        assert run_kind(folder) == kind


def test_another_kind_or_a_users_files_are_refused(tmp_path):
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "settings.json").write_text("{}")
    with pytest.raises(InputError, match=r"holds a multi-seed simulation \(--seeds\), not a sim"):
        claim(tmp_path / "seeds", "simulate")
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "thesis.tex").write_text("precious")
    with pytest.raises(InputError, match="holds files that are no auctool run"):
        claim(tmp_path / "mine", "simulate")
    claim(tmp_path / "seeds", "seeds")  # the same kind: resumed, not refused
    (tmp_path / "file").write_text("")
    with pytest.raises(InputError, match="the output folder must name a folder"):
        claim(tmp_path / "file", "simulate")


def test_one_writer_at_a_time(tmp_path):
    with (
        locked(tmp_path / "run", "simulate"),
        pytest.raises(RunError, match="another simulate is writing to this folder"),
        locked(tmp_path / "run", "simulate"),
    ):
        pass
    with locked(tmp_path / "run"):  # released
        pass


def test_an_output_that_cannot_be_written_fails_before_the_work(tmp_path):
    (tmp_path / "file").write_text("")
    with (
        pytest.raises(InputError, match="cannot write: Not a directory"),
        claimed(tmp_path / "file" / "out", "simulate"),
    ):
        raise AssertionError("the work must not start")
