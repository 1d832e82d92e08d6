"""Files cut short: one that ends inside a line is refused, naming that line.

Every file auctool reads line by line (a ``.srpk`` problem, ``Domain.csv``,
``Interference_Paired.csv``, a world's ``stations.csv``) is written with a newline after
each line, by auctool, SATFC and the FCC alike. A copy cut short (a full disk, a download
or copy interrupted, ``head -c``) ends inside a line instead, and that line still parses:
``125,-1,1`` of ``125,-1,15,16`` is a station with channel 1, a cut interference line has
lost targets. A reader cannot tell such a line from a whole one whose newline is missing,
so it refuses both: for the second the fix is one keystroke, for the first a silent
wrong answer is avoided.

DIMACS needs no such rule: each clause ends in 0 and the header counts the clauses.
"""

from __future__ import annotations

from pathlib import Path

from auctool.errors import InputError


def require_whole_lines(text: str, path: str | Path) -> str:
    """``text`` when it ends at a line break (or in blank space after one); else an
    InputError naming the last line. Looks only at the end: free on a national file."""
    if text[text.rfind("\n") + 1 :].strip():
        raise InputError(
            "the file ends in the middle of this line (no newline at its end): cut short? "
            "If the line is whole, end it with a newline",
            path,
            text.count("\n") + 1,
        )
    return text
