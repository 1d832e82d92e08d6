"""``auctool data``: make worlds (station data + interference), describe and convert them."""

from __future__ import annotations

import shlex
from contextlib import nullcontext
from pathlib import Path

import typer

from auctool.cli._common import (
    INTERFERENCE_FORMAT_OPTION,
    JSON_OPTION,
    QUIET_OPTION,
    Output,
    command_line,
    handle_errors,
    is_set,
)
from auctool.cli._help import Command, Group
from auctool.cli._worldtext import info_table, print_made
from auctool.errors import InputError
from auctool.formats.fcc import InterferenceFormat, WriteFormat
from auctool.worlds.spec import SynthSpec, TableSpec, fcc_tables, national_spec

app = typer.Typer(
    name="data",
    help="Make worlds (stations + interference), describe and convert constraint folders.",
    cls=Group,
    no_args_is_help=True,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
)

_DEF = SynthSpec()


# options the world-writing commands share, defined once
NAME_OPTION = typer.Option(
    None,
    "--name",
    help="Constraint set name (.srpk INTERFERENCE).",
    show_default="the folder's name",
)
FORMAT_OPTION = typer.Option(WriteFormat.UNABRIDGED, "--format", help="Interference file format.")
SEED_OPTION = typer.Option(0, "--seed", "-s", help="Seed of every random draw.")
FORCE_OPTION = typer.Option(False, "--force", help="Overwrite a non-empty folder.")
SCALE_OPTION = typer.Option(
    _DEF.scale, "--scale", min=0.01, help="Multiply every interference radius (density)."
)
DEGREES_OPTION = typer.Option(
    None,
    "--degrees",
    help="Calibrate the density: per-station radius factors so every station's degree "
    "matches its count in this CSV (FCC open_prices.csv: Interference2, or "
    "station,interference_count), or 'fcc': the FCC's distribution dealt by model degree.",
)
CHECK_OPTION = typer.Option(
    [],
    "--check",
    help="Count the interference pairs this assignment violates in the world (it stays "
    "unchanged). Repeatable.",
)

#: The real national constraint folder ``data national`` uses when ``--fcc`` has it.
FCC_INTERFERENCE = "satfc2013"
#: ``--interference model``: the calibrated distance model instead of real pairs.
MODEL = "model"


def _interference_option(show_default: str | bool = False):
    return typer.Option(
        None,
        "--interference",
        help="A real FCC constraint folder (Domain.csv + Interference_Paired.csv, either "
        "format): its pairs are the world's, the distance model fills in only what it lacks "
        "(stations it does not have, e.g. Canadian ones). 'model': the distance model alone.",
        show_default=show_default,
    )


#: Options that change what is printed, not what is made: left out of the manifest.
@app.command(cls=Command)
@handle_errors
def synth(
    ctx: typer.Context,
    out: Path = typer.Argument(..., help="The world folder to write.", show_default=False),
    seed: int = SEED_OPTION,
    stations: int = typer.Option(_DEF.stations, "--stations", "-n", min=1, help="Stations."),
    cities: int = typer.Option(_DEF.cities, "--cities", min=1, help="City clusters."),
    region_km: float = typer.Option(_DEF.region_km, "--region-km", min=1, help="Region width."),
    largest_city: float = typer.Option(
        _DEF.largest_city, "--largest-city", min=0, help="People in the largest city (Zipf)."
    ),
    city_spread_km: float = typer.Option(
        _DEF.city_spread_km,
        "--city-spread-km",
        min=0.1,
        help="Scatter of towers around a centre.",
    ),
    rural_share: float = typer.Option(
        _DEF.rural_share, "--rural-share", min=0, max=1, help="Share of stations outside cities."
    ),
    rural_density: float = typer.Option(
        _DEF.rural_density, "--rural-density", min=0, help="People per km² outside cities."
    ),
    vhf_share: float = typer.Option(
        _DEF.vhf_share, "--vhf-share", min=0, max=1, help="Share of VHF home stations."
    ),
    degrees: str | None = DEGREES_OPTION,
    check: list[Path] = CHECK_OPTION,
    scale: float = SCALE_OPTION,
    name: str | None = NAME_OPTION,
    fmt: WriteFormat = FORMAT_OPTION,
    force: bool = FORCE_OPTION,
    json_out: bool = JSON_OPTION,
    quiet: bool = QUIET_OPTION,
) -> None:
    """Write a synthetic world: cities, towers, people, domains and their interference.

    A world folder is Domain.csv + Interference_Paired.csv + stations.csv +
    manifest.json (the command and seed that made it). Interference comes from the
    distance model calibrated on real FCC constraints (`python -m bench world`).
    """
    out_ = Output(json_out, quiet)
    _check_out(out, force)
    try:
        spec = SynthSpec(
            stations=stations,
            cities=cities,
            region_km=region_km,
            largest_city=largest_city,
            city_spread_km=city_spread_km,
            rural_share=rural_share,
            rural_density=rural_density,
            vhf_share=vhf_share,
            scale=scale,
            seed=seed,
            name=name or out.resolve().name,
            degrees=_degrees(degrees),
        )
    except ValueError as exc:
        raise InputError(str(exc)) from None
    _make(out_, spec, out, fmt, command_line(ctx), tuple(check))


