"""``run_tune`` end to end: the run folder, continuing, overwriting, Hydra portfolios, kills."""

import csv
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from auctool.check.config.configs import CheckerConfig, PortfolioConfig, load_config
from auctool.errors import InputError
from auctool.tune.journal import Journal
from auctool.tune.run import TuneSettings, run_tune

ROOT = Path(__file__).resolve().parents[2]


def _settings(php_sets, out, **kw):
    base = dict(train=php_sets["train"], test=php_sets["test"], out=out, trials=12, seed=2)
    return TuneSettings(**{**base, **kw})


def _csv(path):
    with open(path) as fh:
        return list(csv.DictReader(fh))


def test_a_run_folder_has_everything(php_sets, tmp_path):
    out = tmp_path / "run"
    result = run_tune(_settings(php_sets, out))
    assert isinstance(load_config(out / "incumbent.yaml"), CheckerConfig)
    assert load_config(out / "incumbent.yaml") == result.incumbent
    # a validation loss is said where the configuration will be used, not only on screen
    worse = [n for n in result.report["notes"] if "did worse than" in n]
    header = [
        line for line in (out / "incumbent.yaml").read_text().splitlines() if "WARNING" in line
    ]
    assert header == [f"# WARNING: {n}" for n in worse]
    rows = _csv(out / "trials.csv")
    assert len(rows) == 12 and rows[0]["config_id"] == "1" and rows[0]["round"] == "1"
    assert {r["status"] for r in rows} <= {"SUCCESS", "TIMEOUT", "CRASHED"}
    report = json.loads((out / "report.json").read_text())
    assert report == result.report and report["tuning"]["trials"] == 12
    assert report["configs"]["1"] == CheckerConfig().to_mapping()
    v = report["validation"]
    assert v["held_out"] and v["set"] == str(php_sets["test"])
    assert [c["name"] for c in v["configs"]] == ["default", "incumbent"]
    assert all(c["solved"] == 9 and c["n"] == 10 for c in v["configs"])
    assert (out / "features.csv").is_file() and (out / "smac/round-1/2/runhistory.json").is_file()
    session = report["tuning"]["this_session"]
    assert 0 <= session["overhead_share"] <= 1 and session["check_seconds"] > 0


def test_the_same_command_continues_and_overwrite_starts_afresh(php_sets, tmp_path):
    out = tmp_path / "run"
    run_tune(_settings(php_sets, out, trials=6, validate=False))
    more = run_tune(_settings(php_sets, out, trials=9, validate=False))
    assert more.report["tuning"]["rounds"][0]["reused_trials"] == 6
    assert len(_csv(out / "trials.csv")) == 9
    fresh = run_tune(_settings(php_sets, out, trials=4, validate=False, overwrite=True))
    assert fresh.report["tuning"]["rounds"][0]["reused_trials"] == 0
    assert len(_csv(out / "trials.csv")) == 4 and not (out / "validation.jsonl").exists()


def test_fixed_knobs_hold_in_every_trial_and_a_new_fix_is_a_new_run(php_sets, tmp_path):
    out = tmp_path / "run"
    held = run_tune(_settings(php_sets, out, validate=False, fixed={"cache": False}))
    assert held.report["fixed"] == {"cache": False} and held.incumbent.cache is False
    assert {c["cache"] for c in held.report["configs"].values()} == {False}
    assert "held fixed: cache=false" in (out / "incumbent.yaml").read_text()
    fix = {"cache": True, "solver": "glucose3"}
    other = run_tune(_settings(php_sets, out, validate=False, fixed=fix))
    # every trial of the first run had the cache off: none of them fits the new space
    assert other.report["tuning"]["rounds"][0]["reused_trials"] == 0
    assert {(c["cache"], c["solver"]) for c in other.report["configs"].values()} == {
        (True, "glucose3")
    }
    with pytest.raises(InputError, match="unknown knob"):
        run_tune(_settings(php_sets, tmp_path / "bad", fixed={"speed": 11}))


