"""One SMAC run over a training set, driven by ask/tell, resumable from its journal.

SMAC 2.4's AlgorithmConfigurationFacade (random-forest surrogate over configuration and
instance features, expected improvement, racing against the incumbent) proposes trials;
we run them (in-process or on dask workers), and tell SMAC the outcome with its real
status (TIMEOUT, CRASHED with a finite cost), which a plain target function cannot.

Every finished trial goes to the journal first. A restart never uses SMAC's own resume
(it prompts on any difference and its files can be torn by a kill): it builds a fresh
SMAC and tells it the journal's trials, then carries on. If the settings changed since
(cutoff, objective, budget mode, the set, the configuration space as the checker grows,
the seed), the run is a new one warm-started with the trials that still mean the same
thing.
"""

from __future__ import annotations

import contextlib
import logging
import math
import time
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from auctool.check.config.configs import CheckerConfig
from auctool.check.config.space import build_space, from_configuration, to_configuration
from auctool.tune.journal import Journal, digest
from auctool.tune.parallel import Pool
from auctool.tune.rounds import (
    Progress,
    RoundOutcome,
    RoundSpec,
    TrialRecord,
    reusable,
    trial_records,
)
from auctool.tune.scoring import Measurement
from auctool.tune.target import CheckTask

log = logging.getLogger("auctool.tune")


@dataclass(frozen=True)
class SmacKnobs:
    """SMAC's own costs (measured with smac 2.4: its overhead grows with the history).

    ``max_leaf_nodes=None`` matters most: SMAC's random forest passes 2**20 to
    scikit-learn, whose best-first tree builder then spends ~0.2 s per tree allocating
    for it (10 trees per retrain); depth-first building of the same trees takes ~1 ms.
    """

    n_trees: int = 10
    # SMAC's 8 retrains the forest and maximises the acquisition every 8 configurations:
    # on millisecond checks that was 43-53% of the wall time; 32 measured 26% (overhead 17%,
    # bench tune_overhead) without a worse incumbent in the noise of a 90 s tune
    retrain_after: int = 32
    challengers: int = 1000
    local_search_iterations: int = 5
    # tries at a configuration not seen yet before SMAC gives up; its default (16) declares
    # a small space exhausted when about two thirds of it has been seen
    config_retries: int = 500
    save_every: float = 10.0  # seconds between rewrites of SMAC's files and trials.csv


# ---------------------------------------------------------------------------------------
def _facade(spec: RoundSpec, output: Path, knobs: SmacKnobs, space) -> Any:
    from smac import Scenario
    from smac.acquisition.maximizer import LocalAndSortedRandomSearch

    from auctool.tune.surrogate import TunerFacade

    scenario = Scenario(
        space,
        name=spec.name,
        output_directory=output,
        seed=spec.seed,
        deterministic=True,  # the checker takes no seed: one trial per (config, instance)
        instances=list(spec.instances),
        instance_features={k: list(map(float, v)) for k, v in spec.features.items()},
        crash_cost=spec.objective.crash_cost(spec.cutoff),  # finite: inf crashes SMAC
        n_trials=spec.trials or 10**9,
        walltime_limit=spec.budget or math.inf,
    )
    # SMAC's model, batched over instances, without PCA (auctool.tune.surrogate)
    model = TunerFacade.get_model(scenario, n_trees=knobs.n_trees)
    maximizer = LocalAndSortedRandomSearch(
        space,
        challengers=knobs.challengers,
        local_search_iterations=knobs.local_search_iterations,
        seed=spec.seed,
    )
    smac = TunerFacade(
        scenario,
        None,  # ask/tell only: we run the trials
        model=model,
        acquisition_maximizer=maximizer,
        config_selector=TunerFacade.get_config_selector(
            scenario, retrain_after=knobs.retrain_after, retries=knobs.config_retries
        ),
        logging_level=False,
        overwrite=True,  # never SMAC's resume (it may prompt); the journal is replayed
    )
    # SMAC 2.4 recomputes every objective's bounds over the whole history on each trial it
    # records (quadratic: ~12% of its time at 1,000 trials, most of it later); the bounds
    # only normalise multi-objective costs, and ours is a single objective
    if scenario.count_objectives() == 1:
        smac.runhistory._update_objective_bounds = lambda: None
    return smac


class _SmacToLog(logging.Handler):
    """SMAC's errors become our warnings; its chatter is dropped (never on stdout)."""

    def emit(self, record: logging.LogRecord) -> None:
        log.warning("smac: %s", record.getMessage())


