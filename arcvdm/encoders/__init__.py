"""Encoder registry: name -> class. The recipe's ``encoder.name`` picks one."""

from __future__ import annotations

from arcvdm.encoders.arc_grid import ArcGridEncoder
from arcvdm.encoders.base import Canvas, Decoded, Encoder
from arcvdm.encoders.pose import PoseEncoder
from arcvdm.encoders.segmentation import SegmentationEncoder

# The solver drives any of these through the same five methods; the segmentation and pose encoders
# need image tasks (see their modules): arcvdm's task loaders and colour views are ARC-only so far.
ENCODERS: dict[str, type[Encoder]] = {
    ArcGridEncoder.name: ArcGridEncoder,
    SegmentationEncoder.name: SegmentationEncoder,
    PoseEncoder.name: PoseEncoder,
}

__all__ = ["ENCODERS", "ArcGridEncoder", "Canvas", "Decoded", "Encoder", "PoseEncoder", "SegmentationEncoder"]
