"""Pattern completion: pictures that are symmetric or periodic except where something hides them.

Each theme is fitted against the demonstrations inside the family, so a task gets only the few primitives
that reproduce every demonstration (usually none), and at most MAX_PARTIAL that do part of the job right
(every cell they change takes its output colour), for the search to finish:

- **symmetry anywhere** — the picture is a mirror image of itself about a vertical, horizontal or diagonal
  axis, or turns onto itself by a half or quarter turn, about an axis or centre that may lie anywhere in the
  grid (half-way between cells too), found from the known cells: of each kind, the axis/centre under which
  the most known cells land on known cells of their own colour, and none on another colour (counted for
  every axis at once by FFT correlation). Every symmetry found is applied until the hidden cells are filled
  (``sym_complete(rot, hole=0)``). The output is the whole completed picture, or only what lay under the
  hiding rectangle (``sym_complete_hidden``).
- **lattice** — the picture repeats along two lattice vectors that need not be the grid's axes (rows that
  shift by some cells each period: bricks, diagonals). The smallest lattice whose classes the known cells
  agree on fills every hidden cell (``lattice_fill(hole=0)``); a noisy variant lets up to NOISE of the cells
  disagree with their class's majority, and ``lattice_repair`` gives every cell its class's majority colour.
- **continued patterns** — a band of rows or columns drawn on part of the grid is continued over all of it
  (``lattice_continue`` from the smallest lattice, ``band_repeat`` edge to edge); a short run of colours in
  a row or column repeats along the whole line (``extend_runs``); rows drawn only at their start are
  finished like a full template row under a colour renaming (``rows_like_template``); a tile that every
  demonstration output repeats is laid under the drawn cells (``learned_pattern``).
- **grown shapes** — the background is not hidden, but a shape is incomplete: it is united with its image
  under the symmetry found as above, the new cells in their image colour or in one paint colour learned from
  the demonstrations (``sym_grow(rot, paint=2)``).

What hides the picture (the **hole**) is chosen from the demonstrations: a colour present in every input
whose cells are fewer in every output, or per grid the ``cover``: the one colour whose cells form one solid
rectangle.
"""

from __future__ import annotations

import functools

import numpy as np

from arcvdm.grids import Grid
from arcvdm.search.dsl import Primitive, TaskContext, background, family, reproduces
from arcvdm.search.objects import label
from arcvdm.search.select import same_size

MAX_PRIMS = 10
MAX_PARTIAL = 3  # primitives offered as a first step that is only partly right
MAX_LATTICE_CHECKS = 60  # lattices checked cell by cell before giving up (keeps a call cheap)
MIN_SHARE = 0.3  # a symmetry must pair at least this share of the known cells (fixed points excluded)
NOISE = 0.1  # the share of cells a noisy lattice may have outside their class's colour
AUTO_TRIES = 3  # colours tried as the hole of an ``auto`` hole, rarest first

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


def all_symmetries(grid: Grid, known: np.ndarray, kinds: tuple[str, ...] = KINDS) -> dict[str, tuple[int, int] | None]:
    """For each of ``kinds``, the parameter under which the most known cells land on a known cell of the
    same colour (cells left in place not counted), with none landing on another colour; None for a kind
    whose best pairs fewer than MIN_SHARE of the known cells. Ties go to the first parameter in order.
    Results are cached by grid, known cells and kind (the search calls the same grids again under many
    primitives)."""
    key = bytes(grid.shape) + grid.tobytes() + np.packbits(known).tobytes()
    missing = tuple(kind for kind in kinds if (key, kind) not in _SYMMETRY_CACHE)
    if missing:
        if len(_SYMMETRY_CACHE) > 8192:
            _SYMMETRY_CACHE.clear()
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


# --- holes ---------------------------------------------------------------------------------------------------

def cover_colour(grid: Grid) -> int | None:
    """The one colour (not the background) whose cells form one solid rectangle of at least 2 cells; None if
    no colour or several do."""
    bg = background(grid)
    found = []
    for c in np.unique(grid).tolist():
        if c == bg:
            continue
        ys, xs = np.nonzero(grid == c)
        area = (ys.max() - ys.min() + 1) * (xs.max() - xs.min() + 1)
        if ys.size == area and ys.size >= 2:
            found.append(c)
    return found[0] if len(found) == 1 else None


