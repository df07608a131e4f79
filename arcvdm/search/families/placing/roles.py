"""Role stamps (``placing.py`` lists the themes): a stamp learned around small multi-colour markers whose
colours vary between demonstrations, each stamp cell naming the marker cell whose colour it takes
(``learn_role_stamps``), painted around every marker of its kind (``stamp_roles``): a cross grows its arms
in its own colours.
"""

from __future__ import annotations

import numpy as np

from arcvdm.grids import Grid
from arcvdm.search.dsl import Primitive, TaskContext
from arcvdm.search.objects import Obj, View, objects_of

# --- 5. stamps whose colours are the marker's own -------------------------------------------------------------

# A marker kind: (height, width, packed mask, colour pattern: each cell's colour renamed by first appearance).
Kind = tuple[int, int, bytes, bytes]
# A role stamp: relative (dy, dx) -> ("cell", y, x): the colour of the marker's cell (y, x), or ("colour", c, 0).
RoleStamp = dict[tuple[int, int], tuple[str, int, int]]

MAX_MARKER_BOX = 16   # a marker's box holds at most this many cells
MAX_MARKERS = 40      # more objects than this on a grid: not a marker task


def _kind(obj: Obj) -> Kind:
    """The marker's shape and which of its cells share a colour (not the colours themselves)."""
    values = obj.patch[obj.mask].tolist()
    rename: dict[int, int] = {}
    pattern = bytes(rename.setdefault(v, len(rename)) for v in values)
    return obj.height, obj.width, obj.shape_key, pattern


def _markers(grid: Grid, view: View) -> list[Obj] | None:
    objs = objects_of(grid, view)
    if not objs or len(objs) > MAX_MARKERS:
        return None
    return [o for o in objs if o.box_area <= MAX_MARKER_BOX]


def learn_role_stamps(ctx: TaskContext, view: View, radius: int) -> dict[Kind, RoleStamp]:
    """For each marker kind seen with different colours, the cells within ``radius`` of its box that every
    demonstration paints with the colour of one same cell of the marker (or, failing that, one same
    colour), kept where some demonstration changes that cell; a kind gets a stamp only when some cell
    takes a marker's colour."""
    options: dict[Kind, dict[tuple[int, int], set]] = {}
    changed: dict[Kind, set[tuple[int, int]]] = {}
    palettes: dict[Kind, set[bytes]] = {}
    for i, o in zip(ctx.train_inputs, ctx.train_outputs):
        markers = _markers(i, view)
        if markers is None:
            return {}
        h, w = i.shape
        for m in markers:
            kind = _kind(m)
            palettes.setdefault(kind, set()).add(m.patch[m.mask].tobytes())
            cells, moved = options.setdefault(kind, {}), changed.setdefault(kind, set())
            colour_cells: dict[int, set] = {}
            for y, x in zip(*np.nonzero(m.mask)):
                colour_cells.setdefault(int(m.patch[y, x]), set()).add(("cell", int(y), int(x)))
            for y in range(m.top - radius, m.bottom + radius):
                for x in range(m.left - radius, m.right + radius):
                    if not (0 <= y < h and 0 <= x < w):
                        continue
                    rel = (y - m.top, x - m.left)
                    c = int(o[y, x])
                    here = colour_cells.get(c, set()) | {("colour", c, 0)}
                    cells[rel] = cells[rel] & here if rel in cells else here
                    if o[y, x] != i[y, x]:
                        moved.add(rel)
    stamps: dict[Kind, RoleStamp] = {}
    for kind, cells in options.items():
        if len(palettes[kind]) < 2:              # one palette only: a literal stamp (copying) says it
            continue
        stamp = {}
        for rel, roles in cells.items():
            if rel in changed[kind] and roles:
                stamp[rel] = min(roles)          # "cell" sorts before "colour": the marker's own colour first
        # a stamp of fixed colours only is a literal stamp (copying) or an eraser: not this rule
        if any(how == "cell" for how, _, _ in stamp.values()):
            stamps[kind] = stamp
    return stamps


def stamp_roles(view: View, radius: int, stamps: dict[Kind, RoleStamp]) -> Primitive:
    """Paint each marker kind's learned role stamp around every marker of that kind, each cell in the
    colour of the marker cell it names (or its fixed colour); parts off the grid are dropped."""

    def fn(grid: Grid) -> Grid | None:
        markers = _markers(grid, view)
        if markers is None:
            return None
        out = grid.copy()
        h, w = grid.shape
        for m in markers:
            stamp = stamps.get(_kind(m))
            if stamp is None:
                continue
            for (dy, dx), (how, a, b) in stamp.items():
                y, x = m.top + dy, m.left + dx
                if 0 <= y < h and 0 <= x < w:
                    out[y, x] = m.patch[a, b] if how == "cell" else a
        return out

    text = "; ".join(f"{k[0]}x{k[1]}:" + " ".join(f"{dy},{dx}:" + (f"@{a},{b}" if how == "cell" else str(a))
                                                 for (dy, dx), (how, a, b) in sorted(st.items()))
                     for k, st in sorted(stamps.items()))
    return Primitive(f"stamp_roles({view.text}, r={radius}, {text})", fn)
