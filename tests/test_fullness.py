"""A full disk or an unwritable output: one plain line and the right exit code, no
traceback, no "internal error", nothing half-written (issue 33, item 5).

A full disk is a file-size limit (``RLIMIT_FSIZE``) on the command's process: its writes
past the limit fail with EFBIG as they would with ENOSPC; works without root or mounts.
"""

from __future__ import annotations

import json
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
WORLD = ROOT / "instances" / "worlds" / "default"
SET = ROOT / "instances" / "sets" / "test"

pytestmark = pytest.mark.skipif(not hasattr(resource, "RLIMIT_FSIZE"), reason="no RLIMIT_FSIZE")


def _auctool(*args, limit: int | None = None, env=None) -> subprocess.CompletedProcess:
    def cap() -> None:
        if limit is not None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of death
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    cmd = [sys.executable, "-m", "auctool", *map(str, args)]
    return subprocess.run(
        cmd, capture_output=True, text=True, preexec_fn=cap, timeout=300, env=env, cwd=ROOT
    )


def _one_plain_line(run: subprocess.CompletedProcess) -> str:
    lines = run.stderr.strip().splitlines()
    assert lines, "no message"
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr, run.stderr
    return lines[-1]


def test_a_full_disk_under_simulate_out_says_so(tmp_path):
    # the FCC's rule: the default's re-asking of timed-out questions takes minutes here
    run = _auctool("simulate", WORLD, "-t", "1", "--on-timeout", "freeze", "--seed", "5",
                   "--out", tmp_path / "x", "-q", limit=40_000)  # fmt: skip
    line = _one_plain_line(run)
    assert run.returncode == 1 and "cannot write" in line and "File too large" in line
    assert not [p for p in (tmp_path / "x").iterdir() if p.name.endswith(".tmp")]


def test_an_unwritable_out_fails_before_the_auction(tmp_path):
    (tmp_path / "file").write_text("")
    run = _auctool("simulate", WORLD, "-t", "1", "--out", tmp_path / "file" / "x", "-q")
    line = _one_plain_line(run)
    assert run.returncode == 2 and "cannot write: Not a directory" in line


@pytest.mark.parametrize(
    "args",
    [
        ("data", "synth", "{tmp}/w", "--stations", "120", "--seed", "1"),
        ("data", "convert", WORLD, "{tmp}/c", "--format", "channelspecific"),
        ("export", "--dimacs", "{tmp}/p.cnf", SET / "s3-000004-r000-status-5.srpk"),
        ("instances", "features", SET, "--out", "{tmp}/f.csv"),
    ],
)
def test_full_disk_is_one_line_for_every_writer(tmp_path, args):
    run = _auctool(*(str(a).format(tmp=tmp_path) for a in args), "-q", limit=2_000)
    line = _one_plain_line(run)
    assert run.returncode == 1 and "cannot write" in line, run.stderr


def test_a_full_disk_under_check_cache_goes_on_without_the_file(tmp_path):
    files = sorted(SET.glob("*.srpk"))[:12]
    cache = tmp_path / "c.sqlite"
    assert _auctool("check", "--json", "--cache", cache, *files[:2]).returncode == 0
    limit = max(f.stat().st_size for f in tmp_path.iterdir()) + 8_000  # room for a few rows
    run = _auctool("check", "--json", "--cache", cache, *files[2:], limit=limit)
    assert run.returncode == 0, run.stderr
    assert len(json.loads(run.stdout)["problems"]) == 10  # every problem answered
    assert "going on without it" in run.stderr
