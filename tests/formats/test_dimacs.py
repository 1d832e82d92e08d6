import pytest
from hypothesis import given
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
        ("1 2 0\n", "clause before the 'p cnf' header"),
        ("p cnf 2 1\n1 x 0\n", "a literal is not a whole number"),
        ("p cnf 2 1\n1 2\n", "last clause is not terminated by 0"),
        ("p cnf 2 2\n1 2 0\n", "header declares 2 clauses, file has 1"),
        ("p cnf 2 1\n1 3 0\n", "a literal exceeds the declared 2 variables"),
        ("p dnf 2 1\n", "expected 'p cnf <variables> <clauses>'"),
        ("c only a comment\n", "no 'p cnf' header"),
    ],
)
def test_bad_cnf(tmp_path, text, message):
    path = tmp_path / "bad.cnf"
    path.write_text(text)
    with pytest.raises(InputError, match=message):
        read_dimacs(path)
