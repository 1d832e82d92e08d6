"""Atomic writes leave the permissions ``open()`` would: the umask's, or the target's own."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from auctool._atomic import current_umask, write_text


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize(("mask", "expected"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_new_files_get_the_umask_permissions(umask, tmp_path, mask, expected):
    umask(mask)
    assert current_umask() == mask
    write_text(tmp_path / "out.txt", "hello\n")
    assert _mode(tmp_path / "out.txt") == expected
    assert not list(tmp_path.glob(".*.tmp"))


def test_rewriting_a_file_keeps_its_mode(umask, tmp_path):
    umask(0o022)
    target = tmp_path / "kept.txt"
    target.write_text("old\n")
    target.chmod(0o640)
    write_text(target, "new\n")
    assert target.read_text() == "new\n" and _mode(target) == 0o640
