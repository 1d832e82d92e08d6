"""What one check did: its stages (name, seconds, outcome) and its statistics."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from auctool.check.result import Answer, Component, Stage

#: A pipeline step's verdict: the answer, its witness (SAT), the component that answered.
Outcome = tuple[Answer, dict[int, int] | None, Component | None]


class Story:
    """Collects the stages of one check, its stats, and the stations of an UNSAT core
    when a stage proves one (picklable: a race child sends it)."""

    def __init__(self) -> None:
        self.stages: list[Stage] = []
        self.stats: dict[str, object] = {}
        self.core: tuple[int, ...] | None = None

    @contextmanager
    def stage(self, name: str) -> Iterator[dict[str, str]]:
        note = {"outcome": "no answer"}
        start = time.monotonic()
        try:
            yield note
        finally:
            self.stages.append(Stage(name, time.monotonic() - start, note["outcome"]))
