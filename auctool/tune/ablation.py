"""Ablation: which of the incumbent's changes bought its gain, measured rather than modelled.

Greedy, as in Fawcett & Hoos (2016): start at the default; at each step move the one
remaining change that lowers the test set's PAR10 most, until the incumbent is reached.
Each step's gain is the PAR10 it saved; its share is that gain over the whole path's.

A knob that is only active under a switch moves with its switch when the switch changes
too (``local_search`` with ``ls_flips``), so no step sets a knob that does nothing. A move
that makes a forbidden combination (``incremental`` with a solver that cannot keep a
formula) is skipped at that step; when no single move is allowed, the rest move at once.

Every configuration on the path is measured by really running the checker on every test
instance at the tune's cutoff, through :func:`auctool.tune.validation.validate`, journaled
in ``ablation.jsonl`` (seeded from the tune's own ``validation.jsonl``, which already has
the default and the incumbent): an interrupted ablation resumes, and the finished path is
written to ``ablation.json`` for ``report`` to read back.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from auctool._json import write_json
from auctool._runfolder import locked
from auctool.check.config.configs import CheckerConfig, PortfolioConfig, load_config
from auctool.check.config.knobs import KNOB_BY_NAME, KNOBS
from auctool.errors import InputError
from auctool.formats.instances import InstanceSet
from auctool.tune.scoring import Measurement, Objective, summarise

ABLATION = "ablation.json"
JOURNAL = "ablation.jsonl"
#: each configuration's checks, in the same order of problems (and repeats) for all of them
Measure = Callable[[Sequence[CheckerConfig]], Sequence[Sequence[Measurement]]]


@dataclass(frozen=True)
class Change:
    """One knob's move on the path (``None``: the knob is inactive on that side)."""

    knob: str
    before: Any
    after: Any

    def to_json(self) -> dict[str, Any]:
        return {"knob": self.knob, "before": self.before, "after": self.after}


@dataclass(frozen=True)
class Step:
    """A configuration on the path, the changes that led to it, and what it measured."""

    changes: tuple[Change, ...]  # empty for the start (the default)
    config: dict[str, Any]  # active knobs only
    par10: float
    solved: int
    n: int
    gain: float  # PAR10 of the step before minus this one's (0 for the start)
    share: float | None  # gain / the whole path's gain (None when there is no gain)
    candidates: int  # configurations measured to choose this step
    interval: float | None = None  # ± of the gain's 95% interval, paired over the checks

    def to_json(self) -> dict[str, Any]:
        return {
            "changes": [c.to_json() for c in self.changes],
            "config": self.config,
            "par10": self.par10,
            "solved": self.solved,
            "n": self.n,
            "gain": self.gain,
            "share": self.share,
            "candidates": self.candidates,
            "interval": self.interval,
        }

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> Step:
        changes = tuple(Change(c["knob"], c["before"], c["after"]) for c in obj["changes"])
        return cls(
            changes, dict(obj["config"]), float(obj["par10"]), int(obj["solved"]),
            int(obj["n"]), float(obj["gain"]), obj["share"], int(obj["candidates"]),
            obj["interval"],
        )  # fmt: skip


@dataclass(frozen=True)
class Ablation:
    """The path from the default to the incumbent, measured on one instance set."""

    set: str
    cutoff: float
    repeats: int
    steps: tuple[Step, ...]  # steps[0] is the default, steps[-1] the incumbent
    skipped: tuple[str, ...] = ()  # moves a step could not make (forbidden combinations)
    checks: int = 0  # measurements the path rests on
    interval: float | None = None  # ± of the whole gain's 95% interval (default vs incumbent)

    @property
    def gain(self) -> float:
        return self.steps[0].par10 - self.steps[-1].par10

    def to_json(self) -> dict[str, Any]:
        return {
            "method": "greedy ablation from the default to the incumbent, PAR10 measured",
            "set": self.set,
            "cutoff": self.cutoff,
            "repeats": self.repeats,
            "checks": self.checks,
            "gain": self.gain,
            "interval": self.interval,
            "steps": [s.to_json() for s in self.steps],
            "skipped": list(self.skipped),
        }

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> Ablation:
        return cls(
            str(obj["set"]), float(obj["cutoff"]), int(obj["repeats"]),
            tuple(Step.from_json(s) for s in obj["steps"]), tuple(obj.get("skipped", ())),
            int(obj.get("checks", 0)), obj["interval"],
        )  # fmt: skip


