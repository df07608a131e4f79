"""Outputs of another size: lists and counts of the input drawn small, scaling by a count, crops to a
frame or a colour's box, lattices summarised by a learned table, odd pieces out, keyed shapes, gathered
and overlaid pieces.

This module holds the ``extract`` family, which gathers each theme's candidates in the order below; the
primitives live by theme in ``counts.py`` (1-3: colour lists, counts, scaling by a count),
``crops.py`` (4, 8, 12: frames, a colour's box and shrinking, the richest object and two colours
swapped), ``lattice.py`` (5-6: lattice tables, object colours in learned slots) and
``pieces.py`` (7, 9-11: the odd piece out, keyed shapes, gathered and overlaid pieces), with the
helpers they share (when a family applies, fit tests, the counts of a grid) in ``common.py``.

Every family here offers nothing when each demonstration output has its input's shape, and reads the
demonstrations to keep its list short:

1. ``colour_list`` / ``colour_bars``: the input's colours, ordered by a rule (how many cells or objects,
   where they first appear), drawn as a row, a column, or bars whose length is the count. Offered only
   when they reproduce every demonstration (so small an output is a final step, never an intermediate).
2. ``count_order``: a count (cells, colours, objects) drawn by filling the first n cells of a fixed-size
   grid, in the order the demonstrations reveal (each larger count's cells hold the smaller's); and
   ``count_row`` / ``count_col`` drawn in the input's own colour. Offered only when they reproduce
   every demonstration.
3. ``scale_by`` / ``tile_by``: the grid scaled up or tiled k times, k a count of the input that varies
   between demonstrations (fixed factors are in ``geometry.py``). Offered when the sizes agree.
4. ``crop_frame``: a rectangle outlined by one colour (its four sides complete), chosen by a rule, cut
   out with or without its border. Offered when the cut has the output's size in every demonstration.
   ``fit_into_frame``: the cells outside the frame, cut to their box, scaled up to fill its inside.
5. ``lattice_table``: each cell of a lattice (pieces between separator lines, or equal blocks) becomes one
   output cell, its colour looked up from a feature of the piece (how many filled cells, which colours,
   its pattern) in a table learned from the demonstrations.
6. ``serialise``: the objects' colours, in order of their columns or rows, written into the cells of a
   fixed-size output in an order of slots learned from the demonstrations (row by row, a snake, ...).
7. ``odd_part``: of the pieces a grid splits into (``parts.split``), the one piece that has (or lacks) a
   mirror symmetry all the others lack (or have). Offered when the piece has the output's size.
8. ``crop_colour_box``: the bounding box of every cell of one colour (corner marks, a frame drawn in
   pieces), with or without its outer ring; ``shrink``: a grid made of k x k single-colour blocks drawn
   with one cell per block, k the largest that fits (the factor may differ from grid to grid).
9. ``key_mask``: a one-colour shape (the largest object) coloured by a small multi-colour key (the other
   cells, separator lines left out) whose size divides the shape's: the key scaled up under the shape
   (``up``), or the shape's k x k blocks, scaled down, over the key (``down``).
10. ``gather``: the windows of the output's size centred on every cell of a marker colour, laid on top
    of each other (pieces scattered around markers assembled into one); ``overlay_corners``: the four
    corner windows of the output's size laid on top of each other. Offered when they reproduce every
    demonstration.
11. ``overlay_priority``: same-shaped pieces (``parts.split``) laid on top of each other, each cell
    taking the colour that ranks highest in an order of colours learned from the demonstrations.
12. ``crop_richest``: the object (any view of ``objects.task_views``) holding the most (or fewest) cells of
    one colour, cut to its box; ``swap_two``: the two colours of a two-colour grid exchanged (a cut-out
    drawn in reverse). Offered when the cut fits every output's size / the outputs have two colours.
"""

from __future__ import annotations

from arcvdm.search.dsl import Primitive, TaskContext
from arcvdm.search.facts import same_size
from arcvdm.search.families.extract.counts import _count_candidates, _list_candidates, _scale_candidates
from arcvdm.search.families.extract.crops import _box_candidates, _frame_candidates, _richest_candidates
from arcvdm.search.families.extract.lattice import _lattice_candidates, _serial_candidates
from arcvdm.search.families.extract.pieces import (
    _gather_candidates,
    _key_candidates,
    _odd_part_candidates,
    _priority_candidates,
)


def extract_family(ctx: TaskContext) -> list[Primitive]:
    """Colour lists, counts, scaling by a count and frame crops, for tasks whose outputs change size."""
    if same_size(ctx):
        return []
    prims = _list_candidates(ctx)
    prims += _count_candidates(ctx)
    prims += _scale_candidates(ctx)
    prims += _frame_candidates(ctx)
    prims += _lattice_candidates(ctx)
    prims += _serial_candidates(ctx)
    prims += _odd_part_candidates(ctx)
    prims += _box_candidates(ctx)
    prims += _key_candidates(ctx)
    prims += _gather_candidates(ctx)
    prims += _priority_candidates(ctx)
    prims += _richest_candidates(ctx)
    return prims
