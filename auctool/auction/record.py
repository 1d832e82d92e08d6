"""Recording the questions an auction asks as an instance set, and splitting recordings.

``simulate --record DIR`` writes every problem as ``.srpk`` (with the previous
assignment and the cutoff) and a ``manifest.json`` naming, per instance, the answer,
the checker's time, the round, the kind of question, the station and the seed; the
manifest's ``runs`` say which command made each seed's instances.

Several auctions (different seeds) may record into the same folder: each run replaces
only its own seed's instances. That is how train and test sets are made without leakage
between them: record seeds 1..k and split by seed with :func:`split_recording` (whole
auctions on each side; related questions of one auction never straddle the split).
Splitting by round (early rounds for training, the harder late rounds for testing) is
offered too.
"""

from __future__ import annotations

import os
import random
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any

from auctool._atomic import write_text
from auctool._runfolder import run_kind
from auctool.auction.checks import CheckRecord
from auctool.auction.engine import Question
from auctool.check.result import Answer, Component
from auctool.errors import InputError
from auctool.formats.instances import (
    MANIFEST,
    InstanceEntry,
    InstanceSet,
    load_instance_set,
    write_manifest,
)
from auctool.formats.srpk import SUFFIX, write_srpk

MADE_BY = "auctool simulate --record"


def _relative(target: Path, start: Path) -> str:
    return os.path.relpath(target.resolve(), start.resolve())


class SetRecorder:
    """Writes each question as it is asked; :meth:`close` writes the manifest."""

    def __init__(
        self,
        folder: str | Path,
        world_dir: str | Path,
        seed: int,
        run: Mapping[str, Any],
        sat_share: float = 1.0,
    ):
        if not 0.0 < sat_share <= 1.0:
            raise InputError(
                f"the share of SAT questions kept must be in (0, 1], got {sat_share:g}"
            )
        self.folder = Path(folder)
        self.seed = seed
        self.sat_share = sat_share  # national auctions ask ~30,000 questions, nearly all SAT
        self._sample = random.Random(f"record-{seed}")
        self.world_dir = Path(world_dir)
        self.entries: list[InstanceEntry] = []
        self.kept: list[InstanceEntry] = []
        self.runs: list[dict[str, Any]] = []
        self._adopt_existing()
        self.runs.append({"seed": seed, **run, "sat_share": sat_share})
        self.folder.mkdir(parents=True, exist_ok=True)

    def _adopt_existing(self) -> None:
        """Keep other seeds' instances of an earlier recording; drop this seed's."""
        if not self.folder.exists():
            return
        if not self.folder.is_dir():
            raise InputError.of_setting(
                "record_folder", "must name a folder", self.folder, subject="the recording"
            )
        if not (self.folder / MANIFEST).is_file():
            if run_kind(self.folder) is not None:
                raise InputError("folder is not empty and holds no recording", self.folder)
            return
        old = load_instance_set(self.folder)
        if old.meta.get("made_by") != MADE_BY:
            raise InputError("folder holds an instance set not recorded by simulate", self.folder)
        if old.constraints_dir != self.world_dir.resolve():
            raise InputError(
                f"folder holds a recording of another world ({old.constraints_dir})",
                self.folder,
            )
        for entry in old.entries:
            if entry.extra.get("seed") == self.seed:
                (self.folder / entry.file).unlink(missing_ok=True)
            else:
                self.kept.append(entry)
        self.runs = [r for r in old.meta.get("runs", []) if r.get("seed") != self.seed]

    def add(self, question: Question, record: CheckRecord) -> None:
        """Keep the question (a SAT one with probability ``sat_share``; UNSAT and TIMEOUT
        ones always: they are the hard ones)."""
        if record.answer is Answer.SAT and self._sample.random() >= self.sat_share:
            return
        file = record.instance + SUFFIX
        write_srpk(question.problem, self.folder / file)
        extra = {
            "seed": self.seed,
            "round": record.round,
            "kind": record.kind,
            "station": record.station,
            "stations": record.stations,
            "solved_by": record.solved_by,
        }
        self.entries.append(InstanceEntry(file, record.answer, record.seconds, extra))

    def close(self, complete: bool = True) -> Path:
        """Write the manifest; ``complete`` False marks a run that stopped early (its
        questions so far are kept: the one it failed on is often the interesting one)."""
        self.runs[-1]["complete"] = complete
        entries = sorted([*self.kept, *self.entries], key=lambda e: e.file)
        meta = {
            "name": self.folder.name,
            "made_by": MADE_BY,
            "constraints": _relative(self.world_dir, self.folder),
            "seeds": sorted({int(e.extra["seed"]) for e in entries}),
            "runs": sorted(self.runs, key=lambda r: r["seed"]),
        }
        return write_manifest(self.folder, entries, meta)


