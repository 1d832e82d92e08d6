import json

from ConfigSpace import ConfigurationSpace

from auctool.check.config.configs import load_config
from auctool.check.config.knobs import KNOBS


def test_space_lists_every_knob(cli):
    r = cli("space")
    assert r.code == 0
    for knob in KNOBS:
        assert knob.name in r.stdout
    data = json.loads(cli("space", "--json").stdout)
    assert [k["name"] for k in data["knobs"]] == [k.name for k in KNOBS]


def test_space_exports_and_samples(cli, tmp_path):
    r = cli("space", "--export-json", tmp_path / "s.json", "--export-pcs", tmp_path / "s.pcs", "-q")
    assert r.code == 0 and r.stderr == "" and r.stdout == ""
    shown = cli("space", "--export-json", tmp_path / "t.json")
    assert shown.code == 0 and shown.stdout == "" and "wrote" in shown.stderr  # no table
    space = ConfigurationSpace.from_json(tmp_path / "s.json")
    assert len(list(space.keys())) == len(KNOBS)
    assert "categorical" in (tmp_path / "s.pcs").read_text()
    sample = cli("space", "--sample", "3", "--seed", "4")
    docs = sample.stdout.split("\n---\n")
    assert len(docs) == 3
    (tmp_path / "c.yaml").write_text(docs[1])
    load_config(tmp_path / "c.yaml")


def test_sampled_configuration_runs_in_check(cli, world, tmp_path):
    sample = cli("space", "--json", "--sample", "4", "--seed", "9")
    import yaml

    for k, values in enumerate(json.loads(sample.stdout)["samples"]):
        path = tmp_path / f"c{k}.yaml"
        path.write_text(yaml.safe_dump(values))
        r = cli(
            "check",
            "--config",
            path,
            "--data",
            world / "tri",
            "--json",
            world / "sat.srpk",
            world / "unsat.srpk",
        )
        assert r.code == 0, r.stderr
        assert [o["answer"] for o in json.loads(r.stdout)["problems"]] == ["SAT", "UNSAT"]


def test_a_piped_table_keeps_its_cells(tmp_path):
    """Not a terminal and no COLUMNS: tables get PIPED_WIDTH columns, not rich's 80 (which
    cut cells to "impor…" and wrapped `space` to ~170 lines); COLUMNS still wins."""
    import os
    import subprocess
    import sys

    from auctool.cli._common import PIPED_WIDTH

    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    cmd = [sys.executable, "-m", "auctool", "space"]
    piped = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=60, check=True)
    lines = piped.stdout.splitlines()
    assert "…" not in piped.stdout and max(len(line) for line in lines) <= PIPED_WIDTH
    assert len(lines) < 80  # one or two lines a knob, not five
    narrow = subprocess.run(
        cmd, capture_output=True, text=True, env={**env, "COLUMNS": "80"}, timeout=60, check=True
    )
    assert len(narrow.stdout.splitlines()) > len(lines)
