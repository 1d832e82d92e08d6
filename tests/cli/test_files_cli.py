"""What commands write is readable the way the umask says (atomic writes keep it)."""

from __future__ import annotations

import stat
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBLEM = ROOT / "instances" / "sets" / "test" / "s3-000004-r000-status-5.srpk"


def test_outputs_of_real_commands_follow_the_umask(umask, cli, tmp_path):
    """A world, an exported CNF and a ConfigSpace export, under a 022 and a 077 umask."""
    for mask, expected in ((0o022, 0o644), (0o077, 0o600)):
        umask(mask)
        world = tmp_path / f"w{mask:o}"
        r = cli("data", "synth", world, "--stations", "12", "--cities", "2", "-q")
        assert r.code == 0, r.stderr
        cnf, space = tmp_path / f"p{mask:o}.cnf", tmp_path / f"space{mask:o}.json"
        assert cli("export", "--dimacs", cnf, PROBLEM, "-q").code == 0
        assert cli("space", "--export-json", space, "-q").code == 0
        files = [*world.iterdir(), cnf, space]
        assert len(files) >= 6
        modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in files}
        assert modes == {p.name: expected for p in files}


def test_a_bad_setting_is_named_by_the_flag_of_the_command_that_took_it(main_cli, tmp_path):
    """The core says what is wrong in its own words; the CLI names its flag."""
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("")
    world = Path(__file__).parents[2] / "instances" / "worlds" / "default"
    code, _, err = main_cli("simulate", world, "--record", not_a_folder, "--quiet")
    assert code == 2 and err.strip().endswith(f"{not_a_folder}: --record must name a folder")
    train = Path(__file__).parents[2] / "instances" / "sets" / "train"
    code, _, err = main_cli("tune", train, "--trials", "2", "--out", not_a_folder)
    assert code == 2 and err.strip().endswith(f"{not_a_folder}: --out must be a folder")
