"""Reshaping primitives: shear a grid (and undo it), delete the empty rows and columns, pad a grid with a
border, roll it cyclically or swap its halves, paint (or clear) whole lines through a marker colour,
mirror one half over the other, frame the whole content, draw the box spanned by one colour's cells.

These are generic grid operations that the other families do not spell: a synthetic battery of common
grid operations (each a random task of three demonstrations) found the search missing them. The
``reshape`` family offers each only when the demonstrations' shapes or colours call for it, so they cost
little on tasks that do not need them. Names are the text a program shows: ``"skew(right)"``,
``"compress(rows)"``, ``"pad(8, 1)"``, ``"roll(left)"``, ``"fill_lines(5, rows)"``, ``"mirror_half(down)"``.
"""

from __future__ import annotations

import numpy as np

from arcvdm.grids import MAX_SIZE, Grid
from arcvdm.search.dsl import Primitive, TaskContext
from arcvdm.search.facts import agrees, background, colour_counts, same_size
from arcvdm.search.families.geometry import content_box

SKEWS = ("right", "left")        # row r moves r cells right (or the last row moves none, the first most)
ROLLS = {"up": (-1, 0), "down": (1, 0), "left": (0, -1), "right": (0, 1)}
LINES = ("rows", "cols", "both")
HALVES = ("down", "up", "right", "left")  # mirror_half("down"): the top half copied, mirrored, over the bottom


def _offset(kind: str, row: int, height: int) -> int:
    """How far row ``row`` of a ``height``-row grid moves right under skew ``kind``."""
    return row if kind == "right" else height - 1 - row


def skew(grid: Grid, kind: str) -> Grid | None:
    """Shear: row r moves ``_offset`` cells right in a grid ``height - 1`` columns wider, filled with the
    background. None when the result is too wide."""
    h, w = grid.shape
    width = w + h - 1
    if width > MAX_SIZE:
        return None
    out = np.full((h, width), background(grid), dtype=np.uint8)
    for r in range(h):
        start = _offset(kind, r, h)
        out[r, start : start + w] = grid[r]
    return out


def unskew(grid: Grid, kind: str) -> Grid | None:
    """The inverse of ``skew``: each row's window moved back to column 0. None unless every cell left out
    of the windows is the background (so nothing is lost) and the grid is wide enough."""
    h, width = grid.shape
    w = width - h + 1
    if w < 1:
        return None
    bg = background(grid)
    out = np.empty((h, w), dtype=np.uint8)
    for r in range(h):
        start = _offset(kind, r, h)
        row = grid[r]
        if (row[:start] != bg).any() or (row[start + w :] != bg).any():
            return None
        out[r] = row[start : start + w]
    return out


def compress(grid: Grid, axes: str) -> Grid | None:
    """Delete every row (``rows``), column (``cols``) or both that holds only the background colour.
    None when nothing would be left or nothing is deleted."""
    bg = background(grid)
    keep_r = np.flatnonzero((grid != bg).any(axis=1)) if axes in ("rows", "both") else np.arange(grid.shape[0])
    keep_c = np.flatnonzero((grid != bg).any(axis=0)) if axes in ("cols", "both") else np.arange(grid.shape[1])
    if keep_r.size == 0 or keep_c.size == 0:
        return None
    if keep_r.size == grid.shape[0] and keep_c.size == grid.shape[1]:
        return None
    return np.ascontiguousarray(grid[np.ix_(keep_r, keep_c)])


def pad(grid: Grid, colour: int, width: int) -> Grid | None:
    """The grid inside a border ``width`` cells wide of ``colour``."""
    h, w = grid.shape
    if h + 2 * width > MAX_SIZE or w + 2 * width > MAX_SIZE:
        return None
    out = np.full((h + 2 * width, w + 2 * width), colour, dtype=np.uint8)
    out[width : width + h, width : width + w] = grid
    return out


def roll(grid: Grid, direction: str) -> Grid:
    """Every cell moves one step in ``direction``; the line pushed off one edge comes back at the other."""
    dy, dx = ROLLS[direction]
    return np.ascontiguousarray(np.roll(grid, (dy, dx), axis=(0, 1)))


def swap_halves(grid: Grid, axis: str) -> Grid:
    """The two halves swapped, top and bottom (``ud``) or left and right (``lr``); of an odd size, the first
    half is the smaller and the middle line goes first."""
    if axis == "ud":
        half = grid.shape[0] // 2
        return np.ascontiguousarray(np.concatenate([grid[half:], grid[:half]], axis=0))
    half = grid.shape[1] // 2
    return np.ascontiguousarray(np.concatenate([grid[:, half:], grid[:, :half]], axis=1))


