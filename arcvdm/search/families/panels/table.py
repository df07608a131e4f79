"""Panel truth tables (``panels.py`` theme 1): the output has the shape of one panel, each cell's colour read
from a table learned from the demonstrations, keyed by which panels are filled at that cell or by the
panels' colours there; a panel may be mirrored first (a fold).
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from arcvdm.grids import Grid
from arcvdm.search.dsl import Primitive, TaskContext, grids_key
from arcvdm.search.families.panels.cut import SPLITS, panel_boxes

TABLE_KEYS = ("mask", "colour")
# how a panel is turned before it is read: the mirrors a fold uses
PANEL_TURNS: dict[str, Callable[[Grid], Grid]] = {
    "id": lambda p: p,
    "lr": lambda p: p[:, ::-1],
    "ud": lambda p: p[::-1, :],
    "rot180": lambda p: p[::-1, ::-1],
}
UNSEEN = 255  # a table entry no demonstration filled


# --- 1. panel truth table ------------------------------------------------------------------------------

def same_shape_panels(grid: Grid, mode: str) -> list[Grid] | None:
    """The panels of ``grid`` cut by ``mode`` (``panel_boxes``) when there are at most 4, else None."""
    boxes = panel_boxes(grid, mode)
    if boxes is None or len(boxes) > 4:
        return None
    return [grid[r0:r1, c0:c1] for r0, r1, c0, c1 in boxes]


def cell_codes(panels: list[Grid], key: str, turns: tuple[str, ...]) -> np.ndarray:
    """One integer per cell naming what the panels hold there: a bit per filled panel (``key="mask"``) or
    the panels' colours as base-10 digits (``key="colour"``). Panel i is turned by ``turns[i]`` first."""
    code = np.zeros(panels[0].shape, dtype=np.int32)
    for i, p in enumerate(panels):
        q = PANEL_TURNS[turns[i]](p)
        if key == "mask":
            code += (q != 0).astype(np.int32) << i
        else:
            code += q.astype(np.int32) * (10 ** i)
    return code


def table_size(key: str, n_panels: int) -> int:
    return (1 << n_panels) if key == "mask" else 10 ** n_panels


def _entry_options(panels: list[Grid], wanted: Grid, key: str) -> np.ndarray:
    """For each cell, the table entries that give its wanted colour, as a bit set: bit c for the fixed
    colour c, and (``key="mask"`` only) bit 10 + i for "the colour of panel i at this cell"."""
    options = np.left_shift(1, wanted.astype(np.int64))
    if key == "mask":
        for i, p in enumerate(panels):
            options |= (p == wanted).astype(np.int64) << (10 + i)
    return options


def _first_entry(options: int, filled: list[int]) -> int:
    """The entry a bit set of options stands for: the colour of a panel filled at those cells first (it
    carries over to colours the demonstrations never showed), then the lowest fixed colour."""
    for entry in [10 + i for i in filled] + list(range(10)):
        if options >> entry & 1:
            return entry
    raise ValueError("an empty set of table entries")


def learn_table(ctx: TaskContext, mode: str, key: str, turns: tuple[str, ...]) -> np.ndarray | None:
    """The table entry for each cell code, read from the demonstrations: a fixed colour 0-9, or 10 + i for
    the colour of panel i; None when a demonstration does not cut into panels of its output's shape or
    no entry gives every cell of some code its colour."""
    n = len(turns)
    allowed = np.full(table_size(key, n), (1 << (10 + n)) - 1, dtype=np.int64)
    seen = np.zeros(table_size(key, n), dtype=bool)
    for i, o in zip(ctx.train_inputs, ctx.train_outputs):
        panels = same_shape_panels(i, mode)
        if panels is None or len(panels) != n:
            return None
        turned = [PANEL_TURNS[t](p) for t, p in zip(turns, panels)]
        if any(p.shape != o.shape for p in turned):
            return None
        codes = cell_codes(panels, key, turns).ravel()
        options = _entry_options(turned, o, key).ravel()
        np.bitwise_and.at(allowed, codes, options)       # every cell of a code must agree on one entry
        seen[codes] = True
    if (allowed[seen] == 0).any():
        return None
    table = np.full(table_size(key, n), UNSEEN, dtype=np.int32)
    for code in np.nonzero(seen)[0].tolist():
        filled = [k for k in range(n) if key == "mask" and code >> k & 1]
        table[code] = _first_entry(int(allowed[code]), filled)
    return table