# ---- the path ---------------------------------------------------------------------------
def change_groups(start: CheckerConfig, target: CheckerConfig) -> list[tuple[str, ...]]:
    """The knobs that differ, grouped: a knob whose switch also differs moves with it."""
    a, b = start.to_mapping(), target.to_mapping()
    changed = [k.name for k in KNOBS if a.get(k.name) != b.get(k.name)]

    def root(name: str) -> str:
        parent = KNOB_BY_NAME[name].parent
        return root(parent) if parent in changed else name

    groups: dict[str, list[str]] = {}
    for name in changed:
        groups.setdefault(root(name), []).append(name)
    return [tuple(g) for g in groups.values()]


def _apply(current: CheckerConfig, target: CheckerConfig, knobs: Sequence[str]):
    """``current`` with ``knobs`` set as in ``target``, or why that is not allowed (a str)."""
    values = dataclasses.asdict(current)
    wanted = dataclasses.asdict(target)
    values.update({k: wanted[k] for k in knobs})
    try:
        return CheckerConfig(**values)
    except ValueError as exc:
        return str(exc)


def _changes(before: CheckerConfig, after: CheckerConfig, knobs: Sequence[str]):
    a, b = before.to_mapping(), after.to_mapping()
    return tuple(Change(k, a.get(k), b.get(k)) for k in knobs)


def _moves(current, target, remaining, step: int, skipped: dict[tuple[str, str], list[int]]):
    """The allowed single moves from ``current``; when none is, the rest at once."""
    moves = []
    for g in remaining:
        config = _apply(current, target, g)
        if isinstance(config, str):
            skipped.setdefault((", ".join(g), config), []).append(step)
        else:
            moves.append(((g,), config))
    return moves or [(tuple(remaining), target)]


def paired_interval(before: Sequence[Measurement], after: Sequence[Measurement]) -> float | None:
    """± of the 95% Student-t interval of the mean PAR10 saved, check by check.

    A step whose gain lies inside it is not told apart from the checks' own noise (a
    loaded machine turns a few checks into timeouts, each worth 10 cutoffs).
    """
    import numpy as np
    from scipy import stats

    diff = np.array([_par10(a) - _par10(b) for a, b in zip(before, after, strict=True)])
    if diff.size < 2:
        return None
    spread = float(diff.std(ddof=1)) / diff.size**0.5
    return float(stats.t.ppf(0.975, diff.size - 1)) * spread


def _par10(m: Measurement) -> float:
    return Objective.PAR10.cost(m.answer, m.seconds, m.cutoff, m.budget_mode)


def greedy_path(start: CheckerConfig, target: CheckerConfig, measure: Measure):
    """The steps from ``start`` to ``target``, the moves skipped on the way, and the whole
    gain's interval. ``measure`` gets each step's candidates at once (to run side by side).
    """
    skipped: dict[tuple[str, str], list[int]] = {}
    rows = [((), start, measure([start])[0], 1)]
    current, remaining = start, change_groups(start, target)
    while remaining:
        moves = _moves(current, target, remaining, len(rows), skipped)
        checks = measure([config for _, config in moves])
        par10 = [summarise(ms).par10 for ms in checks]
        best = min(range(len(moves)), key=lambda i: (par10[i], i))
        groups, config = moves[best]
        knobs = [k for g in groups for k in g]
        rows.append((_changes(current, config, knobs), config, checks[best], len(moves)))
        current = config
        remaining = [g for g in remaining if g not in groups]
    first, last = summarise(rows[0][2]), summarise(rows[-1][2])
    total = first.par10 - last.par10
    steps, before = [], rows[0][2]
    for changes, config, ms, tried in rows:
        s = summarise(ms)
        gain = summarise(before).par10 - s.par10
        share = gain / total if total > 0 else None
        interval = paired_interval(before, ms) if changes else None
        mapping = config.to_mapping()
        steps.append(Step(changes, mapping, s.par10, s.solved, s.n, gain, share, tried, interval))
        before = ms
    notes = tuple(_skipped_line(knobs, why, at) for (knobs, why), at in skipped.items())
    return tuple(steps), notes, paired_interval(rows[0][2], rows[-1][2])


def _skipped_line(knobs: str, why: str, steps: list[int]) -> str:
    at = f"step {steps[0]}" if len(steps) == 1 else f"steps {steps[0]}-{steps[-1]}"
    return f"{knobs} alone ({at}): {why}"


# ---- on a run folder --------------------------------------------------------------------
def run_incumbent(run_dir: Path) -> CheckerConfig:
    """The tune run's incumbent; no incumbent (or a portfolio) is bad input for an ablation."""
    path = run_dir / "incumbent.yaml"
    report = _report(run_dir)
    if not path.is_file() or not report.get("tuning", {}).get("trials"):
        raise InputError(
            "the run has no incumbent yet (no finished trial): nothing to ablate", run_dir
        )
    config = load_config(path)
    if isinstance(config, PortfolioConfig):
        raise InputError(
            f"the incumbent is a portfolio of {len(config.members)}: ablation needs one "
            "configuration", path,
        )  # fmt: skip
    return config


