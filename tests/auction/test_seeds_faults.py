"""A multi-seed run that is killed or interrupted leaves nothing running (issue 33, item 2).

Each test starts ``auctool simulate --seeds 1-4 --workers 2`` in a session of its own,
waits until its two worker processes (and their solver processes) are busy, signals the
run, and then asserts that no process of that session is left.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers import as_from_a_terminal

WORLD = Path(__file__).resolve().parents[2] / "instances" / "worlds" / "default"


def _session(sid: int) -> list[int]:
    """Live (not zombie) processes of session ``sid``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if fields[0] != "Z" and int(fields[3]) == sid:  # state, ppid, pgrp, session
            found.append(int(entry.name))
    return found


def _wait(condition, seconds: float) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


def _start(out: Path) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "auctool", "simulate", str(WORLD), "--cutoff", "1"]
    cmd += ["--seeds", "1-4", "--workers", "2", "--out", str(out), "--quiet"]
    return subprocess.Popen(
        cmd,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=as_from_a_terminal,
    )


pytestmark = pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc (Linux)")


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL])
def test_a_killed_run_leaves_no_worker_behind(tmp_path, sig):
    run = _start(tmp_path / "seeds")
    try:
        # the run, the forkserver, two workers and their solver processes
        assert _wait(lambda: len(_session(run.pid)) >= 5, 60), _session(run.pid)
        os.kill(run.pid, sig)
        run.wait(30)
        assert _wait(lambda: not _session(run.pid), 15), f"left running: {_session(run.pid)}"
        before = {p.name for p in (tmp_path / "seeds").iterdir()}
        time.sleep(2)  # and nothing writes on
        assert {p.name for p in (tmp_path / "seeds").iterdir()} == before
    finally:
        for pid in _session(run.pid):
            os.kill(pid, signal.SIGKILL)


def test_an_interrupt_stops_the_run_at_once_and_starts_no_seed(tmp_path):
    run = _start(tmp_path / "seeds")
    try:
        assert _wait(lambda: len(_session(run.pid)) >= 5, 60), _session(run.pid)
        os.killpg(run.pid, signal.SIGINT)  # Ctrl-C in a terminal: the whole group
        start = time.monotonic()
        _, err = run.communicate(timeout=30)
        assert time.monotonic() - start < 10
        seeds = tmp_path / "seeds"
        assert run.returncode == 130 and f"finished seeds are kept in {seeds}" in err, err
        assert "run the same command to continue" in err
        assert _wait(lambda: not _session(run.pid), 15), f"left running: {_session(run.pid)}"
        assert not any((seeds / f"seed-{k}" / "summary.json").is_file() for k in (3, 4))
    finally:
        for pid in _session(run.pid):
            os.kill(pid, signal.SIGKILL)
