"""Stages and clearing targets, as Auction 1001 ran them.

The FCC did not start at 84 MHz. It started at the *initial clearing target*: the
highest target at which the stations that do not bid can be packed (126 MHz in 2016).
When a stage's reverse cost was more than the forward auction could pay, the next stage
ran at a lower target (a wider TV band): 126, 114, 108, then 84 MHz. Each stage restarts
the base clock at 900 from the previous stage's end (see :mod:`auctool.auction.engine`).

Here: parsing ``--clearing-target`` (``84``, ``126,114,108,84`` or ``auto``), the
automatic target with the proof for the next one up, the market of a later stage, and
the stage-ending rule (``--stop-below-cost``: a stand-in for the forward revenue).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from auctool.auction.checks import CheckRecord
from auctool.auction.engine import AuctionOutcome
from auctool.auction.market import Market
from auctool.errors import InputError
from auctool.model.bands import CLEARING_TARGETS, Band, BandPlan
from auctool.model.constraints import ConstraintData

AUTO = "auto"


def parse_clearing_targets(text: str | int) -> tuple[int, ...] | None:
    """``"84"`` -> (84,); ``"126,114,108,84"`` -> the stages; ``"auto"`` -> None.

    A stage sequence must decrease (each stage clears less spectrum, as the FCC's did).
    """
    raw = str(text).strip()
    if raw.lower() == AUTO:
        return None
    parts = [p.strip() for p in raw.split(",")]
    if not raw or any(not p for p in parts):
        raise InputError(
            "clearing target: give MHz (84), a decreasing list of stages (126,114,108,84) "
            f"or auto, got {str(text)!r}"
        )
    targets: list[int] = []
    for part in parts:
        if not re.fullmatch(r"\d+", part):
            raise InputError(f"clearing target: {part!r} is not a number of MHz (or auto)")
        try:
            BandPlan(int(part))
        except ValueError as exc:
            raise InputError(str(exc)) from None
        targets.append(int(part))
    for a, b in pairwise(targets):
        if b >= a:
            raise InputError(
                f"clearing targets must decrease from stage to stage (each stage clears less, "
                f"e.g. 126,114,108,84), got {a} then {b}"
            )
    return tuple(targets)


_SUFFIX = {"": 1, "k": 1e3, "m": 1e6, "b": 1e9, "bn": 1e9, "g": 1e9}


def parse_dollars(text: str) -> float:
    """``"20e9"``, ``"20000000000"``, ``"$20B"``, ``"20,000 M"`` -> dollars (positive)."""
    m = re.fullmatch(r"\$?\s*([0-9][0-9,_]*\.?[0-9]*(?:e[0-9]+)?)\s*([a-z]*)", text.strip().lower())
    if m is None or m.group(2) not in _SUFFIX:
        raise InputError(f"cost: {text!r} is not an amount of dollars (e.g. 20e9 or 20B)")
    value = float(m.group(1).replace(",", "").replace("_", "")) * _SUFFIX[m.group(2)]
    if not value > 0:
        raise InputError(f"cost: the amount must be positive, got {text!r}")
    return value


@dataclass(frozen=True, eq=False)
class StageRun:
    """One stage of an auction: its clearing target, its outcome and the checks it asked."""

    number: int  # 1, 2, ...
    clearing_target: int
    outcome: AuctionOutcome
    checks: tuple[CheckRecord, ...]
    wall_seconds: float
    check_wall: float

    def to_json(self) -> dict[str, Any]:
        from auctool.auction.engine import Status

        out = self.outcome
        answers = {a: sum(1 for c in self.checks if c.answer == a) for a in _ANSWERS}
        return {
            "stage": self.number,
            "clearing_target": self.clearing_target,
            "band": out.market.band_label,
            "rounds": len(out.rounds) - 1,
            "checks": {"total": len(self.checks), **answers},
            "winners": out.count(Status.FROZEN),
            "cost": out.cost,
            "exited": out.count(Status.EXITED),
            "frozen_by_timeout": sum(1 for f in out.frozen_by if f == "TIMEOUT"),
            "wall_seconds": round(self.wall_seconds, 3),
        }


_ANSWERS = ("SAT", "UNSAT", "TIMEOUT")


def stage_market(market: Market, data: ConstraintData, clearing_target: int) -> Market:
    """The same market (stations, values, who bids) on another clearing target's band."""
    plan = BandPlan(clearing_target)
    allowed = plan.channels(Band.UHF)
    domains = tuple(tuple(c for c in data.domains[int(s)] if c in allowed) for s in market.ids)
    return dataclasses.replace(market, plan=plan, domains=domains)


def stage_ends(cost: int, stop_below_cost: float | None) -> bool:
    """The stage-ending rule: the auction closes after a stage whose cost is below the
    threshold (the forward auction's revenue would cover it)."""
    return stop_below_cost is not None and cost < stop_below_cost


def ending(stages: tuple[StageRun, ...], planned: tuple[int, ...], rule: float | None) -> str:
    """Why the auction stopped where it did, in a sentence."""
    last = stages[-1]
    cost = f"${last.outcome.cost:,}"
    if rule is None:
        return f"every stage ran ({len(stages)}; no stage-ending rule)"
    if stage_ends(last.outcome.cost, rule):
        more = " (later stages not run)" if len(stages) < len(planned) else ""
        return f"closed after stage {last.number}: cost {cost} is below ${rule:,.0f}{more}"
    return (
        f"the last stage ({last.clearing_target} MHz) cost {cost}, not below ${rule:,.0f}: "
        "the rule was never met (the FCC would have gone on to a lower target)"
    )


@dataclass(frozen=True)
class TargetSearch:
    """``--clearing-target auto``: the target found, and why the next one up failed."""

    clearing_target: int
    tried: tuple[tuple[int, str, float], ...]  # (target, SAT / UNSAT / TIMEOUT, seconds)
    proof: str | None  # what the next target up failed on (None: the highest target packs)

    @property
    def next_up(self) -> tuple[int, str] | None:
        failed = [(t, a) for t, a, _ in self.tried if a != "SAT"]
        return failed[-1] if failed else None

    def to_json(self) -> dict[str, Any]:
        up = self.next_up
        return {
            "clearing_target": self.clearing_target,
            "next_target_up": None if up is None else up[0],
            "next_target_up_answer": None if up is None else up[1],
            "proof": self.proof,
            "tried": [{"target": t, "answer": a, "seconds": round(s, 3)} for t, a, s in self.tried],
        }

    def sentence(self) -> str:
        up = self.next_up
        if up is None:
            return f"clearing target auto: {self.clearing_target} MHz, the highest there is"
        return (
            f"clearing target auto: {self.clearing_target} MHz; {up[0]} MHz is {up[1]}: "
            f"{self.proof}"
        )


def targets_from_highest() -> tuple[int, ...]:
    return tuple(sorted(CLEARING_TARGETS, reverse=True))


def find_clearing_target(
    world: Any, build: Any, hint: Mapping[int, int] | None, seconds: float, seed: int
) -> tuple[TargetSearch, Any]:
    """The highest target at which the non-bidders pack (and the start there).

    ``build(target)`` gives the market at a target. Packing is monotone in the band (a
    wider band only adds channels), so the targets are tried from the highest down and
    the first that packs is the answer; the one before it failed with a clique proof
    (UNSAT) or found no packing in ``seconds`` (TIMEOUT).
    """
    from auctool.auction.start import StartError, find_start

    tried: list[tuple[int, str, float]] = []
    proof = None
    last_error: StartError | None = None
    for target in targets_from_highest():
        market = build(target)
        try:
            start = find_start(market, world.data, hint, seconds=seconds, seed=seed)
        except StartError as exc:
            tried.append((target, exc.answer, exc.seconds))
            proof = _reason(str(exc))
            last_error = exc
            continue
        tried.append((target, "SAT", start.report.seconds))
        return TargetSearch(target, tuple(tried), proof), start
    assert last_error is not None
    raise last_error


def _reason(message: str) -> str:
    """The proof part of a start failure ("16 stations need distinct channels, ...")."""
    head = message.split("; ", 1)[-1]
    return head.split(". Try ", 1)[0]
