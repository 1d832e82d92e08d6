"""The FCC descending clock auction (reverse auction), simulated with auctool's checkers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from auctool._lazy import attach

if TYPE_CHECKING:
    from auctool.auction.engine import AuctionOutcome, ClockAuction, Question, RoundRecord, Status
    from auctool.auction.market import Market, build_market
    from auctool.auction.options import SimulationOptions
    from auctool.auction.record import SetRecorder, split_recording
    from auctool.auction.simulate import Simulation, run_auction, simulate

__all__ = [
    "AuctionOutcome",
    "ClockAuction",
    "Market",
    "Question",
    "RoundRecord",
    "SetRecorder",
    "Simulation",
    "SimulationOptions",
    "Status",
    "build_market",
    "run_auction",
    "simulate",
    "split_recording",
]

__getattr__, __dir__ = attach(
    __name__,
    {
        "AuctionOutcome": "auctool.auction.engine",
        "ClockAuction": "auctool.auction.engine",
        "Question": "auctool.auction.engine",
        "RoundRecord": "auctool.auction.engine",
        "Status": "auctool.auction.engine",
        "Market": "auctool.auction.market",
        "build_market": "auctool.auction.market",
        "SetRecorder": "auctool.auction.record",
        "split_recording": "auctool.auction.record",
        "Simulation": "auctool.auction.simulate",
        "SimulationOptions": "auctool.auction.options",
        "run_auction": "auctool.auction.simulate",
        "simulate": "auctool.auction.simulate",
    },
)
