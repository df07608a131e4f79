"""Reference object operations of the search battery (``arcvdm.generate.battery``): objects are 4-connected
same-colour components of the non-zero cells (``components``), found here by a plain flood fill, apart
from the DSL's labelling. Background is 0."""

from __future__ import annotations

import numpy as np


def components(g: np.ndarray, conn: int = 4, multi: bool = False) -> list[list[tuple[int, int]]]:
    """Connected components of the non-zero cells, in reading order of their first cell: 4- or 8-connected
    (``conn``), of one colour each or (``multi``) of any non-zero colours together."""
    steps = [(dy, dx) for dy in (-1, 0, 1) for dx in (-1, 0, 1) if (dy or dx) and (conn == 8 or not (dy and dx))]
    seen = np.zeros(g.shape, dtype=bool)
    found = []
    for r in range(g.shape[0]):
        for c in range(g.shape[1]):
            if g[r, c] == 0 or seen[r, c]:
                continue
            stack, cells_ = [(r, c)], []
            seen[r, c] = True
            while stack:
                y, x = stack.pop()
                cells_.append((y, x))
                for dy, dx in steps:
                    ny, nx = y + dy, x + dx
                    if not (0 <= ny < g.shape[0] and 0 <= nx < g.shape[1]) or seen[ny, nx] or g[ny, nx] == 0:
                        continue
                    if multi or g[ny, nx] == g[r, c]:
                        seen[ny, nx] = True
                        stack.append((ny, nx))
            found.append(cells_)
    return found


def outline_objects(g: np.ndarray) -> np.ndarray:
    out = g.copy()
    padded = np.pad(g > 0, 1)
    near = np.zeros(g.shape, dtype=bool)
    for dy in (-1, 0, 1):
        for dx in (-1, 0, 1):
            near |= padded[1 + dy : 1 + dy + g.shape[0], 1 + dx : 1 + dx + g.shape[1]]
    out[near & (g == 0)] = 4
    return out


def remove_isolated(g: np.ndarray) -> np.ndarray:
    out = g.copy()
    for comp in components(g):
        if len(comp) == 1:
            out[comp[0]] = 0
    return out


def colour_by_size(g: np.ndarray) -> np.ndarray:
    out = g.copy()
    for comp in components(g):
        for cell in comp:
            out[cell] = min(len(comp), 9)
    return out


def largest_object(g: np.ndarray) -> np.ndarray:
    comp = max(components(g), key=len)
    ys, xs = zip(*comp)
    return g[min(ys) : max(ys) + 1, min(xs) : max(xs) + 1]


def recolour_largest(g: np.ndarray) -> np.ndarray:
    out = g.copy()
    for cell in max(components(g), key=len):
        out[cell] = 2
    return out


def count_objects_column(g: np.ndarray) -> np.ndarray:
    return np.ones((len(components(g)), 1), dtype=np.uint8)


def fill_bboxes(g: np.ndarray) -> np.ndarray:
    out = g.copy()
    for comp in components(g):
        ys, xs = zip(*comp)
        box = out[min(ys) : max(ys) + 1, min(xs) : max(xs) + 1]
        box[box == 0] = 6
    return out


def hollow_objects(g: np.ndarray) -> np.ndarray:
    out = g.copy()
    for comp in components(g):
        cells_ = set(comp)
        for y, x in comp:
            if all((y + dy, x + dx) in cells_ for dy, dx in ((1, 0), (-1, 0), (0, 1), (0, -1))):
                out[y, x] = 0
    return out


def _box(comp: list[tuple[int, int]]) -> tuple[int, int, int, int]:
    ys, xs = zip(*comp)
    return min(ys), max(ys) + 1, min(xs), max(xs) + 1


def flip_each_object(g: np.ndarray) -> np.ndarray:
    out = g.copy()
    for comp in components(g):
        t, b, l, r = _box(comp)
        out[t:b, l:r] = g[t:b, l:r][:, ::-1]
    return out


def drop_objects(g: np.ndarray) -> np.ndarray:
    """Each object falls straight down, as a whole, until it rests on the floor or on another object."""
    out = g.copy()
    comps = sorted(components(g), key=lambda comp: -max(y for y, _ in comp))
    for comp in comps:
        for y, x in comp:
            out[y, x] = 0
        shift = 0
        while all(y + shift + 1 < g.shape[0] and out[y + shift + 1, x] == 0 for y, x in comp):
            shift += 1
        for y, x in comp:
            out[y + shift, x] = g[y, x]
    return out


