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
