"""Any cell rule at block level (``panels.py`` theme 6): a grid read as small grids (``lift``: one cell per
single-colour block, one small grid per cell position of patterned blocks, one cell per block of a
scaled grid, or each panel), every other family fitted to the task read so, and each fitted primitive
wrapped to paint its result back (``at_lift``).
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from arcvdm.grids import Grid
from arcvdm.search.dsl import Primitive, TaskContext, grids_key, reproduces
from arcvdm.search.families.panels.cut import lattice_index, separator_boxes

# --- 6. any cell rule applied at block level --------------------------------------------------------------

MAX_LIFTED = 3
MAX_POSITIONS = 6        # ``cells``: at most this many cell positions in a block (small grids per grid)
MAX_SMALL_DEMOS = 24     # a lifted task with more small demonstrations is not fitted (family time)
MAX_PANELS = 9          # ``panels``: at most this many panels
LIFTS = ("blocks", "cells", "scaled", "panels")
Reader = Callable[[Grid], "list[Grid] | None"]
Writer = Callable[[list[Grid]], Grid]


def _lattice_cells(grid: Grid, index: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    """The lattice's block cells as an (R, bh, C, bw) array: [i, y, j, x] is cell (y, x) of block (i, j)."""
    rows, cols = index
    cells = grid[np.ix_(rows.ravel(), cols.ravel())]
    return cells.reshape(rows.shape[0], rows.shape[1], cols.shape[0], cols.shape[1])


def _largest_repeat(grid: Grid) -> int | None:
    """The largest k >= 2 such that the grid's rows come in groups of k equal rows, or None."""
    h = grid.shape[0]
    if h < 2 or not (grid[0] == grid[1]).all():
        return None                                      # cheap rejection: the first two rows differ
    for k in range(h, 1, -1):
        if h % k == 0 and (grid == np.repeat(grid[::k], k, axis=0)).all():
            return k
    return None


def _scale_factors(grid: Grid) -> tuple[int, int] | None:
    """The largest (ky, kx), both at least 2, such that the grid is made of ky x kx single-colour blocks
    (rows in groups of ky equal rows, columns in groups of kx equal columns); None when there are none."""
    ky = _largest_repeat(grid)
    if ky is None:
        return None
    kx = _largest_repeat(grid.T)
    return None if kx is None else (ky, kx)


