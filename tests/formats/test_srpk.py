import pytest
from hypothesis import HealthCheck, given, settings
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


# ---- files cut short (issue 36, item 9) -----------------------------------------------


def test_a_file_cut_mid_line_is_refused_naming_that_line(tmp_path):
    """A cut station line ('125,-1,1' of '125,-1,15,16') still parses: it was answered SAT."""
    path = tmp_path / "cut.srpk"
    path.write_text(TEXT[: TEXT.index("125,-1,15") + len("125,-1,1")])
    with pytest.raises(InputError) as err:
        read_srpk(path)
    assert str(err.value).startswith(f"{path}:4: ")
    assert "ends in the middle of this line" in str(err.value)


def test_blank_space_after_the_last_newline_is_no_cut(tmp_path):
    path = tmp_path / "ok.srpk"
    path.write_text(TEXT + "  ")
    assert read_srpk(path) == parse_srpk(TEXT)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=60)
@given(
    st.dictionaries(
        st.integers(0, 10**6), st.lists(st.integers(2, 51), min_size=1, max_size=6), max_size=8
    ),
    st.floats(0.0, 1.0),
)
def test_every_prefix_is_refused_or_read_as_exactly_its_whole_lines(tmp_path, domains, at):
    """A file cut anywhere either fails (cut inside a line) or is read as the lines it
    still holds, never as a line that lost its end."""
    text = format_srpk(Problem(domains, interference="data", cutoff=60))
    cut = text[: int(at * len(text))]
    path = tmp_path / "p.srpk"
    path.write_text(cut)
    if cut.endswith("\n"):  # cut at a line break: the lines it holds, whole
        whole = list(parse_srpk(text).domains.items())[: max(0, cut.count("\n") - 2)]
        assert dict(read_srpk(path).domains) == dict(whole)
    else:
        with pytest.raises(InputError):
            read_srpk(path)
