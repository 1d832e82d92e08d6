"""``report --html``: one self-contained HTML page of a run, to send to a colleague.

Everything is inline (the PNGs as base64 data URIs, the style sheet in ``<style>``): no
external file, script or font, so the page opens the same from a mail attachment, a shared
folder or an offline laptop. The page is a list of :class:`Section` (a heading, tables,
images); a new kind of result adds a section without touching the layout.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text

from auctool._atomic import write_text
from auctool._version import __version__

if TYPE_CHECKING:
    from auctool.plots import Report

PAGE_NAME = "report.html"

KINDS = {"tune": "tuning run", "simulate": "auction simulation", "seeds": "auctions over seeds"}

#: What each plot shows, under it on the page (a plot not named here gets its file name).
CAPTIONS = {
    "incumbent-cost.png": "Every trial's cost, and SMAC's incumbent over them.",
    "runtime-ecdf.png": "Default vs tuned on the validation set: runtime ECDF and cactus plot.",
    "auction-rounds.png": "Per round: base clock, stations by status, cost, check time.",
    "paired-differences.png": "Each seed's cost, and the paired differences with the "
    "verdict's interval (paired Student t).",
    "seeds-cost.png": "The auction's cost by seed.",
}


_STYLE = """
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #222;
       max-width: 1180px; margin: 2em auto; padding: 0 1.5em; }
h1 { font-size: 1.5em; margin-bottom: 0.2em; }
h2 { font-size: 1.2em; margin-top: 2em; border-bottom: 1px solid #ccc; padding-bottom: 0.2em; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.15em 1em;
           color: #555; font-size: 0.9em; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; font-family: ui-monospace, monospace; overflow-wrap: anywhere; }
div.table { margin: 1.2em 0; overflow-x: auto; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
h3 { font-size: 1em; margin: 0 0 0.4em; }
th, td { padding: 0.25em 0.8em; border-bottom: 1px solid #e4e4e4; white-space: pre; }
th { background: #f3f3f3; border-bottom: 1px solid #bbb; }
td.right, th.right { text-align: right; }
td.left, th.left { text-align: left; }
td.center, th.center { text-align: center; }
tr.section td { border-top: 2px solid #999; }
tbody tr:nth-child(even) { background: #fafafa; }
p.note { color: #666; font-size: 0.85em; margin: 0.3em 0 0; }
figure { margin: 1.5em 0; }
figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
figcaption { color: #555; font-size: 0.9em; }
footer { margin-top: 3em; color: #888; font-size: 0.8em; }
"""


@dataclass(frozen=True)
class Section:
    """One heading of the page, then its tables and images (a section with neither is left
    out). More kinds of result (e.g. which knobs mattered) are more sections."""

    title: str
    tables: tuple[Table, ...] = ()
    images: tuple[Path, ...] = ()


def _plain(value: object) -> str:
    """A rich cell or title as escaped HTML text (string cells are rich markup)."""
    if value is None:
        return ""
    text = value.plain if isinstance(value, Text) else Text.from_markup(str(value)).plain
    return html.escape(text).replace("\n", "<br>")


def table_html(table: Table) -> str:
    """A rich Table as an HTML table: same title, headers, alignment, sections and caption."""
    columns = [(c, list(c.cells)) for c in table.columns]
    out = ['<div class="table">']
    if table.title:  # a heading, not a <caption>: a caption wraps at the table's width
        out.append(f"<h3>{_plain(table.title)}</h3>")
    out.append("<table>")
    if any(_plain(c.header) for c in table.columns):
        heads = "".join(f'<th class="{c.justify}">{_plain(c.header)}</th>' for c, _ in columns)
        out.append(f"<thead><tr>{heads}</tr></thead>")
    out.append("<tbody>")
    for i in range(len(table.rows)):
        row = '<tr class="section">' if i > 0 and table.rows[i - 1].end_section else "<tr>"
        cells = "".join(f'<td class="{c.justify}">{_plain(cells[i])}</td>' for c, cells in columns)
        out.append(f"{row}{cells}</tr>")
    out.append("</tbody></table>")
    if table.caption:
        out.append(f'<p class="note">{_plain(table.caption)}</p>')
    out.append("</div>")
    return "".join(out)


def image_html(path: Path) -> str:
    """A PNG inline, as a data URI (the page must not point at files it does not carry)."""
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    caption = html.escape(CAPTIONS.get(path.name) or _stage_caption(path.name) or path.name)
    return (
        f'<figure><img src="data:image/png;base64,{data}" alt="{html.escape(path.name)}">'
        f"<figcaption>{caption} <code>{html.escape(path.name)}</code></figcaption></figure>"
    )


def _stage_caption(name: str) -> str | None:
    """``report --fcc``'s plots, one per stage (fcc-stage-N.png)."""
    if not (name.startswith("fcc-stage-") and name.endswith(".png")):
        return None
    return (
        f"Stage {name[10:-4]}, simulated (solid) vs Auction 1001 (dashed), per round: bidding, "
        "provisionally winning, exited, compensation."
    )


def page_html(title: str, facts: Sequence[tuple[str, str]], sections: Sequence[Section]) -> str:
    """The whole page as text."""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        '<head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{html.escape(title)}</title>",
        f"<style>{_STYLE}</style></head>",
        f"<body><h1>{html.escape(title)}</h1>",
        '<dl class="facts">',
        *(f"<dt>{html.escape(k)}</dt><dd>{html.escape(v)}</dd>" for k, v in facts),
        "</dl>",
    ]
    for section in sections:
        if not (section.tables or section.images):
            continue
        parts.append(f"<section><h2>{html.escape(section.title)}</h2>")
        parts += [table_html(t) for t in section.tables]
        parts += [image_html(p) for p in section.images]
        parts.append("</section>")
    parts.append(f"<footer>written by auctool {html.escape(__version__)} report --html</footer>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def write_page(report: Report, tables: Sequence[Table]) -> Path:
    """Write the page of a drawn :class:`~auctool.plots.Report` (its plots, the tables the
    terminal shows) atomically, beside the plots; returns its path."""
    path = (report.out or report.folder / "plots") / PAGE_NAME
    facts = [("run folder", str(report.folder.resolve()))]
    if report.summary.get("command"):
        facts.append(("command", str(report.summary["command"])))
    facts.append(("written", dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")))
    sections = [
        Section("Summary", tables=tuple(tables)),
        Section("Plots", images=tuple(report.files)),
    ]
    write_text(path, page_html(page_title(report), facts, sections))
    return path


def page_title(report: Report) -> str:
    """What the run is and, for seeds, what it compares ("auctions over seeds, tuned.yaml vs
    default.yaml"); else its folder's name, unless the kind says it already (a folder
    "seeds" gave "auctions over seeds seeds"). The folder's path is among the facts."""
    kind = KINDS.get(report.kind, report.kind)
    labels = report.summary.get("labels") or {}
    if report.kind == "seeds" and labels.get("run"):
        return f"auctool report: {kind}, " + " vs ".join(
            name for name in (labels["run"], labels.get("baseline")) if name
        )
    name = report.folder.resolve().name
    return f"auctool report: {kind}" + ("" if name in kind.split() else f" {name}")
