"""What one check did: its steps (name, seconds, outcome) and its statistics."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from auctool.check.result import Answer, Component, Step

#: A pipeline step's verdict: the answer, its witness (SAT), the component that answered.
Outcome = tuple[Answer, dict[int, int] | None, Component | None]


class Story:
    """Collects the steps of one check, its stats, and the stations of an UNSAT core
    when a step proves one (picklable: a race child sends it). ``unstored`` is such a
    core with its domains, proved where the cache may not be touched (the race's other
    side, a thread or a forked child): the checker stores it once the race is over."""

    def __init__(self) -> None:
        self.steps: list[Step] = []
        self.stats: dict[str, object] = {}
        self.core: tuple[int, ...] | None = None
        self.unstored: dict[int, tuple[int, ...]] | None = None

    @contextmanager
    def step(self, name: str) -> Iterator[dict[str, str]]:
        note = {"outcome": "no answer"}
        start = time.monotonic()
        try:
            yield note
        finally:
            self.steps.append(Step(name, time.monotonic() - start, note["outcome"]))
