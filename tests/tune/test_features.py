import itertools
import json

import pytest

from auctool.check.solve.encoding import encode
from auctool.errors import InputError
from auctool.model import Problem
from auctool.tune.features import FEATURES, problem_features, set_features
from tests.helpers import co_everywhere, data_from


def _triangle_plus_loner():
    chans = (14, 15, 16)
    data = data_from({s: chans for s in (1, 2, 3, 4)}, co_everywhere((1, 2, 3), chans), "tri")
    problem = Problem({s: chans for s in (1, 2, 3, 4)}, {1: 14, 2: 15, 4: 16}, name="tri")
    return data, problem


def test_known_features_of_a_triangle_and_a_loner():
    data, problem = _triangle_plus_loner()
    f = problem_features(problem, data)
    assert f["stations"] == 4 and f["new_stations"] == 1 and f["previous_share"] == 0.75
    assert f["variables"] == 12 and f["domain_min"] == f["domain_max"] == 3
    assert f["interference_clauses"] == 9  # 3 pairs x 3 shared channels
    assert f["clauses"] == len(encode(problem.domains, data, "direct")) == 4 + 4 * 3 + 9
    assert f["edges"] == 3 and f["graph_density"] == pytest.approx(3 / 6)
    assert f["degree_max"] == 2 and f["degree_mean"] == pytest.approx(6 / 4)
    assert f["new_degree_mean"] == 2  # station 3
    assert f["new_blocked_share"] == pytest.approx(2 / 3)  # 14 and 15 taken by neighbours
    assert f["components"] == 2 and f["largest_component_share"] == 0.75
    assert list(f) == list(FEATURES)


def test_a_station_missing_from_the_data_names_the_file():
    data, _ = _triangle_plus_loner()
    with pytest.raises(InputError, match="station 9 is not in the constraint data"):
        problem_features(Problem({9: (14,)}), data, "x.srpk")


def test_features_of_a_generated_set_agree_with_the_encoder(synth_sets):
    iset = synth_sets["a"]
    table, folders = set_features(iset)
    assert list(table.rows) == [e.file for e in iset.entries]
    assert set(folders.values()) == {(iset.root / "../world").resolve()}
    from auctool.formats.fcc import load_constraints

    data = load_constraints(iset.root / "../world")
    for (entry, problem), row in zip(iset.problems(), table.rows.values(), strict=True):
        f = dict(zip(table.names, row, strict=True))
        prepared, _ = problem.against(data)
        assert f["clauses"] == len(encode(prepared.domains, data, "direct"))
        pairs = {
            (s, t)
            for s, t in itertools.combinations(prepared.domains, 2)
            if any(
                cs in prepared.domains[s] and ct in prepared.domains[t]
                for cs, ct in data.forbidden(s, t)
            )
        }
        assert f["edges"] == len(pairs), entry.file


def test_table_exports(synth_sets, tmp_path):
    table, _ = set_features(synth_sets["b"])
    out = table.write_csv(tmp_path / "f.csv")
    lines = out.read_text().splitlines()
    assert lines[0].split(",") == ["instance", *FEATURES]
    assert len(lines) == 1 + len(synth_sets["b"])
    obj = json.loads(json.dumps(table.to_json()))
    assert obj["features"] == list(FEATURES) and len(obj["instances"]) == len(table.rows)
