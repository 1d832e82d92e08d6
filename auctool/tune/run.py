"""``auctool tune`` end to end: tune (one SMAC run, or Hydra rounds), validate, report.

The run folder holds everything: the journals (the durable record of every finished
trial), SMAC's own output under ``smac/``, ``features.csv``, and the results
``incumbent.yaml``, ``trials.csv``, ``report.json``. Running the same command again
continues the run; ``overwrite`` starts afresh.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from auctool._json import as_plain
from auctool._version import __version__
from auctool.check.config.configs import AnyConfig, CheckerConfig, PortfolioConfig
from auctool.check.config.knobs import SOLVER_KNOBS, yaml_word
from auctool.check.config.space import check_fixed
from auctool.check.solve.solvers import check_budget_mode
from auctool.errors import InputError
from auctool.formats.instances import InstanceSet, load_instance_set
from auctool.model.cutoff import invalid
from auctool.tune.features import set_features
from auctool.tune.held import check_free, held_knobs
from auctool.tune.journal import file_digest, run_lock
from auctool.tune.parallel import Pool, check_parallel, dask_pool
from auctool.tune.portfolio import Member, complete_member, floor_costs
from auctool.tune.report import (
    ConfigIds,
    overhead_json,
    round_json,
    write_incumbent,
    write_report,
    write_trials,
)
from auctool.tune.rounds import (
    Progress,
    RoundOutcome,
    RoundSpec,
    TrialRecord,
    check_limits,
    journal_trials,
)
from auctool.tune.runfolder import check_warm_from, clear, prepare_out, read_report, same_run
from auctool.tune.scoring import Objective
from auctool.tune.smac_driver import SmacKnobs, run_round
from auctool.tune.validation import (
    Contender,
    comparison,
    config_json,
    default_contender,
    losses,
    set_cutoff,
    validate,
)

log = logging.getLogger("auctool.tune")

INCUMBENT = "incumbent.yaml"
TRIALS = "trials.csv"
REPORT = "report.json"


@dataclass(frozen=True)
class TuneSettings:
    train: Path
    out: Path
    test: Path | None = None
    data: Path | None = None
    cutoff: float | None = None  # None: the set's (manifest, then its problems' CUTOFF)
    objective: Objective = Objective.PAR10
    # "work": every check bounded by solver work, not the clock (auctool.check.budget), so
    # which checks are answered is exact under -j and load; the incumbent is for work mode
    budget_mode: str = "time"
    seed: int = 0
    budget: float | None = None  # wall seconds of tuning (validation comes on top)
    trials: int | None = None
    workers: int = 1
    scheduler: str | None = None
    portfolio: int = 1
    repeats: int = 1  # validation runs per instance (timing noise; the answers are the same)
    overwrite: bool = False
    validate: bool = True
    knobs: SmacKnobs = field(default_factory=SmacKnobs)
    fixed: Mapping[str, Any] = field(default_factory=dict)  # knobs the user holds (parse_fixed)
    free: tuple[str, ...] = ()  # auction-only knobs to tune anyway (auctool.tune.held)
    warm_from: Path | None = None  # an earlier run folder whose trials seed this one
    command: str = ""

    @property
    def held(self) -> dict[str, Any]:
        """Every knob held while tuning: the user's, and the auction-only ones not freed."""
        return held_knobs(self.fixed, self.free)

    def check(self) -> None:
        check_limits(self.trials, self.budget)
        check_parallel(self.workers, self.scheduler)
        if self.portfolio < 1:
            raise InputError.of_setting("portfolio", f"must be at least 1, got {self.portfolio}")
        check_fixed(self.fixed)
        check_budget_mode(
            self.budget_mode, [self.fixed[k] for k in SOLVER_KNOBS if k in self.fixed]
        )
        check_free(self.free, self.fixed)
        if self.repeats < 1:
            raise InputError.of_setting("repeats", f"must be at least 1, got {self.repeats}")
        why = None if self.cutoff is None else invalid(self.cutoff)
        if why is not None:
            raise InputError.of_setting("cutoff", why)


@dataclass(frozen=True)
class TuneResult:
    """A finished run (an interrupted one raises KeyboardInterrupt, its trials kept)."""

    report: dict[str, Any]
    incumbent: AnyConfig

    @property
    def worse(self) -> list[str]:
        """A sentence per way the incumbent validated worse than the default (none: not)."""
        validation = self.report.get("validation")
        return losses(validation) if validation else []


