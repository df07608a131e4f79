"""Pattern completion: pictures that are symmetric or periodic except where something hides them.

Each theme is fitted against the demonstrations inside the family, so a task gets only the few primitives
that reproduce every demonstration (usually none), and at most MAX_PARTIAL that do part of the job right
(every cell they change takes its output colour), for the search to finish:

- **symmetry anywhere** (``symmetry.py``) — the picture is a mirror image of itself about a
  vertical, horizontal or diagonal axis, or turns onto itself by a half or quarter turn, about an axis or
  centre that may lie anywhere in the grid (half-way between cells too), found from the known cells: of each
  kind, the axis/centre under which the most known cells land on known cells of their own colour, and none
  on another colour (counted for every axis at once by FFT correlation). Every symmetry found is applied
  until the hidden cells are filled (``sym_complete(rot, hole=0)``). The output is the whole completed
  picture, or only what lay under the hiding rectangle (``sym_complete_hidden``).
- **lattice** (``lattice.py``) — the picture repeats along two lattice vectors that need not be the
  grid's axes (rows that shift by some cells each period: bricks, diagonals). The smallest lattice whose
  classes the known cells agree on fills every hidden cell (``lattice_fill(hole=0)``); a noisy variant lets
  up to NOISE of the cells disagree with their class's majority, and ``lattice_repair`` gives every cell its
  class's majority colour.
- **continued patterns** (``patterns.py``) — a band of rows or columns drawn on part of the grid is
  continued over all of it (``lattice_continue`` from the smallest lattice, ``band_repeat`` edge to edge); a
  short run of colours in a row or column repeats along the whole line (``extend_runs``); rows drawn only at
  their start are finished like a full template row under a colour renaming (``rows_like_template``); a tile
  that every demonstration output repeats is laid under the drawn cells (``learned_pattern``).
- **grown shapes** (``symmetry.py``) — the background is not hidden, but a shape is incomplete: it
  is united with its image under the symmetry found as above, the new cells in their image colour or in one
  paint colour learned from the demonstrations (``sym_grow(rot, paint=2)``).

What hides the picture (the **hole**) is chosen from the demonstrations: a colour present in every input
whose cells are fewer in every output, or per grid the ``cover``: the one colour whose cells form one solid
rectangle. The hole helpers the themes share (with the ``auto`` hole and the crop to the hole's box) live in
``holes.py``.

This module holds the ``complete`` family, which gathers the themes' candidates in a fixed order, keeps
those that reproduce the demonstrations (or are partly right); the primitives are imported from their
theme files.
"""

from __future__ import annotations

import numpy as np

from arcvdm.search.dsl import Primitive, TaskContext, answers_key, reproduces
from arcvdm.search.facts import background, same_size
from arcvdm.search.families.complete.holes import _hole_mask, cover_colour
from arcvdm.search.families.complete.lattice import NOISE, lattice_fill, lattice_repair
from arcvdm.search.families.complete.patterns import (
    AXES,
    _learn_tile,
    band_repeat,
    extend_runs,
    lattice_continue,
    learned_pattern,
    rows_like_template,
)
from arcvdm.search.families.complete.symmetry import GROUPS, sym_complete, sym_complete_objects, sym_grow

MAX_PRIMS = 10
MAX_PARTIAL = 3  # primitives offered as a first step that is only partly right

# --- the family -------------------------------------------------------------------------------------------------

def _hole_choices(ctx: TaskContext) -> list[int | str]:
    """Fixed hole colours (in every input, fewer in every output) and ``cover`` where the demonstrations
    change only cells of a solid rectangle of one colour."""
    holes = set(range(10))
    for grid in ctx.inputs:
        holes &= {int(c) for c in np.unique(grid)}
    for gi, go in zip(ctx.train_inputs, ctx.train_outputs):
        holes = {c for c in holes if int((go == c).sum()) < int((gi == c).sum())}
    choices: list[int | str] = sorted(holes)
    if all(cover_colour(g) is not None for g in ctx.inputs):
        choices.append("cover")
    if not choices and _one_changed_colour_each(ctx):
        choices.append("auto")  # the hole's colour changes from grid to grid
    return choices


def _one_changed_colour_each(ctx: TaskContext) -> bool:
    """Every demonstration changes cells of exactly one input colour (not the background), whose cells are
    all changed or the output has another shape."""
    for gi, go in zip(ctx.train_inputs, ctx.train_outputs):
        if gi.shape != go.shape:
            continue
        changed = gi != go
        colours = np.unique(gi[changed])
        if colours.size != 1 or colours[0] == background(gi) or (changed != (gi == colours[0])).any():
            return False
    return True


def _changes_somewhere(ctx: TaskContext) -> bool:
    """Every demonstration changes some cells."""
    return all(not np.array_equal(gi, go) for gi, go in zip(ctx.train_inputs, ctx.train_outputs))


def _paints_background(ctx: TaskContext) -> bool:
    """Every demonstration paints some background cells."""
    for gi, go in zip(ctx.train_inputs, ctx.train_outputs):
        bg = background(gi)
        if not ((gi == bg) & (go != bg)).any():
            return False
    return True


