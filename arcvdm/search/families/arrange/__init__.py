"""Same-size arrangement primitives: the grid keeps its shape while objects, lines and blocks are
completed, moved or repeated.

1. Symmetry (``symmetry.py``): each object completed inside its box (``mirror_objects``), cells
   mirrored about a pivot colour (``mirror_about``), holes filled from the grid's own, possibly
   off-centre, axes (``symmetry_fill``); holes filled from diagonal stripes (``diagonal_period_fill``).
2. Moves (``moves.py``): by the object's own height / width (``move_by_size``), single cells to
   the wall of their colour (``attach_to_own_colour``), objects reflected across a bracket's back line
   (``reflect_across``), bars sorted by length (``sort_bars``).
3. Repeats and lines (``lines.py``): the content band repeated along an axis
   (``repeat_content``), whole rows and columns through marker cells (``cross_lines``), single cells
   joined to the largest object (``lines_to_largest``), a diagonal bouncing between borders (``bounce``),
   an elbow line joining two cells (``elbow``), cells recoloured inside another colour's box
   (``recolour_in_box``).
4. Separator grids (``blocks.py``): blocks filled or emptied by their cell count
   (``fill_blocks``), one block copied into the others (``copy_blocks``).

Each primitive edits a copy of its input and returns a grid of its shape (unchanged where it applies
but finds nothing to do, so a program may leave one demonstration as it is), or None where it does not
apply. The family offers nothing unless every demonstration output has its input's shape, binds
colours and pivots from the demonstrations, and keeps a primitive only when most cells it changes take
their output colour (``facts.agrees``): about 0-25 primitives per task. The primitives live in the
theme modules named above; this module holds the family that binds and filters them.
"""

from __future__ import annotations

import numpy as np

from arcvdm.search.dsl import Primitive, TaskContext
from arcvdm.search.facts import agrees, background, painted_colours, same_size, task_background
from arcvdm.search.families.arrange.blocks import _separators, copy_blocks, fill_blocks, grid_separator
from arcvdm.search.families.arrange.lines import (
    bounce,
    cross_lines,
    elbow,
    lines_to_largest,
    recolour_in_box,
    repeat_content,
)
from arcvdm.search.families.arrange.moves import attach_to_own_colour, move_by_size, reflect_across, sort_bars
from arcvdm.search.families.arrange.symmetry import (
    MIRROR_KINDS,
    diagonal_period_fill,
    mirror_about,
    mirror_objects,
    symmetry_fill,
)
from arcvdm.search.objects import task_views

MAX_VIEWS = 3            # object views tried per task (task_views order: single-colour conn 8 first)


# --- the family ----------------------------------------------------------------------------------------------

def _adds_only(ctx: TaskContext) -> bool:
    """Every demonstration output keeps its input's non-background cells (it only paints background)."""
    for i, o in zip(ctx.train_inputs, ctx.train_outputs):
        b = background(i)
        keep = i != b
        if not np.array_equal(i[keep], o[keep]):
            return False
    return True


def arrange_family(ctx: TaskContext) -> list[Primitive]:
    """The primitives above whose parameters fit the task, each kept only when most cells it changes on
    the demonstration inputs take their output colour (``agrees``); nothing unless sizes are kept."""
    if not same_size(ctx):
        return []
    bg = task_background(ctx)
    painted = painted_colours(ctx)
    views = [v for v in task_views(ctx) if v.conn in (8, 0)][:MAX_VIEWS]
    pairs = list(zip(ctx.train_inputs, ctx.train_outputs))
    prims: list[Primitive] = []
    # 1. symmetry per object (in the object's colours, or the one painted colour); about the grid's axes
    paints: list[int | None] = [None] + (painted if len(painted) == 1 else [])
    for view in views:
        for kind in MIRROR_KINDS:
            prims += [mirror_objects(view, kind, p) for p in paints]
    for hole in ctx.colours_in():          # a hole colour: every cell a demonstration changes had it
        if all(((i != o) <= (i == hole)).all() and (i == hole).any() for i, o in pairs):
            prims += [symmetry_fill(hole), diagonal_period_fill(hole)]
    # 2. outputs that only paint background: symmetry about a pivot, repeats, lines
    if _adds_only(ctx):
        pivots: list[int | str] = ["fewest", "most", "symmetric"]
        for c in ctx.colours_in():
            if all((g == c).any() and c != background(g) for g in ctx.inputs):
                pivots.append(c)
        for pivot in pivots:
            prims += [mirror_about(pivot, kind, bg) for kind in ("lr", "ud", "lrud")]
        for axis in ("rows", "cols"):
            for gap in (0, 1):
                prims += [repeat_content(axis, gap, both, bg) for both in (False, True)]
        prims += [cross_lines(meet, bg) for meet in painted]
        prims += [lines_to_largest(view) for view in views if not view.multi]
        singles = [c for c in ctx.colours_in() if all(np.count_nonzero(g == c) == 1 for g in ctx.inputs)]
        prims += [bounce(c) for c in singles]
        for a in singles:
            for b in singles:
                if a != b:
                    prims += [elbow(a, b, first, p) for first in ("row", "col") for p in painted if p not in (a, b)]
    # 3. moves: by the object's own size and sorted bars keep the number of non-background cells
    if all(np.count_nonzero(i != background(i)) == np.count_nonzero(o != background(i)) for i, o in pairs):
        for view in views[:1]:
            prims += [move_by_size(view, d) for d in ("up", "down", "left", "right")]
        prims += [sort_bars(align, bg) for align in ("left", "right")]
    prims += [attach_to_own_colour(view) for view in views[:1] if not view.multi]
    for view in views[:1]:
        if view.multi:
            continue
        for c in ctx.colours_in():             # a wall colour: present in every input, never changed
            if all((i == c).any() and c != background(i) and ((i == c) == (o == c)).all() for i, o in pairs):
                prims.append(reflect_across(view, c))
    # 4. recolouring inside another colour's box: the one colour that changes, the one it becomes
    changed = sorted({int(c) for i, o in pairs for c in np.unique(i[i != o])})
    if len(changed) == 1 and len(painted) == 1:
        for box in ctx.colours_in():
            if box not in changed and all((g == box).any() for g in ctx.inputs):
                prims.append(recolour_in_box(box, changed[0], painted[0]))
    # 5. separator blocks, of a colour every input shares or each grid's own
    for sep in _separators(ctx):
        prims += [fill_blocks(sep, pick, bg) for pick in ("most", "fewest")]
        prims += [copy_blocks(sep, src, paint, bg) for src in ("most", "first") for paint in ("own", "sep")]
    if all(grid_separator(g) is not None for g in ctx.inputs):
        prims += [copy_blocks(None, src, paint, bg) for src in ("most", "first") for paint in ("own", "sep")]
    return [p for p in prims if agrees(p, ctx)]