def _report(run_dir: Path) -> dict[str, Any]:
    try:
        report = json.loads((run_dir / "report.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise InputError("not a tune run folder (no readable report.json)", run_dir) from None
    if not isinstance(report, dict):
        raise InputError("report.json is not a tune report", run_dir)
    return report


def stored_ablation(run_dir: Path, incumbent: CheckerConfig | None = None) -> Ablation | None:
    """The ablation ``report --ablation`` stored, if there is one for this incumbent."""
    try:
        obj = json.loads((run_dir / ABLATION).read_text(encoding="utf-8"))
        found = Ablation.from_json(obj)
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if incumbent is not None and found.steps[-1].config != incumbent.to_mapping():
        return None  # the run went on since: another incumbent
    return found


def run_ablation(
    run_dir: str | Path,
    test_set: str | Path | None = None,
    on_result: Callable[[int, int], None] | None = None,
) -> Ablation:
    """Measure (or read back) the ablation path of a tune run on its test set (or ``test_set``)."""
    from auctool.formats.instances import load_instance_set

    run_dir = Path(run_dir)
    report = _report(run_dir)
    incumbent = run_incumbent(run_dir)
    if test_set is None:
        test_set = (report.get("test") or {}).get("set")
        if test_set is None:
            raise InputError.suggesting(
                "the run has no held-out test set: pass {test_set}", run_dir
            )
    iset = load_instance_set(test_set)
    cutoff = float(report["cutoff"])
    mode = str(report.get("budget_mode", "time"))  # checks bounded as the tune's were
    repeats = int((report.get("validation") or {}).get("repeats") or 1)
    stored = stored_ablation(run_dir, incumbent)
    if stored and (stored.set, stored.cutoff, stored.repeats) == (str(iset.root), cutoff, repeats):
        return stored
    with locked(run_dir, "ablation or tune"):
        result = measure_ablation(
            CheckerConfig(), incumbent, iset, cutoff, repeats, run_dir / JOURNAL,
            seed_from=run_dir / "validation.jsonl", on_result=on_result, budget_mode=mode,
        )  # fmt: skip
        write_json(run_dir / ABLATION, result.to_json())
    return result


def measure_ablation(
    start: CheckerConfig,
    target: CheckerConfig,
    iset: InstanceSet,
    cutoff: float,
    repeats: int = 1,
    store: Path | None = None,
    seed_from: Path | None = None,
    on_result: Callable[[int, int], None] | None = None,
    budget_mode: str = "time",
) -> Ablation:
    """The path from ``start`` to ``target``, every step measured by running the checker
    (in ``budget_mode``).

    With a ``store``, measurements are journaled there (an interrupted ablation resumes);
    ``seed_from`` is a validation journal whose checks on the same problems are reused.
    """
    from auctool.tune.features import set_features
    from auctool.tune.journal import Journal, file_digest
    from auctool.tune.parallel import Pool
    from auctool.tune.validation import Contender, journal_header, validate

    _, folders = set_features(iset)
    digests = {k: file_digest(iset.root / k) for k in folders}
    if store is not None and seed_from is not None:
        _seed(store, seed_from, journal_header(iset, cutoff, digests, budget_mode))
    pool = Pool()
    checks = 0

    def measure(configs: Sequence[CheckerConfig]) -> list[tuple[Measurement, ...]]:
        nonlocal checks
        named = [Contender(f"c{i}", c) for i, c in enumerate(configs)]
        results = validate(
            named, iset, folders, cutoff, pool, repeats, store, digests, on_result, budget_mode
        )
        checks += sum(len(r.measurements) for r in results)
        return [r.measurements for r in results]

    steps, skipped, interval = greedy_path(start, target, measure)
    if store is not None:
        checks = len(Journal(store).read()[1])
    return Ablation(str(iset.root), cutoff, repeats, steps, skipped, checks, interval)


def _seed(store: Path, validation: Path, header: Mapping[str, Any]) -> None:
    """Start the journal with the tune's validation checks when they are on the same set."""
    from auctool.tune.journal import Journal

    if Journal(store).read()[0] == header:
        return  # an ablation on this set already started: it resumes
    old_header, records = Journal(validation).read()
    same = old_header is not None and all(
        old_header.get(k) == header.get(k) for k in ("cutoff", "digests", "budget_mode")
    )
    if same and records:
        journal = Journal(store)
        journal.start(header, records)
        journal.close()
