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
from tests.helpers import as_from_a_terminal

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


def test_auction_only_knobs_are_held_at_their_defaults_unless_freed(php_sets, tmp_path):
    """Independent problems cannot measure the cache, the previous assignment or
    incremental solving: tune keeps them at their defaults (an incumbent with them off
    lost in the auction while validating as a win)."""
    plain = run_tune(_settings(php_sets, tmp_path / "plain", validate=False))
    assert plain.report["fixed"] == {"cache": True, "previous": True, "incremental": True}
    configs = plain.report["configs"].values()
    assert {(c["cache"], c["previous"]) for c in configs} == {(True, True)}
    header = (tmp_path / "plain" / "incumbent.yaml").read_text()
    assert "held fixed: cache=true, previous=true, incremental=true" in header
    freed = run_tune(_settings(php_sets, tmp_path / "freed", validate=False, free=("cache",)))
    assert "cache" not in freed.report["fixed"] and freed.report["freed"] == ["cache"]
    assert {c["cache"] for c in freed.report["configs"].values()} == {True, False}
    for free, fixed, message in [
        (("speed",), {}, "unknown knob"),
        (("solver",), {}, "tune already tunes it"),
        (("cache",), {"cache": False}, "contradict"),
    ]:
        with pytest.raises(InputError, match=message):
            run_tune(_settings(php_sets, tmp_path / "bad", free=free, fixed=fixed))


def test_a_users_fix_wins_over_a_held_default(php_sets, tmp_path):
    # lingeling keeps no formula: incremental solving is then not held (it cannot be on)
    fix = {"cache": False, "solver": "lingeling"}
    held = run_tune(_settings(php_sets, tmp_path / "run", validate=False, fixed=fix))
    assert held.report["fixed"] == {"cache": False, "solver": "lingeling", "previous": True}
    assert held.incumbent.cache is False and held.incumbent.solver == "lingeling"
    assert {c["cache"] for c in held.report["configs"].values()} == {False}
    with pytest.raises(InputError, match="unknown knob"):
        run_tune(_settings(php_sets, tmp_path / "bad", fixed={"speed": 11}))


def test_a_folder_made_with_other_settings_is_refused_naming_them(php_sets, tmp_path):
    """Trials at one cutoff mean nothing at another: continuing is refused, not mixed;
    --warm-from starts a new run in another folder that reuses what still holds."""
    out = tmp_path / "run"
    first = run_tune(_settings(php_sets, out, validate=False, trials=6))
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    with pytest.raises(InputError) as err:
        run_tune(_settings(php_sets, out, validate=False, trials=6, cutoff=0.4, seed=3))
    message = str(err.value)
    assert "cutoff: 0.2 -> 0.4" in message and "seed: 2 -> 3" in message, message
    assert "--overwrite" in message and f"--warm-from {out}" in message
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before
    # a bigger budget is the same run, continued
    more = run_tune(_settings(php_sets, out, validate=False, trials=8))
    assert more.report["tuning"]["trials"] == 8
    warm = run_tune(
        _settings(php_sets, tmp_path / "warm", validate=False, trials=4, cutoff=0.4, warm_from=out)
    )
    reused = warm.report["tuning"]["rounds"][0]["reused_trials"]
    assert 0 < reused <= 8 and warm.report["tuning"]["trials"] == 4
    assert first.report["tuning"]["trials"] == 6
    with pytest.raises(InputError, match="holds no tune run"):
        run_tune(_settings(php_sets, tmp_path / "x", warm_from=tmp_path / "nothing"))
    with pytest.raises(InputError, match="output folder itself"):
        run_tune(_settings(php_sets, out, trials=8, warm_from=out))


def test_work_mode_refuses_what_it_cannot_bound(php_sets, tmp_path):
    with pytest.raises(InputError, match="lingeling takes no conflict budget"):
        run_tune(
            _settings(php_sets, tmp_path / "l", budget_mode="work", fixed={"solver": "lingeling"})
        )
    with pytest.raises(InputError, match="budget mode must be one of time, work, got 'bogus'"):
        run_tune(_settings(php_sets, tmp_path / "b", budget_mode="bogus"))
    assert not (tmp_path / "l").exists() and not (tmp_path / "b").exists()


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
    return subprocess.Popen(
        cmd,
        cwd=ROOT,
        env=env,
        start_new_session=True,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=as_from_a_terminal,
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


def _interrupt(*args):
    raise KeyboardInterrupt  # a Ctrl-C at this very point


def test_a_ctrl_c_before_a_session_decides_anything_keeps_the_last_sessions_files(
    php_sets, tmp_path, monkeypatch
):
    """Stopped while SMAC replays the journal: trials.csv, the incumbent and its report
    (validation included) stay as the finished session left them (once: an empty
    trials.csv and '0 trials')."""
    from auctool.tune import smac_driver

    out = tmp_path / "run"
    run_tune(_settings(php_sets, out, trials=6))
    files = {n: (out / n).read_text() for n in ("trials.csv", "incumbent.yaml", "report.json")}
    monkeypatch.setattr(smac_driver._Round, "_resume", _interrupt)
    with pytest.raises(KeyboardInterrupt):
        run_tune(_settings(php_sets, out, trials=6))
    assert {n: (out / n).read_text() for n in files} == files
    assert len(_csv(out / "trials.csv")) == 6


def test_an_interrupted_revalidation_keeps_the_finished_validation(php_sets, tmp_path):
    out = tmp_path / "run"
    done = run_tune(_settings(php_sets, out, trials=6))
    assert done.report["validation"] is not None
    with pytest.raises(KeyboardInterrupt):
        # two repeats: the validation store holds one, so checks run (and are stopped)
        run_tune(_settings(php_sets, out, trials=6, repeats=2), on_validation=_interrupt)
    report = json.loads((out / "report.json").read_text())
    assert report["interrupted"] and report["validation"] == done.report["validation"]
    assert "6 trials" in (out / "incumbent.yaml").read_text()
