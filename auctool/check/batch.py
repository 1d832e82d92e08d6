"""What is left here of checking many files, for the modules that still import it.

The file orchestration of ``auctool check`` lives beside the command
(``auctool/cli/_checking.py``); constraint folders loaded once each are
:class:`auctool.formats.fcc.DataLibrary`. The default cutoff stays until the cutoff
becomes one value object (issue 13, part A), which replaces this module.
"""

from __future__ import annotations

from auctool.formats.fcc.load import DataLibrary

DEFAULT_CUTOFF = 60.0  # seconds, SATFC's default

__all__ = ["DEFAULT_CUTOFF", "DataLibrary"]