def split_recording(
    source: str | Path,
    train_dir: str | Path,
    test_dir: str | Path,
    *,
    test_seeds: Collection[int] = (),
    test_from_round: int | None = None,
    drop_solved_by: Collection[str] = (),
    most: int | None = None,
    stratify: bool = False,
    seed: int = 0,
) -> tuple[InstanceSet, InstanceSet]:
    """Copy a recording into a train and a test set.

    An instance goes to the test set when its seed is in ``test_seeds`` or its round is
    at least ``test_from_round``; everything else goes to training. Instances the
    recording's checker answered with a component that one of ``drop_solved_by`` selects
    (a family or ``family:method``: "presolve:previous", "cache"; see
    :meth:`Component.selects`) are left out: every sensible configuration answers them
    in a millisecond, so they teach a tuner nothing. ``most`` caps each side: the rare
    answers (UNSAT, TIMEOUT) are kept first, the rest is a seeded uniform sample of the SAT
    ones (a tuner that never sees an UNSAT problem learns to switch off what proves them).
    With ``stratify`` each answer keeps its share of the side instead (a national recording
    is a third UNSAT and TIMEOUT already; train and test then match it and each other).
    Each new set gets a manifest pointing at the same constraint data and saying how it was
    made.
    """
    src = load_instance_set(source)
    if src.meta.get("made_by") != MADE_BY:
        raise InputError(f"not a recording (one is made by {MADE_BY} DIR)", src.root)
    if src.constraints_dir is None:
        raise InputError("the recording's manifest names no constraint data", src.root)
    seeds = {int(s) for s in test_seeds}
    recorded = {int(e.extra["seed"]) for e in src.entries if "seed" in e.extra}
    unknown = sorted(seeds - recorded)
    if unknown:
        have = ", ".join(map(str, sorted(recorded))) or "none"
        raise InputError(
            f"test seed {unknown[0]}: the recording has no such seed (its seeds: {have})",
            src.root,
        )
    _distinct_folders(src.root, Path(train_dir), Path(test_dir))

    def is_test(entry: InstanceEntry) -> bool:
        if int(entry.extra.get("seed", -1)) in seeds:
            return True
        return test_from_round is not None and int(entry.extra.get("round", -1)) >= test_from_round

    for selector in drop_solved_by:
        try:
            Component.check_selector(selector)
        except ValueError as exc:
            raise InputError(f"solved-by filter: {exc}") from None

    def dropped(entry: InstanceEntry) -> bool:
        by = entry.extra.get("solved_by")
        if not by:
            return False
        component = Component.parse(str(by))
        return any(component.selects(selector) for selector in drop_solved_by)

    if most is not None and most < 1:
        raise InputError(f"the most instances per side must be at least 1, got {most}")
    rule = {
        "test_seeds": sorted(seeds),
        "test_from_round": test_from_round,
        "drop_solved_by": sorted(drop_solved_by),
        "most": most,
        "stratify": stratify,
        "seed": seed,
    }
    # both sides are chosen, and found non-empty, before anything is written
    sides = []
    for want in (False, True):
        side = [e for e in src.entries if is_test(e) == want]
        chosen = [e for e in side if not dropped(e)]
        if not chosen:
            raise InputError(_empty_side(want, len(side)), src.root)
        sides.append(chosen)
    rng = random.Random(seed)
    out = []
    for folder, want, chosen in (
        (Path(train_dir), False, sides[0]),
        (Path(test_dir), True, sides[1]),
    ):
        if most is not None and len(chosen) > most:
            chosen = (_stratified if stratify else _sample)(chosen, most, rng)
        for entry in chosen:
            write_text(folder / entry.file, (src.root / entry.file).read_text(encoding="utf-8"))
        meta = {
            **{k: v for k, v in src.meta.items() if k not in ("name", "constraints")},
            "name": folder.name,
            "constraints": _relative(src.constraints_dir, folder),
            "split_from": _relative(src.root, folder),
            "split": {**rule, "side": "test" if want else "train"},
        }
        folder.mkdir(parents=True, exist_ok=True)
        write_manifest(folder, chosen, meta)
        out.append(load_instance_set(folder))
    return out[0], out[1]


def _stratified(entries: list[InstanceEntry], most: int, rng: random.Random) -> list[InstanceEntry]:
    """``most`` entries, each answer in its share of ``entries`` (largest remainders, and
    at least one of every answer present, so a rare UNSAT is never sampled away)."""
    by: dict[str, list[InstanceEntry]] = {}
    for e in sorted(entries, key=lambda e: e.file):
        by.setdefault(e.answer, []).append(e)
    exact = {a: most * len(es) / len(entries) for a, es in by.items()}
    take = {a: max(1, int(x)) for a, x in exact.items()}
    for a in sorted(by, key=lambda a: int(exact[a]) - exact[a]):  # largest remainder first
        if sum(take.values()) >= most:
            break
        if take[a] < len(by[a]):
            take[a] += 1
    while sum(take.values()) > most:  # the at-least-one rule overshot: trim the biggest
        biggest = max(take, key=lambda a: take[a])
        take[biggest] -= 1
    chosen = [e for a in sorted(by) for e in rng.sample(by[a], min(take[a], len(by[a])))]
    return sorted(chosen, key=lambda e: e.file)


def _empty_side(test: bool, before_drop: int) -> str:
    """Why one side of a split would hold nothing (a set nobody can tune or validate on)."""
    name = "test" if test else "training"
    if before_drop:
        why = f"all {before_drop} of its questions are left out by the solved-by filters"
    elif test:
        why = "no recorded question is of a test seed or from the first test round on"
    else:
        why = "every recorded question goes to the test set"
    return f"the {name} set would be empty: {why}"


def _distinct_folders(source: Path, train: Path, test: Path) -> None:
    """The two sides and the recording are three different folders (one would overwrite
    another's files and manifest)."""
    where = {source.resolve(): "the recording"}
    for side, folder in (("the training set", train), ("the test set", test)):
        other = where.get(folder.resolve())
        if other is not None:
            raise InputError(
                f"{side} would be in {other}'s folder: the sides need folders of their own",
                folder,
            )
        where[folder.resolve()] = side


def _sample(entries: list[InstanceEntry], most: int, rng: random.Random) -> list[InstanceEntry]:
    """``most`` entries: every UNSAT and TIMEOUT one (a sample of them if they alone are
    too many), then SAT ones drawn uniformly."""
    rare = [e for e in entries if e.answer != "SAT"]
    common = [e for e in entries if e.answer == "SAT"]
    if len(rare) >= most:
        chosen = rng.sample(rare, most)
    else:
        chosen = rare + rng.sample(common, most - len(rare))
    return sorted(chosen, key=lambda e: e.file)
