"""Figures of a simulated auction: the summary (``--json``), the tables (``--out``), the comparison.

Everything here is derived from a :class:`~auctool.auction.simulate.Simulation`; nothing
prints. The CLI renders the same dictionaries as rich tables.
"""

from __future__ import annotations

import math
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from auctool._atomic import write_text
from auctool._json import write_json
from auctool.auction.engine import AuctionOutcome, Status
from auctool.auction.simulate import Simulation, config_json
from auctool.check.result import Answer, Family

ANSWERS = ("SAT", "UNSAT", "TIMEOUT")


def seconds_stats(seconds: list[float] | np.ndarray) -> dict[str, float]:
    """p50 / p90 / p99 / max / mean / total of check times (zeros when there are none)."""
    arr = np.asarray(seconds, dtype=np.float64)
    if arr.size == 0:
        return dict.fromkeys(("p50", "p90", "p99", "max", "mean", "total"), 0.0)
    p50, p90, p99 = np.percentile(arr, [50, 90, 99])
    return {
        "p50": round(float(p50), 6),
        "p90": round(float(p90), 6),
        "p99": round(float(p99), 6),
        "max": round(float(arr.max()), 6),
        "mean": round(float(arr.mean()), 6),
        "total": round(float(arr.sum()), 6),
    }


def summary(sim: Simulation) -> dict[str, Any]:
    """The one JSON object ``simulate --json`` prints for a run."""
    out = sim.outcome
    m = out.market
    answers = Counter(c.answer for c in sim.checks)
    kinds = Counter(c.kind for c in sim.checks)
    solved_by = Counter(c.solved_by or f"none ({c.answer})" for c in sim.checks)
    n_checks = len(sim.checks)
    stages = sim.stage_runs
    search = sim.target_search
    return {
        "world": m.interference,
        "band": m.band_label,
        "clearing_target": m.plan.clearing_target_mhz,
        "seed": out.seed,
        "cutoff": sim.options.cutoff,
        "budget_mode": sim.options.budget_mode,
        "on_timeout": sim.options.on_timeout,
        "config": config_json(sim.config),
        "stations": len(m),
        "participants": int(m.participates.sum()),
        "participation": _jsonable(dict(m.notes)),
        "start": sim.start.to_json() if sim.start is not None else None,
        "rounds": sum(len(st.outcome.rounds) - 1 for st in stages),  # round 0: the opening
        "final_clock": out.rounds[-1].clock,
        "checks": {
            "total": n_checks,
            **{a: answers.get(a, 0) for a in ANSWERS},
            "by_kind": dict(sorted(kinds.items())),
            "reused": len(out.reused),
        },
        "check_seconds": seconds_stats([c.seconds for c in sim.checks]),
        "solved_by": dict(solved_by.most_common()),
        "solved_by_kind": dict(_by_kind(solved_by).most_common()),
        "cores": cores_report(sim),
        "cost": out.cost,
        "winners": out.count(Status.FROZEN),
        "winner_value": round(out.winner_value, 2),
        "exited": out.count(Status.EXITED),
        "frozen_by_timeout": sum(1 for f in out.frozen_by if f == "TIMEOUT"),
        "frozen_by_unsat": sum(1 for f in out.frozen_by if f == "UNSAT"),
        "winners_held": _winners_held(out),
        "escalation": escalation_report(sim),
        "on_air": len(out.assignment),
        "timing": {
            "wall_seconds": round(sim.wall_seconds, 6),
            "check_seconds": round(sim.check_wall, 6),
            "record_seconds": round(sim.record_wall, 6),
            "overhead_seconds": round(sim.overhead_seconds, 6),
            "overhead_ms_per_check": round(1000 * sim.overhead_seconds / max(n_checks, 1), 4),
        },
        "per_round": rounds_table(sim).to_dict(orient="records"),
        "clearing_targets": list(sim.options.targets),
        "stages": [st.to_json() for st in stages],
        "ended": sim.ended,
        "stop_below_cost": sim.options.stop_below_cost,
        "target_search": None
        if search is None
        else {**search.to_json(), "sentence": search.sentence()},
    }


def _winners_held(out: AuctionOutcome) -> int:
    """Winners whose question went unanswered at the end of a round and who were held
    at their price (hold / revisit) rather than frozen."""
    if out.held_rounds is None:
        return 0
    return int(((out.held_rounds > 0) & out.winners).sum())


