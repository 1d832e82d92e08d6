"""Station-table readers: FCC and auctool forms, longitudes, one-line errors with line numbers."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from auctool.errors import InputError
from auctool.worlds.tables import (
    read_assignment,
    read_station_table,
    read_tvstudy_parameters,
    read_volumes,
)

FCC_HEADER = "FacID,Call,Country,Channel,City,Lat,Lon,DMA,Eligible,Population\n"


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_fcc_station_info_west_longitudes_become_negative(tmp_path):
    path = _write(
        tmp_path,
        "station_info.csv",
        FCC_HEADER
        + '1328,WABC-TV,US,7,NEW YORK,40.712991,74.013112,"New York, NY",True,22198046\n'
        + "87,KOMI-CD,US,34,WOODWARD,36.268373,99.449277,OKC,False,28857\n",
    )
    t = read_station_table(path)
    assert t["station"].tolist() == [1328, 87]
    assert t["lon"].tolist() == [-74.013112, -99.449277]
    assert t["eligible"].tolist() == [True, False]
    assert t["dma"].iloc[0] == "New York, NY"


def test_auctool_station_tables_keep_their_longitudes(tmp_path):
    path = _write(
        tmp_path, "stations.csv", "station,channel,lat,lon,population,dma\n5,20,40.0,-74.0,100,x\n"
    )
    t = read_station_table(path)
    assert t["lon"].tolist() == [-74.0] and t["dma"].tolist() == ["x"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("FacID,Channel,Lat,Lon\n1,20,40,74\n", "missing column(s) Population"),
        (
            FCC_HEADER + "1,A,US,20,X,40,74,D,True,100\n2,B,US,2x,X,40,74,D,True,100\n",
            ":3: column channel: '2x' is not a whole number",
        ),
        (
            FCC_HEADER + "1,A,US,20,X,north,74,D,True,100\n",
            ":2: column lat: 'north' is not a number",
        ),
        (
            FCC_HEADER + "1,A,US,20,X,40,74,D,True,100\n1,B,US,21,X,41,74,D,True,100\n",
            ":3: station 1 listed twice",
        ),
        (FCC_HEADER + "1,A,US,20,X,95,74,D,True,100\n", ":2: latitude or longitude out of range"),
        (FCC_HEADER + "1,A,US,20,X,40,74,D,True,-5\n", ":2: column population: negative"),
        (FCC_HEADER + "1,A,US,20,X,40,74,D,True,\n", ":2: column population: is empty"),
        # one field too many shifted every column over (issue 33)
        (FCC_HEADER + "1,A,US,20,X,40,74,D,True,100,9\n", ":2: 11 fields where the header has 10"),
        ("", "file is empty"),
    ],
)
def test_bad_station_tables_name_file_and_line(tmp_path, text, message):
    path = _write(tmp_path, "station_info.csv", text)
    with pytest.raises(InputError) as err:
        read_station_table(path)
    assert message in str(err.value) and str(err.value).startswith(str(path))
    assert "\n" not in str(err.value)


def test_missing_table_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="file not found"):
        read_station_table(tmp_path / "nope.csv")


def test_volumes_and_assignments(tmp_path):
    vols = read_volumes(
        _write(tmp_path, "volumes.csv", "FacID,Volume\n1328,1108843\n9610,987430\n")
    )
    assert vols.to_dict() == {1328: 1108843, 9610: 987430}
    post = read_assignment(
        _write(
            tmp_path,
            "post.csv",
            "\ufeffFacID,Site,Call,Ch,PC\n147,,WTIC,34,31\n147,,WTIC,34,31\n87,,K,34,34\n",
        )
    )
    assert post.to_dict() == {147: 34, 87: 34}
    plain = read_assignment(
        _write(tmp_path, "plain.csv", "station,channel,population\n1,14,5\n2,15,6\n")
    )
    assert plain.to_dict() == {1: 14, 2: 15}
    with pytest.raises(InputError, match="missing column"):
        read_assignment(_write(tmp_path, "bad.csv", "id,ch\n1,14\n"))


def test_tvstudy_parameters_skip_the_study_header_and_empty_records(tmp_path):
    text = (
        "tvstudy v1.3.2\nDatabase,x\nStudy,y\n"
        "FacID,Ch,Lat,Lon,HAAT,ERP,Type,Country\n"
        "413,28,43.13,77.58,161.0,320.0,1,US\n"
        "413,,,,,,,\n"
        "2175,,,,,,1,US\n"
        "2175,25,18.07,66.74,310,800,1,US\n"
    )
    t = read_tvstudy_parameters(_write(tmp_path, "parameters.csv", text))
    assert t["station"].tolist() == [413, 2175]
    assert t["erp"].tolist() == [320.0, 800.0] and t["lon"].tolist() == [-77.58, -66.74]
    with pytest.raises(InputError, match="no header line starting with 'FacID,'"):
        read_tvstudy_parameters(_write(tmp_path, "p2.csv", "nothing,here\n1,2\n"))


@settings(max_examples=30, deadline=None)
@given(
    rows=st.lists(
        st.tuples(
            st.integers(1, 10**6),
            st.integers(2, 51),
            st.floats(-89, 89, allow_nan=False),
            st.floats(-179, 179, allow_nan=False),
            st.integers(0, 10**8),
        ),
        min_size=1,
        max_size=20,
        unique_by=lambda r: r[0],
    )
)
def test_station_table_round_trip(tmp_path_factory, rows):
    path = tmp_path_factory.mktemp("t") / "stations.csv"
    path.write_text(
        "station,channel,lat,lon,population\n"
        + "".join(f"{s},{c},{la!r},{lo!r},{p}\n" for s, c, la, lo, p in rows)
    )
    t = read_station_table(path)
    assert list(t.itertuples(index=False, name=None)) == rows