@app.command(cls=Command)
@handle_errors
def table(
    ctx: typer.Context,
    out: Path = typer.Argument(..., help="The world folder to write.", show_default=False),
    station_table: Path = typer.Argument(
        ...,
        help="Real station table (FCC station_info.csv, or an auctool stations.csv).",
        show_default=False,
    ),
    domains: Path = typer.Option(
        ..., "--domains", help="Domain.csv (or its folder).", show_default=False
    ),
    seed: int = SEED_OPTION,
    volumes: Path | None = typer.Option(
        None, "--volumes", help="FCC volumes.csv for the volume column."
    ),
    parameters: Path | None = typer.Option(
        None,
        "--parameters",
        help="TVStudy parameters.csv (real ERP/HAAT -> radii); without it transmitters are "
        "drawn like real ones.",
    ),
    admit: list[Path] = typer.Option(
        [],
        "--admit",
        help="An assignment known to be feasible (e.g. post_auction_parameters.csv): "
        "interference it would violate is dropped. Repeatable.",
    ),
    admit_home: bool = typer.Option(
        True,
        "--admit-home/--no-admit-home",
        help="The home channels were interference-free; make them so.",
    ),
    complete: bool = typer.Option(
        True,
        "--complete/--no-complete",
        help="With --admit: place the stations of countries the assignment leaves out (Canada "
        "in the post-auction file) with the checker; report what contradicts every placement.",
    ),
    subsets: Path | None = typer.Option(
        None,
        "--subsets",
        help="Real constraint subsets (a folder of folders): report the world's precision "
        "and recall on their pairs.",
    ),
    interference: str | None = _interference_option(),
    degrees: str | None = DEGREES_OPTION,
    check: list[Path] = CHECK_OPTION,
    scale: float = SCALE_OPTION,
    name: str | None = NAME_OPTION,
    fmt: WriteFormat = FORMAT_OPTION,
    force: bool = FORCE_OPTION,
    json_out: bool = JSON_OPTION,
    quiet: bool = QUIET_OPTION,
) -> None:
    """Write a world from a real station table: its stations, domains and locations.

    Interference: the real pairs of `--interference DIR` where it has them, else the
    calibrated distance model (radii from TVStudy's parameters, or drawn like real ones);
    known feasible assignments are admitted. `data national` is this command on the
    FCC's own tables.
    """
    out_ = Output(json_out, quiet)
    _check_out(out, force)
    spec = TableSpec(
        interference=_interference(interference),
        stations=station_table,
        domains=domains,
        volumes=volumes,
        parameters=parameters,
        admit=tuple(admit),
        admit_home=admit_home,
        scale=scale,
        seed=seed,
        name=name or out.resolve().name,
        degrees=_degrees(degrees),
        complete=complete,
        subsets=subsets,
    )
    _make(out_, spec, out, fmt, command_line(ctx), tuple(check))


def _make(
    out_: Output,
    spec: SynthSpec | TableSpec,
    out: Path,
    fmt: WriteFormat,
    command: str,
    check: tuple[Path, ...],
) -> None:
    from auctool.worlds.generate import make_world

    with out_.err.status("generating the world...") if out_.live else nullcontext():
        _, report = make_world(spec, out, InterferenceFormat(fmt.value), command, check)
    if out_.json:
        out_.emit_json(report)
        return
    print_made(out_, report)


def _check_out(out: Path, force: bool) -> None:
    if out.exists() and not out.is_dir():
        raise InputError("exists and is not a folder", out)
    if out.is_dir() and any(out.iterdir()) and not force:
        raise InputError("folder is not empty (use --force to overwrite)", out)


