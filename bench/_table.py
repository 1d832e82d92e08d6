"""Printing benchmark tables (rich) and keeping their figures as JSON beside them."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

RESULTS = Path(os.environ.get("AUCTOOL_BENCH_OUT", "bench/results"))


def show(
    title: str, columns: Sequence[str], rows: Sequence[Sequence[Any]], key: str, notes: str = ""
) -> None:
    table = Table(*columns, title=title, title_justify="left")
    for row in rows:
        table.add_row(*[_fmt(v) for v in row])
    console = Console()
    console.print(table)
    if notes:
        console.print(notes)
    RESULTS.mkdir(parents=True, exist_ok=True)
    body = {
        "title": title,
        "columns": list(columns),
        "rows": [list(r) for r in rows],
        "notes": notes,
        "when": time.strftime("%Y-%m-%d %H:%M:%S"),
    }
    (RESULTS / f"{key}.json").write_text(json.dumps(body, indent=1, default=str) + "\n")


def _fmt(v: Any) -> str:
    if isinstance(v, float):
        if v == 0:
            return "0"
        if abs(v) >= 100:
            return f"{v:,.0f}"
        if abs(v) >= 1:
            return f"{v:.2f}"
        return f"{v:.4f}"
    return str(v)


def run_measured(code: str, *args: str) -> dict[str, Any]:
    """Run a Python snippet in a fresh process; returns its JSON output plus peak RSS (MB)."""
    prog = (
        "import json, resource, sys, time\n"
        f"{code}\n"
        "peak = [int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmHWM')][0] / 1024\n"
        "RESULT['peak_rss_mb'] = peak\n"
        "print(json.dumps(RESULT))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", prog, *args], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def rss_mb() -> float:
    """Peak resident memory of this process (VmHWM: per address space, reset by exec)."""
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
