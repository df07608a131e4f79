"""The search's own functions as task-engine operations (``operation.Operation``), each with a sampler.

Every entry calls a pure module-level function of ``arcvdm/search/families`` with explicit parameters, or a
primitive factory there (``gravity_cells(direction, bg)`` -> ``Primitive``); nothing is copied. A factory's
primitive is built once per parameter set (``_factory``) and its own name is the step's text, so a program
reads as the search would print it. Parameters are drawn by the sampler from the first example's grid at
that step: a colour parameter names a colour that is there (``present``) or one that is not (``absent``).

All of these suit any grid (they return ``None`` where they do not apply), so each may follow any step.
"""

from __future__ import annotations

import functools
from typing import Callable

import numpy as np

from arcvdm.generate.operation import Operation, Params, absent, pick, present
from arcvdm.grids import Grid
from arcvdm.search.families import colour, geometry, lines, moving, order, painting, recolour, reshape, select, summary
from arcvdm.search.families.paths import repeats
from arcvdm.search.objects import View
from arcvdm.search.selectors import SELECTORS

VIEWS = (View(4), View(8), View(4, multi=True), View(8, multi=True))
D8_NAMES = tuple(geometry.D8)
DIRECTIONS = ("up", "down", "left", "right")
SIDES = tuple(moving.SIDES)
OBJECT_SELECTORS = ("largest", "smallest", "largest_box", "smallest_box", "rare_colour", "rare_shape", "top",
                    "bottom", "left", "right", "most_colours", "densest", "sparsest", "most_holes", "symmetric")
PREDICATES = tuple(select.PREDICATES)
RAY_DIRECTIONS = (("N",), ("S",), ("E",), ("W",), ("N", "S"), ("E", "W"), ("N", "S", "E", "W"),
                  ("NE", "NW", "SE", "SW"), ("SE",), ("NE",))


def _fn(name: str, family: str, fn: Callable[..., Grid | None], sample=None, show=None) -> Operation:
    """An operation calling ``fn(grid, *params)``."""
    kwargs = {"sample": sample} if sample is not None else {}
    return Operation(name, family, lambda grid, params: fn(grid, *params), show=show, **kwargs)


def _factory(name: str, family: str, factory: Callable, sample) -> Operation:
    """An operation building ``factory(*params)`` (a search ``Primitive``, once per parameter set) and
    calling it; the step's text is the primitive's own name."""
    build = functools.lru_cache(maxsize=4096)(factory)
    return Operation(name, family, lambda grid, params: build(*params)(grid), sample=sample,
                     show=lambda params: build(*params).name)


def _view(rng: np.random.Generator) -> View:
    return pick(rng, VIEWS)


def _scale(params: Params, name: str) -> str:
    fy, fx = params
    return f"{name}({fy})" if fy == fx else f"{name}({fy}x{fx})"


def _factors(rng: np.random.Generator, grid: Grid) -> Params:
    """Two factors 1-3, not both 1; equal half of the time."""
    fy = int(rng.integers(1, 4))
    fx = fy if rng.random() < 0.5 else int(rng.integers(1, 4))
    return (fy, fx) if (fy, fx) != (1, 1) else (2, 2)


def _shift(rng: np.random.Generator, grid: Grid) -> Params:
    dy, dx = (int(v) for v in rng.integers(-2, 3, 2))
    return (dy, dx) if (dy, dx) != (0, 0) else (0, 1)


def _two_present(rng: np.random.Generator, grid: Grid) -> Params:
    a = present(rng, grid)
    b = present(rng, grid)
    return (a, b) if a != b else (a, absent(rng, grid))