def lift(grid: Grid, kind: str) -> tuple[list[Grid], Reader, Writer] | None:
    """The grid read as small grids, with a reader (any grid of the same geometry read the same way, or
    None when it does not conform) and a writer (small grids painted back into this grid). ``kind``:
    ``blocks`` — a separator lattice of single-colour blocks, one cell per block; ``cells`` — a
    separator lattice of equal patterned blocks, one small grid per cell position inside a block (cell
    (y, x) of every block); ``scaled`` — a grid made of equal single-colour blocks without separators;
    ``panels`` — each panel between separator lines, of any shape. None when the grid does not read
    that way."""
    if kind == "scaled":
        factors = _scale_factors(grid)
        if factors is None:
            return None
        ky, kx = factors

        def read_scaled(other: Grid) -> list[Grid] | None:
            small = np.ascontiguousarray(other[::ky, ::kx])
            if other.shape != grid.shape or not (other == small.repeat(ky, axis=0).repeat(kx, axis=1)).all():
                return None
            return [small]

        def write_scaled(results: list[Grid]) -> Grid:
            return np.ascontiguousarray(results[0].repeat(ky, axis=0).repeat(kx, axis=1))

        return read_scaled(grid), read_scaled, write_scaled
    if kind == "panels":
        return _lift_panels(grid)
    if kind not in LIFTS:
        raise ValueError(f"unknown lift {kind!r}; choose one of {LIFTS}")
    index = lattice_index(grid)
    if index is None:
        return None
    rows, cols = index
    if rows.shape[0] * cols.shape[0] < 4 or (kind == "cells" and rows.shape[1] * cols.shape[1] > MAX_POSITIONS):
        return None             # too few blocks to read a rule from, or too many small grids to fit one
    in_blocks = np.zeros(grid.shape, dtype=bool)
    in_blocks[np.ix_(rows.ravel(), cols.ravel())] = True
    uniform = bool((_lattice_cells(grid, index) == _lattice_cells(grid, index)[:, :1, :, :1]).all())
    if uniform != (kind == "blocks"):
        return None             # single-colour blocks read as blocks, patterned ones cell by cell

    def read_lattice(other: Grid) -> list[Grid] | None:
        if other.shape != grid.shape or not np.array_equal(other[~in_blocks], grid[~in_blocks]):
            return None                                  # separators moved or recoloured
        cells = _lattice_cells(other, index)
        if kind == "blocks":
            if not (cells == cells[:, :1, :, :1]).all():
                return None                              # paint inside a block: no block rule
            return [np.ascontiguousarray(cells[:, 0, :, 0])]
        return [np.ascontiguousarray(cells[:, y, :, x])
                for y in range(rows.shape[1]) for x in range(cols.shape[1])]

    def write_lattice(results: list[Grid]) -> Grid:
        cells = _lattice_cells(grid, index).copy()
        if kind == "blocks":
            cells[...] = results[0][:, None, :, None]
        else:
            for k, small in enumerate(results):
                cells[:, k // cols.shape[1], :, k % cols.shape[1]] = small
        out = grid.copy()
        out[np.ix_(rows.ravel(), cols.ravel())] = cells.reshape(rows.size, cols.size)
        return out

    return read_lattice(grid), read_lattice, write_lattice


def _lift_panels(grid: Grid) -> tuple[list[Grid], Reader, Writer] | None:
    """``lift`` for ``kind="panels"``: each panel between separator lines (``separator_boxes``, any shapes)
    is one small grid."""
    boxes = separator_boxes(grid)
    if boxes is None or not 2 <= len(boxes) <= MAX_PANELS:
        return None
    in_panels = np.zeros(grid.shape, dtype=bool)
    for r0, r1, c0, c1 in boxes:
        in_panels[r0:r1, c0:c1] = True
    if len(np.unique(grid[~in_panels])) != 1 or (grid[in_panels] == grid[~in_panels][0]).any():
        return None       # lines of a colour that also fills cells inside panels: a background, no separator

    def read_panels(other: Grid) -> list[Grid] | None:
        if other.shape != grid.shape or not np.array_equal(other[~in_panels], grid[~in_panels]):
            return None                                  # separators moved or recoloured
        return [np.ascontiguousarray(other[r0:r1, c0:c1]) for r0, r1, c0, c1 in boxes]

    def write_panels(results: list[Grid]) -> Grid:
        out = grid.copy()
        for (r0, r1, c0, c1), small in zip(boxes, results):
            out[r0:r1, c0:c1] = small
        return out

    return read_panels(grid), read_panels, write_panels


def at_lift(kind: str, inner: Primitive) -> Primitive:
    """``inner`` applied to each small grid the grid reads as (``lift``), the results painted back. None
    when the grid does not read that way or ``inner`` does not apply or changes a small grid's shape."""

    def fn(grid: Grid) -> Grid | None:
        lifted = lift(grid, kind)
        if lifted is None:
            return None
        smalls, _, write = lifted
        results = []
        for small in smalls:
            result = inner(small)
            if result is None or result.shape != small.shape:
                return None
            results.append(result)
        return write(results)

    return Primitive(f"at_{kind}({inner.name})", fn)


def lifted_context(ctx: TaskContext, kind: str) -> TaskContext | None:
    """The task read as small grids (``lift``): a demonstration gives one small demonstration per small
    grid, its output read with its input's geometry; None when some grid does not read that way."""
    inputs: list[Grid] = []
    outputs: list[Grid] = []
    for i, o in zip(ctx.train_inputs, ctx.train_outputs):
        lifted = lift(i, kind)
        if lifted is None:
            return None
        smalls, read, _ = lifted
        wanted = read(o)
        if wanted is None:
            return None
        inputs += smalls
        outputs += wanted
    tests: list[Grid] = []
    for t in ctx.test_inputs:
        lifted = lift(t, kind)
        if lifted is None:
            return None
        tests += lifted[0]
    return TaskContext(tuple(inputs), tuple(outputs), tuple(tests))


_lifting = {"active": False}   # set while other families are fitted on a lifted task


def _fitted_inner(lifted: TaskContext) -> list[tuple[int, int, Primitive, bytes]]:
    """Other families' primitives that map every small demonstration exactly, with their answers' key.
    Nothing while a lift is already being fitted (a family that calls every family, as this one does,
    would otherwise lift lifted grids again)."""
    if _lifting["active"]:
        return []
    _lifting["active"] = True
    try:
        return _fit_every_family(lifted)
    finally:
        _lifting["active"] = False


def _fit_every_family(lifted: TaskContext) -> list[tuple[int, int, Primitive, bytes]]:
    from arcvdm.search.registry import FAMILIES  # here: the registry imports this family

    found: list[tuple[int, int, Primitive, bytes]] = []
    for name, make in FAMILIES.items():
        if name.startswith("panels"):
            continue                                     # no lattice inside a lattice
        try:
            for inner in make(lifted):
                if not reproduces(inner, lifted):
                    continue
                answers = [inner(t) for t in lifted.test_inputs]
                if any(a is None for a in answers):
                    continue
                key = grids_key(answers)
                found.append((len(inner.name), len(found), inner, key))
        except Exception:  # noqa: BLE001 - another family on tiny lifted grids: a failure there only
            continue       # means it offers nothing at block level, never that this task's search stops
    return found


def _lifted_candidates(ctx: TaskContext) -> list[Primitive]:
    """Every other family's primitives that map the lifted demonstrations exactly (a one-primitive
    program at block level), wrapped by ``at_lift``: at most ``MAX_LIFTED`` with different answers,
    shortest name first (the name lists what the primitive learned: a shorter one memorised less)."""
    first = ctx.train_inputs[0]
    if first.shape != ctx.train_outputs[0].shape:
        return []
    prims: list[Primitive] = []
    for kind in LIFTS:
        if lift(first, kind) is None:
            continue                                     # cheap rejection before lifting every grid
        lifted = lifted_context(ctx, kind)
        if lifted is None or len(lifted.train_inputs) > MAX_SMALL_DEMOS:
            continue
        if all(np.array_equal(i, o) for i, o in zip(lifted.train_inputs, lifted.train_outputs)):
            continue                                     # nothing changes at that level
        seen: set[tuple] = set()
        for _, _, inner, key in sorted(_fitted_inner(lifted), key=lambda f: (f[0], f[1])):
            if key not in seen and len(prims) < MAX_LIFTED:
                seen.add(key)
                prims.append(at_lift(kind, inner))
    return prims
