"""Rays from cells that bend, bounce or repeat a pattern, each a primitive of the ``paths`` family
(``paths.py`` lists the themes): rays from line ends away from their segment, stopping at, passing or
bouncing off obstacles (``extend_ends``); rays whose colours repeat a learned pattern (``pattern_rays``);
rays that turn 90 degrees where they are blocked (``turning_rays``) or step aside round an obstacle
(``sidestep_rays``). Sections 1 to 3 of the family.
"""

from __future__ import annotations

import numpy as np

from arcvdm.grids import Grid
from arcvdm.search.dsl import Primitive, TaskContext
from arcvdm.search.facts import agrees, grid_background
from arcvdm.search.families.paths.common import (
    MAX_SOURCES,
    MAX_STEPS,
    SOURCE,
    STEPS,
    STRAIGHT,
    TURNS,
    _colour_text,
    _single_colour_sources,
    _source_cells,
    _source_text,
    _straight_path,
    ray_sources,
)
from arcvdm.search.objects import bg_text

# --- 1. line ends ---------------------------------------------------------------------------------------

def _line_ends(grid: Grid, bg: int, any_colour: bool = False) -> list[tuple[int, int, int, int]]:
    """(y, x, dy, dx): non-background cells with exactly one 8-neighbour of their own colour (``any_colour``:
    one non-background neighbour, the tip of a marker stuck to an object), and the step pointing away
    from that neighbour."""
    h, w = grid.shape
    padded = np.full((h + 2, w + 2), 255 if not any_colour else bg, dtype=np.int16)
    padded[1:-1, 1:-1] = grid
    count = np.zeros((h, w), dtype=np.int8)
    for dy, dx in STEPS.values():
        near = padded[1 + dy:h + 1 + dy, 1 + dx:w + 1 + dx]
        count += (near != bg) if any_colour else (near == grid)
    ends = []
    for y, x in np.argwhere((count == 1) & (grid != bg)).tolist():
        for dy, dx in STEPS.values():
            ny, nx = y + dy, x + dx
            if 0 <= ny < h and 0 <= nx < w and (grid[ny, nx] != bg if any_colour else grid[ny, nx] == grid[y, x]):
                ends.append((y, x, -dy, -dx))
                break
    return ends


def _end_path(grid: Grid, y: int, x: int, dy: int, dx: int, bg: int, mode: str) -> list[tuple[int, int]]:
    """Background cells a ray from (y, x) paints; at a non-background cell it stops (``stop``), goes on
    past it (``through``) or (``bounce``) reflects: off a wall beside it (the step flipped across it), else
    straight back."""
    h, w = grid.shape
    cells, seen = [], set()
    for _ in range(MAX_STEPS):
        ny, nx = y + dy, x + dx
        if not (0 <= ny < h and 0 <= nx < w):
            break
        if grid[ny, nx] != bg and mode != "through":
            if mode == "stop":
                break
            side_x = 0 <= x + dx < w and grid[y, x + dx] != bg if dx else False
            side_y = 0 <= y + dy < h and grid[y + dy, x] != bg if dy else False
            if side_x and not side_y:
                dx = -dx
            elif side_y and not side_x:
                dy = -dy
            else:
                dy, dx = -dy, -dx
            if (y, x, dy, dx) in seen:
                break
            seen.add((y, x, dy, dx))
            continue
        y, x = ny, nx
        if grid[y, x] == bg:
            cells.append((y, x))
    return cells


END_MODES = ("stop", "bounce", "through")


def extend_ends(source: int | None, paint: int | None, mode: str, bg: int | None,
                any_colour: bool = False) -> Primitive:
    """Rays from the line ends of ``source`` (None: every colour) away from their segment, painted
    ``paint`` (None: the end's own colour); ``mode`` (``END_MODES``) says what an obstacle does;
    ``any_colour``: ends are tips with one non-background neighbour of any colour."""
    if mode not in END_MODES:
        raise ValueError(f"extend_ends mode must be one of {END_MODES}, got {mode!r}")

    def fn(grid: Grid) -> Grid | None:
        b = grid_background(grid, bg)
        ends = [e for e in _line_ends(grid, b, any_colour) if source is None or grid[e[0], e[1]] == source]
        if not ends or len(ends) > MAX_SOURCES:
            return None
        out = grid.copy()
        for y, x, dy, dx in ends:
            colour = grid[y, x] if paint is None else paint
            for cy, cx in _end_path(grid, y, x, dy, dx, b, mode):
                out[cy, cx] = colour
        return out

    tips = ", any_colour" if any_colour else ""
    name = f"extend_ends({_source_text(source)}, paint={_colour_text(paint)}, {mode}{tips}{bg_text(bg)})"
    return Primitive(name, fn)


