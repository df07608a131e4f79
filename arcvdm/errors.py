"""User-facing errors.

Every error a user can cause (a bad file, a bad option, a missing weights folder) is an
``ArcvdmError``: its message is one readable line that names the bad value, the rule it broke and
where it came from. The CLI prints that line and exits with code 2, without a traceback.
Anything else that escapes is a bug in arcvdm and keeps its traceback.
"""

from __future__ import annotations


class ArcvdmError(Exception):
    """Base class: a problem with the user's input, not a bug."""


class TaskFormatError(ArcvdmError):
    """A task file or grid breaks the ARC format (schema, shape, colours, size)."""


class ConfigError(ArcvdmError):
    """A recipe, override or option names something that does not exist or is out of range."""


class BackboneRuleError(ArcvdmError):
    """A frame count or spatial size breaks a backbone family's rule."""


class WeightsError(ArcvdmError):
    """Model weights or an adapter are missing, unreadable or in a refused format."""


class DecodeError(ArcvdmError):
    """A generated frame holds no readable grid."""