def _hidden_shape(ctx: TaskContext, hole: int | str) -> bool:
    """Every demonstration output has the shape of the hole's bounding box."""
    for gi, go in zip(ctx.train_inputs, ctx.train_outputs):
        mask = _hole_mask(gi, hole)
        if mask is None:
            return False
        ys, xs = np.nonzero(mask)
        if go.shape != (ys.max() - ys.min() + 1, xs.max() - xs.min() + 1):
            return False
    return True


def _new_colours(ctx: TaskContext) -> list[int]:
    """Colours in every demonstration output and in no input."""
    out = set(range(10))
    for go in ctx.train_outputs:
        out &= {int(c) for c in np.unique(go)}
    for gi in ctx.inputs:
        out -= {int(c) for c in np.unique(gi)}
    return sorted(out)


def _candidates(ctx: TaskContext) -> list[Primitive]:
    prims: list[Primitive] = []
    if same_size(ctx):
        if _changes_somewhere(ctx):
            for hole in _hole_choices(ctx):
                for group in GROUPS:
                    prims.append(Primitive(f"sym_complete({group}, hole={hole})",
                                           lambda g, k=group, c=hole: sym_complete(g, k, c)))
                if isinstance(hole, int):
                    for group in ("mirror", "all"):
                        prims.append(Primitive(f"sym_complete_objects({group}, hole={hole})",
                                               lambda g, k=group, c=hole: sym_complete_objects(g, k, c)))
                prims.append(Primitive(f"lattice_fill(hole={hole})", lambda g, c=hole: lattice_fill(g, c)))
                prims.append(Primitive(f"lattice_fill(hole={hole}, noisy)",
                                       lambda g, c=hole: lattice_fill(g, c, noise=NOISE)))
            prims.append(Primitive("lattice_repair", lattice_repair))
        if _paints_background(ctx):
            for axis in AXES:
                prims.append(Primitive(f"lattice_continue({axis})", lambda g, a=axis: lattice_continue(g, a)))
                prims.append(Primitive(f"band_repeat({axis})", lambda g, a=axis: band_repeat(g, a)))
            prims.append(Primitive("extend_runs", extend_runs))
            prims.append(Primitive("rows_like_template", rows_like_template))
            tile = _learn_tile(ctx)
            if tile is not None:
                prims.append(learned_pattern(tile))
            for group in GROUPS:
                for paint in [None] + _new_colours(ctx):
                    paint_text = "same" if paint is None else paint
                    prims.append(Primitive(f"sym_grow({group}, paint={paint_text})",
                                           lambda g, k=group, c=paint: sym_grow(g, k, c)))
    else:
        for hole in _hole_choices(ctx):
            if not _hidden_shape(ctx, hole):
                continue
            for group in GROUPS:
                prims.append(Primitive(f"sym_complete_hidden({group}, hole={hole})",
                                       lambda g, k=group, c=hole: sym_complete(g, k, c, hidden=True)))
            prims.append(Primitive(f"lattice_fill_hidden(hole={hole})",
                                   lambda g, c=hole: lattice_fill(g, c, hidden=True)))
            prims.append(Primitive(f"lattice_fill_hidden(hole={hole}, noisy)",
                                   lambda g, c=hole: lattice_fill(g, c, hidden=True, noise=NOISE)))
    return prims


def partly_right(prim: Primitive, ctx: TaskContext) -> bool:
    """A first step of a longer program (the search may finish the job): on every demonstration ``prim``
    changes some cells and every cell it changes takes its output colour (same-size tasks), or it gives a
    grid of the output's shape (other-size tasks: the hidden part, still to be turned or recoloured)."""
    for gi, go in zip(ctx.train_inputs, ctx.train_outputs):
        got = prim(gi)
        if got is None:
            return False
        if gi.shape != go.shape:
            if got.shape != go.shape:
                return False
            continue
        if got.shape != gi.shape:
            return False
        changed = got != gi
        if not changed.any() or (got[changed] != go[changed]).any():
            return False
    return True


def complete_family(ctx: TaskContext) -> list[Primitive]:
    """Symmetry and lattice completion fitted to the demonstrations: primitives that reproduce every
    demonstration, or, when there are none, (at most MAX_PARTIAL) primitives that are partly right (see
    ``partly_right``); each must apply to every test input and give answers no primitive kept before gives."""
    whole, partial, answers = [], [], set()
    for prim in _candidates(ctx):
        if prim.name.replace(", noisy)", ")") in {p.name for p in whole}:
            continue  # the exact lattice already explains the demonstrations
        if reproduces(prim, ctx):
            keep = whole
        elif len(partial) < MAX_PARTIAL and partly_right(prim, ctx):
            keep = partial
        else:
            continue
        key = answers_key(prim, ctx.test_inputs)
        if None in key:
            continue
        if key in answers:
            continue  # the same answers as a primitive already kept
        answers.add(key)
        keep.append(prim)
        if len(whole) >= MAX_PRIMS:
            break
    # first steps cost search time on every state: offered only when no primitive does the whole job
    return whole if whole else partial
