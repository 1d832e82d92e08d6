import json

import pytest

from auctool.errors import InputError
from auctool.formats.instances import (
    InstanceEntry,
    load_instance_set,
    require_known_stations,
    resolve_constraints_dir,
    write_manifest,
)
from auctool.formats.srpk import read_srpk, write_srpk
from auctool.model import Problem
from tests.helpers import data_from


def test_set_without_manifest_lists_srpk_files(tmp_path):
    for name in ("b", "a"):
        write_srpk(Problem({1: (14,)}), tmp_path / f"{name}.srpk")
    s = load_instance_set(tmp_path)
    assert [e.file for e in s.entries] == ["a.srpk", "b.srpk"]
    assert [p.stations for _, p in s.problems()] == [(1,), (1,)]


def test_manifest_round_trip_and_constraints(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "Domain.csv").write_text("DOMAIN,1,14\n")
    sub = tmp_path / "set"
    write_srpk(Problem({1: (14,)}, interference="data"), sub / "p1.srpk")
    write_manifest(
        sub,
        [InstanceEntry("p1.srpk", "SAT", 0.5, {"round": 3})],
        {"name": "demo", "constraints": "../data", "seed": 1},
    )
    s = load_instance_set(sub)
    assert s.name == "demo" and s.entries[0].answer == "SAT" and s.entries[0].extra == {"round": 3}
    assert s.constraints_dir == (tmp_path / "data").resolve()
    problem = next(s.problems())[1]
    assert resolve_constraints_dir(None, problem, sub / "p1.srpk") == (tmp_path / "data").resolve()
    assert resolve_constraints_dir(tmp_path, problem, None) == tmp_path / "data"
    assert json.loads((sub / "manifest.json").read_text())["instances"][0]["file"] == "p1.srpk"


def test_bad_sets(tmp_path):
    with pytest.raises(InputError, match="no .srpk files"):
        load_instance_set(tmp_path)
    (tmp_path / "manifest.json").write_text("{nope")
    with pytest.raises(InputError, match="manifest is not valid JSON"):
        load_instance_set(tmp_path)
    (tmp_path / "manifest.json").write_text('{"instances": ["gone.srpk"]}')
    with pytest.raises(InputError, match="lists gone.srpk"):
        load_instance_set(tmp_path)
    with pytest.raises(InputError, match="no constraint data: pass `data`") as err:
        resolve_constraints_dir(None, Problem({1: (14,)}), tmp_path / "x.srpk")
    assert "pass --data CONSTRAINT_DIR" in err.value.worded(lambda s: "--" + s)  # the CLI's


def test_a_station_the_data_lacks_is_named_at_its_line(tmp_path):
    """Issue 36: the checker could only say 'f: station ...' (the problem's name)."""
    path = tmp_path / "f.srpk"
    path.write_text("CUTOFF,5\n1,-1,14\n# a comment\n999999,-1,14,15\n77,-1,14\n")
    data = data_from({1: (14, 15)}, [], "tri")
    with pytest.raises(InputError) as err:
        require_known_stations(read_srpk(path), data, path)
    assert str(err.value).startswith(
        f"{path}:4: station 999999 (and 1 more) is not in the constraint data's Domain.csv"
    )
    require_known_stations(read_srpk(path).replace(domains={1: (14,)}, previous={}), data, path)
