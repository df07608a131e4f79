"""Symmetry anywhere and grown shapes, primitives of the ``complete`` family (``complete.py`` lists the
themes): the mirror axes (vertical, horizontal, diagonal) and the centres of half and quarter turns under
which a picture's known cells land on known cells of their own colour, found anywhere in the grid by FFT
correlation (``all_symmetries``); hidden cells filled from them (``sym_complete``, per object in
``sym_complete_objects``); a shape united with its images (``sym_grow``).
"""

from __future__ import annotations

import functools

import numpy as np

from arcvdm.grids import Grid
from arcvdm.search.facts import background
from arcvdm.search.families.complete.holes import _hole_mask, auto_fill, crop_box
from arcvdm.search.objects import label

MIN_SHARE = 0.3  # a symmetry must pair at least this share of the known cells (fixed points excluded)

# --- transforms: a kind and an integer parameter give the image (TY, TX) of every cell (Y, X) -------------

MIRROR_KINDS = ("lr", "ud", "diag", "anti")
TURN_KINDS = ("rot180", "rot90")
KINDS = MIRROR_KINDS + TURN_KINDS
GROUPS = {
    "mirror": ("lr", "ud"),
    "diag": ("diag", "anti"),
    "rot": ("rot180", "rot90"),
    "all": KINDS,
}


