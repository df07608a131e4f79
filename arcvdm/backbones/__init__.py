"""Backbone registry: name -> builder(BackboneConfig) -> Backbone. Recipes pick one by name.

One family = one file (``wan.py``, ``wan21.py``, ``cogvideox.py``, ``ltx.py``, ``embedded.py``) + one
row here: the module and the function that builds it. Builders import diffusers lazily, so
``arcvdm --help`` and ``arcvdm score`` stay fast. ``REAL`` lists the rows that load published weights
from a local folder; ``arcvdm plan`` reads their geometry from the folder's config files.
"""

from __future__ import annotations

import importlib
from typing import Callable

from arcvdm.backbones.base import Backbone, FrameRule, Geometry
from arcvdm.config import BackboneConfig
from arcvdm.errors import ConfigError


def _row(module: str, function: str, **kwargs) -> Callable[[BackboneConfig], Backbone]:
    """A builder that imports ``arcvdm.backbones.<module>`` only when called."""

    def build(cfg: BackboneConfig) -> Backbone:
        return getattr(importlib.import_module(f"arcvdm.backbones.{module}"), function)(cfg, **kwargs)

    build.module, build.function, build.kwargs = module, function, kwargs
    return build


BACKBONES: dict[str, Callable[[BackboneConfig], Backbone]] = {
    "embedded": _row("embedded", "build_embedded"),
    "embedded-random": _row("embedded", "build_embedded_random"),
    "toy-wan22": _row("wan", "build_toy_wan22"),
    "wan22": _row("wan", "load_wan22"),
    "toy-wan21": _row("wan21", "build_toy_wan21"),
    "wan21": _row("wan21", "load_wan21"),
    "toy-cogvideox": _row("cogvideox", "build_toy_cogvideox"),
    "cogvideox": _row("cogvideox", "load_cogvideox", variant="5b"),
    "cogvideox15": _row("cogvideox", "load_cogvideox", variant="1.5"),
    "toy-ltx": _row("ltx", "build_toy_ltx"),
    "ltx": _row("ltx", "load_ltx"),
}

# Rows that load published weights from backbone.path.
REAL = ("wan21", "wan22", "cogvideox", "cogvideox15", "ltx")


def build_backbone(cfg: BackboneConfig) -> Backbone:
    """Build the backbone a config names; an unknown name is a ConfigError listing the known ones."""
    if cfg.name not in BACKBONES:
        raise ConfigError(f"unknown backbone {cfg.name!r}; choose one of {', '.join(BACKBONES)}")
    return BACKBONES[cfg.name](cfg)


__all__ = ["BACKBONES", "REAL", "Backbone", "FrameRule", "Geometry", "build_backbone"]