@contextlib.contextmanager
def quiet_smac() -> Iterator[None]:
    logger = logging.getLogger("smac")
    handler = _SmacToLog(level=logging.ERROR)
    saved = (logger.propagate, logger.level)
    logger.addHandler(handler)
    logger.propagate = False
    logger.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", "Mean of empty slice", RuntimeWarning)
            warnings.filterwarnings("ignore", "invalid value encountered", RuntimeWarning)
            yield
    finally:
        logger.removeHandler(handler)
        logger.propagate, level = saved
        logger.setLevel(level)


def _mark(elapsed: float) -> dict[str, Any]:
    """A journal line that is not a trial: the run's wall time so far (for --budget)."""
    return {"mark": "elapsed", "elapsed": round(elapsed, 3)}


def run_round(
    spec: RoundSpec,
    journal_path: Path,
    smac_output: Path,
    pool: Pool,
    knobs: SmacKnobs = SmacKnobs(),
    on_progress: Callable[[Progress], None] | None = None,
    on_save: Callable[[Sequence[TrialRecord]], None] | None = None,
    warm_journal: Path | None = None,
) -> RoundOutcome:
    """Run (or continue) one SMAC run until its trials or budget are spent, or Ctrl-C;
    a fresh run is warm-started from ``warm_journal`` (another folder's) when given."""
    with quiet_smac():
        return _Round(
            spec, journal_path, smac_output, pool, knobs, on_progress, on_save, warm_journal
        ).run()