@app.command(cls=Command)
@handle_errors
def national(
    ctx: typer.Context,
    out: Path = typer.Argument(..., help="The world folder to write.", show_default=False),
    fcc: Path = typer.Option(
        ...,
        "--fcc",
        help="The FCC data folder (nov2015/, tvstudy/, auction1001/, subsets/).",
        show_default=False,
    ),
    seed: int = SEED_OPTION,
    interference: str | None = _interference_option(
        f"FCC/{FCC_INTERFERENCE} when there, else 'model'"
    ),
    calibrate: bool = typer.Option(
        True,
        "--calibrate/--no-calibrate",
        help="Fit every station's radii to its real degree (with real pairs) or to the FCC's "
        "interference count (Interference2, the model alone).",
    ),
    name: str | None = NAME_OPTION,
    fmt: WriteFormat = FORMAT_OPTION,
    force: bool = FORCE_OPTION,
    json_out: bool = JSON_OPTION,
    quiet: bool = QUIET_OPTION,
) -> None:
    """The national world from the FCC's tables, in one command.

    Real stations, domains, volumes and transmitters (TVStudy). Interference: the real
    pairs of an FCC constraint folder (`--interference`, by default the 2013 national set
    in FCC/satfc2013), the distance model, fitted to the real degrees, only for what the
    folder lacks (Canadian stations, US stations missing from it); or, without one, the
    model fitted to the FCC's interference counts (Interference2). The home channels and
    the real post-auction packing are admitted, Canadian stations placed by the checker.
    Writes packing.csv (that packing: the start of a real-participant auction) and
    reports where each station and pair came from and the precision/recall on the real
    subsets.
    """
    out_ = Output(json_out, quiet)
    _check_out(out, force)
    fcc_tables(fcc)  # every table there, before anything else
    if interference is None:
        default = fcc / FCC_INTERFERENCE
        interference = str(default) if default.is_dir() else MODEL
        if interference == MODEL:
            out_.warn(
                f"{fcc} has no {FCC_INTERFERENCE}/: the distance model stands in for the real pairs"
            )
    spec = national_spec(
        fcc, _interference(interference), calibrate, seed=seed, name=name or out.resolve().name
    )
    command = command_line(ctx)
    if not is_set(ctx, "interference"):  # the manifest names the source it resolved to
        command += " " + shlex.join(["--interference", interference])
    _make(out_, spec, out, fmt, command, ())


def _interference(value: str | None) -> Path | None:
    """``--interference``: a constraint folder, or None for 'model' (and when not given)."""
    if value is None or value == MODEL:
        return None
    path = Path(value)
    if not path.is_dir():
        raise InputError(
            "not a constraint folder nor 'model'" if not path.exists() else "not a folder", path
        )
    return path


def _degrees(value: str | None) -> str | Path | None:
    if value is None or value == "fcc":
        return value
    path = Path(value)
    if not path.is_file():
        raise InputError("not 'fcc' nor a counts file" if not path.exists() else "not a file", path)
    return path


@app.command(cls=Command)
@handle_errors
def info(
    folder: Path = typer.Argument(
        ..., help="A constraint folder or world folder.", show_default=False
    ),
    interference_format: InterferenceFormat = INTERFERENCE_FORMAT_OPTION,
    json_out: bool = JSON_OPTION,
    quiet: bool = QUIET_OPTION,
) -> None:
    """Stations, constraints, format, station degrees, load time (and a world's home channels)."""
    from auctool.worlds.info import folder_info

    out = Output(json_out, quiet)
    info_ = folder_info(folder, interference_format)
    if out.json:
        out.emit_json(info_)
        return
    out.print(info_table(info_))


@app.command(cls=Command)
@handle_errors
def convert(
    source: Path = typer.Argument(..., help="Constraint (or world) folder.", show_default=False),
    out: Path = typer.Argument(..., help="Folder to write.", show_default=False),
    fmt: WriteFormat = typer.Option(..., "--format", help="Target format.", show_default=False),
    interference_format: InterferenceFormat = typer.Option(
        InterferenceFormat.AUTO, "--interference-format", help="Format of the source file."
    ),
    force: bool = FORCE_OPTION,
    json_out: bool = JSON_OPTION,
    quiet: bool = QUIET_OPTION,
) -> None:
    """Rewrite a constraint folder in the other FCC interference format (atomic writes)."""
    from auctool.worlds.convert import convert_folder

    out_ = Output(json_out, quiet)
    _check_out(out, force)
    data = convert_folder(source, out, InterferenceFormat(fmt.value), interference_format)
    if out_.json:
        out_.emit_json(
            {
                "source": str(source),
                "out": str(out),
                "format": fmt.value,
                "stations": len(data.domains),
                "constraints": len(data.interference),
            }
        )
        return
    out_.info(
        f"wrote {out} ({fmt.value}): {len(data.domains):,} stations, "
        f"{len(data.interference):,} constraints"
    )