def escalation_report(sim: Simulation) -> dict[str, Any] | None:
    """What re-asking timed-out questions at longer cutoffs did (None: not asked for)."""
    esc = sim.options.escalation()
    if esc is None:
        return None
    escalated = [c for c in sim.checks if c.escalations]
    answers = Counter(c.answer.value for c in escalated)
    return {
        "max_cutoff": esc.max_cutoff,
        "round_budget": esc.round_budget,
        "questions": len(escalated),
        "attempts": sum(c.escalations for c in escalated),
        "answered": {a: answers.get(a, 0) for a in ANSWERS},
        "seconds": round(sum(c.seconds for c in escalated), 3),
        "held_asked_again": sum(1 for c in sim.checks if c.held),
        "held_declined": sim.declined,
    }


def cores_report(sim: Simulation) -> dict[str, Any]:
    """UNSAT cores stored in the containment cache, and the UNSAT answers the cache gave."""
    sizes = [c.core for c in sim.checks if c.core]
    unsat = [c for c in sim.checks if c.answer is Answer.UNSAT]
    from_cache = sum(1 for c in unsat if c.solved_by and c.solved_by.family is Family.CACHE)
    return {
        "stored": len(sizes),
        "stations_p50": float(np.median(sizes)) if sizes else None,
        "stations_max": max(sizes, default=None),
        "unsat_answers": len(unsat),
        "unsat_from_cache": from_cache,
        "cache_hit_rate": round(from_cache / len(unsat), 4) if unsat else None,
    }


def _jsonable(notes: dict[str, Any]) -> dict[str, Any]:
    return {k: (list(v) if isinstance(v, (tuple, set)) else v) for k, v in notes.items()}


def _by_kind(solved_by: Counter) -> Counter:
    """ "solver:glucose3" -> "solver", "cache:sat" -> "cache": the component families."""
    kinds: Counter = Counter()
    for name, n in solved_by.items():
        kinds[name.split(":", 1)[0]] += n
    return kinds


def sat_questions(sim: Simulation, clearing_target: int | None = None) -> set[tuple[int, int]]:
    """(round, station) pairs this run found feasible: SAT answers and reused SAT answers
    (in the stage at ``clearing_target``; default the last stage)."""
    runs = sim.stage_runs
    target = runs[-1].clearing_target if clearing_target is None else clearing_target
    found: set[tuple[int, int]] = set()
    for stage in (r for r in runs if r.clearing_target == target):
        found |= {
            (c.round, c.station)
            for c in stage.checks
            if c.answer is Answer.SAT and c.station is not None
        }
        found |= set(stage.outcome.reused)
    return found


def frozen_by_timeout_alone(sim: Simulation, other: Simulation) -> list[int]:
    """Stations ``sim`` froze after a TIMEOUT whose question ``other`` answered SAT that round
    (in the same stage)."""
    feasible = sat_questions(other, sim.stage_runs[-1].clearing_target)
    out = sim.outcome
    return [
        int(out.market.ids[i])
        for i, f in enumerate(out.frozen_by)
        if f == "TIMEOUT" and (int(out.decided_round[i]), int(out.market.ids[i])) in feasible
    ]


def comparison(run: Simulation, baseline: Simulation) -> dict[str, Any]:
    """Side by side: cost difference, and stations each side froze only by timing out."""
    a, b = run.outcome.cost, baseline.outcome.cost
    return {
        "cost": a,
        "baseline_cost": b,
        "cost_difference": a - b,
        "cost_ratio": round(a / b, 6) if b else None,
        "frozen_by_timeout_alone": len(frozen_by_timeout_alone(run, baseline)),
        "baseline_frozen_by_timeout_alone": len(frozen_by_timeout_alone(baseline, run)),
        "check_seconds": round(sum(c.seconds for c in run.checks), 6),
        "baseline_check_seconds": round(sum(c.seconds for c in baseline.checks), 6),
    }


def rounds_table(sim: Simulation) -> pd.DataFrame:
    """One row per round of every stage: base clock, active (of them pending catch-up) /
    frozen / exited, checks and their time, the frozen and active stations' prices."""
    seconds: Counter = Counter()
    for c in sim.checks:
        seconds[(c.stage, c.round)] += c.seconds
    rows = [
        {
            "round": r.round,
            "base_clock": r.clock,
            "active": r.active,
            "frozen": r.frozen,
            "exited": r.exited,
            "new_frozen": r.new_frozen,
            "new_exited": r.new_exited,
            "checks": r.checks,
            "reused": r.reused,
            "check_seconds": round(seconds[(r.stage, r.round)], 6),
            "pending": r.pending,
            "frozen_cost": r.frozen_cost,
            "active_cost": r.active_cost,
            "stage": r.stage,
        }
        for st in sim.stage_runs
        for r in st.outcome.rounds
    ]
    return pd.DataFrame(rows)


