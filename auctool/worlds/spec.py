"""What a world is made from: the settings of the two generators (light: no pandas).

The CLI takes its defaults from here, so ``auctool --help`` stays instant.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from auctool.errors import InputError
from auctool.worlds.distance import CALIBRATED, DistanceModel
from auctool.worlds.transmitters import TRANSMITTERS, TransmitterMix


@dataclass(frozen=True)
class SynthSpec:
    """Knobs of a synthetic world (defaults: a regional market of a few hundred stations)."""

    stations: int = 200
    cities: int = 14
    region_km: float = 1000.0  # a square region this wide
    largest_city: float = 6e6  # people in the largest city; the k-th has largest / k
    city_spread_km: float = 25.0  # tower sites and people scatter this far around a centre
    rural_share: float = 0.3  # share of stations placed uniformly over the region
    rural_density: float = 10.0  # people per km² outside the cities
    vhf_share: float = 0.0  # share of stations with a VHF home (1 in 5 of them low VHF)
    degrees: str | Path | None = None  # "fcc" or a counts CSV: calibrate the density to it
    service_share: float = 0.6  # service radius = this share of the interference radius
    scale: float = 1.0  # every interference radius times this
    seed: int = 0
    first_id: int = 1
    name: str = "synth"
    model: DistanceModel = field(default=CALIBRATED)
    transmitters: TransmitterMix = field(default=TRANSMITTERS)

    def __post_init__(self) -> None:
        checks = {
            "stations": self.stations >= 1,
            "cities": self.cities >= 1,
            "region_km": self.region_km > 0,
            "largest_city": self.largest_city >= 0,
            "city_spread_km": self.city_spread_km > 0,
            "rural_share": 0 <= self.rural_share <= 1,
            "rural_density": self.rural_density >= 0,
            "vhf_share": 0 <= self.vhf_share <= 1,
            "service_share": self.service_share > 0,
            "scale": self.scale > 0,
            "first_id": self.first_id >= 1,
        }
        bad = [k for k, ok in checks.items() if not ok]
        if bad:
            raise ValueError(f"{bad[0]} = {getattr(self, bad[0])!r} is out of range")


@dataclass(frozen=True)
class TableSpec:
    """Where a real-table world comes from, and how it is built."""

    stations: Path
    domains: Path
    volumes: Path | None = None
    parameters: Path | None = None
    admit: tuple[Path, ...] = ()
    admit_home: bool = True
    # a real constraint folder: its pairs are the world's, the model fills in what it lacks
    interference: Path | None = None
    fit_model: bool = True  # with ``interference``: fit the model's radii to the real degrees
    # "fcc" or interference counts by station (open_prices.csv): the model is fitted to
    # them, or (with ``interference``) the finished world is compared with them
    degrees: str | Path | None = None
    complete: bool = True  # place the stations of countries an admitted assignment leaves out
    subsets: Path | None = None  # real constraint subsets: report precision / recall on them
    scale: float = 1.0
    seed: int = 0
    name: str = "world"
    model: DistanceModel = field(default=CALIBRATED)
    transmitters: TransmitterMix = field(default=TRANSMITTERS)


#: Where the FCC's tables are under one data folder (``data national --fcc``).
FCC_LAYOUT = {
    "stations": "nov2015/station_info.csv",
    "domains": "nov2015/Domain.csv",
    "volumes": "nov2015/volumes.csv",
    "parameters": "tvstudy/parameters.csv",
    "admit": "tvstudy/post_auction_parameters.csv",
    "degrees": "auction1001/open_prices.csv",
    "subsets": "subsets",
}


def fcc_tables(fcc: Path) -> dict[str, Path]:
    """Every table of :data:`FCC_LAYOUT` under ``fcc`` (an InputError names a missing one)."""
    if not fcc.is_dir():
        raise InputError("not a folder" if fcc.exists() else "folder not found", fcc)
    files = {key: fcc / rel for key, rel in FCC_LAYOUT.items()}
    for key, path in files.items():
        if not path.exists():
            raise InputError(f"the FCC folder has no {FCC_LAYOUT[key]}", fcc)
    return files


def national_spec(
    fcc: Path, interference: Path | None, calibrate: bool = True, **settings: Any
) -> TableSpec:
    """The national world from the FCC's tables: real stations, domains, volumes and
    transmitters, the post-auction packing admitted; interference from ``interference``
    (real pairs; None: the distance model), the model fitted to the real degrees."""
    files = fcc_tables(fcc)
    return TableSpec(
        stations=files["stations"],
        domains=files["domains"],
        volumes=files["volumes"],
        parameters=files["parameters"],
        admit=(files["admit"],),
        interference=interference,
        fit_model=calibrate,
        degrees=files["degrees"] if calibrate or interference is not None else None,
        subsets=files["subsets"],
        **settings,
    )
