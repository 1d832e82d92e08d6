"""Moved to :mod:`auctool._atomic` (a utility, not a file format).

Kept only for the modules of the packages other work is changing at the same time
(auction, check.config, plots, tune); they import from ``auctool._atomic`` once merged,
and this file goes.
"""

from auctool._atomic import atomic_open, current_umask, write_bytes, write_text

__all__ = ["atomic_open", "current_umask", "write_bytes", "write_text"]
