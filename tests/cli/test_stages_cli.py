"""``simulate --clearing-target 114,84`` / ``auto`` and ``report --fcc`` end to end, on the
small staged world; and the four-stage national auction against Auction 1001 (slow)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from tests.auction.worlds import staged_world, target_world, write_world, written_with_values
from tests.helpers import SHARED_FCC

ROOT = Path(__file__).resolve().parents[2]
AUCTION_1001 = SHARED_FCC / "auction1001"


@pytest.fixture
def staged(tmp_path):
    return written_with_values(staged_world(), tmp_path)


def _fake_fcc(folder: Path) -> Path:
    """Auction 1001's two files in their format, for stages at 114 and 84 MHz (3 rounds each)."""
    folder.mkdir()
    summary = ["auction_id,stage,clearing_target,round,base_clock_price"]
    stats = [
        "auction_id,stage,round,bidding_count,currently_infeasible_count,pending_catch_up_count,"
        "provisionally_winning_count,exited_voluntarily_count,exited_not_needed_count,"
        "exited_prev_stage_count,bidding_compensation,currently_infeasible_compensation,"
        "pending_catch_up_compensation,provisionally_winning_compensation,total_compensation"
    ]
    for stage, target in ((1, 114), (2, 84)):
        for rnd in range(3):
            summary.append(f"1001,{stage},{target},{rnd},{900 - 45 * rnd}")
            pending = '""' if stage == 1 else "1"
            stats.append(f"1001,{stage},{rnd},2,0,{pending},0,0,0,,1500000,0,,0,{1500000 - rnd}")
    (folder / "reverse-auction_summary.csv").write_text("\n".join(summary) + "\n")
    (folder / "reverse-statistics.csv").write_text("\n".join(stats) + "\n")
    return folder


def test_stages_run_write_and_report_against_the_fcc(cli, staged, tmp_path):
    world, values = staged
    out = tmp_path / "run"
    args = ["simulate", world, "--values", values, "-t", "5", "--clearing-target", "114,84"]
    run = cli(*args, "--stop-below-cost", "100000", "--out", out, "--json")
    assert run.code == 0, run.stderr
    (body,) = run.json_lines()
    assert [(s["clearing_target"], s["winners"]) for s in body["stages"]] == [(114, 1), (84, 0)]
    assert body["stages"][0]["cost"] > 100_000 and body["cost"] == 0
    assert body["ended"] == "closed after stage 2: cost $0 is below $100,000"
    rounds = pd.read_csv(out / "rounds.csv")
    assert sorted(set(rounds["stage"])) == [1, 2]
    assert set(pd.read_csv(out / "checks.csv")["stage"]) == {1, 2}
    human = cli(*args, "--stop-below-cost", "$1M")  # stage 1 is cheaper: closes there
    assert human.code == 0, human.stderr
    assert "stages: closed after stage 1" in human.stderr
    assert "not run" in human.stdout  # stage 2 in the per-stage table

    fcc = _fake_fcc(tmp_path / "fcc")
    drawn = cli("report", out, "--fcc", fcc, "--html", "--json")
    assert drawn.code == 0, drawn.stderr
    (report,) = drawn.json_lines()
    plots = [Path(p).name for p in report["plots"]]
    assert plots == ["auction-rounds.png", "fcc-stage-1.png", "fcc-stage-2.png"]
    one, two = report["fcc"]["stages"]
    assert (one["real_stage"], two["real_stage"]) == (1, 2)
    end = {row["figure"]: row for row in one["end"]}
    assert end["rounds"]["real"] == 2 and end["rounds"]["simulated"] == body["stages"][0]["rounds"]
    assert end["provisionally winning"]["simulated"] == 1
    assert end["compensation"]["real"] == 1_499_998
    assert end["compensation"]["simulated"] == body["stages"][0]["cost"]
    assert end["bidding"]["difference"] == 0 - 2
    page = Path(report["html"]).read_text(encoding="utf-8")
    assert (
        "simulated vs Auction 1001 at the end of each stage" in page and "fcc-stage-2.png" in page
    )
    human = cli("report", out, "--fcc", fcc)
    assert human.code == 0 and "stages: closed after stage 2" in human.stdout


