"""``auctool report``: the tables a tuning run without validation still has, the plots'
figures against the run's own files, and ``--html``: one valid, self-contained page per kind
of run (tune, simulate, seeds) whose every image is embedded."""

from __future__ import annotations

import base64
import json
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from auctool.cli import app
from tests.auction.worlds import (
    THREE_STATION_VALUES,
    small_synth_world,
    three_station_world,
    write_world,
)
from tests.tune._sets import pigeonhole_sets

PNG = b"\x89PNG\r\n\x1a\n"
VOID = {"meta", "img", "br", "hr", "link", "input", "source", "wbr", "col", "area", "base"}


def invoke(*args: object):
    return CliRunner().invoke(app, [str(a) for a in args])


class Page(HTMLParser):
    """Checks that tags nest and close, and collects images and outside references."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.images: list[dict[str, str]] = []
        self.outside: list[str] = []
        self.doctype = False
        self.text: list[str] = []

    def handle_decl(self, decl: str) -> None:
        self.doctype = self.doctype or decl.lower() == "doctype html"

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "img":
            self.images.append(values)
        for key in ("src", "href"):
            if key in values and not values[key].startswith("data:"):
                self.outside.append(values[key])
        if tag in ("script", "link", "iframe", "object", "embed"):
            self.outside.append(tag)
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def check_page(path: Path, plots: list[str]) -> Page:
    """The page parses with every tag closed in order, refers to nothing outside itself and
    embeds exactly the report's plots, each a real PNG that exists beside it."""
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    assert page.doctype and page.errors == [] and page.stack == []
    assert page.outside == []
    assert sorted(i["alt"] for i in page.images) == sorted(Path(p).name for p in plots)
    for image in page.images:
        head, data = image["src"].split(",", 1)
        assert head == "data:image/png;base64"
        assert base64.b64decode(data) == (path.parent / image["alt"]).read_bytes()
    for plot in plots:
        assert Path(plot).read_bytes()[:8] == PNG
    return page


@pytest.fixture(scope="module")
def sets(tmp_path_factory):
    return pigeonhole_sets(tmp_path_factory.mktemp("sets"))


@pytest.fixture(scope="module")
def tuned(sets, tmp_path_factory):
    """A tuning run without validation (24 trials)."""
    run = tmp_path_factory.mktemp("runs") / "tune"
    r = invoke("tune", sets["train"], "--trials", "24", "--no-validate", "--out", run, "-q")
    assert r.exit_code == 0, r.stderr
    return run


def test_a_run_without_validation_reports_trials_incumbent_and_cost(tuned):
    r = invoke("report", tuned)
    assert r.exit_code == 0, r.stderr
    out = r.stdout
    assert "tuning: 24 trials" in out and "configurations tried" in out and "incumbent" in out
    assert "not validated" in out
    drawn = json.loads(invoke("report", tuned, "--json").stdout)
    assert drawn["html"] is None
    assert [Path(p).name for p in drawn["plots"]] == ["incumbent-cost.png"]
    (row,) = drawn["summary"]["convergence"]
    trials = pd.read_csv(tuned / "trials.csv")
    report = json.loads((tuned / "report.json").read_text())
    (smac,) = report["tuning"]["rounds"]
    assert row["trials"] == 24 == len(trials)
    assert row["timeouts"] == (trials["status"] == "TIMEOUT").sum()
    assert row["configurations"] == trials["config_id"].nunique()
    assert row["incumbent"]["config_id"] == smac["incumbent"]["config_id"]
    # replaying trials.csv gives SMAC's own estimate at every change of incumbent
    assert [t["config_id"] for t in row["takeovers"]] == [
        t["config_id"] for t in smac["trajectory"]
    ]
    for mine, theirs in zip(row["takeovers"], smac["trajectory"], strict=True):
        assert mine["estimated_cost"] == pytest.approx(theirs["cost"], abs=1e-5)
    # the table prints SMAC's estimate of the incumbent
    assert f"{smac['incumbent']['estimated_cost']:.4f} over {smac['incumbent']['runs']}" in out


def test_html_page_of_a_tuning_run(sets, tmp_path):
    run = tmp_path / "tune"
    r = invoke("tune", sets["train"], "--test", sets["test"], "--trials", "6", "--out", run, "-q")
    assert r.exit_code == 0, r.stderr
    r = invoke("report", run, "--html", "--json")
    assert r.exit_code == 0, r.stderr
    drawn = json.loads(r.stdout)  # only JSON on stdout, the page's path in it
    page = Path(drawn["html"])
    assert page == run / "plots" / "report.html"
    assert {Path(p).name for p in drawn["plots"]} == {"incumbent-cost.png", "runtime-ecdf.png"}
    text = " ".join(check_page(page, drawn["plots"]).text)
    for shown in ("tuning: 6 trials", "configurations tried", "PAR10 vs default", "incumbent"):
        assert shown in text
    assert not list(page.parent.glob(".*.tmp"))  # written atomically: no leftovers