def checks_table(sim: Simulation) -> pd.DataFrame:
    return pd.DataFrame(
        [c.to_json() for c in sim.checks],
        columns=[
            "seq",
            "round",
            "kind",
            "station",
            "stations",
            "answer",
            "seconds",
            "solved_by",
            "instance",
            "stage",
            "cutoff",
            "escalations",
            "held",
        ],
    ).astype({"station": "Int64"})


def stations_table(sim: Simulation) -> pd.DataFrame:
    """Every UHF station: its value, whether it bid, how it ended, what it was paid."""
    out = sim.outcome
    m = out.market
    status = [Status(int(s)).label for s in out.status]
    decided_stage = out.decided_stage
    if decided_stage is None:
        decided_stage = np.where(out.decided_round >= 0, out.stage, -1)
    return pd.DataFrame(
        {
            "station": m.ids,
            "home_channel": m.home_channel,
            "volume": m.volume,
            "value": [v if math.isfinite(v) else None for v in m.value],
            "opening_price": m.opening,
            "status": status,
            "price": np.where(out.status == Status.NON_PARTICIPANT, 0, out.price),
            "payment": np.where(out.winners, out.price, 0),
            "decided_round": np.where(out.decided_round >= 0, out.decided_round, None),
            "decided_stage": np.where(decided_stage >= 0, decided_stage, None),
            "frozen_by": list(out.frozen_by),
            "frozen_at_cutoff": _freezing_cutoffs(sim, decided_stage),
            "held_rounds": out.held_rounds if out.held_rounds is not None else 0,
            "channel": [out.assignment.get(int(s)) for s in m.ids],
        }
    ).astype({"decided_round": "Int64", "decided_stage": "Int64", "channel": "Int64"})


def _freezing_cutoffs(sim: Simulation, decided_stage: np.ndarray) -> list[float | None]:
    """Per station, the cutoff of the question that froze it (escalated: the last one);
    None for a station not frozen by a question (or frozen by the hold rule's end)."""
    out = sim.outcome
    last = {(c.stage, c.round, c.station): c.cutoff for c in sim.checks}
    return [
        last.get((int(st), int(rnd), int(s))) if f is not None else None
        for s, f, rnd, st in zip(
            out.market.ids, out.frozen_by, out.decided_round, decided_stage, strict=True
        )
    ]


def run_body(
    run: Simulation,
    baseline: Simulation | None = None,
    config_file: str | Path | None = None,
    baseline_file: str | Path | None = None,
) -> dict[str, Any]:
    """What ``simulate --json`` prints and ``summary.json`` keeps: the run's summary, and
    with a baseline its summary and the comparison."""
    body = {**summary(run), "config_file": None if config_file is None else str(config_file)}
    if baseline is not None:
        body["baseline"] = {
            **summary(baseline),
            "config_file": None if baseline_file is None else str(baseline_file),
        }
        body["comparison"] = comparison(run, baseline)
    return body


def write_outputs(
    folder: str | Path,
    run: Simulation,
    baseline: Simulation | None = None,
    body: dict[str, Any] | None = None,
) -> list[Path]:
    """rounds.csv, checks.csv, stations.csv and summary.json (``baseline/`` likewise).

    ``body`` is what summary.json holds when the caller has it already (the CLI's
    ``--json`` object, configuration file names included).
    """
    folder = Path(folder)
    written = _write_run(folder, run)
    if baseline is not None:
        written += _write_run(folder / "baseline", baseline)
    if body is None:
        body = summary(run)
        if baseline is not None:
            body = {**body, "baseline": summary(baseline), "comparison": comparison(run, baseline)}
    path = folder / "summary.json"
    write_json(path, body)
    return [*written, path]


def _write_run(folder: Path, sim: Simulation) -> list[Path]:
    out = []
    for name, table in (
        ("rounds", rounds_table(sim)),
        ("checks", checks_table(sim)),
        ("stations", stations_table(sim)),
    ):
        path = folder / f"{name}.csv"
        write_text(path, table.to_csv(index=False))
        out.append(path)
    return out
