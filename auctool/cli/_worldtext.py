"""How a world came out, in words: one list of lines for `data national|table|synth` (what
was just made) and `data info` (read back from the manifest), so the two never disagree."""

from __future__ import annotations

from pathlib import Path
from typing import Any

#: (label, text, warning?) lines.
Line = tuple[str, str, bool]


def _pairs(words: str, a: dict[str, Any]) -> str:
    return f"{words} {a['mean_degree']} vs {a['mean_target']} (ratio {a['mean_ratio']}, " + (
        f"correlation {a['correlation']}, {a['stations']} stations)"
    )


def admitted_words(a: dict[str, Any]) -> str:
    """What admitting an assignment broke: counts, by source, and the first pairs."""
    words = (
        f"{a['stations']} stations; it broke (so the world drops) CO for {a['co_demoted']} "
        f"pairs, ADJ for {a['adj_demoted']}"
    )
    src = a.get("by_source") or {}
    if src:
        by = "; ".join(f"{k} {v['co_demoted']} / {v['adj_demoted']}" for k, v in src.items())
        words += f" ({by})"
    if a.get("examples"):
        words += f"; first: {', '.join(a['examples'])}"
    return words


def realism_lines(report: dict[str, Any]) -> list[Line]:
    """Provenance, admissions, the completed packing and the calibration of a world report
    (a manifest's ``report``)."""
    lines: list[Line] = []
    prov = report.get("provenance")
    if prov:
        st, pairs = prov["stations"], prov["pairs"]
        by = ", ".join(f"{k} {v}" for k, v in st["modelled_by_country"].items())
        lines.append(
            (
                "real pairs",
                f"{prov['real_folder']}: {st['real']:,} stations, {pairs['real']:,} interfering "
                "pairs",
                False,
            )
        )
        lines.append(
            (
                "modelled",
                f"{st['modelled']:,} stations ({by}), {pairs['modelled']:,} pairs "
                f"({pairs['modelled_with_a_real_station']:,} with a real station)",
                False,
            )
        )
        if st["in_folder_not_in_table"]:
            first = ", ".join(map(str, st["not_in_table_first"]))
            lines.append(
                (
                    "left out",
                    f"{st['in_folder_not_in_table']} stations of {prov['real_folder']} are not "
                    f"in the station table (first: {first})",
                    True,
                )
            )
    for a in report.get("admitted", []):
        lines.append(("admitted", f"{Path(a['name']).name}: {admitted_words(a)}", False))
    done = report.get("completed_packing")
    if done:
        n = done["contradicting"]
        lines.append(
            (
                "completed packing",
                f"{done['known']} stations known, {done['placed']} placed by the checker, "
                f"{n if isinstance(n, int) else len(n)} contradict every placement (their "
                f"{done['broken_pairs']} conflicting constraints admitted)",
                False,
            )
        )
    cal = report.get("calibration", {})
    if "world" in cal:
        lines.append(("calibration", _pairs(f"degree vs {cal['source']}:", cal["world"]), False))
    fill = cal.get("fill_in", {})
    if "foreign" in fill:
        f = fill["foreign"]
        lines.append(
            (
                "fill-in",
                f"reference counts x{1 / fill['reference_ratio']:.3f} far from uncovered "
                f"countries; their {f['stations']} stations' cross-border radii x{f['scale']}: "
                f"{f['partners']:.0f} partners of {f['border_stations']} stations near them "
                f"(target {f['target_partners']:.0f})",
                False,
            )
        )
    if "reference" in cal:
        r = cal["reference"]
        lines.append(("reference", _pairs(f"degree vs {r['source']}:", r), False))
    if "subsets" in cal:
        sub = cal["subsets"]
        lines.append(
            (
                "real subsets",
                f"{sub['subsets']['used']} used: UHF precision {sub['uhf']['precision']}, "
                f"recall {sub['uhf']['recall']}; VHF precision {sub['vhf']['precision']}, "
                f"recall {sub['vhf']['recall']}",
                False,
            )
        )
    return lines


