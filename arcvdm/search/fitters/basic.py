"""Last-step fitters: a final step learned from the demonstrations that maps produced grids to the outputs.

Each fitter takes the grids a program produced for the demonstration inputs and the true outputs, and
returns a ``Primitive`` that maps every produced grid to its output exactly, or ``None``:

- ``identity`` — the produced grids already are the outputs (cost 0);
- ``colour_map`` — one output colour per produced colour, the same in every demonstration (colours the
  demonstrations never produced stay as they are);
- ``constant`` — every demonstration output is the same grid;
- ``tile_to_size`` / ``scale_to_size`` — the output is the produced grid tiled / scaled by whole factors
  that are the same in every demonstration;
- ``blocks_to_size`` — every produced cell becomes a block of whole factors learned per colour (or one
  shape painted in each cell's own colour, which also covers colours the demonstrations never had);
- ``lookup`` — the output is one of a few grids, chosen by a feature of the produced grid.

Two more fitters live in their own modules: ``local_rule`` (``local.py``, each cell from its
neighbourhood) and ``continue_to_size`` (``continuation.py``, the picture continued by its own step).

Fitters run on every state the search generates, so each starts with a cheap shape test; the ``pair_*``
functions are the per-pair gates (``registry.FITTER_GATES``): a pair a fitter could fit always passes its gate,
and the engine tests them while it makes a state's grids, before any fitter runs.
"""

from __future__ import annotations

import numpy as np

from arcvdm.grids import MAX_SIZE, Grid, grids_equal
from arcvdm.search.dsl import Primitive
from arcvdm.search.facts import colour_counts


def fit_identity(produced: list[Grid], outputs: list[Grid]) -> Primitive | None:
    """The produced grids are the outputs."""
    for p, o in zip(produced, outputs):
        if not grids_equal(p, o):
            return None
    return Primitive("id", lambda g: g, cost=0)


def pair_identity(produced: Grid, output: Grid) -> bool:
    """``fit_identity``'s test on one demonstration (every demonstration passes it when the fitter fits)."""
    return grids_equal(produced, output)


def learn_colour_map(produced: list[Grid], outputs: list[Grid]) -> np.ndarray | None:
    """A lookup table (10,) uint8 mapping produced colours to output colours, or None if none is consistent."""
    seen = np.zeros(100, dtype=bool)  # seen[10 * a + b]: a produced cell of colour a has output colour b
    for p, o in zip(produced, outputs):
        if p.shape != o.shape:
            return None
        seen |= np.bincount(p.ravel() * 10 + o.ravel(), minlength=100).astype(bool)  # uint8: at most 99
    pairs = seen.reshape(10, 10)
    targets = pairs.sum(axis=1)
    if (targets > 1).any():
        return None  # some produced colour becomes two different colours
    return np.where(targets == 1, pairs.argmax(axis=1), np.arange(10)).astype(np.uint8)


def pair_colour_map(produced: Grid, output: Grid) -> bool:
    """One demonstration alone has a consistent colour map (every demonstration has when all together have)."""
    if produced.shape != output.shape:
        return False
    return grids_equal(produced, output) or learn_colour_map([produced], [output]) is not None


def fit_colour_map(produced: list[Grid], outputs: list[Grid]) -> Primitive | None:
    """Recolour by one learned table; identity tables are left to ``identity``."""
    table = learn_colour_map(produced, outputs)
    if table is None or np.array_equal(table, np.arange(10)):
        return None
    changes = ",".join(f"{a}->{int(table[a])}" for a in range(10) if table[a] != a)
    return Primitive(f"colour_map({changes})", lambda g, t=table: t[g], cost=1)


def fit_constant(produced: list[Grid], outputs: list[Grid]) -> Primitive | None:
    """Every demonstration output is the same grid: answer it whatever the input."""
    first = outputs[0]
    if len(outputs) < 2:
        return None
    for o in outputs[1:]:
        if not grids_equal(o, first):
            return None
    const = first.copy()
    rows = ";".join("".join(str(int(v)) for v in row) for row in const)
    return Primitive(f"constant({rows})", lambda g, c=const: c.copy(), cost=1)


