import pytest
from hypothesis import given
from hypothesis import strategies as st

from auctool.errors import InputError
from auctool.formats.srpk import format_srpk, parse_srpk, read_srpk, write_srpk
from auctool.model import Problem

TEXT = "INTERFERENCE,nov2015\nCUTOFF,60\n87,14,14,15,16\n125,-1,15,16\n"


def test_parse_reads_header_previous_and_domains():
    p = parse_srpk(TEXT, "x.srpk")
    assert p.interference == "nov2015" and p.cutoff == 60
    assert dict(p.domains) == {87: (14, 15, 16), 125: (15, 16)}
    assert dict(p.previous) == {87: 14}
    assert p.new_stations == (125,)
    assert p.name == "x"


@given(
    st.dictionaries(
        st.integers(0, 10**6),
        st.tuples(st.lists(st.integers(2, 51), max_size=6), st.booleans()),
        max_size=15,
    ),
    st.one_of(st.none(), st.floats(0.01, 1e4)),
)
def test_round_trip(stations, cutoff):
    domains = {s: tuple(ch) for s, (ch, _) in stations.items()}
    previous = {s: ch[0] for s, (ch, has) in stations.items() if has and ch}
    p = Problem(domains, previous, interference="data", cutoff=cutoff)
    back = parse_srpk(format_srpk(p))
    assert back == Problem(
        domains, previous, interference="data", cutoff=float(f"{cutoff:g}") if cutoff else None
    )


def test_write_then_read(tmp_path):
    p = parse_srpk(TEXT)
    path = write_srpk(p, tmp_path / "a.srpk")
    assert read_srpk(path) == p


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("87,x,14\n", ":1: channel 'x' is not a whole number"),
        ("abc,-1,14\n", ":1: station id 'abc' is not a whole number"),
        ("87,-1,14\n87,-1,15\n", ":2: station 87 listed twice"),
        ("CUTOFF,-3\n87,-1,14\n", ":1: cutoff must be a positive number of seconds"),
        ("CUTOFF,soon\n", ":1: cutoff 'soon' is not a number"),
        ("INTERFERENCE\n", ":1: expected 'INTERFERENCE,<constraint folder name>'"),
        ("87\n", ":1: expected '<station>,<previous channel or -1>"),
        ("87,-5,14\n", ":1: previous channel -5 is neither -1 nor a channel"),
        ("87,-1,400\n", ":1: channel 400 out of range"),
        ("   \n", "file is empty"),
    ],
)
def test_bad_lines_are_named(text, message):
    with pytest.raises(InputError) as err:
        parse_srpk(text, "p.srpk")
    assert message in str(err.value) and str(err.value).startswith("p.srpk")


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="file not found"):
        read_srpk(tmp_path / "none.srpk")
