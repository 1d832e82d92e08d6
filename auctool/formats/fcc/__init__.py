"""FCC constraint folders: ``Domain.csv`` and ``Interference_Paired.csv``, both formats.

*Unabridged* lines are ``KEY,subject ch,target ch,subject,target...`` with the target
channel equal to subject channel + the key's offset. *Channel-specific compact* lines are
``KEY,low ch,high ch,subject,target...`` (CO, ADJ+1, ADJ+2 only) and stand for every
subject channel in ``low..high``, ADJ+1 implying CO on both channels, ADJ+2 implying CO on
three and ADJ+1 on two (SATFC's ChannelSpecificConstraintManager semantics). A line may
name no target at all (``CO,2,6,20373``: the FCC's 2013 set lists stations without
partners that way); it constrains nothing.

One module per job: ``files`` (names, finding, reading text), ``domains`` (Domain.csv),
``parse`` (interference lines to columns), ``expand`` (what lines mean as pairs; the one
table of what ADJ implies), ``detect`` (which format a file is in), ``interference``
(reading it), ``cache`` (the parsed form on disk), ``load`` (a whole folder, or many loaded once each), ``write``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from auctool._lazy import attach

if TYPE_CHECKING:
    from auctool.formats.fcc.domains import domain_lines, read_domains
    from auctool.formats.fcc.files import DOMAIN_FILE, INTERFERENCE_FILE, constraint_file
    from auctool.formats.fcc.interference import read_interference
    from auctool.formats.fcc.kinds import InterferenceFormat, WriteFormat
    from auctool.formats.fcc.load import DataLibrary, load_constraints
    from auctool.formats.fcc.write import compact_lines, unabridged_lines, write_constraints

__all__ = [
    "DOMAIN_FILE",
    "INTERFERENCE_FILE",
    "DataLibrary",
    "InterferenceFormat",
    "WriteFormat",
    "compact_lines",
    "constraint_file",
    "domain_lines",
    "load_constraints",
    "read_domains",
    "read_interference",
    "unabridged_lines",
    "write_constraints",
]

__getattr__, __dir__ = attach(
    __name__,
    {
        "domain_lines": "auctool.formats.fcc.domains",
        "read_domains": "auctool.formats.fcc.domains",
        "DOMAIN_FILE": "auctool.formats.fcc.files",
        "INTERFERENCE_FILE": "auctool.formats.fcc.files",
        "constraint_file": "auctool.formats.fcc.files",
        "read_interference": "auctool.formats.fcc.interference",
        "InterferenceFormat": "auctool.formats.fcc.kinds",
        "WriteFormat": "auctool.formats.fcc.kinds",
        "DataLibrary": "auctool.formats.fcc.load",
        "load_constraints": "auctool.formats.fcc.load",
        "compact_lines": "auctool.formats.fcc.write",
        "unabridged_lines": "auctool.formats.fcc.write",
        "write_constraints": "auctool.formats.fcc.write",
    },
)
