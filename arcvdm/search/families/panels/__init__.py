"""Panels: a grid cut into panels (at separator lines or into equal parts), and outputs computed from them.

1. **panel truth table** (``table.py``) — the output has the shape of one panel; each output cell's
   colour is read from a table learned from the demonstrations, keyed by what the 2 to 4 panels hold at that
   cell: either which panels are filled (cell != 0), or the panels' colours themselves. Fixed boolean
   combinations (``parts.combine``) cover and/or/xor in one colour; the learned table also covers a colour per
   truth combination and priority overlays ("where the left panel is 4 and the right one is empty, write 3").
   A panel may be mirrored first (a fold), the mirror learned from the demonstrations too.
2. **joined blocks** (``lattice.py``) — a separator lattice of equal blocks read at block level: the
   same cell of every block forms a small grid (one cell per block), and two blocks holding one colour at that
   cell in a block row or column colour the blocks between them. With single-colour blocks this joins
   same-coloured blocks by bars of blocks; with patterned blocks it completes a pattern cell by cell.
3. **panel copies** (``copies.py``) — same-size outputs where some panels become a copy of the source
   panel (the one with the most non-zero cells) turned by a symmetry learned per panel position (mirrored
   halves, a panel rotated once per step along a strip).
4. **a panel as a map of the lattice** (``lattice.py``) — in an R x C lattice of R x C blocks, one
   block (the sparsest or the fullest) says, cell by cell, what each block becomes (filled in that cell's
   colour, or a copy of the map); or the block holding a marker colour moves to the block its marker points
   at.
5. **a shape drawn per map cell** (``copies.py``) — two panels, one a single-colour shape, the other a
   colour map: the shape is drawn once per map cell in that cell's colour (a fractal made of two panels).
6. **any cell rule at block level** (``lift.py``) — a lattice of single-colour blocks is read as one
   cell per block (a lattice of patterned blocks: one small grid per cell position inside the blocks; a grid
   of equal single-colour blocks without separators: one cell per block), and every other family's primitives
   are fitted to the demonstrations read so (stamps, copies, lines at block level), each wrapped to paint its
   result back.
7. **panels painted by place** (``lattice.py``) — whole panels filled with a colour chosen by their
   place in the lattice (first, middle or last row and column of panels: the corners, the centre), learned per
   colour.

Panels are cut at the lines of one separator colour (``panel_separator``: a non-zero colour wins over
empty lines of 0) or into 2, 3 or 4 equal parts (``long2``: halves across the longer side, for tasks
whose grids lie either way). The family fits each rule against the demonstrations and offers only the
few primitives that reproduce every demonstration and apply to every test input, so a task outside the
theme gets none (at most ``MAX_PRIMS``).

The cutting helpers every theme shares live in ``cut.py``; this module holds the ``panels``
family, which gathers each theme's candidates in the order above (the painting by place just before
the rules at block level) and drops repeated answers; the primitives are imported from their theme files.
"""

from __future__ import annotations

from arcvdm.search.dsl import Primitive, TaskContext, drop_repeated
from arcvdm.search.families.panels.copies import _copy_candidates, _shape_map_candidates
from arcvdm.search.families.panels.lattice import _join_candidates, _map_candidates, _paint_candidates
from arcvdm.search.families.panels.lift import _lifted_candidates
from arcvdm.search.families.panels.table import _table_candidates

MAX_PRIMS = 8


# --- the family ----------------------------------------------------------------------------------------------


def panels_family(ctx: TaskContext) -> list[Primitive]:
    """Panel rules fitted to the demonstrations: only those that reproduce every demonstration."""
    prims = _table_candidates(ctx)
    prims += _join_candidates(ctx)
    prims += _copy_candidates(ctx)
    prims += _map_candidates(ctx)
    prims += _shape_map_candidates(ctx)
    prims += _paint_candidates(ctx)
    prims += _lifted_candidates(ctx)
    # the same rule found twice (a lattice join and a line rule at block level) is offered once
    return drop_repeated(prims, ctx.test_inputs)[:MAX_PRIMS]
