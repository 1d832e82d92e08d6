"""The two FCC interference formats, by the names the CLI and the manifests use."""

from __future__ import annotations

from enum import StrEnum


class InterferenceFormat(StrEnum):
    """How ``Interference_Paired.csv`` is read: ``auto`` detects it from the lines."""

    AUTO = "auto"
    UNABRIDGED = "unabridged"
    CHANNEL_SPECIFIC = "channelspecific"


class WriteFormat(StrEnum):
    """The formats a folder is written in: ``auto`` only makes sense when reading."""

    UNABRIDGED = "unabridged"
    CHANNEL_SPECIFIC = "channelspecific"
