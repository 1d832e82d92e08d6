"""Tables of a tuning run for ``report``: what the tuning did (so a ``--no-validate`` run
still says something) and which knobs the incumbent changes from the default.

rich tables, printed on the terminal by the CLI and turned into HTML by
:mod:`auctool.plots.page`, so both show the same figures.
"""

from __future__ import annotations

from typing import Any

from rich.markup import escape
from rich.table import Table

from auctool.check.config.configs import CheckerConfig


def tuning_table(summary: dict[str, Any]) -> Table:
    """One column per SMAC run: trials, TIMEOUTs, the incumbent and its cost, the default's."""
    tuning, rounds = summary.get("tuning") or {}, summary.get("convergence") or []
    objective, cutoff = summary.get("objective", "par10"), summary.get("cutoff")
    title = f"tuning: {tuning.get('trials', 0)} trials in {tuning.get('elapsed', 0):.0f} s"
    if summary.get("stopped"):
        title += f" (stopped: {summary['stopped']})"
    if cutoff:
        title += f", {objective} at a cutoff of {cutoff:g} s{_of_work(summary)}"
    unit = "" if objective == "solved" else " (seconds)"
    notes = [
        f"{objective}{unit}: SMAC's estimate, the incumbent's mean over its runs; "
        "the default beside it on the instances both ran"
    ]
    if not summary.get("validation") and summary.get("validate", False):
        notes.append(
            "validation not finished (the run was stopped): the same tune command again finishes it"
        )
    elif not summary.get("validation"):
        notes.append("not validated (--no-validate): auctool validate TEST RUN_DIR/incumbent.yaml")
    table = Table(
        title=title, title_justify="left", caption="\n".join(notes), show_header=len(rounds) > 1
    )
    table.add_column("")
    for r in rounds:
        table.add_column(f"round {r['round']}" if len(rounds) > 1 else "", justify="right")
    rows: list[tuple[str, list[str]]] = [
        ("trials", [_trials(r) for r in rounds]),
        ("  over the cutoff", [str(r["timeouts"]) for r in rounds]),
        ("configurations tried", [str(r["configurations"]) for r in rounds]),
        ("incumbent", [_incumbent(r) for r in rounds]),
        ("  changes of incumbent", [str(r["incumbent_changes"]) for r in rounds]),
        (f"  its {objective}", [_cost(r["incumbent"]) for r in rounds]),
        (f"default's {objective}", [_default(r, "cost") for r in rounds]),
        ("  the incumbent's there", [_default(r, "incumbent_cost") for r in rounds]),
    ]
    for name, cells in rows:
        table.add_row(name, *cells)
    return table


def _of_work(said: dict[str, Any]) -> str:
    """How a cutoff was counted, when not in wall seconds (``--budget-mode work``)."""
    return " of work" if said.get("budget_mode") == "work" else ""


def _trials(r: dict[str, Any]) -> str:
    reused = f" (+{r['reused_trials']} reused)" if r["reused_trials"] else ""
    return f"{r['trials']:,}{reused}"


def _incumbent(r: dict[str, Any]) -> str:
    inc = r["incumbent"]
    return f"#{inc['config_id']}" + (" (the default)" if inc["is_default"] else "")


def _cost(inc: dict[str, Any]) -> str:
    cost = inc.get("estimated_cost")
    return "-" if cost is None else f"{cost:.4f} over {inc['runs']} runs"


def _default(r: dict[str, Any], key: str) -> str:
    d = r.get("default")
    if d is None:
        if r["incumbent"]["is_default"]:
            return "= the incumbent's" if key == "cost" else "-"
        return "not run" if key == "cost" else "-"
    return f"{d[key]:.4f} on {d['instances']} instances"


def knobs_table(config: dict[str, Any]) -> Table | None:
    """The knobs the incumbent (or each portfolio member) sets otherwise than the default;
    None when it is the default."""
    members = config.get("portfolio") if "portfolio" in config else [config]
    default = CheckerConfig()
    full = default.to_mapping(active_only=False)
    active = default.to_mapping()
    shown = [_shown(full, active), *(_shown(full, m) for m in members)]
    changed = [k for k in full if any(s[k] != shown[0][k] for s in shown[1:])]
    if not changed:
        return None
    names = ["incumbent"] if len(members) == 1 else [f"member {i + 1}" for i in range(len(members))]
    inactive = any(s[k] == "-" for s in shown for k in changed)
    table = Table(
        title=f"knobs {'the incumbent changes' if len(members) == 1 else 'the members change'} "
        "(the others as the default)",
        title_justify="left",
        caption="-: inactive (its parent knob turns it off)" if inactive else None,
    )
    for name in ("knob", "default", *names):
        table.add_column(name, justify="left" if name == "knob" else "right")
    for knob in changed:
        table.add_row(escape(knob), *(escape(s[knob]) for s in shown))
    return table


def _shown(full: dict[str, Any], values: dict[str, Any]) -> dict[str, str]:
    return {k: _value(values[k]) if k in values else "-" for k in full}


def _value(v: Any) -> str:
    """As the YAML file spells it (true, not True), floats without trailing noise."""
    if isinstance(v, bool):
        return "true" if v else "false"
    return f"{v:g}" if isinstance(v, float) else str(v)


def validation_table(validation: dict[str, Any]) -> Table:
    """Validation on the held-out set: each configuration's share solved, PAR10, times."""
    runs = f", {validation['repeats']} runs each" if validation["repeats"] > 1 else ""
    table = Table(
        title=f"{validation['set']}: cutoff {validation['cutoff']:g} s{_of_work(validation)}{runs} "
        "(times in seconds)",
        title_justify="left",
    )
    table.add_column("configuration", no_wrap=True)
    base = validation["baseline"]
    for name in ("solved", "PAR10", "mean", "p90", f"PAR10 vs {base}", f"mean vs {base}"):
        table.add_column(name, justify="right")
    for row in validation["configs"]:
        r = row["ratios"]
        table.add_row(
            escape(row["name"]),
            f"{100 * row['solved_share']:.1f}%",
            f"{row['par10']:.3f}",
            f"{row['mean']:.4f}",
            f"{row['p90']:.4f}",
            "-" if r["par10"] is None else f"{r['par10']:.2f}",
            "-" if r["mean"] is None else f"{r['mean']:.2f}",
        )
    return table
