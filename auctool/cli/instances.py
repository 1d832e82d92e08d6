"""``auctool instances``: per-instance features, and train/test splits of recordings."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from auctool.cli._common import JSON_OPTION, QUIET_OPTION, Output, handle_errors
from auctool.cli._help import Command, Group
from auctool.cli.tune import _DATA
from auctool.errors import InputError

instances_app = typer.Typer(
    name="instances",
    help="Instance sets: per-instance features, train/test splits of recordings.",
    cls=Group,
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@instances_app.command("features", cls=Command)
@handle_errors
def features(
    instance_set: Path = typer.Argument(..., metavar="SET", help="Instance set folder."),
    data: Path | None = _DATA,
    csv_out: Path | None = typer.Option(None, "--out", "-o", help="Write the features as CSV."),
    json_out: bool = JSON_OPTION,
    quiet: bool = QUIET_OPTION,
) -> None:
    """Per-instance features (what SMAC's model sees of each problem)."""
    from auctool.formats.instances import load_instance_set
    from auctool.tune.features import set_features

    o = Output(json_out, quiet)
    iset = load_instance_set(instance_set)
    table, _ = set_features(iset, data)
    if csv_out is not None:
        table.write_csv(csv_out)
        o.info(f"wrote {len(table.rows)} instances x {len(table.names)} features to {csv_out}")
    if o.json:
        o.emit_json({"set": str(iset.root), **table.to_json()})
        return
    summary = Table(
        "feature", "min", "mean", "max", title=f"{iset.root}: {len(table.rows)} instances"
    )
    columns = list(zip(*table.rows.values(), strict=True)) if table.rows else []
    for name, col in zip(table.names, columns, strict=False):
        summary.add_row(name, f"{min(col):.4g}", f"{sum(col) / len(col):.4g}", f"{max(col):.4g}")
    o.print(summary)


def _seed_list(text: str) -> list[int]:
    """``--test-seeds``: a seed list as ``--seeds`` takes it (none when empty)."""
    from auctool.auction.seedlist import parse_seeds

    return list(parse_seeds(text)) if text.strip() else []


@instances_app.command("split", cls=Command)
@handle_errors
def split(
    recording: Path = typer.Argument(
        ..., metavar="RECORDING", help="A folder written by simulate --record."
    ),
    train: Path = typer.Option(..., "--train", help="Write the training set here."),
    test: Path = typer.Option(..., "--test", help="Write the test set here."),
    test_seeds: str = typer.Option(
        "", "--test-seeds", help="Auction seeds whose questions form the test set, e.g. 3,4 or 3-5."
    ),
    test_from_round: int | None = typer.Option(
        None, "--test-from-round", help="Questions from this round on form the test set."
    ),
    drop: list[str] = typer.Option(
        [],
        "--drop-solved-by",
        help="Leave out what this component answered when recorded (a family such as cache, "
        "or family:method such as presolve:previous; repeatable).",
    ),
    most: int | None = typer.Option(None, "--most", help="At most this many per side (sampled)."),
    stratify: bool = typer.Option(
        False,
        "--stratify",
        help="Sample each answer (SAT, UNSAT, TIMEOUT) in its share of the recording's side, "
        "instead of keeping every UNSAT and TIMEOUT first.",
    ),
    seed: int = typer.Option(0, "--seed", "-s", help="Seeds the sample."),
    json_out: bool = JSON_OPTION,
    quiet: bool = QUIET_OPTION,
) -> None:
    """Split a recording into train and test sets (whole auctions on each side by seed)."""
    from auctool.auction.record import split_recording

    o = Output(json_out, quiet)
    seeds = _seed_list(test_seeds)
    if not seeds and test_from_round is None:
        raise InputError("say what the test set is: --test-seeds and/or --test-from-round")
    sets = split_recording(
        recording,
        train,
        test,
        test_seeds=seeds,
        test_from_round=test_from_round,
        drop_solved_by=drop,
        most=most,
        stratify=stratify,
        seed=seed,
    )
    summary = {
        side: {
            "folder": str(iset.root),
            "instances": len(iset),
            "answers": {
                a: sum(e.answer == a for e in iset.entries) for a in ("SAT", "UNSAT", "TIMEOUT")
            },
        }
        for side, iset in zip(("train", "test"), sets, strict=True)
    }
    if o.json:
        o.emit_json(summary)
        return
    table = Table("set", "folder", "instances", "SAT", "UNSAT", "TIMEOUT when recorded")
    for side, row in summary.items():
        a = row["answers"]
        table.add_row(side, row["folder"], str(row["instances"]), *(str(a[k]) for k in a))
    o.print(table)
