"""Outputs cut out of the input: a rectangular frame's inside (or the outside fitted into it), one colour's
bounding box, uniform blocks shrunk to cells, the object richest in one colour, two colours swapped
(``extract.py`` sections 4, 8 and 12).
"""

from __future__ import annotations

import numpy as np

from arcvdm.grids import Grid
from arcvdm.search.dsl import Primitive, TaskContext, grids_key
from arcvdm.search.facts import background
from arcvdm.search.families.extract.common import fits
from arcvdm.search.objects import View, label, objects_of, task_views

NO_BACKGROUND = 10       # a "colour" no cell has: ``label`` then labels every colour's components


# --- 4. crop to a rectangular frame -----------------------------------------------------------------------

FRAME_PICKS = ("largest", "smallest", "most_inside", "fewest_inside", "rare_colour")


def find_frames(grid: Grid) -> list[tuple[int, int, int, int, int]]:
    """Rectangles outlined by one colour: (top, left, bottom, right (exclusive), colour) for every
    one-colour 4-connected component whose bounding box (3x3 at least) has all its border cells in it,
    the background colour left out (the empty ring inside a frame is no frame)."""
    labels, n = label(grid, NO_BACKGROUND, conn=4, multi=False)
    bg = background(grid)
    frames = []
    for k in range(n):
        rows, cols = np.nonzero(labels == k)
        if len(rows) < 8 or int(grid[rows[0], cols[0]]) == bg:
            continue
        t, b, l, r = int(rows.min()), int(rows.max()) + 1, int(cols.min()), int(cols.max()) + 1
        if b - t < 3 or r - l < 3 or len(rows) < 2 * (b - t) + 2 * (r - l) - 4:
            continue
        box = labels[t:b, l:r] == k
        if box[0].all() and box[-1].all() and box[:, 0].all() and box[:, -1].all():
            frames.append((t, l, b, r, int(grid[t, l])))
    return frames


def _inside_count(grid: Grid, frame: tuple[int, int, int, int, int]) -> int:
    t, l, b, r, c = frame
    inner = grid[t + 1:b - 1, l + 1:r - 1]
    return int(np.count_nonzero((inner != c) & (inner != background(grid))))


def pick_frame(grid: Grid, how: str) -> tuple[int, int, int, int, int] | None:
    """The one frame ``how`` picks (the only frame when there is one); None on a tie or no frame."""
    frames = find_frames(grid)
    if not frames:
        return None
    if len(frames) == 1:
        return frames[0]
    if how == "rare_colour":
        colours = [f[4] for f in frames]
        alone = [f for f in frames if colours.count(f[4]) == 1]
        return alone[0] if len(alone) == 1 else None
    if how in ("largest", "smallest"):
        scores = [(f[2] - f[0]) * (f[3] - f[1]) for f in frames]
    elif how in ("most_inside", "fewest_inside"):
        scores = [_inside_count(grid, f) for f in frames]
    else:
        raise ValueError(f"unknown frame pick {how!r}; choose one of {FRAME_PICKS}")
    best = max(scores) if how in ("largest", "most_inside") else min(scores)
    winners = [f for f, s in zip(frames, scores) if s == best]
    return winners[0] if len(winners) == 1 else None


def crop_frame(how: str, inner: bool, paint_inside: bool) -> Primitive:
    """Cut out the frame ``how`` picks: its inside (``inner``) or the frame with its border; with
    ``paint_inside`` the border takes the colour of the cells inside (one colour, else None)."""

    def fn(grid: Grid) -> Grid | None:
        frame = pick_frame(grid, how)
        if frame is None:
            return None
        t, l, b, r, c = frame
        if inner:
            if b - t < 3 or r - l < 3:
                return None
            return grid[t + 1:b - 1, l + 1:r - 1].copy()
        out = grid[t:b, l:r].copy()
        if paint_inside:
            inside = out[1:-1, 1:-1]
            marks = set(np.unique(inside).tolist()) - {c, background(grid)}
            if len(marks) != 1:
                return None
            ring = np.ones(out.shape, dtype=bool)
            ring[1:-1, 1:-1] = False
            out[ring & (out == c)] = marks.pop()
        return out

    part = "inside" if inner else ("border painted" if paint_inside else "with border")
    return Primitive(f"crop_frame({how}, {part})", fn)


def fit_into_frame(how: str) -> Primitive:
    """The frame ``how`` picks, its inside replaced by everything outside the frame (cut to its box)
    scaled up by the whole factor that fills the inside exactly; None when no such factor exists."""

    def fn(grid: Grid) -> Grid | None:
        frame = pick_frame(grid, how)
        if frame is None:
            return None
        t, l, b, r, c = frame
        bg = background(grid)
        outside = grid != bg
        outside[t:b, l:r] = False
        rows, cols = np.nonzero(outside)
        if len(rows) == 0:
            return None
        shape = grid[rows.min():rows.max() + 1, cols.min():cols.max() + 1]
        (ih, iw), (sh, sw) = (b - t - 2, r - l - 2), shape.shape
        if ih < 1 or iw < 1 or ih % sh or iw % sw or ih // sh != iw // sw:
            return None
        k = ih // sh
        out = grid[t:b, l:r].copy()
        out[1:-1, 1:-1] = np.repeat(np.repeat(shape, k, axis=0), k, axis=1)
        return out

    return Primitive(f"fit_into_frame({how})", fn)


