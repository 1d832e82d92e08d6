"""Validation: configurations measured side by side on a (held-out) instance set.

Every configuration runs on every instance (``repeats`` times: the answers are the same,
the times vary), through the same pool as tuning. With a store, finished
measurements are journaled so an interrupted validation resumes where it stopped.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from auctool.check.config.configs import AnyConfig, CheckerConfig, PortfolioConfig
from auctool.errors import InputError
from auctool.formats.instances import InstanceSet
from auctool.model.cutoff import Cutoff, invalid
from auctool.tune.journal import Journal, digest
from auctool.tune.parallel import Pool
from auctool.tune.scoring import Measurement, Summary, mode_key, ratios, summarise
from auctool.tune.target import CheckTask


@dataclass(frozen=True)
class Contender:
    name: str
    config: AnyConfig
    source: str | None = None  # the YAML file it came from


@dataclass(frozen=True)
class ContenderResult:
    contender: Contender
    measurements: tuple[Measurement, ...]

    @property
    def summary(self) -> Summary:
        return summarise(self.measurements)


def config_json(config: AnyConfig) -> dict[str, Any]:
    """A configuration as plain data (a portfolio as ``{portfolio: [...]}``, like its YAML)."""
    if isinstance(config, PortfolioConfig):
        return {"portfolio": [m.to_mapping() for m in config.members]}
    return config.to_mapping()


def set_cutoff(iset: InstanceSet, given: float | None) -> float:
    """The cutoff given, else the set manifest's ``cutoff``, else its problems' CUTOFF, else 60 s."""
    if given is not None:
        why = invalid(given)
        if why is not None:
            raise InputError.of_setting("cutoff", why)
        return Cutoff(given).seconds
    meta = iset.meta.get("cutoff")
    cutoffs = [p.cutoff for _, p in iset.problems() if p.cutoff]
    from_set = meta if invalid(meta) is None else None
    return Cutoff.resolve(from_set, max(cutoffs) if cutoffs else None).seconds


def journal_header(
    iset: InstanceSet, cutoff: float, digests: Mapping[str, str] | None, budget_mode: str = "time"
) -> dict[str, Any]:
    """What a validation store's measurements are valid for (another set, cutoff or budget
    mode: none)."""
    return {
        "cutoff": cutoff,
        "digests": dict(digests or {}),
        "set": str(iset.root),
        **mode_key(budget_mode),
    }


def validate(
    contenders: Sequence[Contender],
    iset: InstanceSet,
    folders: Mapping[str, Path],
    cutoff: float,
    pool: Pool,
    repeats: int = 1,
    store: Path | None = None,
    digests: Mapping[str, str] | None = None,
    on_result: Callable[[int, int], None] | None = None,
    budget_mode: str = "time",
) -> list[ContenderResult]:
    """Measure each contender on each instance, each check bounded as ``budget_mode``
    says (``auctool.check.budget``); results in the contenders' order."""
    if repeats < 1:
        raise InputError.of_setting("repeats", f"must be at least 1, got {repeats}")
    instances = [e.file for e in iset.entries]
    keys = [digest(config_json(c.config)) for c in contenders]
    found: dict[tuple[str, str, int], Measurement] = {}
    journal = Journal(store) if store is not None else None
    if journal is not None:
        header = journal_header(iset, cutoff, digests, budget_mode)
        old_header, old = journal.read()
        if old_header == header:
            for rec in old:
                found[(rec["config"], rec["instance"], rec["repeat"])] = Measurement.from_json(rec)
        journal.start(header, [] if old_header != header else old)
    todo = [
        (
            (key, inst, r),
            CheckTask(
                str(iset.root / inst), str(folders[inst]), c.config, cutoff, inst, budget_mode
            ),
        )
        for c, key in zip(contenders, keys, strict=True)
        for inst in instances
        for r in range(repeats)
        if (key, inst, r) not in found
    ]
    total = len(contenders) * len(instances) * repeats
    done = total - len(todo)  # of these contenders' checks (the store may hold others)
    try:
        for k, m in pool.map(todo):
            found[k] = m
            done += 1
            if journal is not None:
                key, _, r = k
                journal.append({"config": key, "repeat": r, **m.to_json()})
            if on_result is not None:
                on_result(done, total)
    finally:
        if journal is not None:
            journal.close()
    return [
        ContenderResult(
            c, tuple(found[(key, inst, r)] for inst in instances for r in range(repeats))
        )
        for c, key in zip(contenders, keys, strict=True)
    ]