def run_tune(
    settings: TuneSettings,
    on_progress: Callable[[Progress], None] | None = None,
    on_validation: Callable[[int, int], None] | None = None,
) -> TuneResult:
    """Tune, validate and write the run folder; a Ctrl-C writes what exists, then re-raises."""
    s = settings
    s.check()
    train = load_instance_set(s.train)
    test = load_instance_set(s.test) if s.test is not None else None
    cutoff = set_cutoff(train, s.cutoff)
    check_warm_from(s)
    prepare_out(s.out, s.overwrite)
    with run_lock(s.out):
        if s.overwrite:
            clear(s.out)
        same_run(s, train, cutoff)
        return _Run(s, train, test, cutoff, on_progress, on_validation).run()


class _Run:
    def __init__(self, s, train: InstanceSet, test, cutoff, on_progress, on_validation):
        self.s = s
        self.train = train
        self.test = test
        self.cutoff = cutoff
        self.on_progress = on_progress
        self.on_validation = on_validation
        features, folders = set_features(train, s.data)
        features.write_csv(s.out / "features.csv")
        self.features = features
        self.problems = {k: (str(train.root / k), str(f)) for k, f in folders.items()}
        self.digests = {k: file_digest(train.root / k) for k in folders}
        self.ids = ConfigIds()
        self.rounds: list[RoundOutcome] = []
        self.members: list[Member] = []
        self.notes: list[str] = []
        self.partial: list[TrialRecord] = []  # a round interrupted before it could report
        self.before = read_report(s.out / REPORT)  # the last session's, if any

    # ---- tuning ----------------------------------------------------------------------------
    def _spec(self, k: int, budget: float | None, trials: int | None) -> RoundSpec:
        s = self.s
        return RoundSpec(
            name=f"round-{k}",
            instances=tuple(self.problems),
            problems=self.problems,
            digests=self.digests,
            features=self.features.as_dict(),
            cutoff=self.cutoff,
            objective=s.objective,
            seed=s.seed,
            trials=trials,
            budget=budget,
            floor=floor_costs(self.members, s.objective),
            extra_key={"members": [m.config.to_mapping() for m in self.members]},
            fixed=s.held,
            budget_mode=s.budget_mode,
        )

    def _save_trials(self, current=()) -> None:
        done = [o.records for o in self.rounds]
        current = current or self.partial
        write_trials(self.s.out / TRIALS, [*done, *([current] if current else [])], self.ids)

    def _tune(self, pool: Pool) -> bool:
        """Rounds until done; True when interrupted."""
        s, K = self.s, self.s.portfolio
        for k in range(1, K + 1):
            budget = None
            if s.budget is not None:
                used = sum(o.elapsed for o in self.rounds) + self._completion_seconds(pool)
                budget = (s.budget - used) / (K - k + 1)
                if budget <= 0:
                    self.notes.append(f"budget spent after {k - 1} round(s)")
                    break
            trials = None if s.trials is None else math.ceil(s.trials / K)
            journal = s.out / f"journal-round-{k}.jsonl"
            warm = None if s.warm_from is None else s.warm_from / journal.name
            try:
                outcome = run_round(
                    self._spec(k, budget, trials),
                    journal,
                    s.out / "smac",
                    pool,
                    s.knobs,
                    self.on_progress,
                    on_save=self._save_trials,
                    warm_journal=warm if warm is not None and warm.is_file() else None,
                )
            except KeyboardInterrupt:  # before its loop (SMAC starting, the journal replayed)
                self.partial = journal_trials(journal)
                return True
            self.rounds.append(outcome)
            if outcome.stopped == "interrupted":
                return True
            if K == 1:
                break
            if any(m.config == outcome.incumbent for m in self.members):
                self.notes.append(
                    f"round {k} found no configuration that adds to the portfolio; stopped there"
                )
                break
            self.members.append(
                complete_member(
                    outcome.incumbent,
                    [r for o in self.rounds for r in o.records],
                    self.problems,
                    self.cutoff,
                    pool,
                    s.out / "members.jsonl",
                    self.digests,
                    s.budget_mode,
                )
            )
        return False

    def _completion_seconds(self, pool: Pool) -> float:
        """Wall time the members' extra runs took (their check time spread over the workers)."""
        return sum(m.extra_seconds for m in self.members) / pool.capacity

    def incumbent(self) -> AnyConfig:
        """The tuned configuration; with Hydra, the portfolio (a lone member is just a config)."""
        if len(self.members) > 1:
            return PortfolioConfig(tuple(m.config for m in self.members))
        if self.members:
            return self.members[0].config
        return self.rounds[0].incumbent if self.rounds else CheckerConfig()

    # ---- the whole run ---------------------------------------------------------------------
    def run(self) -> TuneResult:
        s = self.s
        with dask_pool(s.workers, s.scheduler) as pool:
            interrupted = True
            validation = None
            try:
                interrupted = self._tune(pool)
                if self.rounds or not interrupted:
                    self._write_results(pool, None, interrupted)
                if not interrupted and s.validate:
                    validation = self._validate(pool)
            except KeyboardInterrupt:
                interrupted = True
            if interrupted and not self.rounds:
                # stopped before this session decided anything: the last session's
                # incumbent and report still stand (the journal keeps every trial)
                self._save_trials()
                raise KeyboardInterrupt
            report = self._write_results(pool, validation, interrupted)
        if interrupted:
            raise KeyboardInterrupt
        return TuneResult(report, self.incumbent())

    def _earlier_validation(self, incumbent: AnyConfig) -> dict[str, Any] | None:
        """The last session's validation, while it is of this very incumbent on this test set
        (an interrupted re-validation must not wipe it)."""
        b = self.before
        if not b or not b.get("validation"):
            return None
        if b.get("incumbent", {}).get("config") != as_plain(config_json(incumbent)):
            return None
        test = self.test.root if self.test is not None else self.train.root
        return b["validation"] if b["validation"].get("set") == str(test) else None

    def _validate(self, pool: Pool) -> dict[str, Any]:
        test = self.test
        if test is None:
            log.warning("no test set: validating on the training set (figures are optimistic)")
            test = self.train
        _, folders = set_features(test, self.s.data)
        digests = {k: file_digest(test.root / k) for k in folders}
        cutoff = self.cutoff
        repeats = self.s.repeats
        name = "portfolio" if isinstance(self.incumbent(), PortfolioConfig) else "incumbent"
        contenders = [default_contender(), Contender(name, self.incumbent(), INCUMBENT)]
        mode = self.s.budget_mode
        results = validate(
            contenders, test, folders, cutoff, pool, repeats,
            store=self.s.out / "validation.jsonl", digests=digests, on_result=self.on_validation,
            budget_mode=mode,
        )  # fmt: skip
        out = comparison(results, cutoff, repeats, mode)
        out["set"] = str(test.root)
        out["held_out"] = self.test is not None
        self.notes.extend(losses(out))
        return out

    def _write_results(self, pool: Pool, validation, interrupted: bool) -> dict[str, Any]:
        s = self.s
        incumbent = self.incumbent()
        if validation is None and s.validate:  # until this session's own is finished
            validation = self._earlier_validation(incumbent)
        self._save_trials()
        records = [*(r for o in self.rounds for r in o.records), *self.partial]
        trials = sum(not r.warm for r in records)
        held = ", ".join(f"{k}={yaml_word(v)}" for k, v in s.held.items())
        note = (
            f"tuned by auctool tune on {self.train.root} ({len(self.problems)} instances), "
            f"cutoff {self.cutoff:g} s, budget mode {s.budget_mode}, "
            f"objective {s.objective.value}, seed {s.seed}, "
            f"{trials} trials"
            + (f", held fixed: {held}" if held else "")
            + (f", tuned though auction-only: {', '.join(s.free)}" if s.free else "")
            + (f"\ncommand: {s.command}" if s.command else "")
        )
        if validation:  # a user opening the file sees a loss where they will use it
            note += "".join(f"\nWARNING: {loss}" for loss in losses(validation))
        write_incumbent(s.out / INCUMBENT, incumbent, note)
        rounds = [round_json(k, o, self.ids) for k, o in enumerate(self.rounds, 1)]
        report = {
            "auctool": __version__,
            "command": s.command,
            "train": {"set": str(self.train.root), "instances": len(self.problems)},
            "test": None
            if self.test is None
            else {"set": str(self.test.root), "instances": len(self.test)},
            "cutoff": self.cutoff,
            "budget_mode": s.budget_mode,
            "objective": s.objective.value,
            "seed": s.seed,
            "budget": s.budget,
            "trials_limit": s.trials,
            "portfolio": s.portfolio,
            "fixed": s.held,
            "freed": list(s.free),
            "interrupted": interrupted,
            "stopped": self.rounds[-1].stopped if self.rounds else "interrupted",
            "notes": self.notes,
            "tuning": {
                "trials": trials,
                "elapsed": round(sum(o.elapsed for o in self.rounds), 3),
                "rounds": rounds,
                "this_session": overhead_json(self.rounds, pool.capacity),
            },
            "incumbent": {"file": INCUMBENT, "config": config_json(incumbent)},
            "validate": s.validate,  # asked for: a null validation then means not finished
            "validation": validation,
            "configs": {str(k): v for k, v in self.ids.configs.items()},
            "files": {
                "incumbent": INCUMBENT,
                "trials": TRIALS,
                "features": "features.csv",
                "smac": "smac",
            },
        }
        write_report(s.out / REPORT, report)
        return report