def test_auto_target_on_the_command_line(cli, tmp_path):
    world = write_world(target_world(), tmp_path / "tgt")
    (tmp_path / "v.csv").write_text("station,value\n3,100000\n")
    run = cli(
        "simulate", world, "--values", tmp_path / "v.csv", "-t", "5", "--clearing-target", "auto"
    )
    assert run.code == 0, run.stderr
    assert "clearing target auto: 114 MHz; 126 MHz is UNSAT: 2 stations need distinct" in run.stderr
    assert "(UHF 14-31, 114 MHz" in run.stdout


def test_fcc_on_a_folder_without_the_files_is_one_line_and_exit_2(cli, staged, tmp_path):
    world, values = staged
    out = tmp_path / "run"
    assert cli("simulate", world, "--values", values, "-t", "5", "--out", out, "-q").code == 0
    (tmp_path / "empty").mkdir()
    for args in ((), ("--json",)):
        r = cli("report", out, "--fcc", tmp_path / "empty", *args)
        assert r.code == 2 and r.stdout == ""
        assert r.stderr.count("\n") == 1 and "no reverse-statistics.csv" in r.stderr
    assert not (out / "plots" / "fcc-stage-1.png").exists()


@pytest.mark.skipif(not AUCTION_1001.is_dir(), reason="needs ../shared/data/fcc")
def test_a_single_stage_against_the_real_auction(cli, staged, tmp_path):
    world, values = staged
    out = tmp_path / "run"
    assert cli("simulate", world, "--values", values, "-t", "5", "--out", out, "-q").code == 0
    r = cli("report", out, "--fcc", AUCTION_1001, "--json")
    assert r.code == 0, r.stderr
    (report,) = r.json_lines()
    (stage,) = report["fcc"]["stages"]
    assert stage["clearing_target"] == 84 and stage["real_stage"] == 4
    end = {row["figure"]: row for row in stage["end"]}
    assert end["rounds"]["real"] == 53 and end["provisionally winning"]["real"] == 175
    assert end["winning compensation"]["real"] == 10_054_676_822
    assert report["fcc"]["participants"]["real"] == 1030


@pytest.mark.slow
@pytest.mark.skipif(not AUCTION_1001.is_dir(), reason="needs ../shared/data/fcc")
def test_four_stages_on_the_national_world_against_auction_1001(cli, tmp_path):
    """The real participants (and the fewest non-bidders that let 126 MHz pack), four
    stages, every one to its end (about an hour on two cores)."""
    out = tmp_path / "national"
    run = cli(
        "simulate", ROOT / "instances" / "worlds" / "national", "--cutoff", "1", "--seed", "1",
        "--participants", AUCTION_1001 / "reverse-stations.csv", "--participation", "packable",
        "--clearing-target", "126,114,108,84", "--out", out, "--json",
    )  # fmt: skip
    assert run.code == 0, run.stderr
    (body,) = run.json_lines()
    assert [s["clearing_target"] for s in body["stages"]] == [126, 114, 108, 84]
    assert all(s["rounds"] >= 40 for s in body["stages"])
    r = cli("report", out, "--fcc", AUCTION_1001, "--json")
    assert r.code == 0, r.stderr
    (report,) = r.json_lines()
    assert [s["real_stage"] for s in report["fcc"]["stages"]] == [1, 2, 3, 4]
    assert len([p for p in report["plots"] if "fcc-stage-" in p]) == 4
    summary = json.loads((out / "summary.json").read_text())
    assert summary["stages"][-1]["cost"] == summary["cost"]


def test_many_seeds_run_every_stage_and_resume(cli, staged, tmp_path):
    world, values = staged
    args = ["simulate", world, "--values", values, "-t", "5", "--clearing-target", "114,84"]
    args += ["--seeds", "1-2", "--workers", "1", "--out", tmp_path / "many", "--json"]
    run = cli(*args)
    assert run.code == 0, run.stderr
    (body,) = run.json_lines()
    assert body["settings"]["options"]["clearing_targets"] == [114, 84]
    assert [s["run"]["cost"] for s in body["seeds"]] == [0, 0]  # stage 2 frees everyone
    for seed in (1, 2):
        summary = json.loads((tmp_path / "many" / f"seed-{seed}" / "summary.json").read_text())
        assert [s["clearing_target"] for s in summary["stages"]] == [114, 84]
    again = cli(*args)
    assert (
        again.code == 0 and [s["status"] for s in again.json_lines()[0]["seeds"]] == ["resumed"] * 2
    )
    other = cli(*args[:7], "114", *args[8:])  # one stage only: other settings
    assert other.code == 2 and "other settings" in other.stderr
