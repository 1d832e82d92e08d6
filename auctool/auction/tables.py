"""The rich tables of auction results: one auction (and its baseline), its stages, many
seeds (each seed's figures, and the paired difference of each headline figure).

Built from the JSON summaries a run writes (``summary.json``, ``seeds.json``), so
``simulate`` prints them as it finishes and ``report`` from a folder later, the same.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.table import Table

from auctool.auction.paired import PairedDifference
from auctool.auction.seedresults import PAIRED_FIGURES, PairedFigure


def seeds_tables(body: dict[str, Any]) -> list[Table]:
    """A seeds run's tables (``simulate --seeds``, ``report`` and its page alike): each seed's
    figures, then with a baseline the paired difference of every headline figure."""
    paired = paired_table(body)
    return [seeds_table(body), *([paired] if paired is not None else [])]


def seeds_table(body: dict[str, Any]) -> Table:
    """Per seed and overall: cost, winners, TIMEOUTs, check p99 (costs in $ M; all in --json);
    under it, for a run written before every figure was paired, the cost verdict."""
    base = body["overall"]["baseline"] is not None
    paired = body["paired"]
    caption = None
    if paired is not None and not body.get("paired_figures"):  # else paired_table says it
        p = PairedDifference.from_json(paired)
        caption = (
            f"run - baseline: mean {p.mean / 1e6:+,.1f} $ M; cheaper: run {p.run_lower}, "
            f"baseline {p.baseline_lower}, ties {p.ties}\n{p.verdict(millions=True)}"
        )
    labels = body.get("labels") or {}
    sides = f"run: {labels['run']}" if labels.get("run") else ""
    if labels.get("baseline"):
        sides += f"; baseline: {labels['baseline']}"
    run_name, base_name = _sides(labels)
    table = Table(
        title=f"auctions by seed{f' ({sides})' if sides else ''} (TO: TIMEOUT)",
        title_justify="left",
        caption=caption,
        padding=(0, 1),
    )
    columns = ["seed", f"{run_name} $M", "won", "frozen TO", "TO", "p99 s"]
    if base:
        columns += [f"{base_name} $M", "base TO", "diff $M"]
    for name in columns:
        table.add_column(name, justify="right")
    for row in body["seeds"]:
        run, other = row["run"], row["baseline"]
        if run is None:
            table.add_row(str(row["seed"]), "failed", *[""] * (len(columns) - 2))
            continue
        cells = [str(row["seed"]), f"{run['cost'] / 1e6:,.1f}", str(run["winners"])]
        cells += [str(run["frozen_by_timeout"]), str(run["TIMEOUT"]), f"{run['check_p99']:.3f}"]
        if base:
            cells += [f"{other['cost'] / 1e6:,.1f}", str(other["TIMEOUT"])]
            cells += [f"{row['cost_difference'] / 1e6:+,.1f}"]
        table.add_row(*cells)
    overall = body["overall"]["run"]
    if overall is not None:
        table.add_section()
        cells = ["mean", f"{overall['cost_mean'] / 1e6:,.1f}", f"{overall['winners_mean']:.1f}"]
        cells += [
            f"{overall['frozen_by_timeout_mean']:.1f}",
            f"{overall['TIMEOUT'] / overall['seeds']:.1f}",
        ]
        cells += [f"{overall['check_seconds']['p99']:.3f}"]
        other = body["overall"]["baseline"]
        if base and other is not None:
            cells += [
                f"{other['cost_mean'] / 1e6:,.1f}",
                f"{other['TIMEOUT'] / other['seeds']:.1f}",
            ]
            cells += [f"{paired['mean'] / 1e6:+,.1f}" if paired else ""]
        table.add_row(*cells)
    return table


def paired_table(body: dict[str, Any]) -> Table | None:
    """One row per headline figure: mean run, mean baseline, mean difference (run - baseline),
    its t interval and the verdict; under it the wall ratio and the seeds a figure leaves
    out. None without a baseline, or for a run written before the figures were paired."""
    figures = body.get("paired_figures")
    if not figures:
        return None
    run_name, base_name = _sides(body.get("labels") or {})
    pct = f"{next(e for e in figures.values() if e)['confidence']:.0%}"
    table = Table(
        title=f"paired by seed: run - baseline, {pct} Student t (lower is better)",
        title_justify="left",
        padding=(0, 1),
    )
    columns = ["figure", run_name, base_name, "difference", f"{pct} t interval", "verdict"]
    for name in [*columns, "seeds", "run lower/higher/tie"]:
        table.add_column(name, justify="left" if name in ("figure", "verdict") else "right")
    notes = []
    for figure in PAIRED_FIGURES:
        entry = figures.get(figure.key)
        if entry is None:
            table.add_row(figure.label, *["-"] * 4, "no seed has it", "0", "")
            continue
        p = PairedDifference.from_json(entry)
        table.add_row(
            figure.label,
            _number(entry["run_mean"], figure),
            _number(entry["baseline_mean"], figure),
            _number(p.mean, figure, "+"),
            "-" if p.t_interval is None else _interval(p.t_interval, figure),
            _verdict(p, figure.lower),
            f"{p.n:,}",
            f"{p.run_lower} / {p.baseline_lower} / {p.ties}",
        )
        if entry.get("seeds_left_out"):
            notes.append(
                f"{figure.label}: over {p.n} seeds, {entry['seeds_left_out']} left out "
                "(their summaries predate the figure)"
            )
    ratio = (figures.get("wall_seconds") or {}).get("ratio")
    if ratio is not None:
        low, high = ratio.get("t_interval") or (None, None)
        within = "" if low is None else f", {pct} t interval [{low:.2f}, {high:.2f}]"
        if low is None and ratio["n"] > 1:  # the difference's interval reaches -mean
            within = f", {pct} t interval unbounded"
        notes.insert(
            0, f"wall: baseline / run = {ratio['ratio']:.2f}{within} (above 1 the run is faster)"
        )
    table.caption = "\n".join(notes) or None
    return table


def _number(value: float, figure: PairedFigure, sign: str = "") -> str:
    return f"{value / figure.scale:{sign},.{figure.digits}f}"


def _interval(pair: tuple[float, float], figure: PairedFigure) -> str:
    return f"[{_number(pair[0], figure, '+')}, {_number(pair[1], figure, '+')}]"


def _verdict(p: PairedDifference, lower: str) -> str:
    if p.t_interval is None:
        return "one seed: no interval"
    if not p.significant:
        return "not significant"
    return f"significant: {'run' if p.mean < 0 else 'baseline'} {lower}"


def _sides(labels: dict[str, Any]) -> tuple[str, str]:
    """The cost columns' names: the configurations compared ("tuned.yaml", "default.yaml"),
    or "cost" and "base" when a run names none (older runs) or both alike."""
    run, base = labels.get("run"), labels.get("baseline")
    if run and (base is None or base != run):
        return run, base or "base"
    return "cost", "base"


_ROWS: tuple[tuple[str, str], ...] = (
    ("stations / bidders", "{stations} / {participants}"),
    ("rounds", "{rounds}"),
    ("checks", "{checks[total]:,}"),
    ("  SAT/UNSAT/TIMEOUT", "{checks[SAT]:,}/{checks[UNSAT]:,}/{checks[TIMEOUT]:,}"),
    ("  reused answers", "{checks[reused]:,}"),
    ("check p50 s", "{check_seconds[p50]:.4f}"),
    ("check p90 s", "{check_seconds[p90]:.4f}"),
    ("check p99 s", "{check_seconds[p99]:.4f}"),
    ("check max s", "{check_seconds[max]:.3f}"),
    ("check total s", "{check_seconds[total]:.2f}"),
    ("overhead ms/check", "{timing[overhead_ms_per_check]:.3f}"),
    ("winners", "{winners}"),
    ("  frozen by UNSAT", "{frozen_by_unsat}"),
    ("  frozen by TIMEOUT", "{frozen_by_timeout}"),
    ("exited", "{exited}"),
    ("cost $", "{cost:,}"),
    ("winners' value $", "{winner_value:,.0f}"),
)


def _cell(fmt: str, run: dict[str, Any]) -> str:
    """One figure of a run; "-" when its summary predates the figure (an older run)."""
    try:
        return fmt.format(**run)
    except KeyError:
        return "-"


def _escalated(run: dict[str, Any]) -> str:
    esc = run.get("escalation")
    if not esc:
        return "-"
    done = esc["answered"]["SAT"] + esc["answered"]["UNSAT"]
    return f"{esc['questions']:,} ({done:,}, up to {esc['max_cutoff']:g} s)"


def summary_table(body: dict[str, Any]) -> Table:
    """One auction's summary (``simulate --json``'s body), its baseline's beside."""
    runs = [body] + ([body["baseline"]] if "baseline" in body else [])
    table = Table(
        title=f"auction on {body['world']} ({body['band']}, {body['clearing_target']} MHz, "
        f"seed {body['seed']}, cutoff {body['cutoff']:g} s"
        f"{' of work' if body.get('budget_mode') == 'work' else ''})",
        title_justify="left",
    )
    table.add_column("")
    for label in ("run", "baseline")[: len(runs)]:
        table.add_column(label, justify="right")
    table.add_row("configuration", *[_label(run) for run in runs])
    for name, fmt in _ROWS:
        table.add_row(name, *[_cell(fmt, run) for run in runs])
    if any(run.get("on_timeout", "freeze") != "freeze" for run in runs):
        table.add_row("on TIMEOUT", *[run.get("on_timeout", "freeze") for run in runs])
        table.add_row("winners once held", *[_cell("{winners_held}", run) for run in runs])
    if any(run.get("escalation") for run in runs):
        table.add_row("escalated questions (answered)", *[_escalated(run) for run in runs])
    for kind in sorted({k for run in runs for k in run["solved_by_kind"]}):
        counts = [f"{run['solved_by_kind'].get(kind, 0):,}" for run in runs]
        table.add_row(f"answered by {kind}", *counts)
    if "comparison" in body:
        cmp = body["comparison"]
        table.add_section()
        table.add_row("cost difference $", f"{cmp['cost_difference']:+,}", "")
        table.add_row(
            "frozen by TIMEOUT alone",
            str(cmp["frozen_by_timeout_alone"]),
            str(cmp["baseline_frozen_by_timeout_alone"]),
        )
        table.caption = ONE_AUCTION_CAVEAT if body.get("budget_mode") != "work" else None
    return table