def test_simulation_plot_marks_timeout_rounds_and_page_embeds_it(tmp_path):
    world = write_world(small_synth_world(), tmp_path / "small")
    base = tmp_path / "off<the>&shelf.yaml"  # HTML-special characters in a shown name
    base.write_text("solver: glucose3\nphases: false\nprevious: false\ncache: false\n"
                    "clique: false\nlocal_search: false\nneighbourhood: false\nac3: false\n"
                    "underconstrained: false\ncomponents: false\nincremental: false\n")  # fmt: skip
    out = tmp_path / "auction"
    r = invoke(
        "simulate", world, "--cutoff", "0.001", "--initial-cutoff", "5", "--budget-mode",
        "work", "--seed", "1", "--baseline", base, "--out", out, "-q",
    )  # fmt: skip
    assert r.exit_code == 0, r.stderr
    r = invoke("report", out, "--out", tmp_path / "shared", "--html", "--json")
    assert r.exit_code == 0, r.stderr
    drawn = json.loads(r.stdout)
    marked = drawn["summary"]["timeout_rounds"]
    for side, folder in (("run", out), ("baseline", out / "baseline")):
        checks = pd.read_csv(folder / "checks.csv")
        assert marked[side] == sorted(set(checks.loc[checks["answer"] == "TIMEOUT", "round"]))
    assert marked["baseline"]  # the plain solver at a tiny budget times out somewhere
    page = Path(drawn["html"])
    assert page == tmp_path / "shared" / "report.html"  # beside the plots, with --out
    html = page.read_text(encoding="utf-8")
    assert "off&lt;the&gt;&amp;shelf.yaml" in html
    text = " ".join(check_page(page, drawn["plots"]).text)
    assert "cost difference $" in text and "frozen by TIMEOUT" in text
    human = invoke("report", out, "--out", tmp_path / "shared", "--html")
    assert human.exit_code == 0 and f"wrote {page}" in human.stderr


def _seeds_run(tmp_path: Path, name: str) -> Path:
    """`simulate --seeds 1-2` on the three-station world, the default against other.yaml."""
    world = write_world(three_station_world(), tmp_path / "abc")
    values = tmp_path / "values.csv"
    values.write_text(THREE_STATION_VALUES)
    other = tmp_path / "other.yaml"
    other.write_text("solver: minisat22\nincremental: false\n")
    many = tmp_path / name
    r = invoke(
        "simulate", world, "--values", values, "-t", "5", "--baseline", other,
        "--seeds", "1-2", "--workers", "1", "--out", many, "-q",
    )  # fmt: skip
    assert r.exit_code == 0, r.stderr
    return many


def test_html_page_of_many_seeds(tmp_path):
    r = invoke("report", _seeds_run(tmp_path, "many"), "--html", "--json")
    assert r.exit_code == 0, r.stderr
    drawn = json.loads(r.stdout)
    assert drawn["kind"] == "seeds"
    text = " ".join(check_page(Path(drawn["html"]), drawn["plots"]).text)
    assert "auctions by seed" in text


def test_seeds_report_and_page_name_the_two_configurations(tmp_path):
    """Issue 36: columns "cost $M" / "base $M" and the title "auctions over seeds seeds" (a
    folder named seeds) did not say what was compared."""
    seeds = _seeds_run(tmp_path, "seeds")
    r = invoke("report", seeds, "--html")
    assert r.exit_code == 0, r.stderr
    head = next(line for line in r.stdout.splitlines() if "┃ seed ┃" in line)
    assert "built-in default $M" in head and "other.yaml $M" in head, r.stdout
    page = (seeds / "plots" / "report.html").read_text(encoding="utf-8")
    title = page.split("<title>", 1)[1].split("</title>", 1)[0]
    assert title == "auctool report: auctions over seeds, built-in default vs other.yaml"
    assert '<th class="right">other.yaml $M</th>' in page


def test_html_on_a_folder_that_is_no_run_is_one_line_and_exit_2(tmp_path):
    (tmp_path / "notes.txt").write_text("not a run\n")
    for args in ((), ("--json",)):
        r = invoke("report", tmp_path, "--html", *args)
        assert r.exit_code == 2 and r.stdout == ""
        assert r.stderr.count("\n") == 1 and "not a run folder" in r.stderr
    assert not list(tmp_path.rglob("report.html"))
