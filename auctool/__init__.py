"""auctool: fast, tuned feasibility checking for spectrum clock auctions.

What a Python user may import is this module's ``__all__``, and only that::

    import auctool

    data = auctool.load_constraints("instances/worlds/default")
    problem = auctool.read_srpk("instances/sets/test/s3-000004-r000-status-5.srpk")
    with auctool.Checker(data, auctool.CheckerConfig()) as checker:
        result = checker.check(problem, cutoff=1.0)
    print(result.answer, result.seconds)

The subpackages (``model``, ``formats``, ``check``, ``worlds``, ``auction``, ``tune``,
``cli``) are the implementation: their other names may change between versions. The
tuner is :func:`run_tune`, not ``tune``, because ``auctool.tune`` is its subpackage (an
import of it would replace a function of that name).

Names are imported on first use (a module ``__getattr__``), so ``import auctool`` loads
neither numpy, python-sat nor SMAC: the command line's ``--help`` stays instant.

Exceptions: every failure auctool can explain is an :class:`AuctoolError`, whose
``exit_code`` is what the command line exits with::

    AuctoolError          a failure explained in one line (exit code 1)
     ├── InputError       bad input: a file, an option, a configuration (exit code 2);
     │                    .path and .line say where, when known
     └── RunError         a run that failed for another reason (exit code 1)
          └── StartError  an auction whose non-bidders cannot be packed at the start

Anything else that escapes is a bug.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from auctool._lazy import attach
from auctool._version import __version__
from auctool.errors import AuctoolError, InputError, RunError

if TYPE_CHECKING:  # what the lazy table below resolves to, for type checkers and editors
    from auctool.auction.options import SimulationOptions
    from auctool.auction.simulate import Simulation, simulate
    from auctool.auction.start import StartError
    from auctool.check.checker import Checker
    from auctool.check.config.configs import (
        CheckerConfig,
        PortfolioConfig,
        load_config,
        save_config,
    )
    from auctool.check.factory import make_checker
    from auctool.check.result import Answer, CheckResult
    from auctool.formats.fcc import InterferenceFormat, load_constraints, write_constraints
    from auctool.formats.instances import InstanceSet, load_instance_set
    from auctool.formats.srpk import parse_srpk, read_srpk, write_srpk
    from auctool.model.bands import CLEARING_TARGETS, BandPlan
    from auctool.model.constraints import ConstraintData
    from auctool.model.cutoff import Cutoff
    from auctool.model.interference import Interference
    from auctool.model.problem import Problem
    from auctool.model.verify import is_valid, violations
    from auctool.tune.run import TuneResult, TuneSettings, run_tune
    from auctool.worlds.generate import make_world
    from auctool.worlds.region import RegionSpec, make_region
    from auctool.worlds.spec import SynthSpec, TableSpec
    from auctool.worlds.world import World, load_world, save_world

#: Public name -> the module it is imported from.
_LAZY: dict[str, str] = {
    # the data model
    "Problem": "auctool.model.problem",
    "ConstraintData": "auctool.model.constraints",
    "Cutoff": "auctool.model.cutoff",
    "Interference": "auctool.model.interference",
    "BandPlan": "auctool.model.bands",
    "CLEARING_TARGETS": "auctool.model.bands",
    "is_valid": "auctool.model.verify",
    "violations": "auctool.model.verify",
    # files
    "load_constraints": "auctool.formats.fcc",
    "write_constraints": "auctool.formats.fcc",
    "InterferenceFormat": "auctool.formats.fcc",
    "read_srpk": "auctool.formats.srpk",
    "parse_srpk": "auctool.formats.srpk",
    "write_srpk": "auctool.formats.srpk",
    "InstanceSet": "auctool.formats.instances",
    "load_instance_set": "auctool.formats.instances",
    # checking
    "Checker": "auctool.check.checker",
    "make_checker": "auctool.check.factory",
    "CheckerConfig": "auctool.check.config.configs",
    "PortfolioConfig": "auctool.check.config.configs",
    "load_config": "auctool.check.config.configs",
    "save_config": "auctool.check.config.configs",
    "Answer": "auctool.check.result",
    "CheckResult": "auctool.check.result",
    # worlds
    "World": "auctool.worlds.world",
    "load_world": "auctool.worlds.world",
    "save_world": "auctool.worlds.world",
    "SynthSpec": "auctool.worlds.spec",
    "TableSpec": "auctool.worlds.spec",
    "make_world": "auctool.worlds.generate",
    "RegionSpec": "auctool.worlds.region",
    "make_region": "auctool.worlds.region",
    # auctions
    "simulate": "auctool.auction.simulate",
    "SimulationOptions": "auctool.auction.options",
    "Simulation": "auctool.auction.simulate",
    "StartError": "auctool.auction.start",
    # tuning
    "run_tune": "auctool.tune.run",
    "TuneSettings": "auctool.tune.run",
    "TuneResult": "auctool.tune.run",
}

__all__ = [
    "CLEARING_TARGETS",
    "Answer",
    "AuctoolError",
    "BandPlan",
    "CheckResult",
    "Checker",
    "CheckerConfig",
    "ConstraintData",
    "Cutoff",
    "InputError",
    "InstanceSet",
    "Interference",
    "InterferenceFormat",
    "PortfolioConfig",
    "Problem",
    "RegionSpec",
    "RunError",
    "Simulation",
    "SimulationOptions",
    "StartError",
    "SynthSpec",
    "TableSpec",
    "TuneResult",
    "TuneSettings",
    "World",
    "__version__",
    "is_valid",
    "load_config",
    "load_constraints",
    "load_instance_set",
    "load_world",
    "make_checker",
    "make_region",
    "make_world",
    "parse_srpk",
    "read_srpk",
    "run_tune",
    "save_config",
    "save_world",
    "simulate",
    "violations",
    "write_constraints",
    "write_srpk",
]


__getattr__, __dir__ = attach(__name__, _LAZY)