def comparison(
    results: Sequence[ContenderResult], cutoff: float, repeats: int, budget_mode: str = "time"
) -> dict[str, Any]:
    """The report's validation section: figures per configuration, ratios to the first
    (solved as :func:`auctool.tune.objective.is_solved` counts in ``budget_mode``)."""
    base = results[0].summary
    rows = []
    for res in results:
        s = res.summary
        rows.append(
            {
                "name": res.contender.name,
                **({"file": res.contender.source} if res.contender.source else {}),
                "config": config_json(res.contender.config),
                **s.to_json(),
                "ratios": ratios(s, base),
            }
        )
    return {
        "cutoff": cutoff,
        "budget_mode": budget_mode,
        "repeats": repeats,
        "baseline": results[0].contender.name,
        "configs": rows,
    }


PAR10_NOISE = 0.05
"""A PAR10 this much worse than the baseline's, relatively, is a loss; less is noise."""


def losses(validation: dict[str, Any]) -> list[str]:
    """A sentence for each configuration that did worse than the baseline on the test set
    (a short tune can pick one that beat the default only on the instances both ran).
    PAR10 within ``PAR10_NOISE`` of the baseline's is timing noise, not a loss."""
    rows = validation["configs"]
    base = rows[0]
    said = []
    for row in rows[1:]:
        slower = row["par10"] > base["par10"] * (1 + PAR10_NOISE)
        if slower or row["solved_share"] < base["solved_share"]:
            said.append(
                f"the {row['name']} did worse than the {base['name']} on {validation['set']} "
                f"(solved {100 * row['solved_share']:.1f}% vs {100 * base['solved_share']:.1f}%, "
                f"PAR10 {row['par10']:.3f} s vs {base['par10']:.3f} s): keep the "
                f"{base['name']}, or tune longer"
            )
    return said


def default_contender() -> Contender:
    return Contender("default", CheckerConfig())


def validate_files(
    configs: Sequence[Path],
    set_path: Path,
    data: Path | None = None,
    cutoff: float | None = None,
    repeats: int = 1,
    workers: int = 1,
    scheduler: str | None = None,
    on_result: Callable[[int, int], None] | None = None,
    budget_mode: str = "time",
) -> dict[str, Any]:
    """``auctool validate``: the default and each YAML configuration on a set."""
    from auctool.check.config.configs import load_config
    from auctool.check.solve.solvers import check_budget_mode
    from auctool.formats.instances import load_instance_set
    from auctool.tune.features import set_features
    from auctool.tune.parallel import check_parallel, dask_pool

    check_parallel(workers, scheduler)
    loaded = [(p, load_config(p)) for p in configs]
    for _, cfg in loaded:  # a solver without a conflict budget cannot run in work mode
        check_budget_mode(budget_mode, cfg.solvers)
    stems = ["default", *(p.stem for p in configs)]
    unique = len(set(stems)) == len(stems)
    contenders = [default_contender()] + [
        Contender(p.stem if unique else str(p), cfg, str(p)) for p, cfg in loaded
    ]
    iset = load_instance_set(set_path)
    cut = set_cutoff(iset, cutoff)
    _, folders = set_features(iset, data)
    with dask_pool(workers, scheduler) as pool:
        results = validate(
            contenders, iset, folders, cut, pool, repeats, on_result=on_result,
            budget_mode=budget_mode,
        )  # fmt: skip
    return {"set": str(iset.root), **comparison(results, cut, repeats, budget_mode)}