def _factors(produced: list[Grid], outputs: list[Grid]) -> tuple[int, int] | None:
    """The whole (rows, columns) factor from produced to output size, the same for all; None otherwise."""
    found = None
    for p, o in zip(produced, outputs):
        (hp, wp), (ho, wo) = p.shape, o.shape
        if ho % hp or wo % wp:
            return None
        f = (ho // hp, wo // wp)
        if found is None:
            found = f
        elif f != found:
            return None
    if found is None or found == (1, 1):
        return None
    return found


def _pair_factors(produced: Grid, output: Grid) -> tuple[int, int] | None:
    """One demonstration's whole (rows, columns) factor other than (1, 1), or None (``_factors`` of one pair)."""
    (hp, wp), (ho, wo) = produced.shape, output.shape
    if ho % hp or wo % wp or (ho == hp and wo == wp):
        return None
    return (ho // hp, wo // wp)


def _scaled(g: Grid, k: tuple[int, int]) -> Grid | None:
    """Each cell blown up to a k[0] x k[1] block; None past the largest grid."""
    if g.shape[0] * k[0] > MAX_SIZE or g.shape[1] * k[1] > MAX_SIZE:
        return None
    return np.repeat(np.repeat(g, k[0], axis=0), k[1], axis=1)


def pair_tile(produced: Grid, output: Grid) -> bool:
    """One demonstration's output is its produced grid tiled by whole factors."""
    f = _pair_factors(produced, output)
    h, w = produced.shape
    return (f is not None and output[0, 0] == produced[0, 0] and grids_equal(output[:h, :w], produced)
            and np.array_equal(np.tile(produced, f), output))


def pair_scale(produced: Grid, output: Grid) -> bool:
    """One demonstration's output is its produced grid scaled by whole factors."""
    f = _pair_factors(produced, output)
    return f is not None and output[0, 0] == produced[0, 0] and np.array_equal(_scaled(produced, f), output)


def pair_blocks(produced: Grid, output: Grid) -> bool:
    """One demonstration's output is whole blocks no larger than its produced grid."""
    f = _pair_factors(produced, output)
    return f is not None and f[0] <= produced.shape[0] and f[1] <= produced.shape[1]


def fit_tile(produced: list[Grid], outputs: list[Grid]) -> Primitive | None:
    """The output is the produced grid repeated by whole factors."""
    f = _factors(produced, outputs)
    if f is None:
        return None
    for p, o in zip(produced, outputs):
        if not np.array_equal(np.tile(p, f), o):
            return None
    def repeat(g: Grid, k: tuple[int, int] = f) -> Grid | None:
        if g.shape[0] * k[0] > MAX_SIZE or g.shape[1] * k[1] > MAX_SIZE:
            return None
        return np.tile(g, k)

    return Primitive(f"tile_to({f[0]},{f[1]})", repeat)


def fit_scale(produced: list[Grid], outputs: list[Grid]) -> Primitive | None:
    """The output is the produced grid with each cell blown up by whole factors."""
    f = _factors(produced, outputs)
    if f is None:
        return None

    def up(g: Grid, k: tuple[int, int] = f) -> Grid | None:
        return _scaled(g, k)

    for p, o in zip(produced, outputs):
        if not np.array_equal(up(p), o):
            return None
    return Primitive(f"scale_to({f[0]},{f[1]})", up)


def _learn_blocks(produced: list[Grid], outputs: list[Grid], f: tuple[int, int]) -> dict[int, Grid] | None:
    """Produced colour -> the (fy, fx) block every cell of that colour becomes, the same wherever it is."""
    fy, fx = f
    blocks: dict[int, Grid] = {}
    for p, o in zip(produced, outputs):
        cut = o.reshape(p.shape[0], fy, p.shape[1], fx).transpose(0, 2, 1, 3)   # (h, w, fy, fx)
        for colour in np.unique(p).tolist():
            ys, xs = np.nonzero(p == colour)
            found = cut[ys, xs]
            if not (found == found[0]).all():
                return None
            if colour in blocks and not np.array_equal(blocks[colour], found[0]):
                return None
            blocks[colour] = found[0]
    return blocks


def _shared_shape(blocks: dict[int, Grid], bg: int) -> tuple[np.ndarray, int] | None:
    """(mask, other colour) when every non-background colour's block is that colour on ``mask`` and the
    other colour elsewhere, the same mask and other colour for all (two colours at least); else None."""
    shape, other = None, None
    coloured = [c for c in blocks if c != bg]
    if len(coloured) < 2:
        return None
    for c in coloured:
        block = blocks[c]
        mask = block == c
        rest = np.unique(block[~mask])
        if len(rest) > 1 or (shape is not None and not np.array_equal(mask, shape)):
            return None
        if len(rest) == 1:
            if other is not None and int(rest[0]) != other:
                return None
            other = int(rest[0])
        shape = mask
    return shape, (bg if other is None else other)


def fit_blocks(produced: list[Grid], outputs: list[Grid]) -> Primitive | None:
    """Each produced cell becomes a block of the output (whole factors, the same in every demonstration):
    one learned block per colour; when every non-background colour's block is one shape in that colour,
    that shape is used for any colour. Plain scaling (uniform blocks) is left to ``scale_to_size``. Guards
    against memorising outputs: no block larger than its produced grid, each colour of a table seen in
    two cells at least, and (``engine.FITTER_MAX_DEPTH``) only after one step at most."""
    f = _factors(produced, outputs)
    if f is None or any(f[0] > p.shape[0] or f[1] > p.shape[1] for p in produced):
        return None   # a block larger than the picture: the output memorised, not a rule per cell
    blocks = _learn_blocks(produced, outputs, f)
    if blocks is None or all((b == b.flat[0]).all() for b in blocks.values()):
        return None
    cells = colour_counts(np.concatenate([p.ravel() for p in produced]))
    bg = int(cells.argmax())
    shared = _shared_shape(blocks, bg)
    if shared is None and any(cells[c] < 2 for c in blocks):
        return None   # a table needs each colour's block seen twice

    def paint(g: Grid) -> Grid | None:
        if g.shape[0] * f[0] > MAX_SIZE or g.shape[1] * f[1] > MAX_SIZE:
            return None
        out = np.empty((g.shape[0], g.shape[1], f[0], f[1]), dtype=np.uint8)
        for colour in np.unique(g).tolist():
            block = blocks.get(colour)
            if block is None and shared is not None:
                block = np.where(shared[0], colour, shared[1]).astype(np.uint8)
            if block is None:
                return None
            out[g == colour] = block
        return np.ascontiguousarray(out.transpose(0, 2, 1, 3).reshape(g.shape[0] * f[0], g.shape[1] * f[1]))

    kind = "shape" if shared is not None else "table"
    return Primitive(f"blocks_to({f[0]},{f[1]}, {kind})", paint, cost=2)


def _feature(grid: Grid, name: str) -> tuple:
    """A small hashable description of a grid, for ``lookup``."""
    if name == "n_colours":
        return (len(set(np.unique(grid).tolist()) - {0}),)
    if name == "colours":
        return tuple(sorted(set(np.unique(grid).tolist()) - {0}))
    if name == "mask":
        return (grid.shape, (grid != 0).tobytes())
    if name == "symmetry":
        return (bool(np.array_equal(grid, grid[:, ::-1])), bool(np.array_equal(grid, grid[::-1])))
    if name == "main":
        counts = colour_counts(grid)
        counts[0] = 0
        return (int(np.argmax(counts)) if counts.any() else -1,)
    raise ValueError(f"unknown lookup feature {name!r}; choose one of {LOOKUP_FEATURES}")


LOOKUP_FEATURES = ("n_colours", "colours", "symmetry", "main", "mask")


def fit_lookup(produced: list[Grid], outputs: list[Grid]) -> Primitive | None:
    """The output is one of a few grids, chosen by a feature of the produced grid (number of colours, the
    colour set, symmetry, main colour, or the filled-cell pattern). Needs fewer distinct feature values
    than demonstrations (some evidence of a rule, not one memorised output per demonstration); a test
    grid whose feature no demonstration had gets no answer."""
    if len(outputs) < 3:
        return None
    for name in LOOKUP_FEATURES:
        table: dict[tuple, Grid] = {}
        consistent = True
        for p, o in zip(produced, outputs):
            key = _feature(p, name)
            if key in table:
                if table[key].shape != o.shape or not np.array_equal(table[key], o):
                    consistent = False
                    break
            else:
                table[key] = o
        if consistent and 1 < len(table) < len(outputs):
            return Primitive(f"lookup({name})", lambda g, t=table, n=name: _lookup(t, _feature(g, n)), cost=2)
    return None


def _lookup(table: dict[tuple, Grid], key: tuple) -> Grid | None:
    found = table.get(key)
    return None if found is None else found.copy()
