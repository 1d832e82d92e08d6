"""Worlds from a real station table: a hand-made table, and the FCC's national one."""

from __future__ import annotations

from pathlib import Path

import pytest

from auctool.errors import InputError
from auctool.worlds.build import check_assignment
from auctool.worlds.national import world_from_table
from auctool.worlds.spec import TableSpec
from auctool.worlds.tables import read_assignment, read_volumes
from tests.helpers import national_spec

HEADER = "FacID,Call,Country,Channel,City,Lat,Lon,DMA,Eligible,Population\n"


def _tiny(tmp_path: Path, extra_row: str = "") -> TableSpec:
    # three stations around New York on channels 20, 20 and 21: the home channels clash in
    # the distance model, and admitting them (they were on air together) resolves that
    (tmp_path / "station_info.csv").write_text(
        HEADER
        + "1,A,US,20,NY,40.70,74.00,NY,True,20000000\n"
        + "2,B,US,20,NY,40.75,74.05,NY,True,19000000\n"
        + "3,C,US,21,NJ,40.90,74.30,NY,False,5000000\n"
        + extra_row
    )
    uhf = ",".join(str(c) for c in range(14, 52) if c != 37)
    (tmp_path / "Domain.csv").write_text("".join(f"DOMAIN,{s},{uhf}\n" for s in (1, 2, 3)))
    return TableSpec(tmp_path / "station_info.csv", tmp_path / "Domain.csv", seed=1)


def test_home_channels_are_admitted_by_default(tmp_path):
    world, report = world_from_table(_tiny(tmp_path))
    homes = dict(zip(world.stations["station"], world.stations["channel"], strict=True))
    check = check_assignment(world.data, homes)
    assert (check.co_pairs, check.adj_pairs) == (0, 0)
    assert report["admitted"][0]["co_demoted"] >= 1
    assert world.stations["lon"].max() < 0  # FCC longitudes are west-positive
    raw, _ = world_from_table(TableSpec(**{**_tiny(tmp_path).__dict__, "admit_home": False}))
    assert check_assignment(raw.data, homes).co_pairs >= 1


def test_the_seed_draws_missing_transmitters_reproducibly(tmp_path):
    a, _ = world_from_table(_tiny(tmp_path))
    b, _ = world_from_table(_tiny(tmp_path))
    assert a.data.fingerprint == b.data.fingerprint
    assert (a.stations["transmitter"] == "drawn").all()


def test_a_station_without_a_domain_is_named(tmp_path):
    spec = _tiny(tmp_path, "77,D,US,30,NY,41,74,NY,True,1\n")
    with pytest.raises(InputError, match=r"station_info.csv:5: station 77 has no line in"):
        world_from_table(spec)


@pytest.mark.realdata
def test_national_world_from_the_fcc_table(fcc_data):
    world, report = world_from_table(national_spec(fcc_data))
    assert len(world.stations) == len(world.data.domains) == 2990
    assert report["transmitters_from_tvstudy"] == 2990
    homes = dict(zip(world.stations["station"], world.stations["channel"], strict=True))
    assert check_assignment(world.data, homes).co_pairs == 0
    fcc_vol = read_volumes(fcc_data / "nov2015" / "volumes.csv")
    vols = world.stations.set_index("station")["volume"]
    assert vols[1328] == fcc_vol[1328] and vols.notna().sum() == len(fcc_vol)
    # the real post-auction repack, held out: violations are counted, not hidden
    post = read_assignment(fcc_data / "tvstudy" / "post_auction_parameters.csv").to_dict()
    held_out = check_assignment(world.data, post)
    assert held_out.stations > 2000 and held_out.off_domain == 0


@pytest.mark.slow
@pytest.mark.realdata
def test_admitting_the_post_auction_repack_makes_it_feasible(fcc_data):
    post_file = fcc_data / "tvstudy" / "post_auction_parameters.csv"
    spec = TableSpec(
        fcc_data / "nov2015" / "station_info.csv",
        fcc_data / "nov2015" / "Domain.csv",
        parameters=fcc_data / "tvstudy" / "parameters.csv",
    )
    raw, _ = world_from_table(spec)
    admitted, report = world_from_table(TableSpec(**{**spec.__dict__, "admit": (post_file,)}))
    post = read_assignment(post_file).to_dict()
    fixed = check_assignment(admitted.data, post)
    assert (fixed.co_pairs, fixed.adj_pairs) == (0, 0)
    before = check_assignment(raw.data, post)
    assert report["admitted"][1]["co_demoted"] == before.co_pairs
    assert len(admitted.data.interference) < len(raw.data.interference)


def test_a_world_rebuilt_from_its_own_station_table_is_the_same(tmp_path):
    from auctool.worlds.world import save_world

    world, _ = world_from_table(_tiny(tmp_path))
    save_world(world, tmp_path / "w")
    again, _ = world_from_table(TableSpec(tmp_path / "w" / "stations.csv", tmp_path / "w", seed=99))
    assert (again.stations["transmitter"] == "table").all()
    assert again.data.interference == world.data.interference
