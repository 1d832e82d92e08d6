"""The tune run folder: claiming it, knowing whose run it holds, continuing it or
starting afresh, and warm-starting from another run's folder.

Why here: a folder continues only the run that made it (:func:`run_identity`); the
settings a session may change (budget, trials, workers, the test set) are not in it.
"""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

from auctool._json import write_json
from auctool._runfolder import TUNE_SETTINGS, changed_settings, claim, read_settings, run_kind
from auctool.check.config.knobs import yaml_word
from auctool.check.config.space import build_space
from auctool.errors import InputError
from auctool.formats.instances import InstanceSet
from auctool.tune.journal import digest, file_digest

if TYPE_CHECKING:
    from auctool.tune.run import TuneSettings

log = logging.getLogger("auctool.tune")


def prepare_out(out: Path, overwrite: bool) -> None:
    if out.exists() and not out.is_dir():
        raise InputError.of_setting("out", "must be a folder", out, subject="the output")
    if not out.is_dir() or not any(out.iterdir()):
        return
    if run_kind(out) != "tune":
        claim(out, "tune")  # says what the folder holds instead


def read_report(path: Path) -> dict[str, Any] | None:
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return found if isinstance(found, dict) else None


def clear(out: Path) -> None:
    for item in out.iterdir():
        if item.name == ".lock":
            continue
        if item.is_dir() and not item.is_symlink():
            shutil.rmtree(item)
        else:
            item.unlink()


def run_identity(s: TuneSettings, train: InstanceSet, cutoff: float) -> dict[str, Any]:
    """What a run's trials mean: a folder continues only a run with all of these the same
    (budget, trials, workers, the test set and repeats may change between sessions)."""
    held = {k: yaml_word(v) for k, v in s.held.items()}
    return {
        "train_files": digest({e.file: file_digest(train.root / e.file) for e in train.entries}),
        "cutoff": cutoff,
        "objective": s.objective.value,
        "budget_mode": s.budget_mode,
        "seed": s.seed,
        "portfolio": s.portfolio,
        "held": held,
        "space": digest(build_space(None, s.held).to_serialized_dict()),
    }


def same_run(s: TuneSettings, train: InstanceSet, cutoff: float) -> None:
    """Refuse a folder whose run was made with other settings, naming them (its trials
    would mean something else: a TIMEOUT at 1 s says nothing at 2 s); else record ours."""
    path = s.out / TUNE_SETTINGS
    now = run_identity(s, train, cutoff)
    before = read_settings(path)
    if before is not None:  # a run from before work mode was a time-mode run
        before = {"budget_mode": "time", **before}
    if before is not None and before != now:
        reuse = (
            f"another --out with --warm-from {s.out} to reuse its trials"
            if before["budget_mode"] == now["budget_mode"]
            else "another --out (its trials do not hold in another budget mode)"
        )
        raise InputError(
            f"this tune run was made with other settings ({'; '.join(changed_settings(before, now))}): "
            "run with the same settings to continue it, add --overwrite to start afresh, or give "
            + reuse,
            s.out,
        )
    if before is None:
        write_json(path, now)


def check_warm_from(s: TuneSettings) -> None:
    src = s.warm_from
    if src is None:
        return
    if not (src / "journal-round-1.jsonl").is_file():
        raise InputError.of_setting("warm_from", "holds no tune run's trials", src)
    if src.resolve() == s.out.resolve():
        raise InputError.of_setting(
            "warm_from", "is the output folder itself: the same command continues a run", src
        )
    mode = (read_settings(src / TUNE_SETTINGS) or {}).get("budget_mode", "time")
    if mode != s.budget_mode:  # like a shorter cutoff's timeouts: trials that do not hold
        log.warning(
            "%s was tuned in %s mode: none of its trials holds in %s mode, this run starts cold",
            src, mode, s.budget_mode,
        )  # fmt: skip
