"""The knobs ``tune`` holds at their defaults unless asked: what only an auction can measure.

Why: a tuning set is independent problems. The containment cache answers questions an
auction asks again, the previous assignment is the band's packing from the question
before, and incremental solving keeps one formula across a band's questions: on
independent problems all three look like pure overhead, so SMAC switches them off, and
the incumbent then loses inside an auction while validating as a win (a plain 60 s tune
on the bundled sets: +$84 M against the default, five stations frozen by TIMEOUT). So
they stay at their defaults unless the user frees them (``--free``) or fixes them
(``--fix``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from auctool.check.config.knobs import KNOB_BY_NAME
from auctool.check.config.space import check_fixed
from auctool.errors import InputError

#: Knobs whose worth shows only across an auction's sequence of questions about one band.
AUCTION_ONLY = ("cache", "previous", "incremental")


def check_free(free: Iterable[str], fixed: Mapping[str, Any]) -> tuple[str, ...]:
    """The knobs to free, validated: each is known, held by default and not also fixed."""
    names: list[str] = []
    for word in free:
        name = word.strip().replace("-", "_")
        if name not in KNOB_BY_NAME:
            raise InputError(f"--free {word}: unknown knob (see 'auctool space')")
        if name not in AUCTION_ONLY:
            raise InputError(
                f"--free {word}: tune already tunes it; only {', '.join(AUCTION_ONLY)} "
                "are held by default"
            )
        if name in fixed:
            raise InputError(f"--free {word} and --fix {word} contradict each other")
        if name not in names:
            names.append(name)
    return tuple(names)


def held_knobs(fixed: Mapping[str, Any], free: Iterable[str] = ()) -> dict[str, Any]:
    """The knobs a tune holds: the user's ``fixed``, then every auction-only knob not freed
    at its default, unless the user's fixes rule it out (a fixed solver that keeps no
    formula forbids incremental solving: ConfigSpace then leaves it out on its own)."""
    held = dict(fixed)
    freed = set(free)
    for name in AUCTION_ONLY:
        if name in held or name in freed:
            continue
        trial = {**held, name: KNOB_BY_NAME[name].default}
        try:
            check_fixed(trial)
        except InputError:
            continue
        held = trial
    return held
