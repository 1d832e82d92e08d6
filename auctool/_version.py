"""The package version, in one place (read by pyproject and `auctool --version`)."""

__version__ = "0.1.0"
