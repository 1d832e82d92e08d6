"""Hydra: a parallel portfolio built greedily, one SMAC run per member.

Round 1 tunes as usual. Each later round tunes for the *marginal* gain over the portfolio
so far: a candidate is charged min(its cost, the portfolio's cost) per instance, so SMAC
looks for configurations good where the portfolio is weak. After each round the new
member runs on every training instance it has not run on yet (SMAC races a candidate on
a subset only), so the next round knows the portfolio's cost everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from auctool.check.config.configs import CheckerConfig
from auctool.tune.journal import Journal, digest
from auctool.tune.parallel import Pool
from auctool.tune.rounds import TrialRecord
from auctool.tune.scoring import Measurement, Objective, mode_key
from auctool.tune.target import CheckTask


@dataclass(frozen=True)
class Member:
    """A portfolio member and its own measurement on every training instance."""

    config: CheckerConfig
    measurements: Mapping[str, Measurement]
    extra_seconds: float = 0.0  # check time of the runs beyond its SMAC trials

    def costs(self, objective: Objective) -> dict[str, float]:
        return {
            k: objective.cost(m.answer, m.seconds, m.cutoff, m.budget_mode)
            for k, m in self.measurements.items()
        }


def floor_costs(members: Sequence[Member], objective: Objective) -> dict[str, float] | None:
    """The portfolio's cost per instance: its best member's (None for an empty portfolio)."""
    if not members:
        return None
    floors: dict[str, float] = {}
    for member in members:
        for k, c in member.costs(objective).items():
            floors[k] = min(c, floors.get(k, c))
    return floors


def complete_member(
    config: CheckerConfig,
    records: Sequence[TrialRecord],
    problems: Mapping[str, tuple[str, str]],
    cutoff: float,
    pool: Pool,
    store: Path,
    digests: Mapping[str, str],
    budget_mode: str = "time",
) -> Member:
    """The member's measurements on every instance: its trials, plus runs where it has none.

    The extra runs are journaled in ``store`` (reused after a restart with the same set,
    cutoff and budget mode).
    """
    mapping = config.to_mapping()
    have: dict[str, Measurement] = {
        r.instance: Measurement(r.instance, r.answer, r.seconds, r.cutoff, r.error, budget_mode)
        for r in records
        if r.config == mapping and r.cutoff == cutoff and r.budget_mode == budget_mode
    }
    key = digest(mapping)
    journal = Journal(store)
    header = {"cutoff": cutoff, "digests": dict(digests), **mode_key(budget_mode)}
    old_header, old = journal.read()
    kept = old if old_header == header else []
    extra = 0.0
    for rec in kept:
        if rec.get("config") == key and rec["instance"] not in have:
            have[rec["instance"]] = Measurement.from_json(rec)
            extra += have[rec["instance"]].seconds
    journal.start(header, kept)
    todo = [
        (inst, CheckTask(path, folder, config, cutoff, inst, budget_mode))
        for inst, (path, folder) in problems.items()
        if inst not in have
    ]
    try:
        for inst, m in pool.map(todo):
            journal.append({"config": key, **m.to_json()})
            have[str(inst)] = m
            extra += m.seconds
    finally:
        journal.close()
    return Member(config, {k: have[k] for k in problems}, extra)
