import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from auctool.errors import RunError
from auctool.tune.journal import Journal, digest, run_lock


def test_round_trip_and_restart(tmp_path):
    j = Journal(tmp_path / "j.jsonl")
    assert j.read() == (None, [])
    j.start({"cutoff": 1.0}, [{"n": 1}])
    j.append({"n": 2})
    j.close()
    assert j.read() == ({"cutoff": 1.0}, [{"n": 1}, {"n": 2}])
    with Journal(tmp_path / "j.jsonl") as k:
        k.start({"cutoff": 2.0})
        k.append({"n": 3})
    assert k.read() == ({"cutoff": 2.0}, [{"n": 3}])


@settings(max_examples=40, deadline=None)
@given(n=st.integers(0, 8), data=st.data())
def test_a_kill_mid_write_loses_at_most_the_torn_record(tmp_path_factory, n, data):
    path = tmp_path_factory.mktemp("j") / "j.jsonl"
    with Journal(path) as j:
        j.start({"h": 1})
        for i in range(n):
            j.append({"i": i, "pad": "x" * i})
    raw = path.read_bytes()
    cut = data.draw(st.integers(len(raw.split(b"\n", 1)[0]) + 1, len(raw)))
    path.write_bytes(raw[:cut])
    header, records = Journal(path).read()
    assert header == {"h": 1}
    complete = raw[:cut].count(b"\n") - 1
    assert records == [{"i": i, "pad": "x" * i} for i in range(complete)]
    # and the next session appends after the kept records, never after a torn line
    with Journal(path) as j:
        j.start(header, records)
        j.append({"i": "new"})
    assert Journal(path).read()[1][-1] == {"i": "new"}


def test_garbage_first_line_is_no_journal(tmp_path):
    (tmp_path / "j.jsonl").write_text('{"not": "a header"}\n{"i": 1}\n')
    assert Journal(tmp_path / "j.jsonl").read() == (None, [])


def test_numpy_values_are_written_as_plain_json(tmp_path):
    np = pytest.importorskip("numpy")
    with Journal(tmp_path / "j.jsonl") as j:
        j.start({})
        j.append({"x": np.float64(0.5), "b": np.False_})
    assert json.loads((tmp_path / "j.jsonl").read_text().splitlines()[1]) == {"x": 0.5, "b": False}
    assert digest({"a": 1, "b": [1, 2]}) == digest({"b": [1, 2], "a": 1})


def test_one_run_per_folder(tmp_path):
    with (
        run_lock(tmp_path),
        pytest.raises(RunError, match="another tune is writing to this folder"),
        run_lock(tmp_path),
    ):
        pass
    with run_lock(tmp_path):  # released
        pass