def _hole_mask(grid: Grid, hole: int | str) -> np.ndarray | None:
    """The cells of the hole colour (``hole``, or the grid's cover colour); None when there are none, or
    only they (``auto`` holes are chosen by the caller: None here too)."""
    colour = cover_colour(grid) if hole == "cover" else hole
    if not isinstance(colour, int):
        return None
    mask = grid == colour
    if not mask.any() or mask.all():
        return None
    return mask


def crop_box(filled: Grid, mask: np.ndarray) -> Grid:
    """The part of ``filled`` under the bounding box of ``mask``."""
    ys, xs = np.nonzero(mask)
    return filled[ys.min(): ys.max() + 1, xs.min(): xs.max() + 1].copy()


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


def auto_hole(grid: Grid, fill) -> tuple[Grid, np.ndarray] | None:
    """Per grid, the hole is the rarest non-background colour (of the AUTO_TRIES rarest) whose cells ``fill``
    (a function of the mask returning a grid with every masked cell filled, or None) can fill: (filled
    grid, hole mask)."""
    bg = background(grid)
    colours, counts = np.unique(grid, return_counts=True)
    rarest = [c for _, c in sorted(zip(counts.tolist(), colours.tolist())) if c != bg]
    for c in rarest[:AUTO_TRIES]:
        mask = grid == c
        out = fill(mask)
        if out is not None:
            return out, mask
    return None


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

        found = auto_hole(grid, fill_all)
        if found is None:
            return None
        return crop_box(found[0], found[1]) if hidden else found[0]
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


# --- lattices ----------------------------------------------------------------------------------------------------

