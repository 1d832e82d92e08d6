"""The market an auction runs on: who may bid, at what opening price, worth how much, on which channels.

Built once from a :class:`~auctool.worlds.world.World` as flat numpy arrays, so the
auction's per-check work is array look-ups rather than DataFrame access. The default
(and, for now, only) option set is the UHF one: every station whose home channel is UHF
may sell its licence and go off air; VHF stations neither bid nor share UHF channels, so
they play no part.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from auctool.auction.rules import opening_prices, raw_volumes, scale_volumes
from auctool.auction.values import (
    participates,
    pop_values,
    pop_values_below,
    read_values,
)
from auctool.errors import InputError
from auctool.model.bands import Band, BandPlan
from auctool.model.constraints import ConstraintData
from auctool.model.problem import Problem
from auctool.worlds.tables import read_stations_column
from auctool.worlds.world import PARTICIPANTS_FILE, World


@dataclass(frozen=True, eq=False)
class Market:
    """Per-station arrays (index i is station ``ids[i]``, sorted by id)."""

    ids: np.ndarray
    home_channel: np.ndarray
    volume: np.ndarray
    value: np.ndarray  # +inf: no value given, never bids
    population: np.ndarray  # interference-free population (the pop-value model's base)
    opening: np.ndarray  # whole dollars
    participates: np.ndarray  # bool
    domains: tuple[tuple[int, ...], ...]  # each station's channels in its home band
    plan: BandPlan
    interference: str  # the constraint folder's name (``.srpk`` INTERFERENCE line)
    home: Band = Band.UHF
    notes: Mapping[str, Any] = field(default_factory=dict)  # how participation was decided

    def __len__(self) -> int:
        return int(self.ids.size)

    @cached_property
    def position(self) -> dict[int, int]:
        return {int(s): i for i, s in enumerate(self.ids.tolist())}

    @property
    def problem(self) -> Problem:
        """Every station that has a channel in the home band: what any question draws on."""
        return Problem(
            {int(s): d for s, d in zip(self.ids.tolist(), self.domains, strict=True) if d},
            interference=self.interference,
        )

    @property
    def band_label(self) -> str:
        chans = self.plan.channels(self.home)
        return f"{self.home.value} {min(chans)}-{max(chans)}"


def station_volumes(table: pd.DataFrame, data: ConstraintData) -> np.ndarray:
    """Volumes of every station of a table (its ``volume`` column, else the FCC formula).

    Empty ``volume`` cells (a national world's Canadian and Mexican stations have no FCC
    volume) get the formula's. The interference count is the table's
    ``interference_count`` column if it has one, else the number of distinct stations
    each station shares a constraint with.
    """
    if "volume" in table.columns:
        given = _nonnegative(table["volume"], "volume", allow_missing=True)
        missing = np.isnan(given)
        if not missing.any():
            return given
        given[missing] = _formula_volumes(table, data)[missing]
        return given
    return _formula_volumes(table, data)


def _formula_volumes(table: pd.DataFrame, data: ConstraintData) -> np.ndarray:
    if "interference_count" in table.columns:
        count = _nonnegative(table["interference_count"], "interference_count")
    else:
        degree = data.interference.degree
        count = np.array([degree.get(int(s), 0) for s in table["station"]], dtype=np.float64)
    uhf = table["channel"].to_numpy() >= 14
    try:
        return scale_volumes(raw_volumes(count, table["population"].to_numpy()), uhf)
    except ValueError as exc:
        raise InputError(f"cannot compute volumes: {exc}") from None


def _nonnegative(column: pd.Series, name: str, allow_missing: bool = False) -> np.ndarray:
    try:
        values = pd.to_numeric(column, errors="raise").to_numpy(dtype=np.float64, copy=True)
    except (ValueError, TypeError):
        raise InputError(f"station table column {name!r} must hold numbers") from None
    present = values[~np.isnan(values)] if allow_missing else values
    if not np.isfinite(present).all() or (present < 0).any():
        raise InputError(f"station table column {name!r} must hold non-negative numbers")
    return values


def build_market(
    world: World,
    clearing_target: int = 84,
    seed: int = 0,
    values_file: str | Path | None = None,
    participants_file: str | Path | None = None,
) -> Market:
    """The UHF market of a world: volumes, opening prices, values and participation.

    Values come from ``values_file`` when given (stations it omits do not bid), else the
    seeded pop-value model. Who bids: with ``participants_file`` (the FCC's
    ``reverse-stations.csv``, or any CSV with a ``station`` column), or else the world's
    own list (``participants.csv``), exactly the listed UHF stations, whatever the
    table's ``eligible`` column says, their pop-model values drawn below their opening
    prices; otherwise the stations whose opening price exceeds their value, among the
    ``eligible`` ones when the table has that column (Canadian stations may not bid).
    ``notes["participants_file"]`` says which list was used.
    """
    try:
        plan = BandPlan(clearing_target)
    except ValueError as exc:
        raise InputError(str(exc)) from None
    table = world.stations.sort_values("station", kind="stable").reset_index(drop=True)
    all_ids = table["station"].to_numpy(dtype=np.int64)
    volumes = station_volumes(table, world.data)
    if values_file is not None:
        values = read_values(values_file, all_ids.tolist())
    else:
        values = pop_values(all_ids.tolist(), table["population"].to_numpy(), seed)
    uhf = table["channel"].to_numpy() >= 14
    if not uhf.any():
        raise InputError("the world has no UHF station (home channel 14 or above)")
    ids = all_ids[uhf]
    volume = volumes[uhf]
    opening = opening_prices(volume, [Band.UHF] * int(uhf.sum()))
    value = values[uhf]
    notes: dict[str, Any] = {}
    listed, source = _listed_participants(world, all_ids, participants_file)
    if listed is not None:
        bids = np.isin(ids, listed)
        not_uhf = sorted(set(listed) - set(ids.tolist()))
        if values_file is None:
            value = np.where(
                bids,
                pop_values_below(ids, table["population"].to_numpy()[uhf], opening, seed),
                value,
            )
        notes = {
            "participants_file": source,
            "participants_from": "world" if participants_file is None else "option",
            "listed": len(listed),
            "bidding": int(bids.sum()),
            "not_in_uhf_market": not_uhf,
        }
    else:
        bids = participates(opening, value)
        eligible = [c for c in table.columns if str(c).lower() == "eligible"]
        if eligible:
            allowed_to = _truthy(table[eligible[0]].to_numpy()[uhf])
            notes["not_eligible_would_bid"] = int((bids & ~allowed_to).sum())
            bids &= allowed_to
    allowed = plan.channels(Band.UHF)
    domains = tuple(tuple(c for c in world.data.domains[int(s)] if c in allowed) for s in ids)
    return Market(
        ids=ids,
        home_channel=table["channel"].to_numpy(dtype=np.int64)[uhf],
        volume=volume,
        value=value,
        population=table["population"].to_numpy(dtype=np.float64)[uhf],
        opening=opening,
        participates=bids,
        domains=domains,
        plan=plan,
        interference=world.data.name,
        notes=notes,
    )


def _listed_participants(
    world: World, ids: np.ndarray, participants_file: str | Path | None
) -> tuple[list[int] | None, str]:
    """Who is listed to bid, and where the list came from: ``participants_file`` when
    given, else the world's own ``participants.csv`` (a region cut with its real bidders),
    else nobody is listed (None: the values decide)."""
    if participants_file is not None:
        listed = read_stations_column(participants_file, ids.tolist(), "participants")
        return listed, str(participants_file)
    if world.participants is None:
        return None, ""
    folder = Path(world.data.source) if world.data.source else Path()
    return list(world.participants), str(folder / PARTICIPANTS_FILE)


def _truthy(column: np.ndarray) -> np.ndarray:
    text = np.array([str(v).strip().lower() for v in column])
    return np.isin(text, ["true", "1", "yes", "y", "t"])
