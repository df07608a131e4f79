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


def _embedded(cfg: BackboneConfig) -> Backbone:
    from arcvdm.backbones.embedded import build_embedded

    return build_embedded(cfg)


def _embedded_random(cfg: BackboneConfig) -> Backbone:
    from arcvdm.backbones.embedded import build_embedded_random

    return build_embedded_random(cfg)


def _toy_wan21(cfg: BackboneConfig) -> Backbone:
    from arcvdm.backbones.wan21 import build_toy_wan21

    return build_toy_wan21(cfg)


def _wan21(cfg: BackboneConfig) -> Backbone:
    from arcvdm.backbones.wan21 import load_wan21

    return load_wan21(cfg)


def _toy_cogvideox(cfg: BackboneConfig) -> Backbone:
    from arcvdm.backbones.cogvideox import build_toy_cogvideox

    return build_toy_cogvideox(cfg)


def _cogvideox(cfg: BackboneConfig) -> Backbone:
    from arcvdm.backbones.cogvideox import load_cogvideox

    return load_cogvideox(cfg, variant="5b")


def _cogvideox15(cfg: BackboneConfig) -> Backbone:
    from arcvdm.backbones.cogvideox import load_cogvideox

    return load_cogvideox(cfg, variant="1.5")


def _toy_ltx(cfg: BackboneConfig) -> Backbone:
    from arcvdm.backbones.ltx import build_toy_ltx

    return build_toy_ltx(cfg)


def _ltx(cfg: BackboneConfig) -> Backbone:
    from arcvdm.backbones.ltx import load_ltx

    return load_ltx(cfg)


BACKBONES: dict[str, Callable[[BackboneConfig], Backbone]] = {
    "embedded": _embedded,
    "embedded-random": _embedded_random,
    "toy-wan22": _toy_wan22,
    "wan22": _wan22,
    "toy-wan21": _toy_wan21,
    "wan21": _wan21,
    "toy-cogvideox": _toy_cogvideox,
    "cogvideox": _cogvideox,
    "cogvideox15": _cogvideox15,
    "toy-ltx": _toy_ltx,
    "ltx": _ltx,
}


def build_backbone(cfg: BackboneConfig) -> Backbone:
    """Build the backbone a config names; an unknown name is a ConfigError listing the known ones."""
    if cfg.name not in BACKBONES:
        raise ConfigError(f"unknown backbone {cfg.name!r}; choose one of {', '.join(BACKBONES)}")
    return BACKBONES[cfg.name](cfg)


__all__ = ["BACKBONES", "Backbone", "FrameRule", "build_backbone"]