def touching_border(comp: list[tuple[int, int]], shape: tuple[int, int]) -> bool:
    return any(y in (0, shape[0] - 1) or x in (0, shape[1] - 1) for y, x in comp)


def paint_border_objects(g: np.ndarray, colour: int) -> np.ndarray:
    """Objects touching the grid's border painted ``colour`` (0: removed)."""
    out = g.copy()
    for comp in components(g):
        if touching_border(comp, g.shape):
            for cell in comp:
                out[cell] = colour
    return out


def recolour_by_shape_width(g: np.ndarray) -> np.ndarray:
    """Objects wider than tall become 2, taller than wide 3, square ones stay."""
    out = g.copy()
    for comp in components(g):
        t, b, l, r = _box(comp)
        paint = 2 if r - l > b - t else 3 if b - t > r - l else None
        if paint is not None:
            for cell in comp:
                out[cell] = paint
    return out


def crop_smallest(g: np.ndarray) -> np.ndarray:
    comp = min(components(g), key=len)
    t, b, l, r = _box(comp)
    return g[t:b, l:r]


def crop_unique_colour(g: np.ndarray) -> np.ndarray:
    """The box of the one object whose colour no other object has."""
    comps = components(g)
    colours = [int(g[comp[0]]) for comp in comps]
    comp = next(c for c, col in zip(comps, colours) if colours.count(col) == 1)
    t, b, l, r = _box(comp)
    return g[t:b, l:r]


def count_largest_colour(g: np.ndarray) -> np.ndarray:
    """A 1x1 grid of the largest object's colour."""
    comp = max(components(g), key=len)
    return np.full((1, 1), g[comp[0]], dtype=np.uint8)


def object_to_corner(g: np.ndarray) -> np.ndarray:
    """The content's box moved to the top-left corner."""
    rows, cols = np.flatnonzero(g.any(axis=1)), np.flatnonzero(g.any(axis=0))
    out = np.zeros_like(g)
    content = g[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]
    out[: content.shape[0], : content.shape[1]] = content
    return out


def stack_objects(g: np.ndarray) -> np.ndarray:
    """The objects' boxes side by side, left to right in reading order, on a one-box-high grid."""
    boxes = []
    for comp in components(g):
        t, b, l, r = _box(comp)
        boxes.append(g[t:b, l:r])
    height = max(box.shape[0] for box in boxes)
    return np.concatenate([np.pad(box, ((0, height - box.shape[0]), (0, 0))) for box in boxes], axis=1)


def keep_marked_objects(g: np.ndarray) -> np.ndarray:
    """Only objects (any colours, 8-connected through non-zero cells) holding a 5 cell are kept."""
    out = np.zeros_like(g)
    for comp in components(g, conn=8, multi=True):
        if any(g[cell] == 5 for cell in comp):
            for cell in comp:
                out[cell] = g[cell]
    return out


def mark_centres(g: np.ndarray) -> np.ndarray:
    """The centre cell of each object whose box has odd sides is painted 2 (others stay as they are)."""
    out = g.copy()
    for comp in components(g):
        t, b, l, r = _box(comp)
        if (b - t) % 2 and (r - l) % 2:
            out[(t + b) // 2, (l + r) // 2] = 2
    return out


def recolour_topmost(g: np.ndarray) -> np.ndarray:
    """The object whose top row is highest (leftmost on ties) becomes 2."""
    comp = min(components(g), key=lambda c: (_box(c)[0], _box(c)[2]))
    out = g.copy()
    for cell in comp:
        out[cell] = 2
    return out


def crop_bottommost(g: np.ndarray) -> np.ndarray:
    """The box of the object whose bottom row is lowest (leftmost on ties)."""
    comp = min(components(g), key=lambda c: (-_box(c)[1], _box(c)[2]))
    t, b, l, r = _box(comp)
    return g[t:b, l:r]


def keep_same_shape(g: np.ndarray) -> np.ndarray:
    """Only objects with the same shape (mask) as some other object are kept."""
    comps = components(g)
    masks = []
    for comp in comps:
        t, b, l, r = _box(comp)
        mask = np.zeros((b - t, r - l), dtype=bool)
        for y, x in comp:
            mask[y - t, x - l] = True
        masks.append((mask.shape, mask.tobytes()))
    out = np.zeros_like(g)
    for comp, key in zip(comps, masks):
        if masks.count(key) > 1:
            for cell in comp:
                out[cell] = g[cell]
    return out
