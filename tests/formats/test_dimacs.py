import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auctool.errors import InputError
from auctool.formats.dimacs import read_dimacs, write_dimacs

clauses = st.lists(
    st.lists(
        st.integers(1, 20).flatmap(lambda v: st.sampled_from([v, -v])), min_size=1, max_size=5
    ),
    max_size=30,
)


@given(clauses)
def test_round_trip(tmp_path_factory, cls):
    path = tmp_path_factory.mktemp("d") / "f.cnf"
    write_dimacs(path, 20, cls, comments=["hello"])
    cnf = read_dimacs(path)
    assert cnf.nvars == 20 and [list(c) for c in cnf.clauses] == cls


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1 2 0\n", ":1: clause before the 'p cnf' header"),
        ("p cnf 2 1\n1 x 0\n", ":2: literal 'x' is not a whole number"),
        ("p cnf 2 1\n\n1 2\n", ":3: the last clause has no closing 0: file cut short?"),
        ("p cnf 2 1\n1 -2 0 2", ":2: the last clause has no closing 0: file cut short?"),
        ("p cnf 2 2\n1 2 0\n", ":1: the header declares 2 clauses, the file has 1"),
        ("p cnf 2 1\n1 0\n-1 3 0\n", ":3: literal 3 exceeds the declared 2 variables"),
        ("p dnf 2 1\n", ":1: expected 'p cnf <variables> <clauses>'"),
        ("c only a comment\n", ": no 'p cnf' header"),
    ],
)
def test_bad_cnf(tmp_path, text, message):
    path = tmp_path / "bad.cnf"
    path.write_text(text)
    with pytest.raises(InputError) as err:
        read_dimacs(path)
    assert str(err.value).startswith(f"{path}{message}")


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=60)
@given(clauses, st.floats(0.0, 1.0))
def test_a_file_cut_anywhere_is_refused_unless_nothing_was_lost(tmp_path, cls, at):
    """Issue 36: DIMACS needs no newline rule: each clause ends in 0 and the header
    counts them, so any cut that loses something is refused."""
    whole = tmp_path / "whole.cnf"
    write_dimacs(whole, 20, cls, comments=["a comment"])
    text = whole.read_text()
    cut = text[: int(at * len(text))]
    path = tmp_path / "cut.cnf"
    path.write_text(cut)
    if cut.rstrip() == text.rstrip():
        assert read_dimacs(path) == read_dimacs(whole)
    else:
        with pytest.raises(InputError):
            read_dimacs(path)