def fill_lines(grid: Grid, colour: int, lines: str, paint: int | None = None) -> Grid | None:
    """Every row (``rows``), column (``cols``) or both holding a ``colour`` cell painted end to end, over
    whatever was there, with ``paint`` (None: ``colour`` itself). None when the grid has no such cell."""
    marks = grid == colour
    if not marks.any():
        return None
    out = grid.copy()
    fill = colour if paint is None else paint
    if lines in ("rows", "both"):
        out[marks.any(axis=1), :] = fill
    if lines in ("cols", "both"):
        out[:, marks.any(axis=0)] = fill
    return out


def mirror_half(grid: Grid, kind: str) -> Grid:
    """One half of the grid mirrored over the other (``down``: the top half over the bottom half; the
    middle line of an odd size stays), which makes the grid symmetric."""
    out = grid.copy()
    h, w = grid.shape
    if kind == "down":
        out[h - h // 2 :] = grid[: h // 2][::-1]
    elif kind == "up":
        out[: h // 2] = grid[h - h // 2 :][::-1]
    elif kind == "right":
        out[:, w - w // 2 :] = grid[:, : w // 2][:, ::-1]
    else:
        out[:, : w // 2] = grid[:, w - w // 2 :][:, ::-1]
    return out


def _outline(shape: tuple[int, int], top: int, bottom: int, left: int, right: int) -> np.ndarray:
    """(h, w) bool: the sides of the rectangle with corners (top, left) and (bottom, right), inclusive; the
    parts off the grid (a whole side, or the ends of one) are left out."""
    h, w = shape
    ring = np.zeros(shape, dtype=bool)
    span_r, span_c = slice(max(top, 0), min(bottom, h - 1) + 1), slice(max(left, 0), min(right, w - 1) + 1)
    for r in (top, bottom):
        if 0 <= r < h:
            ring[r, span_c] = True
    for c in (left, right):
        if 0 <= c < w:
            ring[span_r, c] = True
    return ring


def frame_content(grid: Grid, colour: int) -> Grid | None:
    """A rectangle of ``colour`` one cell outside the box around every non-background cell, painted on
    background cells only; a side that would fall off the grid is left out. None on an empty grid."""
    bg = background(grid)
    box = content_box(grid, bg)
    if box is None:
        return None
    top, bottom, left, right = box      # bottom and right exclusive: one line outside the content already
    out = grid.copy()
    out[_outline(grid.shape, top - 1, bottom, left - 1, right) & (grid == bg)] = colour
    return out


def box_of_colour(grid: Grid, colour: int, paint: int, mode: str) -> Grid | None:
    """The box around every ``colour`` cell, its outline (``mode="outline"``) or everything inside it
    (``"fill"``) painted ``paint`` on background cells. None when the grid has no ``colour`` cell."""
    ys, xs = np.nonzero(grid == colour)
    if ys.size == 0:
        return None
    top, bottom, left, right = int(ys.min()), int(ys.max()), int(xs.min()), int(xs.max())
    if mode == "fill":
        area = np.zeros(grid.shape, dtype=bool)
        area[top:bottom + 1, left:right + 1] = True
    else:
        area = _outline(grid.shape, top, bottom, left, right)
    out = grid.copy()
    out[area & (grid == background(grid))] = paint
    return out


def _has_empty_line(grid: Grid) -> bool:
    """Some row or column of the grid is all background (``compress`` has something to delete)."""
    empty = grid == background(grid)
    return bool(empty.all(axis=1).any() or empty.all(axis=0).any())


def _border_colours(ctx: TaskContext, width: int) -> list[int]:
    """Colours ``c`` such that every demonstration output is its input's size, or its transposed size (a
    turn may come first), plus ``2 * width`` on both axes and its outer ring is all ``c`` (one colour for
    every demonstration)."""
    found: set[int] | None = None
    for gi, go in zip(ctx.train_inputs, ctx.train_outputs):
        grown = (go.shape[0] - 2 * width, go.shape[1] - 2 * width)
        if grown not in (gi.shape, gi.shape[::-1]):
            return []
        ring = np.concatenate([go[0], go[-1], go[:, 0], go[:, -1]])
        colours = {int(c) for c in np.unique(ring)}
        if len(colours) != 1:
            return []
        found = colours if found is None else found & colours
    return sorted(found or ())


def _line_colours(ctx: TaskContext, grow: bool, present: bool = True) -> list[int]:
    """Colours, never an input's background, that cover more (``grow``; fewer otherwise) cells in every
    same-shape demonstration output than in its input, and (``present``) are in every input: a line
    painted through them, or cleared; a frame painted in them. Ascending."""
    colours: set[int] | None = None
    for gi, go in zip(ctx.train_inputs, ctx.train_outputs):
        if gi.shape != go.shape:
            return []
        before, after = colour_counts(gi), colour_counts(go)
        bg = background(gi)  # every line holds a background cell
        changed = set()
        for c in range(10):
            if c != bg and (before[c] or not present) and (after[c] > before[c] if grow else after[c] < before[c]):
                changed.add(c)
        colours = changed if colours is None else colours & changed
    return sorted(colours or ())


def reshape_family(ctx: TaskContext) -> list[Primitive]:
    """Skew and unskew when some output is as much wider (narrower) as its input is tall less one; compress
    when the outputs' shapes differ from the inputs' and some input has an empty line; pad with the
    outputs' ring colour. On same-shape tasks: roll and swap_halves when every output keeps its input's
    colour counts, mirror_half when every output is symmetric that way, fill_lines (clear_lines) through a
    colour that grows (shrinks) in every output, frame_content in a colour that grows in every output, box_of_colour (outline or filled) spanned by a
    colour in every input, painted in a colour that grows."""
    prims: list[Primitive] = []
    pairs = list(zip(ctx.train_inputs, ctx.train_outputs))
    if any(go.shape == (gi.shape[0], gi.shape[1] + gi.shape[0] - 1) for gi, go in pairs):
        for kind in SKEWS:
            prims.append(Primitive(f"skew({kind})", lambda g, k=kind: skew(g, k)))
    if any(go.shape == (gi.shape[0], gi.shape[1] - gi.shape[0] + 1) for gi, go in pairs):
        for kind in SKEWS:
            prims.append(Primitive(f"unskew({kind})", lambda g, k=kind: unskew(g, k)))
    if not same_size(ctx) and any(_has_empty_line(gi) for gi, _ in pairs):
        for axes in LINES:
            prims.append(Primitive(f"compress({axes})", lambda g, a=axes: compress(g, a)))
    for width in (1, 2, 3):
        for colour in _border_colours(ctx, width):
            prims.append(Primitive(f"pad({colour}, {width})", lambda g, c=colour, k=width: pad(g, c, k)))
    if same_size(ctx):
        # a roll or a swap keeps every colour count
        if all(np.array_equal(colour_counts(gi), colour_counts(go)) for gi, go in pairs):
            for direction in ROLLS:
                prims.append(Primitive(f"roll({direction})", lambda g, d=direction: roll(g, d)))
            for axis in ("ud", "lr"):
                prims.append(Primitive(f"swap_halves({axis})", lambda g, a=axis: swap_halves(g, a)))
        flips = {"down": np.flipud, "up": np.flipud, "right": np.fliplr, "left": np.fliplr}
        for kind in HALVES:  # only when every output is symmetric that way
            if all(np.array_equal(go, flips[kind](go)) for _, go in pairs):
                prims.append(Primitive(f"mirror_half({kind})", lambda g, k=kind: mirror_half(g, k)))
        for colour in _line_colours(ctx, grow=True):
            for lines in LINES:
                prims.append(Primitive(f"fill_lines({colour}, {lines})",
                                       lambda g, c=colour, k=lines: fill_lines(g, c, k)))
        growing = _line_colours(ctx, grow=True, present=False)   # new colours too: a frame may add one
        for colour in growing:              # only where the frame is (mostly) drawn
            frame = Primitive(f"frame_content({colour})", lambda g, c=colour: frame_content(g, c))
            if agrees(frame, ctx):
                prims.append(frame)
        present = [c for c in ctx.colours_in() if all((g == c).any() and c != background(g) for g in ctx.inputs)]
        for colour in present:              # a box spanned by one colour's cells (two corners, say)
            for paint in growing:
                for mode in ("outline", "fill"):
                    box = Primitive(f"box_of_colour({colour}, {paint}, {mode})",
                                    lambda g, c=colour, p=paint, m=mode: box_of_colour(g, c, p, m))
                    if agrees(box, ctx):
                        prims.append(box)
        for colour in _line_colours(ctx, grow=False):  # lines through a marker cleared to the background
            for lines in LINES:
                prims.append(Primitive(f"clear_lines({colour}, {lines})",
                                       lambda g, c=colour, k=lines: fill_lines(g, c, k, background(g))))
    return prims
