"""``auctool report`` on a tune run: which knobs mattered, and the ablation path.

The figures come from ``auctool.tune.importance`` and ``auctool.tune.ablation``; this
module only checks the options, shows progress and draws the two tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.markup import escape
from rich.table import Table

from auctool.cli._common import Output
from auctool.errors import InputError

ABLATION_HELP = (
    "Tune runs: measure the ablation path from the default to the incumbent on the test "
    "set (runs the checker: each step tries every remaining change); stored in RUN_DIR and "
    "read back by later reports."
)
SET_HELP = "With --ablation: the instance set to measure on (default: the run's --test set)."


@dataclass(frozen=True)
class Mattered:
    importance: Any = None  # auctool.tune.importance.Importance
    ablation: Any = None  # auctool.tune.ablation.Ablation
    tune: bool = False

    def to_json(self) -> dict[str, Any]:
        if not self.tune:
            return {}
        return {
            "importance": self.importance.to_json(),
            "ablation": None if self.ablation is None else self.ablation.to_json(),
        }

    def tables(self) -> list[Table]:
        """The importance and ablation tables (printed, and on the HTML page)."""
        out = []
        if self.importance is not None:
            out.append(importance_table(self.importance))
        if self.ablation is not None:
            out.append(ablation_table(self.ablation))
        return out

    def notes(self) -> list[str]:
        out = []
        if self.importance is not None and self.importance.note:
            out.append(f"importance: {self.importance.note}")
        if self.ablation is not None:
            out += [f"ablation skipped {line}" for line in self.ablation.skipped]
        return out


def what_mattered(o: Output, run_dir: Path, ablation: bool, test_set: Path | None) -> Mattered:
    """Importance on any tune run; the ablation measured with ``--ablation``, else read back."""
    from auctool.plots import run_kind

    if run_kind(run_dir) != "tune":
        if ablation or test_set is not None:
            raise InputError("--ablation needs a tune run folder (with report.json)", run_dir)
        return Mattered()
    if test_set is not None and not ablation:
        raise InputError("--set goes with --ablation")
    from auctool.tune.ablation import ABLATION, run_ablation, run_incumbent, stored_ablation
    from auctool.tune.importance import run_importance

    if ablation:
        run_incumbent(run_dir)  # bad input fails before the importance is computed
    imp = run_importance(run_dir)
    if ablation:
        from auctool.cli.tune import _Live

        with _Live(o) as live:

            def progress(done: int, total: int) -> None:
                live._show(f"ablation: {done}/{total} checks of this step", done / total)

            path = run_ablation(run_dir, test_set, progress)
    else:
        path = stored_ablation(run_dir, _incumbent_or_none(run_dir))
        if path is None and (run_dir / ABLATION).is_file():
            o.info("ablation.json is for an earlier incumbent: run report --ablation again")
    return Mattered(imp, path, tune=True)


def _incumbent_or_none(run_dir: Path) -> Any:
    from auctool.check.config.configs import CheckerConfig, load_config

    path = run_dir / "incumbent.yaml"
    config = load_config(path) if path.is_file() else None
    return config if isinstance(config, CheckerConfig) else None


def _value(v: Any) -> str:
    if v is None:
        return "-"
    if isinstance(v, bool):
        return str(v).lower()
    if isinstance(v, float):
        return f"{v:.4g}"
    return escape(str(v))


def _pm(interval: float | None) -> str:
    return "" if interval is None else f" ± {interval:.4f}"


def importance_table(imp: Any) -> Table:
    r2 = "-" if imp.r2 is None else f"{imp.r2:.2f}"
    table = Table(
        title=(
            f"Which knobs mattered: {imp.trials} trials of {imp.configs} configurations "
            f"(forest's cross-validated R² {r2})"
        ),
        caption=(
            "importance: permutation importance of a random forest on the run history "
            "(knob values + instance features -> cost): the growth of its error when the knob "
            "is shuffled, as a share of the cost's variance, ± over folds and shuffles; "
            "impurity: the forest's own importance, share among the knobs, ± over trees; "
            "-: inactive"
        ),
        title_justify="left",
        caption_justify="left",
    )
    table.add_column("knob", no_wrap=True)
    for name in ("importance", "±", "impurity", "±", "default", "incumbent"):
        table.add_column(name, justify="right")
    for k in imp.knobs:
        changed = k.incumbent != k.default
        table.add_row(
            k.knob,
            f"{100 * k.importance:.1f}%",
            f"{100 * k.spread:.1f}",
            f"{100 * k.impurity:.1f}%",
            f"{100 * k.impurity_spread:.1f}",
            _value(k.default),
            _value(k.incumbent) if changed else "same",
            style="bold" if changed else None,
        )
    return table


def ablation_table(ab: Any) -> Table:
    first, last = ab.steps[0], ab.steps[-1]
    runs = f", {ab.repeats} runs each" if ab.repeats > 1 else ""
    if len(ab.steps) == 1:
        end = "the incumbent is the default: there is no path"
    elif ab.gain > 0:
        end = (
            f"gain {ab.gain:.4g} s PAR10{_pm(ab.interval)} ({first.par10:.4g} -> {last.par10:.4g})"
        )
    else:
        end = (
            f"the incumbent is no better than the default here (PAR10 {first.par10:.4g} -> "
            f"{last.par10:.4g}): no gain to share"
        )
    table = Table(
        title=(
            f"Ablation path, default -> incumbent, on {escape(ab.set)}: {first.n} checks per "
            f"configuration, cutoff {ab.cutoff:g} s{runs} ({ab.checks} checks measured)"
        ),
        caption=(
            f"{end}; each step moves the change that lowers PAR10 most; ±: 95% interval of "
            "the gain, paired problem by problem (a gain inside it is within the checks' noise)"
        ),
        title_justify="left",
        caption_justify="left",
    )
    table.add_column("step", justify="right")
    table.add_column("change")
    for name in ("solved", "PAR10", "gain", "±", "share"):
        table.add_column(name, justify="right")
    for i, s in enumerate(ab.steps):
        change = "\n".join(f"{c.knob}: {_value(c.before)} -> {_value(c.after)}" for c in s.changes)
        table.add_row(
            str(i),
            change or "default",
            f"{100 * s.solved / s.n:.1f}%" if s.n else "-",
            f"{s.par10:.4f}",
            "" if i == 0 else f"{s.gain:+.4f}",
            "" if i == 0 else _pm(s.interval).strip(" ±") or "-",
            "" if i == 0 or s.share is None else f"{100 * s.share:.1f}%",
        )
    return table
