"""Path primitives for same-size tasks: lines and rays that interact with what they meet.

Every rule's parameters (source colours, directions, paint colours, modes) are read from the
demonstrations. A primitive is offered only when every cell it changes takes its output colour in every
demonstration (and it changes some); when some primitive reproduces the demonstrations alone, only such
primitives are offered (one per distinct test answer), else at most ``MAX_PARTIAL`` as steps of longer
programs. Most tasks get none. ``lines.py`` already draws plain rays and lines between same-coloured
cells; the rules here add, in the order of the numbered sections of the theme files (the file named
after each rule holds it):

- **line ends** (``rays.py``) — a cell with exactly one neighbour of its colour (the end of a
  diagonal or straight segment, a tail sticking out of a block; or, with ``any_colour``, one
  non-background neighbour: a marker stuck to an object) shoots a ray away from that neighbour, in its
  own colour or a learned one; at an obstacle it stops, passes (``through``) or reflects (``bounce``: a
  diagonal ray bouncing off a wall), and it ends at the border.
- **patterned rays** (``rays.py``) — rays from single cells whose colours repeat a short learned
  pattern along the way (5, then the source colour, then 5 again...).
- **turning rays** (``rays.py``) — a ray runs straight until the border or an obstacle, then turns
  90 degrees and runs on until it is blocked (rays drawn earlier block later ones). **Sidestepping
  rays** — a ray that meets an obstacle steps one cell aside and carries on in its direction
  (``around``: and steps back to its line once past the obstacle).
- **seed trails** (``repeats.py``) — from each seed cell a small motif stamped again and again
  along a learned step until it leaves the grid (staircases, zigzags), on one side of the seed or on two.
- **bridges** (``fills.py``) — the background between two objects, row by row (or column by
  column) where they face each other, filled with a learned colour (or the objects' own); ``trim`` leaves
  the outermost rows of the facing part. **Clear lines** — rows or columns that run clear across a
  frame, from one non-background border run to the other, filled with a learned colour.
- **tiled runs** (``repeats.py``) — a row or column whose only cells are one run of several
  colours repeats that run periodically to both borders. **Wall rays** (``aimed.py``) — rays from
  cells of a colour towards the nearest wall (a full row or column of one colour), stopping next to it,
  or away from it; the way is learned per colour. **Border rays** (``aimed.py``) do the same with
  the nearest border of the grid.
- **meeting rays** (``fills.py``) — two cells of different colours facing each other across the
  background each reach halfway; the middle cell of an odd gap takes a learned colour.
- **checker flood** (``fills.py``) — the background corridors reached from two seed colours (a
  cell and its neighbours) painted in those colours alternately, so every path from the seed alternates.
- **crossing rays** (``aimed.py``) — rays from rare seed cells through every region to the
  border, each cell taking the colour of the seeds of the region it lies in (a beam that changes colour
  from region to region); the only rule offered for tasks that do not mostly paint the background, with
  border lines.
- **stripes** (``repeats.py``) — a few seed cells evenly spaced along an axis become full lines,
  and the progression (spacing and colour cycle) continues to the far border.
- **border lines** (``fills.py``) — rows and columns whose two border cells match, in a colour seen
  only on the border, drawn across (the rest kept, or cleared).
- **leaks** (``fills.py``) — a box outline with an opening on one side is filled with a learned
  colour that runs out of the opening as rays (``spread``: fanning out diagonally from the opening's
  ends as well).
- **corner rays** (``aimed.py``) — diagonal rays from the outer corners of objects (a staircase
  has several), in the corner's colour, the grid's rarest or other colour, or a learned one; ``clear``:
  only the rays that reach the border unblocked.
- **spirals** (``repeats.py``) — an empty grid gets a square spiral in a learned colour, clockwise
  from the top-left corner (the search's transposed view gives the anticlockwise one). **Rings** — three
  evenly spaced seed cells give square rings around the middle one, as far apart as the seeds.
- **smears** (``repeats.py``) — an object of two colours, one a learned marker colour, is stamped
  again and again in its other colour, from its centre towards each marker cell, as a thick trail to the
  border.
- **shifting rays** (``aimed.py``) — rays from cells on one border across the grid, shifting one
  cell away from each marker met on a side border.

The themes: ``rays.py`` (sections 1-3: rays that bend, bounce or repeat a pattern),
``repeats.py`` (4, 6 first half, 10, 14, 15: things repeated along the grid), ``fills.py``
(5, 7, 8, 11, 12: background filled between or inside things), ``aimed.py`` (6 second half, 9, 13,
16: rays aimed by what surrounds their sources); the helpers they share live in ``common.py``.
This module holds the ``paths`` family, which gathers the themes' candidates in section order and offers
those that make only right changes (``_offer``); the primitives are imported from their theme files.
"""

