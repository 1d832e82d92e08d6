import pytest

from auctool.check.config.configs import CheckerConfig, save_config
from auctool.errors import InputError
from auctool.formats.instances import load_instance_set
from auctool.tune.features import set_features
from auctool.tune.journal import Journal
from auctool.tune.parallel import Pool
from auctool.tune.scoring import summarise
from auctool.tune.validation import (
    Contender,
    comparison,
    default_contender,
    losses,
    set_cutoff,
    validate,
    validate_files,
)


def test_every_contender_on_every_instance_and_the_figures_add_up(php_sets, tmp_path):
    iset = load_instance_set(php_sets["test"])
    _, folders = set_features(iset)
    other = Contender("minisat", CheckerConfig(solver="minisat22", encoding="multivalued"))
    store = tmp_path / "v.jsonl"
    results = validate([default_contender(), other], iset, folders, 0.2, Pool(), store=store)
    for res in results:
        assert [m.instance for m in res.measurements] == [e.file for e in iset.entries]
        assert res.summary.solved == 9  # all but the hopeless pigeonhole problem
    table = comparison(results, 0.2, 1)
    assert table["baseline"] == "default" and [r["name"] for r in table["configs"]] == [
        "default",
        "minisat",
    ]
    row = table["configs"][1]
    assert row["par10"] == pytest.approx(summarise(results[1].measurements).par10, abs=1e-6)
    assert row["ratios"]["solved_share"] == 1.0
    # a restart reuses what the store holds: nothing is measured twice
    lines = len(Journal(store).read()[1])
    again = validate([default_contender(), other], iset, folders, 0.2, Pool(), store=store)
    assert len(Journal(store).read()[1]) == lines == 20
    assert [r.measurements for r in again] == [r.measurements for r in results]


def test_validate_files_names_configs_by_file(php_sets, tmp_path):
    save_config(CheckerConfig(solver="cadical195"), tmp_path / "fast.yaml")
    out = validate_files([tmp_path / "fast.yaml"], php_sets["train"], repeats=2)
    assert [r["name"] for r in out["configs"]] == ["default", "fast"]
    assert out["repeats"] == 2 and out["configs"][1]["n"] == 20
    assert out["configs"][1]["file"] == str(tmp_path / "fast.yaml")


def test_cutoff_comes_from_the_option_the_manifest_or_the_problems(php_sets):
    iset = load_instance_set(php_sets["train"])
    assert set_cutoff(iset, 1.5) == 1.5
    assert set_cutoff(iset, None) == 0.2
    with pytest.raises(InputError, match="^cutoff must be a positive"):
        set_cutoff(iset, 0)


def _row(name: str, solved: float, par10: float) -> dict:
    return {"name": name, "solved_share": solved, "par10": par10}


def test_a_configuration_that_lost_to_the_default_is_said_so():
    validation = {
        "set": "sets/test",
        "configs": [_row("default", 1.0, 0.03), _row("incumbent", 0.94, 0.64)],
    }
    (said,) = losses(validation)
    assert said.startswith("the incumbent did worse than the default on sets/test")
    assert "solved 94.0% vs 100.0%, PAR10 0.640 s vs 0.030 s" in said
    validation["configs"][1] = _row("incumbent", 1.0, 0.02)
    assert losses(validation) == []
    validation["configs"][1] = _row("incumbent", 1.0, 0.0305)  # 1.7% slower: timing noise
    assert losses(validation) == []
