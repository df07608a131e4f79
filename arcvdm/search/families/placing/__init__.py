"""Same-size tasks that place objects relative to other objects: moved towards, into or next to them,
mirrored at a marker, repeated towards markers, or stamped (turned, scaled, recoloured) at markers.

1. ``step_towards`` (``moves.py``): every object of one colour (or every object, drawn to one
   colour) moves one step, or steps until it touches, towards the nearest object of another colour,
   diagonally when that object lies off both its rows and columns; a straight move may leave a full line
   of a new colour along its trailing side, and an object drawn in may take its target's colour.
2. ``fit_into_frame`` (``moves.py``): the cells of one colour mark the corners (or the outline) of
   a frame; everything else moves, rigidly, to the middle of the frame's inside.
3. ``stretch_to_marker`` (``moves.py``): a lone cell of one colour in line with an object's box
   pulls the box's far edge onto it; the lines in between repeat the box's line next to that edge (a bar
   grows longer).
4. ``stamp_template`` (``templates.py``): multi-colour objects of three or more cells at scale 1
   are templates; their minority ("anchor") colours are the markers. Wherever the grid holds a template's
   anchor cells in some rotation / reflection and scale 1-4, the rest of the template is painted around
   them, in the colour of the marker's other cells when it has some (a partial copy names its colour).
   Where the anchors do not say the turn, the template is painted as it is, or in a turn learned per
   anchor colour from the demonstrations.
5. ``stamp_roles`` (``roles.py``): a stamp learned around multi-colour markers whose colours vary
   between demonstrations, each stamp cell naming the marker cell whose colour it takes (a cross grows its
   arms).
6. ``repeat_to_border`` (``copies.py``): the largest object is a shape and each other object a
   marker in some direction; copies of the shape in the marker's colour run from the marker to the border.
7. ``fit_into_holes`` (``copies.py``): the nearest object with the exact shape (optionally turned)
   of an enclosed background hole moves into it (a jigsaw piece into its slot).
8. ``mirror_at_marker`` (``copies.py``): an object whose marker-coloured cells form one edge line
   of its box is reflected across that line (the marker line becomes the mirror's first line).
9. ``snap_onto`` (``moves.py``): lone cells move onto the nearest cells of the largest object,
   which take their colours.
10. ``slide_along_connector`` (``moves.py``): a block with a one-cell-wide straight tail drops the
    tail and moves along it to where it ended.

Each primitive edits a copy of its input and returns a grid of its shape (unchanged where it finds
nothing to do: a demonstration may already be done), or None where it does not apply. The family
offers nothing unless every demonstration keeps its input's shape, binds colours from the
demonstrations (the moving colour, the marker that disappears, the frame colour that stays), and offers
a primitive only when nearly every cell it changes on the demonstrations takes its output colour
(``facts.agrees``): no primitive on most tasks, at most a few.

The box and cell helpers the themes share live in ``boxes.py``; this module holds the ``placing``
family, which gathers the themes' candidates in a fixed order and drops repeated answers; the primitives
are imported from their theme files.
"""

from __future__ import annotations

import numpy as np

from arcvdm.search.dsl import Primitive, TaskContext, drop_repeated
from arcvdm.search.facts import agrees, same_size, task_background
from arcvdm.search.families.placing.copies import fit_into_holes, mirror_at_marker, repeat_to_border
from arcvdm.search.families.placing.moves import (
    fit_into_frame,
    slide_along_connector,
    snap_onto,
    step_towards,
    stretch_to_marker,
)
from arcvdm.search.families.placing.roles import learn_role_stamps, stamp_roles
from arcvdm.search.families.placing.templates import learn_turns, stamp_template
from arcvdm.search.objects import View

AGREE_SHARE = 0.8    # a primitive is offered when this share of the cells it changes take their output colour


# --- the family -----------------------------------------------------------------------------------------

def _changed_colours(ctx: TaskContext) -> list[int]:
    """Colours whose cells differ between some demonstration input and its output (gained or lost)."""
    found: set[int] = set()
    for i, o in zip(ctx.train_inputs, ctx.train_outputs):
        diff = i != o
        found |= {int(c) for c in np.unique(i[diff])} | {int(c) for c in np.unique(o[diff])}
    return sorted(found)


def placing_family(ctx: TaskContext) -> list[Primitive]:
    """Steps towards the nearest object, shapes centred in a frame, objects stretched or mirrored at a
    marker, templates and role stamps at markers, pieces fitted into holes, lone cells snapped onto an
    anchor, blocks pulled along their connector and shapes repeated to the border; each kept only when
    it agrees with the demonstrations. (Moves by an object's size, reflections across a wall and about a
    pivot are in ``arrange/moves.py`` / ``arrange/symmetry.py``; slides until contact in ``moving``.)"""
    if not ctx.train_inputs or not same_size(ctx):
        return []
    pairs = list(zip(ctx.train_inputs, ctx.train_outputs))
    bg = task_background(ctx)
    colours = [c for c in ctx.colours_in() if c != bg]
    moved = [c for c in _changed_colours(ctx) if c in colours]
    new = [c for c in ctx.colours_out() if c not in ctx.colours_in()]
    new = new if len(new) == 1 else []          # one colour the outputs bring: a line left behind
    prims: list[Primitive] = []
    single, multi = View(8, False, bg), View(8, True, bg)
    if len(moved) <= 3:
        for c in moved:
            prims += [step_towards(single, c, "step"), step_towards(single, c, "touch")]
            prims += [step_towards(single, c, "touch", behind=n) for n in new]
    # a marker that pulls an object is covered by it: fewer of its cells in every output
    for c in colours:
        if all(np.count_nonzero(o == c) < np.count_nonzero(i == c) for i, o in pairs):
            prims += [stretch_to_marker(multi, c), mirror_at_marker(multi, c)]
    # objects drawn into a colour that gains cells in every demonstration, taking its colour
    for c in colours:
        if all(np.count_nonzero(o == c) > np.count_nonzero(i == c) for i, o in pairs):
            prims.append(step_towards(single, None, "touch", adopt=True, target=c))
    # a frame colour never changes: its cells stay where they are
    for c in colours:
        if c not in moved and len(colours) >= 2:
            prims.append(fit_into_frame(c, bg))
    template = stamp_template(multi)
    prims += [template, stamp_template(multi, partial=True)]
    if agrees(template, ctx):                 # half right: fixed turns per anchor colour may do the rest
        turns = learn_turns(ctx, multi)
        if turns:
            prims.append(stamp_template(multi, turns))
    for view in (single, View(4, False, bg)):
        prims += [fit_into_holes(view), fit_into_holes(view, turned=True)]
    prims.append(snap_onto(single))
    prims.append(slide_along_connector(View(4, False, bg)))
    prims += [repeat_to_border(single, mode) for mode in ("nearest", "gap0", "gap1")]
    previous: dict = {}
    for radius in (1, 2):
        stamps = learn_role_stamps(ctx, multi, radius)
        if stamps and stamps != previous:        # a wider window that learns nothing more: skipped
            prims.append(stamp_roles(multi, radius, stamps))
        previous = stamps
    # two views or variants that give the same grids on every input of the task are offered once
    return drop_repeated([p for p in prims if agrees(p, ctx, AGREE_SHARE)], ctx.inputs)