def print_made(out: Any, report: dict[str, Any]) -> None:
    """What was written and how the world came out, on stderr: the world is the result
    (``--json`` has the same report on stdout; ``--quiet`` silences it)."""
    s = report["summary"]
    out.info(
        f"wrote {report['folder']}: {s['stations']} stations, {s['constraints']:,} constraints, "
        f"{s['station_pairs']:,} interfering station pairs "
        f"(CO {s['co_station_pairs']:,}, ADJ {s['adj1_station_pairs']:,}); "
        f"interference count mean {s['interference_count_mean']}, max {s['interference_count_max']}"
    )
    rep = report["report"]
    if "home_channels" in rep:
        h = rep["home_channels"]
        out.info(
            f"home channels: interference-free, verified ({h['greedy']} by greedy colouring, "
            f"{h['checker']} by the checker)"
        )
        if h.get("dropped"):
            out.warn(
                f"{h['dropped']} stations fit on no channel and were left out (never licensed)"
            )
    for label, text, warn in realism_lines(rep):
        (out.warn if warn else out.info)(f"{label}: {text}")
    for c in rep.get("checked", []):
        out.info(
            f"checked {c['name']}: {c['stations']} stations, violates {c['co_pairs']} CO and "
            f"{c['adj_pairs']} ADJ pairs ({c['stations_in_violation']} stations involved, "
            f"{c['off_domain']} off their domain)"
        )
    secs = ", ".join(f"{k} {v:.2f}s" for k, v in report["seconds"].items())
    out.info(f"seed {report['seed']}; {secs}")


def info_table(info_: dict[str, Any]) -> Any:
    """``data info``'s table: the folder's stations, constraints and degrees, and for a
    world its home channels, provenance and realism."""
    from rich.table import Table

    table = Table("", "", show_header=False, box=None)
    c, d = info_["constraints"], info_["degree"]
    rows = [
        ("folder", info_["folder"]),
        ("format", f"{info_['format']} (loaded in {info_['load_seconds']:.3f} s, no cache)"),
        ("stations", f"{info_['stations']:,} ({info_['isolated_stations']:,} without constraints)"),
        (
            "constraints",
            f"{c['total']:,}: CO {c['co']:,}, ADJ±1 {c['adj1']:,}, ADJ±2 {c['adj2']:,}",
        ),
        (
            "station pairs",
            f"{info_['station_pairs']:,} interfering (CO {info_['co_station_pairs']:,}, "
            f"ADJ±1 {info_['adj1_station_pairs']:,})",
        ),
        ("degree", f"mean {d['mean']}, median {d['median']:g}, p90 {d['p90']:g}, max {d['max']:g}"),
        (
            "domain size",
            f"mean {info_['domain_size']['mean']}, max {info_['domain_size']['max']:g}",
        ),
        ("files (MB)", ", ".join(f"{k} {v}" for k, v in info_["files_mb"].items())),
    ]
    if info_["stations_without_domain"]:
        rows.append(("warning", f"{info_['stations_without_domain']} stations have no domain"))
    if info_["world"]:
        st, h = info_["station_table"], info_["home_channels"]
        bands = ", ".join(f"{k} {v}" for k, v in st["home_bands"].items())
        rows.append(("home bands", bands))
        ok = "interference-free" if not (h["co_pairs"] or h["adj_pairs"]) else "VIOLATE"
        rows.append(
            (
                "home channels",
                f"{ok}: {h['co_pairs']} CO / {h['adj_pairs']} ADJ pairs violated, "
                f"{h['off_domain']} off domain",
            )
        )
        if "manifest" in info_:
            rows.append(("made by", str(info_["manifest"].get("command", "?"))))
        rows += _realism_rows(info_)
    for key, value in rows:
        table.add_row(key, value)
    return table


def _realism_rows(info_: dict[str, Any]) -> list[tuple[str, str]]:
    """How realistic the world is, from its manifest (provenance, calibration, admissions)."""
    rows = [(label, text) for label, text, _ in realism_lines(info_.get("realism", {}))]
    if "packing" in info_:
        p = info_["packing"]
        ok = "feasible" if not (p["co_pairs"] or p["adj_pairs"] or p["off_domain"]) else "VIOLATES"
        rows.append(("packing.csv", f"{p['stations']:,} stations, {ok}"))
    if "participants" in info_:
        rows.append(("participants.csv", f"{info_['participants']:,} stations (who bids)"))
    return rows