class _Round:
    def __init__(
        self, spec, journal_path, smac_output, pool, knobs, on_progress, on_save, warm_journal
    ):
        self.spec = spec
        self.warm_journal = warm_journal
        self.pool = pool
        self.knobs = knobs
        self.on_progress = on_progress or (lambda p: None)
        self.on_save = on_save or (lambda r: None)
        self.space = build_space(spec.seed, spec.fixed, spec.budget_mode)
        self.journal = Journal(journal_path)
        self.smac = _facade(spec, smac_output, knobs, self.space)
        self.records: list[TrialRecord] = []
        self.trajectory: list[dict[str, Any]] = []
        self.smac_seconds = 0.0
        self.check_seconds = 0.0
        self._incumbent_key: str | None = None
        self._last_progress = 0.0
        self.done = 0  # trials of this run (not carried over from one with other settings)

    # ---- bookkeeping -------------------------------------------------------------------
    def _tell(self, rec: TrialRecord, info: Any | None = None) -> None:
        from smac.runhistory import StatusType, TrialInfo, TrialValue

        if info is None:
            info = TrialInfo(
                to_configuration(CheckerConfig.from_mapping(rec.config), self.space),
                instance=rec.instance,
                seed=rec.seed,
            )
        value = TrialValue(cost=rec.cost, time=rec.seconds, status=StatusType[rec.status])
        t0 = time.monotonic()
        self.smac.tell(info, value, save=False)
        self.smac_seconds += time.monotonic() - t0
        self.records.append(rec)
        self.done += not rec.warm
        self._note_incumbent(rec.elapsed)

    def _incumbent(self) -> tuple[Any | None, float | None]:
        inc = self.smac.intensifier.get_incumbent()
        if inc is None:
            return None, None
        return inc, float(self.smac.runhistory.average_cost(inc))

    def _note_incumbent(self, elapsed: float) -> None:
        inc = self.smac.intensifier.get_incumbent()
        if inc is None:
            return
        values = from_configuration(inc).to_mapping()
        key = repr(sorted(values.items()))
        if key != self._incumbent_key:
            self._incumbent_key = key
            trials = self.done
            cost = float(self.smac.runhistory.average_cost(inc))
            self.trajectory.append(
                {"elapsed": round(elapsed, 3), "trials": trials, "config": values, "cost": cost}
            )

    def _progress(self, elapsed: float, final: bool = False) -> None:
        """Tell the caller how far we are (at most 5 times a second: it costs SMAC look-ups)."""
        now = time.monotonic()
        if not final and now - self._last_progress < 0.2:
            return
        self._last_progress = now
        cost = self._incumbent()[1]
        spec = self.spec
        self.on_progress(
            Progress(
                spec.name, self.done, spec.trials, elapsed, spec.budget, cost, self.pool.running
            )
        )

    def _save(self) -> None:
        self.smac.optimizer.save()
        self.on_save(self.records)

    # ---- the run -------------------------------------------------------------------------
    def _resume(self) -> tuple[float, bool, int]:
        """Tell SMAC the journal's trials (all of them, or the reusable ones after a change)."""
        header = self.spec.header(digest(self.space.to_serialized_dict()))
        old_header, old = self.journal.read()
        source, own = "the last run in this folder", True
        if old_header is None and self.warm_journal is not None:
            old_header, old = Journal(self.warm_journal).read()
            source, own = str(self.warm_journal.parent), False
        old_records = trial_records(old)
        # wall time already spent: the last trial's, or a clean stop's (recorded as a mark)
        spent = max((float(o.get("elapsed", 0.0)) for o in old), default=0.0)
        if own and old_header == header:
            kept, warm = old_records, False
        elif old_header is not None:
            kept, warm, spent = reusable(self.spec, old_header, old_records, self.space), True, 0.0
            log.info(
                "%s: starting a new run warm-started from %s with %d of its %d trials",
                self.spec.name,
                source,
                len(kept),
                len(old_records),
            )
        else:
            kept, warm, spent = [], False, 0.0
        self.journal.start(header, [*(r.to_json() for r in kept), _mark(spent)])
        for rec in kept:
            self._tell(rec)
        if kept:
            self._save()
        return spent, warm, len(kept)

    def run(self) -> RoundOutcome:
        from smac.main.exceptions import ConfigurationSpaceExhaustedException

        spec = self.spec
        start_elapsed, warm, reused = self._resume()
        t_start = time.monotonic()
        last_save = t_start

        def elapsed() -> float:
            return start_elapsed + time.monotonic() - t_start

        pending: dict[int, Any] = {}
        next_key = 0
        stopped: str | None = None
        try:
            while True:
                while stopped is None and self.pool.free > 0:
                    if spec.trials is not None and self.done + len(pending) >= spec.trials:
                        stopped = "trials"
                        break
                    if spec.budget is not None and elapsed() >= spec.budget:
                        stopped = "budget"
                        break
                    t0 = time.monotonic()
                    try:
                        info = self.smac.ask()
                    except (StopIteration, ConfigurationSpaceExhaustedException):
                        stopped = "exhausted"
                        break
                    finally:
                        self.smac_seconds += time.monotonic() - t0
                    path, folder = spec.problems[info.instance]
                    task = CheckTask(
                        path,
                        folder,
                        from_configuration(info.config),
                        spec.cutoff,
                        instance=info.instance,
                        budget_mode=spec.budget_mode,
                    )
                    pending[next_key] = info
                    self.pool.submit(next_key, task)
                    next_key += 1
                self._progress(elapsed())
                for key, m in self.pool.wait(timeout=1.0):
                    self._finish(pending.pop(key), m, elapsed())
                if time.monotonic() - last_save >= self.knobs.save_every:
                    self._save()
                    last_save = time.monotonic()
                if stopped is not None and not pending:
                    break
        except KeyboardInterrupt:
            stopped = "interrupted"
        finally:
            with contextlib.suppress(Exception):
                self.journal.append(_mark(elapsed()))
            self.journal.close()
        with contextlib.suppress(Exception):  # SMAC may be mid-update after a Ctrl-C
            self._save()
        self._progress(elapsed(), final=True)
        return self._outcome(
            stopped or "interrupted", elapsed(), time.monotonic() - t_start, warm, reused
        )

    def _finish(self, info: Any, m: Measurement, elapsed: float) -> None:
        cost, own = self.spec.cost(info.instance, m.answer, m.seconds)
        rec = TrialRecord(
            from_configuration(info.config).to_mapping(),
            info.instance,
            int(info.seed),
            m.answer,
            m.seconds,
            self.spec.cutoff,
            cost,
            own,
            round(elapsed, 3),
            str(info.config.origin or ""),
            error=m.error,
            budget_mode=self.spec.budget_mode,
        )
        self.journal.append(rec.to_json())  # durable before SMAC hears of it
        self.check_seconds += m.seconds
        self._tell(rec, info)

    def _outcome(
        self, stopped: str, elapsed: float, wall: float, warm: bool, reused: int
    ) -> RoundOutcome:
        inc, cost = self._incumbent()
        config = from_configuration(inc) if inc is not None else CheckerConfig()
        runs = (
            len(self.smac.runhistory.get_instance_seed_budget_keys(inc)) if inc is not None else 0
        )
        return RoundOutcome(
            incumbent=config,
            incumbent_cost=cost,
            incumbent_runs=runs,
            records=tuple(self.records),
            elapsed=elapsed,
            session_wall=wall,
            session_check_seconds=self.check_seconds,
            session_smac_seconds=self.smac_seconds,
            stopped=stopped,
            trajectory=tuple(self.trajectory),
            reused=reused,
            warm_started=warm,
        )
