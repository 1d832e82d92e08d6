"""The cutoff: the seconds one check may take, validated here and chosen by one rule.

A cutoff reaches a check from the user (``--cutoff``, a settings file, the Python API),
from a problem file (SATFC's ``CUTOFF`` line), from an instance set's manifest, or from
SATFC's default of 60 s. :class:`Cutoff` is that value, checked once when it is made
(the way httpx's ``Timeout`` is), and :meth:`Cutoff.resolve` is the one rule for which
source wins: the first one given, in the order of the call.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from auctool.errors import InputError

#: Seconds per check when nobody says otherwise (SATFC's default).
DEFAULT_SECONDS = 60.0
#: How far past its cutoff a check may return, at most: this share of the cutoff plus
#: these seconds (a solver stops between steps; the tests hold every solver to it).
OVERSHOOT_SHARE = 0.10
OVERSHOOT_SECONDS = 0.05


def latest_return(cutoff: float) -> float:
    """Seconds after its start by which a check with ``cutoff`` has returned, at most."""
    return cutoff * (1 + OVERSHOOT_SHARE) + OVERSHOOT_SECONDS


def invalid(seconds: Any) -> str | None:
    """Why ``seconds`` cannot be a cutoff, in words that follow its name (None: it can)."""
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)):
        return f"must be a number of seconds, got {seconds!r}"
    if not (math.isfinite(seconds) and seconds > 0):
        return f"must be a positive number of seconds, got {seconds:g}"
    return None


@dataclass(frozen=True)
class Cutoff:
    """Seconds one feasibility check may take: positive and finite, or an ``InputError``.

    ``name`` is what an error calls the value (``"cutoff"``; the CLI passes its flag,
    ``"--cutoff"``, so the message names what the user typed).
    """

    seconds: float = DEFAULT_SECONDS
    name: str = "cutoff"

    def __post_init__(self) -> None:
        why = invalid(self.seconds)
        if why is not None:  # a setting's error: a front end names its own flag or key
            setting = self.name.strip("-").replace("-", "_").replace(" ", "_")
            raise InputError.of_setting(setting, why)
        object.__setattr__(self, "seconds", float(self.seconds))

    def __float__(self) -> float:
        return self.seconds

    @classmethod
    def resolve(cls, *choices: float | None, name: str = "cutoff") -> Cutoff:
        """The first of ``choices`` that is given (not None), validated; else the default."""
        for seconds in choices:
            if seconds is not None:
                return cls(seconds, name)
        return cls(DEFAULT_SECONDS, name)

    @staticmethod
    def optional(seconds: float | None, name: str = "cutoff") -> float | None:
        """``seconds`` validated, or None for no limit (a check without a cutoff)."""
        return None if seconds is None else Cutoff(seconds, name).seconds