from __future__ import annotations

import numpy as np

from arcvdm.search.dsl import Primitive, TaskContext, answers_key, reproduces
from arcvdm.search.facts import agrees, painted_colours, same_size, task_background
from arcvdm.search.families.paths.aimed import (
    _border_candidates,
    _corner_candidates,
    _crossing_candidates,
    _wall_candidates,
    shifting_rays,
)
from arcvdm.search.families.paths.fills import _fill_candidates, border_lines, checker_flood, leak, meet_halfway
from arcvdm.search.families.paths.rays import _extend_candidates, _pattern_candidates, _turn_candidates
from arcvdm.search.families.paths.repeats import (
    _seed_candidates,
    rings,
    smear_to_markers,
    spiral,
    stripes,
    tile_runs,
)

MAX_PRIMS = 10        # primitives offered per task, at most
ADDS_SHARE = 0.75     # share of changed cells that must be background cells painted, for any rule
MAX_PARTIAL = 4       # ... when none reproduces the demonstrations alone (steps of longer programs)


# --- helpers --------------------------------------------------------------------------------------------

def _offer(candidates: list[Primitive], ctx: TaskContext) -> list[Primitive]:
    """Candidates that alone reproduce the demonstrations or, when none does, those that make only right
    changes (a step of a longer program); names kept unique and the list kept short."""
    exact, partial, seen = [], [], set()
    kept_answers: set[tuple] = set()
    for prim in candidates:
        if prim.name in seen:
            continue
        seen.add(prim.name)
        if not agrees(prim, ctx, share=1.0, everywhere=True):
            continue
        if not reproduces(prim, ctx):
            partial.append(prim)
            continue
        answers = answers_key(prim, ctx.test_inputs)
        if answers not in kept_answers:         # same answers as one kept: nothing new to offer
            kept_answers.add(answers)
            exact.append(prim)
    return exact[:MAX_PRIMS] if exact else partial[:MAX_PARTIAL]   # one that reproduces is enough


# --- the family -----------------------------------------------------------------------------------------

def _mostly_adds(ctx: TaskContext, bg: int) -> bool:
    """The demonstrations mostly paint background cells (paths are drawn on the background; a few other
    changes, such as a source cell recoloured, are left to another step of the program)."""
    changed = on_background = 0
    for i, o in zip(ctx.train_inputs, ctx.train_outputs):
        diff = i != o
        changed += int(np.count_nonzero(diff))
        on_background += int(np.count_nonzero(i[diff] == bg))
    return changed > 0 and on_background >= ADDS_SHARE * changed


def paths_family(ctx: TaskContext) -> list[Primitive]:
    """The rules of the module docstring, each offered only when every cell it changes is right in every
    demonstration (and only those that reproduce them when some do); crossing rays, which recolour
    regions, only for tasks that do not mostly paint the background."""
    if not same_size(ctx):
        return []
    bg = task_background(ctx)
    if bg is None:
        bg = 0      # object colours outnumber the background somewhere: 0 is the usual background
    if not _mostly_adds(ctx, bg):
        return _offer(_crossing_candidates(ctx) + [border_lines(True, bg)], ctx)
    painted = painted_colours(ctx)
    if not painted:
        return []
    if len(painted) > 3:      # many colours painted: mostly their sources' colours; fixed paints are new ones
        painted = [c for c in painted if c not in ctx.colours_in()][:2]
    candidates = _extend_candidates(ctx, bg, painted)                  # sections 1 to 16, in order
    candidates += _pattern_candidates(ctx, bg)
    candidates += _turn_candidates(ctx, bg)
    candidates += _seed_candidates(ctx, bg)
    candidates += _fill_candidates(ctx, bg, painted)
    candidates += [tile_runs(axes, bg) for axes in ("row", "col", "both")]
    candidates += _wall_candidates(ctx, bg)
    candidates += _border_candidates(ctx, bg)
    candidates += [meet_halfway(axes, m, bg) for m in painted for axes in ("row", "col", "both")]
    candidates.append(checker_flood(bg))
    candidates += [stripes(axis, bg) for axis in ("rows", "cols", "long")]
    candidates.append(border_lines(False, bg))
    candidates += [leak(paint, spread, bg) for paint in painted for spread in (False, True)]
    candidates += _corner_candidates(ctx, bg, painted)
    if all((i == i[0, 0]).all() for i in ctx.inputs):
        candidates += [spiral(paint) for paint in painted]
    candidates.append(rings(bg))
    candidates += [smear_to_markers(c, bg) for c in ctx.colours_in() if c != bg]
    candidates += [shifting_rays(a, m, bg) for a in painted for m in ctx.colours_in() if m not in (a, bg)]
    return _offer(candidates, ctx)
