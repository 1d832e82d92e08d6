"""The FCC descending clock auction (reverse auction), simulated with auctool's checkers."""

from auctool.auction.engine import AuctionOutcome, ClockAuction, Question, RoundRecord, Status
from auctool.auction.market import Market, build_market
from auctool.auction.record import SetRecorder, split_recording
from auctool.auction.simulate import Simulation, SimulationOptions, run_auction, simulate

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