def _image(kind: str, a: int, b: int, ys: np.ndarray, xs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where the cells (ys, xs) go under the transform ``kind`` with parameters ``a``, ``b``:

    lr: column j -> a - j (axis at a/2); ud: row i -> a - i; diag: (i, j) -> (j + a, i - a) (mirror about the
    line i - j = a); anti: (i, j) -> (a - j, a - i) (about i + j = a); rot180: (i, j) -> (a - i, b - j) (centre
    (a/2, b/2)); rot90: (i, j) -> (j + a, b - i) (a quarter turn about ((a+b)/2, (b-a)/2)).
    """
    if kind == "lr":
        return ys, a - xs
    if kind == "ud":
        return a - ys, xs
    if kind == "diag":
        return xs + a, ys - a
    if kind == "anti":
        return a - xs, a - ys
    if kind == "rot180":
        return a - ys, b - xs
    if kind == "rot90":
        return xs + a, b - ys
    raise ValueError(f"unknown symmetry kind {kind!r}; choose one of {KINDS}")


@functools.lru_cache(maxsize=512)
def _parameter_array(kind: str, h: int, w: int) -> np.ndarray:
    """_parameters as an (n, 2) integer array (cached: the search meets few grid sizes)."""
    return np.array(_parameters(kind, h, w), dtype=np.int64).reshape(-1, 2)


def _parameters(kind: str, h: int, w: int) -> list[tuple[int, int]]:
    """Every parameter of ``kind`` whose axis or centre lies within the grid."""
    if kind == "lr":
        return [(a, 0) for a in range(0, 2 * w - 1)]
    if kind == "ud":
        return [(a, 0) for a in range(0, 2 * h - 1)]
    if kind == "diag":
        return [(a, 0) for a in range(-(w - 1), h)]
    if kind == "anti":
        return [(a, 0) for a in range(0, h + w - 1)]
    if kind == "rot180":
        return [(a, b) for a in range(0, 2 * h - 1) for b in range(0, 2 * w - 1)]
    # rot90 about (cy, cx): a = cy - cx, b = cy + cx, whole numbers with the centre inside the grid
    # (a centre half-way between cells when a + b is odd)
    return [(a, b) for b in range(0, h + w - 1) for a in range(-(w - 1), h)
            if 0 <= a + b <= 2 * (h - 1) and 0 <= b - a <= 2 * (w - 1)]


def _fixed_points(known: np.ndarray, kind: str, params: np.ndarray) -> np.ndarray:
    """How many known cells each transform of ``kind`` (parameters (n, 2)) leaves in place."""
    h, w = known.shape
    a, b = params[:, 0], params[:, 1]
    if kind in ("lr", "ud"):
        sums = known.sum(axis=0 if kind == "lr" else 1)
        out = np.zeros(len(params), dtype=np.int64)
        even = a % 2 == 0
        out[even] = sums[a[even] // 2]
        return out
    if kind in ("diag", "anti"):
        ys, xs = np.nonzero(known)
        key = ys - xs + (w - 1) if kind == "diag" else ys + xs
        counts = np.bincount(key, minlength=h + w - 1)
        return counts[a + (w - 1) if kind == "diag" else a].astype(np.int64)
    if kind == "rot180":
        cy, cx = a // 2, b // 2
        ok = (a % 2 == 0) & (b % 2 == 0)
    else:  # rot90 turns about ((a + b) / 2, (b - a) / 2)
        cy, cx = (a + b) // 2, (b - a) // 2
        ok = (a + b) % 2 == 0
    out = np.zeros(len(params), dtype=np.int64)
    out[ok] = known[cy[ok], cx[ok]]
    return out


def _correlations(planes: list[np.ndarray], h: int, w: int, kinds: tuple[str, ...]) -> dict[str, np.ndarray]:
    """For 0/1 planes (one per colour; their pair counts are summed) the number of cells landing on a cell of
    the same plane under every transform of each of ``kinds``, by FFT: mirrors along one axis are 1-D
    convolutions of a row (column) with itself; the other kinds are 2-D convolutions or correlations of the
    plane with its transpose (diag, anti), itself (rot180) or its transpose turned upside down (rot90)."""
    size = (2 * max(h, w), 2 * max(h, w))
    acc = {k: 0 for k in kinds}
    for m in planes:
        fm = np.fft.rfft2(m, size) if set(kinds) - {"lr", "ud"} else None
        ft = np.fft.rfft2(m.T, size) if "diag" in kinds or "anti" in kinds else None
        if "rot180" in kinds:
            acc["rot180"] = acc["rot180"] + fm * fm
        if "anti" in kinds:
            acc["anti"] = acc["anti"] + ft * fm
        if "diag" in kinds:
            acc["diag"] = acc["diag"] + np.conj(ft) * fm
        if "rot90" in kinds:
            acc["rot90"] = acc["rot90"] + np.fft.rfft2(m.T[::-1, :], size) * fm
        if "lr" in kinds:
            rows = np.fft.rfft(m, 2 * w, axis=1)
            acc["lr"] = acc["lr"] + (rows * rows).sum(axis=0)
        if "ud" in kinds:
            cols = np.fft.rfft(m, 2 * h, axis=0)
            acc["ud"] = acc["ud"] + (cols * cols).sum(axis=1)
    out = {}
    for kind, spectrum in acc.items():
        if kind == "lr":
            out[kind] = np.rint(np.fft.irfft(spectrum, 2 * w)).astype(np.int64)
        elif kind == "ud":
            out[kind] = np.rint(np.fft.irfft(spectrum, 2 * h)).astype(np.int64)
        else:
            out[kind] = np.rint(np.fft.irfft2(spectrum, size)).astype(np.int64)
    return out


def _lookup(table: np.ndarray, kind: str, params: np.ndarray, h: int, w: int) -> np.ndarray:
    """The counts of ``table`` (from _correlations) for each parameter of ``kind``."""
    a, b = params[:, 0], params[:, 1]
    if kind in ("lr", "ud"):
        return table[a]
    n0, n1 = table.shape
    if kind == "diag":  # (i, j) -> (j + a, i - a): the transpose moved by (a, -a)
        return table[a % n0, (-a) % n1]
    if kind == "anti":
        return table[a, a]
    if kind == "rot180":
        return table[a, b]
    return table[a + (w - 1), b]  # rot90: the transposed plane was turned upside down


_SYMMETRY_CACHE: dict[tuple[bytes, str], tuple[int, int] | None] = {}
SYMMETRY_CACHE_SIZE = 8192  # entries kept before the cache is emptied (bounds memory)


def all_symmetries(grid: Grid, known: np.ndarray, kinds: tuple[str, ...] = KINDS) -> dict[str, tuple[int, int] | None]:
    """For each of ``kinds``, the parameter under which the most known cells land on a known cell of the
    same colour (cells left in place not counted), with none landing on another colour; None for a kind
    whose best pairs fewer than MIN_SHARE of the known cells. Ties go to the first parameter in order.
    Results are cached by grid, known cells and kind (the search calls the same grids again under many
    primitives)."""
    key = bytes(grid.shape) + grid.tobytes() + np.packbits(known).tobytes()
    if len(_SYMMETRY_CACHE) > SYMMETRY_CACHE_SIZE:
        # emptied before asking what is missing: emptying it between the two lost the kinds already known
        _SYMMETRY_CACHE.clear()
    missing = tuple(kind for kind in kinds if (key, kind) not in _SYMMETRY_CACHE)
    if missing:
        h, w = grid.shape
        n_known = int(known.sum())
        need = max(1, int(MIN_SHARE * n_known))
        for kind in missing:
            _SYMMETRY_CACHE[(key, kind)] = None
        if n_known:
            planes = [(known & (grid == c)).astype(np.float64) for c in np.unique(grid[known]).tolist()]
            same = _correlations(planes, h, w, missing)
            pairs = _correlations([known.astype(np.float64)], h, w, missing)
            for kind in missing:
                params = _parameter_array(kind, h, w)
                if len(params) == 0:
                    continue
                agree = _lookup(same[kind], kind, params, h, w)
                clash = _lookup(pairs[kind], kind, params, h, w) - agree
                score = agree - _fixed_points(known, kind, params)
                score[(clash != 0) | (score < need)] = -1
                best = int(np.argmax(score))
                if score[best] >= 0:
                    _SYMMETRY_CACHE[(key, kind)] = (int(params[best, 0]), int(params[best, 1]))
    return {kind: _SYMMETRY_CACHE[(key, kind)] for kind in kinds}


def _spread(out: Grid, known: np.ndarray, transforms: list[tuple[str, int, int]]) -> None:
    """Give unknown cells the colour of a known cell that a transform maps them to (or from), repeatedly,
    until nothing changes; ``out`` and ``known`` are updated in place."""
    h, w = out.shape
    ys_all, xs_all = np.indices((h, w))
    for _ in range(8):
        changed = False
        for kind, a, b in transforms:
            for inverse in (False, True):
                ty, tx = _image(kind, a, b, ys_all, xs_all)
                if inverse and kind == "rot90":
                    # the inverse quarter turn: apply the turn three times
                    for _turn in range(2):
                        ty, tx = _image(kind, a, b, ty, tx)
                elif inverse:
                    continue  # mirrors and half turns are their own inverses
                inside = (ty >= 0) & (ty < h) & (tx >= 0) & (tx < w)
                ty_c, tx_c = np.clip(ty, 0, h - 1), np.clip(tx, 0, w - 1)
                take = ~known & inside & known[ty_c, tx_c]
                if take.any():
                    out[take] = out[ty_c[take], tx_c[take]]
                    known |= take
                    changed = True
        if not changed or known.all():
            return


def symmetries(grid: Grid, known: np.ndarray, kinds: tuple[str, ...]) -> list[tuple[str, int, int]]:
    """The best symmetry of each kind in ``kinds`` (those found)."""
    best = all_symmetries(grid, known, kinds)
    return [(kind, best[kind][0], best[kind][1]) for kind in kinds if best[kind] is not None]


# --- symmetry completion ---------------------------------------------------------------------------------------

def _sym_fill(grid: Grid, group: str, mask: np.ndarray) -> tuple[Grid, bool] | None:
    """The grid with the ``mask`` cells filled from the best symmetries of ``group``, and whether every one
    of them was filled; None when no symmetry is found."""
    known = ~mask
    found = symmetries(grid, known, GROUPS[group])
    if not found:
        return None
    out = grid.copy()
    _spread(out, known, found)
    return out, bool(known.all())


def sym_complete(grid: Grid, group: str, hole: int | str, hidden: bool = False) -> Grid | None:
    """Fill the ``hole`` cells (a colour, ``"cover"``, or ``"auto"``: see auto_hole) from the best symmetries
    of the kinds in ``group`` (a key of GROUPS). A hole cell whose images are all hidden too keeps the hole
    colour (the hole colour may also be part of the picture, e.g. its background); with ``hidden`` (and with
    ``auto``) every hole cell must be filled, and ``hidden`` returns only the part under the hole's bounding
    box. None when no symmetry is found or fills nothing."""
    if hole == "auto":
        def fill_all(mask: np.ndarray) -> Grid | None:
            got = _sym_fill(grid, group, mask)
            return got[0] if got is not None and got[1] else None

        return auto_fill(grid, fill_all, hidden)
    mask = _hole_mask(grid, hole)
    if mask is None:
        return None
    got = _sym_fill(grid, group, mask)
    if got is None:
        return None
    out, all_filled = got
    if hidden:
        return crop_box(out, mask) if all_filled else None
    return out if not np.array_equal(out, grid) or all_filled else None


def sym_complete_objects(grid: Grid, group: str, hole: int) -> Grid | None:
    """``sym_complete`` for each object on its own: every 8-connected group of non-background cells (hole
    cells included) is completed from the best symmetries of its own bounding box, so shapes with different
    axes are each repaired. None when the hole is the background or no hole cell is filled."""
    bg = background(grid)
    if hole == bg or not (grid == hole).any():
        return None
    labels, n = label(grid, bg, conn=8, multi=True)
    out = grid.copy()
    filled_any = False
    for k in range(n):
        ys, xs = np.nonzero(labels == k)
        y0, y1, x0, x1 = ys.min(), ys.max() + 1, xs.min(), xs.max() + 1
        mine = labels[y0:y1, x0:x1] == k
        box = np.where(mine, grid[y0:y1, x0:x1], bg).astype(np.uint8)
        hidden = mine & (box == hole)
        if not hidden.any():
            continue
        known = ~hidden
        found = symmetries(box, known, GROUPS[group])
        if not found:
            continue
        _spread(box, known, found)
        done = hidden & known
        if done.any():
            out[y0:y1, x0:x1][done] = box[done]
            filled_any = True
    return out if filled_any else None


def sym_grow(grid: Grid, group: str, paint: int | None) -> Grid | None:
    """The shape (every non-background cell) united with its images under the best symmetries of ``group``:
    background cells a symmetry maps onto the shape take the shape's colour there, or ``paint``. None when
    no symmetry adds a cell."""
    bg = background(grid)
    known = grid != bg
    if not known.any():
        return None
    found = symmetries(grid, known, GROUPS[group])
    if not found:
        return None
    out = grid.copy()
    grown = known.copy()
    _spread(out, grown, found)
    new = grown & ~known
    if not new.any():
        return None
    if paint is not None:
        out[new] = paint
    return out