def shift_clashes(grid: Grid, known: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For every shift (dy, dx) (indices taken modulo the arrays' shape): how many known cells (i, j) see a
    known cell (i + dy, j + dx) of another colour, and how many see a known cell at all; by FFT correlation
    of each colour's plane with itself."""
    h, w = grid.shape
    size = (2 * h, 2 * w)
    same = 0
    for c in np.unique(grid[known]).tolist():
        f = np.fft.rfft2((known & (grid == c)).astype(np.float64), size)
        same = same + np.conj(f) * f
    f = np.fft.rfft2(known.astype(np.float64), size)
    pairs = np.rint(np.fft.irfft2(f * np.conj(f), size)).astype(np.int64)
    return np.rint(np.fft.irfft2(f * np.conj(f) - same, size)).astype(np.int64), pairs


def lattice_classes(h: int, w: int, py: int, px: int, shear: int) -> np.ndarray:
    """The class of each cell under the lattice spanned by (0, px) and (py, shear): rows repeat every ``py``
    rows shifted ``shear`` columns to the right, columns every ``px``."""
    rows = np.arange(h)[:, None]
    cols = np.arange(w)[None, :]
    block = rows // py
    return (rows % py) * px + (cols - block * shear) % px


def lattice_fill_mask(grid: Grid, mask: np.ndarray, noise: float = 0.0, repair: bool = False) -> Grid | None:
    """Fill the cells of ``mask`` from the smallest lattice (fewest classes; then shorter rows) on whose
    classes the known cells agree, but for at most a ``noise`` share of them (the minority of their class),
    and whose every class holding a hidden cell is seen. Hidden cells take their class's (majority) colour;
    with ``repair`` the known cells outside the majority do too."""
    h, w = grid.shape
    known = ~mask
    n_known = int(known.sum())
    vals = grid[known].astype(np.int64)
    clashes, pairs = shift_clashes(grid, known)
    n1 = clashes.shape[1]
    # a noisy cell spoils at most two pairs of a shift
    allowed = np.floor(2 * noise * pairs).astype(np.int64)
    fits = clashes <= allowed  # the picture agrees with itself moved by (dy, dx), indices modulo the shape
    xs = [p for p in range(1, w + 1) if fits[0, p]]
    candidates = []
    most = 2 * n_known // 3  # a pattern that repeats: each class seen 1.5 times on average
    for px in xs:
        # rows repeat every py < h rows shifted by a shear: a necessary test is that the picture agrees with
        # itself moved by one lattice step down, (py, shear) and (py, shear - px)
        pys = np.arange(1, min(h - 1, most // px) + 1)
        shears = np.arange(px)
        ok = fits[np.ix_(pys, shears % n1)] & fits[np.ix_(pys, (shears - px) % n1)]
        for i, shear in zip(*np.nonzero(ok)):
            candidates.append((int(pys[i]) * px, int(pys[i]), px, int(shear)))
        if h * px <= most and px < w:
            candidates.append((h * px, h, px, 0))  # rows never repeat
    candidates.sort()
    checked = 0
    for _, py, px, shear in candidates:
        checked += 1
        if checked > MAX_LATTICE_CHECKS:
            return None  # too many near misses: no clear lattice
        n = py * px
        classes = lattice_classes(h, w, py, px, shear)
        counts = np.bincount(classes[known] * 10 + vals, minlength=n * 10).reshape(n, 10)
        if n_known - int(counts.max(axis=1).sum()) > noise * n_known:
            continue  # too many cells outside their class's colour
        table = np.where(counts.sum(axis=1) > 0, counts.argmax(axis=1), -1)
        filled = table[classes[mask]]
        if (filled < 0).any():
            continue  # a hidden cell whose class is never seen
        out = grid.copy()
        out[mask] = filled.astype(np.uint8)
        if repair:
            out[known] = table[classes[known]].astype(np.uint8)
        return out
    return None


def lattice_fill(grid: Grid, hole: int | str, hidden: bool = False, noise: float = 0.0) -> Grid | None:
    """Fill the ``hole`` cells from the smallest lattice the known cells agree on, but for a ``noise`` share
    of them (see lattice_fill_mask)."""
    if hole == "auto":
        found = auto_hole(grid, lambda m: lattice_fill_mask(grid, m, noise=noise))
        if found is None:
            return None
        return crop_box(found[0], found[1]) if hidden else found[0]
    mask = _hole_mask(grid, hole)
    if mask is None:
        return None
    out = lattice_fill_mask(grid, mask, noise=noise)
    if out is None:
        return None
    return crop_box(out, mask) if hidden else out


def lattice_repair(grid: Grid) -> Grid | None:
    """A repeating picture with some cells spoilt (at most NOISE of them): every cell takes the majority
    colour of its class in the smallest lattice that explains the rest. None when nothing changes."""
    out = lattice_fill_mask(grid, np.zeros(grid.shape, dtype=bool), noise=NOISE, repair=True)
    if out is None or np.array_equal(out, grid):
        return None
    return out


AXES = ("rows", "cols", "both")


def _block(grid: Grid, axis: str) -> tuple[int, int, int, int] | None:
    """The drawn block (first and last row, first and last column holding a non-background cell), taken
    whole along the axes not named by ``axis`` (``rows``: a band of rows; ``cols``: of columns; ``both``:
    a box); None when nothing is drawn or the block is the whole grid."""
    h, w = grid.shape
    drawn = grid != background(grid)
    rows = np.flatnonzero(drawn.any(axis=1))
    if rows.size == 0:
        return None
    cols = np.flatnonzero(drawn.any(axis=0))
    r0, r1, c0, c1 = int(rows[0]), int(rows[-1]), int(cols[0]), int(cols[-1])
    if axis == "rows":
        c0, c1 = 0, w - 1
    elif axis == "cols":
        r0, r1 = 0, h - 1
    if (r0, r1, c0, c1) == (0, h - 1, 0, w - 1):
        return None
    return r0, r1, c0, c1


def lattice_continue(grid: Grid, axis: str) -> Grid | None:
    """Continue the drawn block over the whole grid: everything outside it (rows before and after a band of
    rows, columns beside a band of columns, or all around a box, by ``axis``) is hidden and filled from
    the smallest lattice the block agrees on."""
    block = _block(grid, axis)
    if block is None:
        return None
    r0, r1, c0, c1 = block
    mask = np.ones(grid.shape, dtype=bool)
    mask[r0: r1 + 1, c0: c1 + 1] = False
    return lattice_fill_mask(grid, mask)


def band_repeat(grid: Grid, axis: str) -> Grid | None:
    """The drawn block (see ``lattice_continue``) repeated before and after itself, edge to edge."""
    block = _block(grid, axis)
    if block is None:
        return None
    r0, r1, c0, c1 = block
    h, w = grid.shape
    rows = r0 + (np.arange(h) - r0) % (r1 - r0 + 1)
    cols = c0 + (np.arange(w) - c0) % (c1 - c0 + 1)
    return grid[np.ix_(rows, cols)].copy()


def _continue_runs(out: Grid, grid: Grid, bg: int) -> bool:
    """Rows of ``grid`` whose non-background cells form one run of 2 or more cells: the run repeated along
    the whole row of ``out``, edge to edge; returns whether any row was continued."""
    any_run = False
    for y in range(grid.shape[0]):
        xs = np.flatnonzero(grid[y] != bg)
        if xs.size < 2 or xs[-1] - xs[0] + 1 != xs.size:
            continue  # no run, a single cell, or gaps
        run = grid[y, xs[0]: xs[-1] + 1]
        out[y] = run[(np.arange(grid.shape[1]) - xs[0]) % run.size]
        any_run = True
    return any_run


def extend_runs(grid: Grid) -> Grid | None:
    """Every row and column whose drawn cells form one run (of 2 or more cells) repeats the run along its
    whole length: a short sequence of colours continued periodically. None when no line has such a run."""
    bg = background(grid)
    out = grid.copy()
    rows = _continue_runs(out, grid, bg)
    turned = out.T.copy()
    cols = _continue_runs(turned, grid.T, bg)
    if not (rows or cols):
        return None
    return np.ascontiguousarray(turned.T)


def _row_template(row: np.ndarray, templates: list[np.ndarray], bg: int) -> np.ndarray | None:
    """The first template of which ``row``'s drawn prefix is a copy under one colour renaming (each template
    colour always becomes the same row colour), continued through that renaming; None when none fits."""
    drawn = np.flatnonzero(row != bg)
    if drawn.size == 0 or drawn[0] != 0 or drawn[-1] + 1 != drawn.size or drawn.size == row.size:
        return None  # not a prefix that stops before the end
    n = drawn.size
    for template in templates:
        if template.size != row.size:
            continue
        rename: dict[int, int] = {}
        fits = True
        for a, b in zip(template[:n].tolist(), row[:n].tolist()):
            if rename.setdefault(a, b) != b:
                fits = False
                break
        if fits and set(template[n:].tolist()) <= set(rename):
            return np.array([rename[c] for c in template.tolist()], dtype=np.uint8)
    return None


def rows_like_template(grid: Grid) -> Grid | None:
    """Rows drawn only at their start are finished like a fully drawn row (the template) whose start they
    copy under a colour renaming: a sequence continued in other colours. None when no row is finished."""
    bg = background(grid)
    templates = [grid[y] for y in range(grid.shape[0]) if not (grid[y] == bg).any()]
    if not templates:
        return None
    out = grid.copy()
    changed = False
    for y in range(grid.shape[0]):
        finished = _row_template(grid[y], templates, bg)
        if finished is not None:
            out[y] = finished
            changed = True
    return out if changed else None


def learned_pattern(tile: np.ndarray) -> Primitive:
    """Background cells take the colour of a repeating ``tile`` (learned from the demonstration outputs)
    laid from the top-left corner; drawn cells stay."""
    py, px = tile.shape

    def fn(grid: Grid) -> Grid | None:
        h, w = grid.shape
        canvas = tile[np.ix_(np.arange(h) % py, np.arange(w) % px)]
        bg = background(grid)
        return np.where(grid == bg, canvas, grid).astype(np.uint8)

    return Primitive(f"learned_pattern({py}x{px})", fn)


def _learn_tile(ctx: TaskContext) -> np.ndarray | None:
    """The smallest tile (fewest cells) that every demonstration output repeats from its top-left corner,
    when it is smaller than the largest output (the demonstrations show it repeat)."""
    outputs = ctx.train_outputs
    max_h = max(o.shape[0] for o in outputs)
    max_w = max(o.shape[1] for o in outputs)
    colours = np.concatenate([o.ravel() for o in outputs]).astype(np.int64)
    most = min(max_h * max_w - 1, colours.size // 2)  # each tile cell seen twice on average
    sizes = sorted(((py, px) for py in range(1, max_h + 1) for px in range(1, max_w + 1)
                    if py * px <= most), key=lambda s: (s[0] * s[1], s))
    for py, px in sizes:
        classes = np.concatenate([((np.arange(o.shape[0]) % py)[:, None] * px
                                   + (np.arange(o.shape[1]) % px)[None, :]).ravel() for o in outputs])
        keys = np.unique(classes * 10 + colours)
        if len(keys) != py * px or len(np.unique(keys // 10)) != py * px:
            continue  # a class with two colours, or one never seen
        return (keys % 10).astype(np.uint8).reshape(py, px)
    return None


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


@family("complete")
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
        tests = [prim(t) for t in ctx.test_inputs]
        if any(t is None for t in tests):
            continue
        key = b"".join(bytes(t.shape) + t.tobytes() for t in tests)
        if key in answers:
            continue  # the same answers as a primitive already kept
        answers.add(key)
        keep.append(prim)
        if len(whole) >= MAX_PRIMS:
            break
    # first steps cost search time on every state: offered only when no primitive does the whole job
    return whole if whole else partial
