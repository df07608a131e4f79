"""Encoder registry: name -> class. The recipe's ``encoder.name`` picks one."""

from __future__ import annotations

from arcvdm.encoders.arc_grid import ArcGridEncoder
from arcvdm.encoders.base import Canvas, Decoded, Encoder

ENCODERS: dict[str, type[Encoder]] = {
    ArcGridEncoder.name: ArcGridEncoder,
}

__all__ = ["ENCODERS", "ArcGridEncoder", "Canvas", "Decoded", "Encoder"]