def test_a_folder_that_is_not_a_run_is_never_touched(php_sets, tmp_path):
    (tmp_path / "mine.txt").write_text("precious")
    for overwrite in (False, True):
        with pytest.raises(InputError, match="not a tune run"):
            run_tune(_settings(php_sets, tmp_path, overwrite=overwrite))
    assert (tmp_path / "mine.txt").read_text() == "precious"


def test_hydra_builds_a_portfolio_file(php_sets, tmp_path):
    out = tmp_path / "run"
    result = run_tune(_settings(php_sets, out, trials=16, portfolio=2))
    config = load_config(out / "incumbent.yaml")
    rounds = result.report["tuning"]["rounds"]
    alone = [n for n in result.report["notes"] if "adds to the portfolio" in n]
    if len(rounds) == 2 and not alone:
        assert isinstance(config, PortfolioConfig) and len(config.members) == 2
        assert len(set(config.members)) == 2
    else:  # round 2 found nothing that adds to round 1's member: that member alone
        assert alone and isinstance(config, CheckerConfig)
    assert {r["round"] for r in _csv(out / "trials.csv")} == {str(r["round"]) for r in rounds}
    names = [c["name"] for c in result.report["validation"]["configs"]]
    assert names[0] == "default" and names[1] in ("portfolio", "incumbent")


# ---- interruptions ------------------------------------------------------------------------
def _command(php_sets, out, trials):
    return [
        sys.executable, "-m", "auctool", "tune", str(php_sets["train"]), "--trials", str(trials),
        "--out", str(out), "--seed", "3", "--no-validate", "--quiet",
    ]  # fmt: skip


def _journal_trials(out):
    _, records = Journal(out / "journal-round-1.jsonl").read()
    return [r for r in records if "mark" not in r]


def _start(cmd):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    # Ctrl-C as a user's terminal delivers it: a shell running the suite in the background
    # hands its children SIGINT ignored, and the run would never see it
    return subprocess.Popen(
        cmd,
        cwd=ROOT,
        env=env,
        start_new_session=True,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


def _kill_after(proc, out, n, sig=signal.SIGKILL, timeout=120):
    """Signal the run once the journal holds n trials (or it ended); the trials it had."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        if (out / "journal-round-1.jsonl").exists() and len(_journal_trials(out)) >= n:
            break
        time.sleep(0.01)
    if proc.poll() is None:
        if sig == signal.SIGKILL:
            os.killpg(proc.pid, sig)  # the process group: the solver children too
        else:
            os.kill(proc.pid, sig)
    proc.wait(timeout=60)
    return _journal_trials(out) if (out / "journal-round-1.jsonl").exists() else []


def _finish_and_check(php_sets, out, trials, before):
    done = subprocess.run(
        _command(php_sets, out, trials), cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    final = _journal_trials(out)
    assert final[: len(before)] == before  # nothing finished before a kill is lost
    assert len(final) == trials and len(_csv(out / "trials.csv")) == trials
    return final


def test_resume_after_sigkill_and_ctrl_c(php_sets, tmp_path):
    out, trials = tmp_path / "run", 80
    proc = _start(_command(php_sets, out, trials))
    before = _kill_after(proc, out, 6)
    assert proc.returncode == -signal.SIGKILL and len(before) >= 6
    proc = _start(_command(php_sets, out, trials))
    later = _kill_after(proc, out, len(before) + 2, sig=signal.SIGINT)
    assert proc.returncode == 130, proc.stderr.read()
    assert "run the same command to continue" in proc.stderr.read()
    assert later[: len(before)] == before
    _finish_and_check(php_sets, out, trials, later)


@pytest.mark.slow
def test_resume_after_many_sigkills_at_random_points(php_sets, tmp_path):
    out, rng, trials = tmp_path / "run", random.Random(7), 60
    kept: list = []
    for _ in range(8):
        proc = _start(_command(php_sets, out, trials))
        now = _kill_after(proc, out, len(kept) + rng.randint(0, 8))
        assert now[: len(kept)] == kept
        kept = now
    _finish_and_check(php_sets, out, trials, kept)
