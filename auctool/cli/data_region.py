"""``auctool data region``: a city's (or DMA's) stations and their interference neighbours,
cut from a world as a world of its own (registered on the ``data`` group)."""

from __future__ import annotations

from contextlib import nullcontext
from pathlib import Path
from typing import Any

import typer

from auctool.cli._common import JSON_OPTION, QUIET_OPTION, Output, command_line, handle_errors
from auctool.cli.data import FORCE_OPTION, FORMAT_OPTION, NAME_OPTION, _check_out
from auctool.errors import InputError
from auctool.formats.fcc import WriteFormat


@handle_errors
def region(
    ctx: typer.Context,
    world: Path = typer.Argument(..., help="The world folder to cut from.", show_default=False),
    out: Path = typer.Argument(..., help="The region's world folder to write.", show_default=False),
    city: str | None = typer.Option(
        None, "--city", help="Seed stations: this city's (any case, e.g. 'NEW YORK')."
    ),
    dma: str | None = typer.Option(
        None,
        "--dma",
        help="Seed stations: this DMA's (any case; a unique start of a name will do, e.g. "
        "'New York').",
    ),
    stations: Path | None = typer.Option(
        None, "--stations", help="Seed stations: a CSV with a station (or facility_id) column."
    ),
    links: int = typer.Option(
        1,
        "--links",
        min=0,
        help="Add every station within this many interference hops of the seeds (0: the "
        "seeds alone).",
    ),
    us_only: bool = typer.Option(
        False,
        "--us-only",
        help="Leave out the stations outside the US (Canadian, Mexican) before the region "
        "grows, as UBC's -IGNORE-CANADA.",
    ),
    participants: Path | None = typer.Option(
        None,
        "--participants",
        help="Who bids: a list (the FCC's reverse-stations.csv, or a station column); the "
        "listed stations of the region are written to its participants.csv.",
        show_default="the source world's participants.csv, restricted, when it has one",
    ),
    name: str | None = NAME_OPTION,
    fmt: WriteFormat = FORMAT_OPTION,
    force: bool = FORCE_OPTION,
    json_out: bool = JSON_OPTION,
    quiet: bool = QUIET_OPTION,
) -> None:
    """Cut a region: the stations of a city, DMA or list plus every station within
    --links interference hops, with the real constraints among them.

    As the UBC simulator's -START-CITY and -CITY-LINKS: an auction on a few hundred
    stations of a real crowded market runs in minutes. The region is a world (stations'
    rows unchanged, their domains, the constraints among them, the world's packing and
    participants restricted to them); its manifest says how it was cut. `auctool simulate
    REGION` bids with its participants.csv unless given --participants.
    """
    from auctool.worlds.region import RegionSpec, make_region

    out_ = Output(json_out, quiet)
    given = [(r, v) for r, v in (("city", city), ("dma", dma), ("stations", stations)) if v]
    if len(given) != 1:
        raise InputError("give exactly one of --city, --dma and --stations (the seed stations)")
    _check_out(out, force)
    ((rule, value),) = given
    spec = RegionSpec(rule, str(value), links, us_only, participants)
    with out_.err.status("cutting the region...") if out_.live else nullcontext():
        cut, report = make_region(world, spec, out, fmt.value, command_line(ctx), name)
    if out_.json:
        out_.emit_json(report)
        return
    _print_region(out_, report)
    if cut.world.participants == ():
        out_.warn("no listed participant is in the region: nobody will bid in it")


def _print_region(out: Output, report: dict[str, Any]) -> None:
    """What was cut and written, on stderr (``--json`` has the report on stdout)."""
    s, r = report["summary"], report["region"]
    seeds = ", ".join(r["matched"]) or Path(r["value"]).name
    rings = " + ".join(f"{n:,}" for n in s["by_hop"])
    out.info(
        f"wrote {report['folder']}: {s['stations']:,} stations ({s['uhf_stations']:,} UHF), "
        f"{s['constraints']:,} constraints, {s['station_pairs']:,} interfering station pairs"
    )
    us = ", US only" if r["us_only"] else ""
    out.info(
        f"seeds: {s['seeds']:,} stations of {r['rule']} {seeds}; by hop: {rings} "
        f"(--links {r['links']}{us})"
    )
    p = r["participants"]
    if p is not None:
        out.info(f"participants: {p['kept']:,} of the {p['listed']:,} listed in {p['from']}")
    src = report["source"]
    secs = ", ".join(f"{k} {v:.2f}s" for k, v in report["seconds"].items())
    out.info(f"cut from {src['name']} ({src['folder']}); {secs}")