def _frame_candidates(ctx: TaskContext) -> list[Primitive]:
    prims = []
    seen: set[tuple] = set()
    for how in FRAME_PICKS:
        frames = [pick_frame(g, how) for g in ctx.train_inputs]
        if any(f is None for f in frames):
            continue
        key = tuple(frames)
        if key in seen:
            continue                                 # picks the same frames as an earlier rule
        seen.add(key)
        outer = [(f[2] - f[0], f[3] - f[1]) for f in frames]
        inner = [(h - 2, w - 2) for h, w in outer]
        if all(fits(s, o.shape) for s, o in zip(inner, ctx.train_outputs)):
            prims.append(crop_frame(how, inner=True, paint_inside=False))
        if all(fits(s, o.shape) for s, o in zip(outer, ctx.train_outputs)):
            prims.append(crop_frame(how, inner=False, paint_inside=False))
            prims.append(crop_frame(how, inner=False, paint_inside=True))
            prims.append(fit_into_frame(how))
    return prims


# --- 8. crop to one colour's box; shrink uniform blocks ---------------------------------------------------

def crop_colour_box(colour: int, inner: bool) -> Primitive:
    """The bounding box of every cell of ``colour``; ``inner``: without its outer ring of cells."""

    def fn(grid: Grid) -> Grid | None:
        rows, cols = np.nonzero(grid == colour)
        if len(rows) == 0:
            return None
        t, b, l, r = int(rows.min()), int(rows.max()) + 1, int(cols.min()), int(cols.max()) + 1
        if inner:
            t, b, l, r = t + 1, b - 1, l + 1, r - 1
            if b <= t or r <= l:
                return None
        if (b - t, r - l) == grid.shape:
            return None                                  # the whole grid: nothing cut
        return grid[t:b, l:r].copy()

    return Primitive(f"crop_colour_box({colour}, {'inside' if inner else 'with border'})", fn)


def shrink(grid: Grid) -> Grid | None:
    """One cell per k x k block, k >= 2 the largest factor of both sides whose blocks are all one colour;
    None when there is no such k."""
    h, w = grid.shape
    for k in range(min(h, w), 1, -1):
        if h % k or w % k:
            continue
        small = grid[::k, ::k]
        if np.array_equal(np.repeat(np.repeat(small, k, axis=0), k, axis=1), grid):
            return np.ascontiguousarray(small)
    return None


def _box_candidates(ctx: TaskContext) -> list[Primitive]:
    prims = []
    common = set(range(10))
    for g in ctx.inputs:
        common &= set(np.unique(g).tolist())
    for colour in sorted(common):
        for inner in (False, True):
            prim = crop_colour_box(colour, inner)
            if all(fits(None if (got := prim(i)) is None else got.shape, o.shape)
                   for i, o in zip(ctx.train_inputs, ctx.train_outputs)):
                prims.append(prim)
    if any(o.size < i.size for i, o in zip(ctx.train_inputs, ctx.train_outputs)):
        prims.append(Primitive("shrink", shrink))
    return prims


# --- 12. the object richest in one colour; two colours swapped ------------------------------------------

def crop_richest(view: View, colour: int, most: bool) -> Primitive:
    """The box of the one object with the most (``most``) or fewest cells of ``colour``; None on a tie."""

    def fn(grid: Grid) -> Grid | None:
        objs = objects_of(grid, view)
        if len(objs) < 2:
            return None
        counts = [int(np.count_nonzero((o.patch == colour) & o.mask)) for o in objs]
        best = max(counts) if most else min(counts)
        hits = [o for o, n in zip(objs, counts) if n == best]
        return hits[0].patch.copy() if len(hits) == 1 else None

    return Primitive(f"crop_richest({'most' if most else 'fewest'} {colour}, {view.text})", fn)


def swap_two(grid: Grid) -> Grid | None:
    """A grid of exactly two colours with each exchanged for the other; None otherwise."""
    colours = np.unique(grid)
    if len(colours) != 2:
        return None
    a, b = np.uint8(colours[0]), np.uint8(colours[1])
    return np.where(grid == a, b, a).astype(np.uint8)


def _richest_candidates(ctx: TaskContext) -> list[Primitive]:
    prims: list[Primitive] = []
    if all(len(np.unique(o)) == 2 for o in ctx.train_outputs):
        prims.append(Primitive("swap_two", swap_two))
    common = set(range(10))
    for g in ctx.inputs:
        common &= set(np.unique(g).tolist())
    seen: set[tuple] = set()
    for view in task_views(ctx):
        if not view.multi:
            continue                                  # one-colour objects hold only their own colour
        for colour in sorted(common):
            for most in (True, False):
                prim = crop_richest(view, colour, most)
                cuts = [prim(i) for i in ctx.train_inputs]
                if any(c is None or not fits(c.shape, o.shape) for c, o in zip(cuts, ctx.train_outputs)):
                    continue
                key = grids_key(cuts)
                if key not in seen:
                    seen.add(key)
                    prims.append(prim)
    return prims[:6]
