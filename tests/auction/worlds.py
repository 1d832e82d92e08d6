"""Small worlds for auction tests, with outcomes that can be worked out by hand."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from auctool.worlds.synth import SynthSpec, synth_world
from auctool.worlds.world import World, save_world
from tests.helpers import co_everywhere, data_from

CHANNELS = (14, 15)


def three_station_world() -> World:
    """A (no bid) and bidders B, C on channels 14/15, all three mutually co-channel.

    A takes one channel; B or C alone fits on the other, never both. Volumes are given
    (A 2000, B 1000, C 500), so the opening offers are 1,800,000 / 900,000 / 450,000.
    """
    data = data_from(
        {1: CHANNELS, 2: CHANNELS, 3: CHANNELS}, co_everywhere((1, 2, 3), CHANNELS), "abc"
    )
    stations = pd.DataFrame(
        {
            "station": [1, 2, 3],
            "population": [1_000_000, 500_000, 200_000],
            "channel": [14, 30, 45],
            "volume": [2000, 1000, 500],
        }
    )
    return World(data, stations, {"made_by": "tests"})


def crowded_world() -> World:
    """1, 2, 3 mutually co-channel on 14/15 (never all three), 4 apart; 9 has a VHF home."""
    data = data_from(
        {1: CHANNELS, 2: CHANNELS, 3: CHANNELS, 4: CHANNELS, 9: (7, 8)},
        co_everywhere((1, 2, 3), CHANNELS),
        "crowded",
    )
    stations = pd.DataFrame(
        {
            "station": [1, 2, 3, 4, 9],
            "population": [1_000_000, 500_000, 200_000, 100_000, 50_000],
            "channel": [14, 15, 40, 20, 7],
            "volume": [4000, 3000, 2000, 1000, 500],
            "eligible": [False, True, True, True, True],
        }
    )
    return World(data, stations)


THREE_STATION_VALUES = "station,value\n2,600000\n3,100000\n"


def write_world(world: World, folder: Path) -> Path:
    save_world(world, folder)
    return folder


def small_synth_world(stations: int = 22, seed: int = 1) -> World:
    """A little synthetic market (one city, 80 km across, 84 MHz cleared): some stations
    freeze, some exit, every check quick (the span bound refutes the tight ones)."""
    spec = SynthSpec(stations=stations, cities=1, region_km=80, seed=seed, name="small")
    world, _ = synth_world(spec)
    return World(world.data, world.stations, {"made_by": "tests", "seed": seed})


def staged_world() -> World:
    """Station 1 (no bid) and bidders 2, 3, all mutually co-channel; 1 can use only 14.

    At 114 MHz (UHF 14-31) 2 and 3 share channel 15: one of them must win. At 84 MHz
    (14-36) channel 32 opens too, so both can stay on air: in that stage the winner of the
    first bids again and nobody need be paid. Volumes 2000 / 1000 / 500 as in
    :func:`three_station_world`, values in :data:`THREE_STATION_VALUES`.
    """
    chans = (14, 15, 32)
    data = data_from({1: (14,), 2: chans, 3: chans}, co_everywhere((1, 2, 3), chans), "staged")
    stations = pd.DataFrame(
        {
            "station": [1, 2, 3],
            "population": [1_000_000, 500_000, 200_000],
            "channel": [14, 30, 45],
            "volume": [2000, 1000, 500],
        }
    )
    return World(data, stations, {"made_by": "tests"})


def target_world() -> World:
    """Two non-bidders, co-channel, each on 14 or 30, and a bidder on 14-36: the pair packs
    from 114 MHz (UHF 14-31) on; at 126 MHz (14-29) they share one channel (UNSAT)."""
    data = data_from(
        {1: (14, 30), 2: (14, 30), 3: tuple(range(14, 37))}, co_everywhere((1, 2), (14, 30)), "tgt"
    )
    stations = pd.DataFrame(
        {
            "station": [1, 2, 3],
            "population": [1_000_000, 500_000, 200_000],
            "channel": [14, 30, 20],
            "volume": [2000, 1000, 500],
        }
    )
    return World(data, stations, {"made_by": "tests"})


def written_with_values(world: World, folder: Path) -> tuple[Path, Path]:
    """``world`` written to ``folder/world`` and :data:`THREE_STATION_VALUES` beside it."""
    values = folder / "values.csv"
    values.write_text(THREE_STATION_VALUES)
    return write_world(world, folder / "world"), values