SEARCH_OPERATIONS: list[Operation] = [
    # geometry: symmetries, scaling, tiling, crops, mirrors, shifts
    _fn("d8", "geometry", lambda g, name: geometry.d8(name, g), lambda rng, g: (pick(rng, D8_NAMES),),
        show=lambda p: p[0]),
    _fn("scale_up", "geometry", geometry.scale_up, _factors, show=lambda p: _scale(p, "scale_up")),
    _fn("tile", "geometry", geometry.tile, _factors, show=lambda p: _scale(p, "tile")),
    _fn("crop_content", "geometry", lambda g: geometry.crop_content(g, None)),
    _fn("mirror_concat", "geometry", geometry.mirror_concat,
        lambda rng, g: (pick(rng, ("lr", "rl", "ud", "du", "quad", "quad_rev")),)),
    _fn("self_tile", "geometry", geometry.fractal, lambda rng, g: (bool(rng.random() < 0.3),),
        show=lambda p: "self_tile(inverted)" if p[0] else "self_tile"),
    _fn("rot_quad", "geometry", geometry.rot_quad),
    _fn("shift", "geometry", geometry.shift, _shift),
    _fn("dedup_lines", "geometry", geometry.dedup_lines),
    # reshaping: shear, delete empty lines, borders, rolls, halves
    _fn("skew", "reshape", reshape.skew, lambda rng, g: (pick(rng, reshape.SKEWS),)),
    _fn("unskew", "reshape", reshape.unskew, lambda rng, g: (pick(rng, reshape.SKEWS),)),
    _fn("compress", "reshape", reshape.compress, lambda rng, g: (pick(rng, ("rows", "cols", "both")),)),
    _fn("pad", "reshape", reshape.pad, lambda rng, g: (absent(rng, g), int(rng.integers(1, 3)))),
    _fn("roll", "reshape", reshape.roll, lambda rng, g: (pick(rng, DIRECTIONS),)),
    _fn("swap_halves", "reshape", reshape.swap_halves, lambda rng, g: (pick(rng, ("ud", "lr")),)),
    _fn("fill_lines", "reshape", reshape.fill_lines,
        lambda rng, g: (present(rng, g), pick(rng, reshape.LINES), absent(rng, g))),
    _fn("mirror_half", "reshape", reshape.mirror_half, lambda rng, g: (pick(rng, reshape.HALVES),)),
    _fn("frame_content", "reshape", reshape.frame_content, lambda rng, g: (absent(rng, g),)),
    _fn("box_of_colour", "reshape", reshape.box_of_colour,
        lambda rng, g: (present(rng, g), absent(rng, g), pick(rng, ("outline", "fill")))),
    # colours
    _fn("recolour", "colour", colour.recolour, lambda rng, g: (present(rng, g), absent(rng, g)),
        show=lambda p: f"recolour({p[0]}->{p[1]})"),
    _fn("keep_colour", "colour", lambda g, c: colour.keep(g, c), lambda rng, g: (present(rng, g),)),
    _fn("swap_colours", "colour", colour.swap, _two_present, show=lambda p: f"swap_colours({p[0]}<->{p[1]})"),
    _fn("fill_with", "colour", colour.fill_with, lambda rng, g: (pick(rng, ("major", "minor")),)),
    _fn("recolour_nonbg", "colour", colour.recolour_nonbg, lambda rng, g: (pick(rng, ("major", "minor")),)),
    _fn("colour_list", "colour", colour.colour_list, lambda rng, g: (pick(rng, ("row", "col")),)),
    _fn("count_bar", "colour", colour.count_bar, lambda rng, g: (present(rng, g), pick(rng, ("row", "col")))),
    _fn("histogram", "colour", colour.histogram),
    # order of lines
    _fn("sort_lines", "order", order.sort_lines, lambda rng, g: (pick(rng, order.AXES), pick(rng, order.ENDS))),
    _fn("reverse_content", "order", order.reverse_content, lambda rng, g: (pick(rng, order.AXES),)),
    _fn("pick_line", "order", order.pick_line, lambda rng, g: (pick(rng, order.AXES), pick(rng, order.ENDS))),
    # moving cells and objects
    _factory("gravity_cells", "moving", moving.gravity_cells, lambda rng, g: (pick(rng, DIRECTIONS), None)),
    _factory("gravity_objects", "moving", moving.gravity_objects,
             lambda rng, g: (_view(rng), pick(rng, DIRECTIONS), None)),
    _factory("nudge", "moving", moving.nudge, lambda rng, g: (pick(rng, DIRECTIONS), None)),
    _factory("move_content", "moving", moving.move_content, lambda rng, g: (pick(rng, SIDES), None)),
    _factory("turn_objects", "moving", moving.turn_objects, lambda rng, g: (_view(rng), pick(rng, moving.TURNS))),
    # painting: fills, outlines, inner cells, small objects erased
    _factory("fill_enclosed", "painting", painting.fill_enclosed,
             lambda rng, g: (absent(rng, g), pick(rng, (4, 8)), None)),
    _factory("outline", "painting", painting.outline, lambda rng, g: (absent(rng, g), pick(rng, (4, 8)), None, None)),
    _factory("interior", "painting", painting.interior, lambda rng, g: (absent(rng, g), pick(rng, (4, 8)), None)),
    _factory("remove_small", "painting", painting.remove_small, lambda rng, g: (_view(rng), int(rng.integers(2, 5)))),
    # objects: crop, keep, remove, box, recolour, count
    _factory("crop_object", "objects", select.crop_object,
             lambda rng, g: (_view(rng), pick(rng, OBJECT_SELECTORS), bool(rng.random() < 0.3))),
    _factory("keep_object", "objects", select.keep_object,
             lambda rng, g: (_view(rng), pick(rng, OBJECT_SELECTORS), bool(rng.random() < 0.5))),
    _factory("keep_objects", "objects", select.keep_objects,
             lambda rng, g: (_view(rng), pick(rng, PREDICATES), bool(rng.random() < 0.5))),
    _factory("box_objects", "objects", select.box_objects,
             lambda rng, g: (_view(rng), absent(rng, g) if rng.random() < 0.7 else None, pick(rng, ("outline", "fill")))),
    _factory("recolour_object", "objects", recolour.recolour_object,
             lambda rng, g: (_view(rng), pick(rng, OBJECT_SELECTORS), absent(rng, g))),
    _factory("count_objects", "objects", summary.count_objects,
             lambda rng, g: (_view(rng), None, pick(rng, ("row", "col", "diagonal")), present(rng, g), (1, 1))),
    # lines: rays from cells, joins between cells of a colour, stripes
    _factory("rays", "lines", lines.rays,
             lambda rng, g: (((present(rng, g) if rng.random() < 0.6 else None, pick(rng, RAY_DIRECTIONS)),),
                             pick(rng, lines.MODES), absent(rng, g) if rng.random() < 0.5 else None, None)),
    _factory("connect", "lines", lines.connect,
             lambda rng, g: (present(rng, g) if rng.random() < 0.6 else None, pick(rng, lines.AXES),
                             absent(rng, g) if rng.random() < 0.5 else None, None)),
    _factory("stripes", "lines", repeats.stripes, lambda rng, g: (pick(rng, ("rows", "cols", "long")), None)),
]

if set(OBJECT_SELECTORS) - set(SELECTORS):
    raise ValueError(f"OBJECT_SELECTORS names selector(s) the search lacks: {sorted(set(OBJECT_SELECTORS) - set(SELECTORS))}")