def table_text(table: np.ndarray, key: str, n_panels: int) -> str:
    """The learned table as readable text: ``"01>3 11>p0"`` (filled panels as bits, panel 0 first; ``p0``:
    panel 0's own colour) or ``"40>3"`` (the panels' colours, panel 0 first)."""
    entries = []
    for code, entry in enumerate(table.tolist()):
        if entry == UNSEEN:
            continue
        if key == "mask":
            digits = "".join(str((code >> i) & 1) for i in range(n_panels))
        else:
            digits = "".join(str((code // 10 ** i) % 10) for i in range(n_panels))
        entries.append(f"{digits}>{entry if entry < 10 else f'p{entry - 10}'}")
    return " ".join(entries)


def panel_table(mode: str, key: str, turns: tuple[str, ...], table: np.ndarray) -> Primitive:
    """Cut the grid into ``len(turns)`` same-shaped panels by ``mode``, turn panel i by ``turns[i]``, and
    colour each output cell by the table entry of its cell code (``cell_codes``): a fixed colour, or
    (10 + i) panel i's colour at that cell. None when the grid does not cut so, or a cell's code is not
    in the table."""
    n = len(turns)
    lookup = table.astype(np.int32)
    fixed = np.arange(10, dtype=np.uint8)[:, None, None]

    def fn(grid: Grid) -> Grid | None:
        panels = same_shape_panels(grid, mode)
        if panels is None or len(panels) != n:
            return None
        entries = lookup[cell_codes(panels, key, turns)]
        if (entries == UNSEEN).any():
            return None
        if entries.max() < 10:
            return entries.astype(np.uint8)
        turned = np.stack([PANEL_TURNS[t](p) for t, p in zip(turns, panels)])
        choices = np.concatenate([np.broadcast_to(fixed, (10,) + turned.shape[1:]), turned])
        return np.take_along_axis(choices, entries[None], axis=0)[0].astype(np.uint8)

    turned_text = "" if all(t == "id" for t in turns) else ", turns=" + "/".join(turns)
    return Primitive(f"panel_table({mode}, {key}{turned_text}: {table_text(table, key, n)})", fn)


def _turn_choices(n: int) -> list[tuple[str, ...]]:
    """Panel turns to try: none, then (two panels only) the second panel mirrored, as in a fold."""
    choices = [("id",) * n]
    if n == 2:
        for t in ("lr", "ud", "rot180"):
            choices.append(("id", t))
    return choices


def _table_candidates(ctx: TaskContext) -> list[Primitive]:
    """Panel truth tables that reproduce every demonstration and cover every test input."""
    prims: list[Primitive] = []
    seen: set[tuple] = set()
    for mode in SPLITS:
        first = same_shape_panels(ctx.train_inputs[0], mode)
        if first is None or first[0].shape != ctx.train_outputs[0].shape:
            continue  # cheap rejection: the first demonstration's panels must have its output's shape
        for turns in _turn_choices(len(first)):
            for key in TABLE_KEYS:
                table = learn_table(ctx, mode, key, turns)
                if table is None:
                    continue
                prim = panel_table(mode, key, turns, table)
                answers = [prim(t) for t in ctx.test_inputs]
                if any(a is None for a in answers):
                    continue
                answer_key = grids_key(answers)
                if answer_key in seen:
                    continue  # the same answers as a simpler table already offered
                seen.add(answer_key)
                prims.append(prim)
                break  # the mask key explains it: the colour key would only memorise more
    return prims