def _extend_candidates(ctx: TaskContext, bg: int, painted: list[int]) -> list[Primitive]:
    sources: list[int | None] = [None] + [c for c in ctx.colours_in() if c != bg]
    # tips of any colour only where they differ from same-colour ends somewhere
    kinds = [False]
    if any(_line_ends(i, bg) != _line_ends(i, bg, True) for i in ctx.train_inputs):
        kinds.append(True)
    prims = []
    for any_colour in kinds:
        for source in sources:
            for paint in [None] + painted:
                for mode in END_MODES:
                    prims.append(extend_ends(source, paint, mode, bg, any_colour))
    return prims


# --- 2. patterned rays ----------------------------------------------------------------------------------

def pattern_rays(source: int | None, directions: tuple[str, ...], pattern: tuple[int, ...],
                 bg: int | None) -> Primitive:
    """Rays from ``source`` cells (None: every non-background cell) in ``directions``, up to the border or
    an obstacle, the k-th cell painted ``pattern[k % len(pattern)]`` (SOURCE: the source's colour)."""

    def fn(grid: Grid) -> Grid | None:
        found = ray_sources(grid, source, bg)
        if found is None:
            return None
        b, starts = found
        out = grid.copy()
        for y, x in starts:
            for d in directions:
                dy, dx = STEPS[d]
                for k, (cy, cx) in enumerate(_straight_path(grid, y, x, dy, dx, b)):
                    entry = pattern[k % len(pattern)]
                    out[cy, cx] = grid[y, x] if entry == SOURCE else entry
        return out

    colours = "+".join("src" if e == SOURCE else str(e) for e in pattern)
    return Primitive(f"pattern_rays({_source_text(source)}:{'+'.join(directions)}, {colours}{bg_text(bg)})", fn)


def _learn_pattern(ctx: TaskContext, source: int | None, direction: str, bg: int | None) -> tuple[int, ...] | None:
    """The shortest pattern (2 to 4 entries, not all alike) that the output colours follow along every ray
    of ``source`` in ``direction``; None when there is none (or no ray crosses a cell)."""
    dy, dx = STEPS[direction]
    rays = []    # (source colour, output colours along the ray)
    for i, o in zip(ctx.train_inputs, ctx.train_outputs):
        b = grid_background(i, bg)
        starts = _source_cells(i, source, b)
        if starts is None:
            return None
        for y, x in starts:
            rays.append((int(i[y, x]), [int(o[cy, cx]) for cy, cx in _straight_path(i, y, x, dy, dx, b)]))
    if sum(len(r) for _, r in rays) < 2:
        return None
    for period in (2, 3, 4):
        pattern = []
        for slot in range(period):
            seen = [(src, colours[k]) for src, colours in rays for k in range(slot, len(colours), period)]
            if not seen:
                break
            if all(c == src for src, c in seen):
                pattern.append(SOURCE)
            elif len({c for _, c in seen}) == 1:
                pattern.append(seen[0][1])
            else:
                break
        if len(pattern) == period and len(set(pattern)) > 1 and bg not in pattern:
            return tuple(pattern)     # every cell painted (a pattern that skips cells is another rule)
    return None


def _pattern_candidates(ctx: TaskContext, bg: int | None) -> list[Primitive]:
    sources: list[int | None] = [None] + [c for c in ctx.colours_in() if c != bg]
    prims = []
    for source in sources:
        by_pattern: dict[tuple[int, ...], list[str]] = {}
        for d in STEPS:
            pattern = _learn_pattern(ctx, source, d, bg)
            if pattern is not None:
                by_pattern.setdefault(pattern, []).append(d)
        for pattern, directions in by_pattern.items():
            prims.append(pattern_rays(source, tuple(directions), pattern, bg))
    return prims


