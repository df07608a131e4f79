"""Backbone registry: name -> builder(BackboneConfig) -> Backbone. Recipes pick one by name.

Builders import diffusers lazily, so ``arcvdm --help`` and ``arcvdm score`` stay fast.
"""

from __future__ import annotations

from typing import Callable

from arcvdm.backbones.base import Backbone, FrameRule
from arcvdm.config import BackboneConfig
from arcvdm.errors import ConfigError


def _toy_wan22(cfg: BackboneConfig) -> Backbone:
    from arcvdm.backbones.wan import build_toy_wan22

    return build_toy_wan22(cfg)


def _wan22(cfg: BackboneConfig) -> Backbone:
    from arcvdm.backbones.wan import load_wan22

    return load_wan22(cfg)


BACKBONES: dict[str, Callable[[BackboneConfig], Backbone]] = {
    "toy-wan22": _toy_wan22,
    "wan22": _wan22,
}


def build_backbone(cfg: BackboneConfig) -> Backbone:
    """Build the backbone a config names; an unknown name is a ConfigError listing the known ones."""
    if cfg.name not in BACKBONES:
        raise ConfigError(f"unknown backbone {cfg.name!r}; choose one of {', '.join(BACKBONES)}")
    return BACKBONES[cfg.name](cfg)


__all__ = ["BACKBONES", "Backbone", "FrameRule", "build_backbone"]
