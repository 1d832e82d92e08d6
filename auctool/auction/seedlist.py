"""Seed lists as users write them (``1-20``, ``1,3,5-7``): one parser for every command.

Light (standard library only): the command line parses ``--seeds`` and ``--test-seeds``
before anything heavy loads.
"""

from __future__ import annotations

import re

from auctool.errors import InputError


def parse_seeds(text: str) -> tuple[int, ...]:
    """``"1-20"``, ``"1,3,5-7"`` -> the seeds, in order (InputError on anything else)."""
    seeds: list[int] = []
    parts = [p.strip() for p in text.split(",")]
    if not text.strip() or any(not p for p in parts):
        raise InputError(f"seeds: give numbers and ranges like 1-20 or 1,3,5-7, got {text!r}")
    for part in parts:
        m = re.fullmatch(r"(\d+)(?:\s*-\s*(\d+))?", part)
        if m is None:
            raise InputError(f"seeds: {part!r} is not a seed (0, 1, ...) or a range like 1-20")
        low = int(m.group(1))
        high = int(m.group(2)) if m.group(2) is not None else low
        if high < low:
            raise InputError(f"seeds: the range {part} runs downwards (write {high}-{low})")
        seeds.extend(range(low, high + 1))
    twice = sorted({s for s in seeds if seeds.count(s) > 1})
    if twice:
        raise InputError(f"seeds: {', '.join(map(str, twice))} given more than once")
    return tuple(seeds)