# --- 3. turning and sidestepping rays -------------------------------------------------------------------

def turning_rays(source: int | None, first: str, then: str, bg: int | None) -> Primitive:
    """From each ``source`` cell a ray runs ``first`` until blocked, then turns ``then`` until blocked; every
    first leg is drawn before the turned legs, which stop at anything drawn so far."""

    def fn(grid: Grid) -> Grid | None:
        found = ray_sources(grid, source, bg)
        if found is None:
            return None
        b, starts = found
        out = grid.copy()
        corners = []
        fy, fx = STEPS[first]
        for y, x in starts:
            leg = _straight_path(grid, y, x, fy, fx, b)
            for cy, cx in leg:
                out[cy, cx] = grid[y, x]
            corners.append((leg[-1] if leg else (y, x), grid[y, x]))
        ty, tx = STEPS[then]
        for (y, x), colour in corners:
            for cy, cx in _straight_path(out, y, x, ty, tx, b):
                out[cy, cx] = colour
        return out

    return Primitive(f"turning_rays({_source_text(source)}, {first} then {then}{bg_text(bg)})", fn)


def sidestep_rays(source: int | None, direction: str, side: str, bg: int | None, around: bool = False) -> Primitive:
    """Rays from ``source`` cells in ``direction``; a ray whose next cell is not background steps one cell
    towards ``side`` (painting it) and carries on, and ends at the border or where it cannot step.
    ``around``: once past the obstacle the ray steps back to its own line (it goes round the obstacle)."""

    def fn(grid: Grid) -> Grid | None:
        found = ray_sources(grid, source, bg)
        if found is None:
            return None
        b, starts = found
        h, w = grid.shape
        dy, dx = STEPS[direction]
        sy, sx = STEPS[side]
        out = grid.copy()
        for y, x in starts:
            colour = grid[y, x]
            aside, advanced = 0, False
            for _ in range(3 * (h + w)):
                by, bx = y - sy, x - sx
                if around and aside and advanced and 0 <= by < h and 0 <= bx < w and grid[by, bx] == b:
                    y, x, aside, advanced = by, bx, aside - 1, False      # past the obstacle: step back
                    out[y, x] = colour
                    continue
                ny, nx = y + dy, x + dx
                if not (0 <= ny < h and 0 <= nx < w):
                    break
                advanced = grid[ny, nx] == b
                if not advanced:
                    ny, nx = y + sy, x + sx     # blocked: step aside instead
                    if not (0 <= ny < h and 0 <= nx < w) or grid[ny, nx] != b:
                        break
                    aside += 1
                y, x = ny, nx
                out[y, x] = colour
        return out

    how = "around" if around else "aside"
    return Primitive(f"sidestep_rays({_source_text(source)}, {direction}, {how} {side}{bg_text(bg)})", fn)


def _bends(prim: Primitive, source: int | None, direction: str, ctx: TaskContext) -> bool:
    """The ray rule ``prim`` draws something a straight ray in ``direction`` does not, on some
    demonstration (else it is a plain ray, which ``lines.py`` offers)."""
    straight = pattern_rays(source, (direction,), (SOURCE,), None)
    for i in ctx.train_inputs:
        got, plain = prim(i), straight(i)
        if got is not None and (plain is None or not np.array_equal(got, plain)):
            return True
    return False


def _turn_candidates(ctx: TaskContext, bg: int | None) -> list[Primitive]:
    prims = []
    for source in _single_colour_sources(ctx, bg):
        for first in STRAIGHT:
            for then in TURNS[first]:
                prims.append((turning_rays(source, first, then, bg), source, first))
            for side in TURNS[first]:
                for around in (False, True):
                    prims.append((sidestep_rays(source, first, side, bg, around), source, first))
    return [prim for prim, source, first in prims
            if agrees(prim, ctx, share=1.0, everywhere=True) and _bends(prim, source, first, ctx)]