#: Under a paired single auction in time mode: its difference is one draw of the noise.
ONE_AUCTION_CAVEAT = (
    "One auction in time mode: the same seed and checker can differ by more than this from "
    "run to run. --budget-mode work replays exactly; --seeds 1-20 pairs many auctions with "
    "an interval."
)


def stages_table(body: dict[str, Any]) -> Table:
    """Per stage: target, rounds, winners, cost, checks and TIMEOUTs (the baseline's beside)."""
    runs = [body] + ([body["baseline"]] if "baseline" in body else [])
    table = Table(title=f"stages: {body.get('ended') or ''}", title_justify="left")
    columns = ["stage", "MHz", "band", "rounds", "winners", "cost $M", "checks", "TIMEOUT"]
    if len(runs) > 1:
        columns += ["base rounds", "base winners", "base cost $M", "base TIMEOUT"]
    for name in columns:
        table.add_column(name, justify="left" if name == "band" else "right")
    by_stage = [{s["stage"]: s for s in run["stages"]} for run in runs]
    for number in sorted({n for stages in by_stage for n in stages}):
        first = next(stages[number] for stages in by_stage if number in stages)
        cells = [str(number), str(first["clearing_target"]), first["band"]]
        for k, stages in enumerate(by_stage):
            s = stages.get(number)
            if s is None:
                cells += ["not run"] + [""] * (3 if k else 4)
                continue
            row = [str(s["rounds"]), str(s["winners"]), f"{s['cost'] / 1e6:,.1f}"]
            if k == 0:
                row.append(f"{s['checks']['total']:,}")
            cells += [*row, f"{s['checks']['TIMEOUT']:,}"]
        table.add_row(*cells)
    return table


def _label(run: dict[str, Any]) -> str:
    """The configuration's file name (the knobs are in --json), or what it is."""
    if run.get("config_file"):
        return Path(run["config_file"]).name
    if "portfolio" in run["config"]:
        return f"portfolio of {len(run['config']['portfolio'])}"
    return "built-in default"
