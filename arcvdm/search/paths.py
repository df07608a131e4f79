"""Path primitives for same-size tasks: lines and rays that interact with what they meet.

Every rule's parameters (source colours, directions, paint colours, modes) are read from the
demonstrations. A primitive is offered only when every cell it changes takes its output colour in every
demonstration (and it changes some); when some primitive reproduces the demonstrations alone, only such
primitives are offered (one per distinct test answer), else at most ``MAX_PARTIAL`` as steps of longer
programs. Most tasks get none. ``lines.py`` already draws plain rays and lines between same-coloured
cells; the rules here add, in the order of the sections below:

- **line ends** — a cell with exactly one neighbour of its colour (the end of a diagonal or straight
  segment, a tail sticking out of a block; or, with ``any_colour``, one non-background neighbour: a
  marker stuck to an object) shoots a ray away from that neighbour, in its own colour or a learned one;
  at an obstacle it stops, passes (``through``) or reflects (``bounce``: a diagonal ray bouncing off a
  wall), and it ends at the border.
- **patterned rays** — rays from single cells whose colours repeat a short learned pattern along the way
  (5, then the source colour, then 5 again...).
- **turning rays** — a ray runs straight until the border or an obstacle, then turns 90 degrees and runs
  on until it is blocked (rays drawn earlier block later ones). **Sidestepping rays** — a ray that
  meets an obstacle steps one cell aside and carries on in its direction (``around``: and steps back to
  its line once past the obstacle).
- **seed trails** — from each seed cell a small motif stamped again and again along a learned step until
  it leaves the grid (staircases, zigzags), on one side of the seed or on two.
- **bridges** — the background between two objects, row by row (or column by column) where they face
  each other, filled with a learned colour (or the objects' own); ``trim`` leaves the outermost rows of
  the facing part. **Clear lines** — rows or columns that run clear across a frame, from one
  non-background border run to the other, filled with a learned colour.
- **tiled runs** — a row or column whose only cells are one run of several colours repeats that run
  periodically to both borders. **Wall rays** — rays from cells of a colour towards the nearest wall (a
  full row or column of one colour), stopping next to it, or away from it; the way is learned per
  colour. **Border rays** do the same with the nearest border of the grid.
- **meeting rays** — two cells of different colours facing each other across the background each reach
  halfway; the middle cell of an odd gap takes a learned colour.
- **checker flood** — the background corridors reached from two seed colours (a cell and its
  neighbours) painted in those colours alternately, so every path from the seed alternates.
- **crossing rays** — rays from rare seed cells through every region to the border, each cell taking
  the colour of the seeds of the region it lies in (a beam that changes colour from region to region);
  the only rule offered for tasks that do not mostly paint the background, with border lines.
- **stripes** — a few seed cells evenly spaced along an axis become full lines, and the progression
  (spacing and colour cycle) continues to the far border.
- **border lines** — rows and columns whose two border cells match, in a colour seen only on the
  border, drawn across (the rest kept, or cleared).
- **leaks** — a box outline with an opening on one side is filled with a learned colour that runs out
  of the opening as rays (``spread``: fanning out diagonally from the opening's ends as well).
- **corner rays** — diagonal rays from the outer corners of objects (a staircase has several), in the
  corner's colour, the grid's rarest or other colour, or a learned one; ``clear``: only the rays that
  reach the border unblocked.
- **spirals** — an empty grid gets a square spiral in a learned colour, clockwise from the top-left
  corner (the search's transposed view gives the anticlockwise one). **Rings** — three evenly spaced
  seed cells give square rings around the middle one, as far apart as the seeds.
- **smears** — an object of two colours, one a learned marker colour, is stamped again and again in its
  other colour, from its centre towards each marker cell, as a thick trail to the border.
- **shifting rays** — rays from cells on one border across the grid, shifting one cell away from each
  marker met on a side border.
"""

from __future__ import annotations

import numpy as np

from arcvdm.grids import Grid
from arcvdm.search.dsl import Primitive, TaskContext, family, reproduces
from arcvdm.search.objects import View, bg_text, grid_background, objects_of, task_background
from arcvdm.search.select import painted_colours, same_size

MAX_SOURCES = 30      # more source cells than this: a texture, not sources (the primitive does not apply)
MAX_OBJECTS = 20      # bridges look at pairs of objects: more than this is noise
MAX_STEPS = 120       # a bouncing ray stops after this many cells (it may run in a loop)
MAX_PRIMS = 10        # primitives offered per task, at most
ADDS_SHARE = 0.75     # share of changed cells that must be background cells painted, for any rule
MAX_PARTIAL = 4       # ... when none reproduces the demonstrations alone (steps of longer programs)

STEPS = {"N": (-1, 0), "S": (1, 0), "W": (0, -1), "E": (0, 1),
         "NW": (-1, -1), "NE": (-1, 1), "SW": (1, -1), "SE": (1, 1)}
STRAIGHT = ("N", "S", "W", "E")
TURNS = {"N": ("W", "E"), "S": ("W", "E"), "W": ("N", "S"), "E": ("N", "S")}


# --- helpers --------------------------------------------------------------------------------------------

def _explains_changes(prim: Primitive, ctx: TaskContext) -> bool:
    """The primitive applies to every demonstration, every cell it changes takes its output colour, and it
    changes some cell of some demonstration (so a program may use it as one of its steps)."""
    changed = 0
    for i, o in zip(ctx.train_inputs, ctx.train_outputs):
        got = prim(i)
        if got is None:
            return False
        diff = got != i
        if not np.array_equal(got[diff], o[diff]):
            return False
        changed += int(np.count_nonzero(diff))
    return changed > 0


def _offer(candidates: list[Primitive], ctx: TaskContext) -> list[Primitive]:
    """Candidates that alone reproduce the demonstrations or, when none does, those that make only right
    changes (a step of a longer program); names kept unique and the list kept short."""
    exact, partial, seen = [], [], set()
    kept_answers: list[list[bytes | None]] = []
    for prim in candidates:
        if prim.name in seen:
            continue
        seen.add(prim.name)
        if not _explains_changes(prim, ctx):
            continue
        if not reproduces(prim, ctx):
            partial.append(prim)
            continue
        answers = _test_answers(prim, ctx)
        if answers not in kept_answers:         # same answers as one kept: nothing new to offer
            kept_answers.append(answers)
            exact.append(prim)
    return exact[:MAX_PRIMS] if exact else partial[:MAX_PARTIAL]   # one that reproduces is enough


def _test_answers(prim: Primitive, ctx: TaskContext) -> list[bytes | None]:
    """The primitive's grids for the test inputs, as bytes (to compare primitives by their answers)."""
    found = []
    for t in ctx.test_inputs:
        got = prim(t)
        found.append(None if got is None else bytes(got.shape) + got.tobytes())
    return found


def _colour_text(paint: int | None) -> str:
    return "own" if paint is None else str(paint)


def _source_text(source: int | None) -> str:
    return "all" if source is None else str(source)


def _source_cells(grid: Grid, source: int | None, bg: int) -> list[tuple[int, int]] | None:
    """Cells of ``source`` (None: every non-background cell); None when there are too many."""
    mask = grid != bg if source is None else grid == source
    if source == bg or np.count_nonzero(mask) > MAX_SOURCES:
        return None
    return [(int(y), int(x)) for y, x in np.argwhere(mask)]


# --- 1. line ends ---------------------------------------------------------------------------------------

def _line_ends(grid: Grid, bg: int, any_colour: bool = False) -> list[tuple[int, int, int, int]]:
    """(y, x, dy, dx): non-background cells with exactly one 8-neighbour of their own colour (``any_colour``:
    one non-background neighbour, the tip of a marker stuck to an object), and the step pointing away
    from that neighbour."""
    h, w = grid.shape
    padded = np.full((h + 2, w + 2), 255 if not any_colour else bg, dtype=np.int16)
    padded[1:-1, 1:-1] = grid
    count = np.zeros((h, w), dtype=np.int8)
    for dy, dx in STEPS.values():
        near = padded[1 + dy:h + 1 + dy, 1 + dx:w + 1 + dx]
        count += (near != bg) if any_colour else (near == grid)
    ends = []
    for y, x in np.argwhere((count == 1) & (grid != bg)).tolist():
        for dy, dx in STEPS.values():
            ny, nx = y + dy, x + dx
            if 0 <= ny < h and 0 <= nx < w and (grid[ny, nx] != bg if any_colour else grid[ny, nx] == grid[y, x]):
                ends.append((y, x, -dy, -dx))
                break
    return ends


def _end_path(grid: Grid, y: int, x: int, dy: int, dx: int, bg: int, mode: str) -> list[tuple[int, int]]:
    """Background cells a ray from (y, x) paints; at a non-background cell it stops (``stop``), goes on
    past it (``through``) or (``bounce``) reflects: off a wall beside it (the step flipped across it), else
    straight back."""
    h, w = grid.shape
    cells, seen = [], set()
    for _ in range(MAX_STEPS):
        ny, nx = y + dy, x + dx
        if not (0 <= ny < h and 0 <= nx < w):
            break
        if grid[ny, nx] != bg and mode != "through":
            if mode == "stop":
                break
            side_x = 0 <= x + dx < w and grid[y, x + dx] != bg if dx else False
            side_y = 0 <= y + dy < h and grid[y + dy, x] != bg if dy else False
            if side_x and not side_y:
                dx = -dx
            elif side_y and not side_x:
                dy = -dy
            else:
                dy, dx = -dy, -dx
            if (y, x, dy, dx) in seen:
                break
            seen.add((y, x, dy, dx))
            continue
        y, x = ny, nx
        if grid[y, x] == bg:
            cells.append((y, x))
    return cells


END_MODES = ("stop", "bounce", "through")


def extend_ends(source: int | None, paint: int | None, mode: str, bg: int | None,
                any_colour: bool = False) -> Primitive:
    """Rays from the line ends of ``source`` (None: every colour) away from their segment, painted
    ``paint`` (None: the end's own colour); ``mode`` (``END_MODES``) says what an obstacle does;
    ``any_colour``: ends are tips with one non-background neighbour of any colour."""
    if mode not in END_MODES:
        raise ValueError(f"extend_ends mode must be one of {END_MODES}, got {mode!r}")

    def fn(grid: Grid) -> Grid | None:
        b = grid_background(grid, bg)
        ends = [e for e in _line_ends(grid, b, any_colour) if source is None or grid[e[0], e[1]] == source]
        if not ends or len(ends) > MAX_SOURCES:
            return None
        out = grid.copy()
        for y, x, dy, dx in ends:
            colour = grid[y, x] if paint is None else paint
            for cy, cx in _end_path(grid, y, x, dy, dx, b, mode):
                out[cy, cx] = colour
        return out

    tips = ", any_colour" if any_colour else ""
    name = f"extend_ends({_source_text(source)}, paint={_colour_text(paint)}, {mode}{tips}{bg_text(bg)})"
    return Primitive(name, fn)


def _extend_candidates(ctx: TaskContext, bg: int, painted: list[int]) -> list[Primitive]:
    sources: list[int | None] = [None] + [c for c in ctx.colours_in() if c != bg]
    # tips of any colour only where they differ from same-colour ends somewhere
    kinds = [False]
    if any(_line_ends(i, bg) != _line_ends(i, bg, True) for i in ctx.train_inputs):
        kinds.append(True)
    prims = []
    for any_colour in kinds:
        for source in sources:
            for paint in [None] + painted:
                for mode in END_MODES:
                    prims.append(extend_ends(source, paint, mode, bg, any_colour))
    return prims


# --- 2. patterned rays ----------------------------------------------------------------------------------

SOURCE = -1      # a pattern entry: the ray's source colour


def _straight_path(grid: Grid, y: int, x: int, dy: int, dx: int, bg: int) -> list[tuple[int, int]]:
    """Background cells from (y, x) in one direction up to the border or the first non-background cell."""
    h, w = grid.shape
    cells = []
    y, x = y + dy, x + dx
    while 0 <= y < h and 0 <= x < w and grid[y, x] == bg:
        cells.append((y, x))
        y, x = y + dy, x + dx
    return cells


def pattern_rays(source: int | None, directions: tuple[str, ...], pattern: tuple[int, ...],
                 bg: int | None) -> Primitive:
    """Rays from ``source`` cells (None: every non-background cell) in ``directions``, up to the border or
    an obstacle, the k-th cell painted ``pattern[k % len(pattern)]`` (SOURCE: the source's colour)."""

    def fn(grid: Grid) -> Grid | None:
        b = grid_background(grid, bg)
        starts = _source_cells(grid, source, b)
        if not starts:
            return None
        out = grid.copy()
        for y, x in starts:
            for d in directions:
                dy, dx = STEPS[d]
                for k, (cy, cx) in enumerate(_straight_path(grid, y, x, dy, dx, b)):
                    entry = pattern[k % len(pattern)]
                    out[cy, cx] = grid[y, x] if entry == SOURCE else entry
        return out

    colours = "+".join("src" if e == SOURCE else str(e) for e in pattern)
    return Primitive(f"pattern_rays({_source_text(source)}:{'+'.join(directions)}, {colours}{bg_text(bg)})", fn)


def _learn_pattern(ctx: TaskContext, source: int | None, direction: str, bg: int | None) -> tuple[int, ...] | None:
    """The shortest pattern (2 to 4 entries, not all alike) that the output colours follow along every ray
    of ``source`` in ``direction``; None when there is none (or no ray crosses a cell)."""
    dy, dx = STEPS[direction]
    rays = []    # (source colour, output colours along the ray)
    for i, o in zip(ctx.train_inputs, ctx.train_outputs):
        b = grid_background(i, bg)
        starts = _source_cells(i, source, b)
        if starts is None:
            return None
        for y, x in starts:
            rays.append((int(i[y, x]), [int(o[cy, cx]) for cy, cx in _straight_path(i, y, x, dy, dx, b)]))
    if sum(len(r) for _, r in rays) < 2:
        return None
    for period in (2, 3, 4):
        pattern = []
        for slot in range(period):
            seen = [(src, colours[k]) for src, colours in rays for k in range(slot, len(colours), period)]
            if not seen:
                break
            if all(c == src for src, c in seen):
                pattern.append(SOURCE)
            elif len({c for _, c in seen}) == 1:
                pattern.append(seen[0][1])
            else:
                break
        if len(pattern) == period and len(set(pattern)) > 1 and bg not in pattern:
            return tuple(pattern)     # every cell painted (a pattern that skips cells is another rule)
    return None


def _pattern_candidates(ctx: TaskContext, bg: int | None) -> list[Primitive]:
    sources: list[int | None] = [None] + [c for c in ctx.colours_in() if c != bg]
    prims = []
    for source in sources:
        by_pattern: dict[tuple[int, ...], list[str]] = {}
        for d in STEPS:
            pattern = _learn_pattern(ctx, source, d, bg)
            if pattern is not None:
                by_pattern.setdefault(pattern, []).append(d)
        for pattern, directions in by_pattern.items():
            prims.append(pattern_rays(source, tuple(directions), pattern, bg))
    return prims


# --- 3. turning and sidestepping rays -------------------------------------------------------------------

def turning_rays(source: int | None, first: str, then: str, bg: int | None) -> Primitive:
    """From each ``source`` cell a ray runs ``first`` until blocked, then turns ``then`` until blocked; every
    first leg is drawn before the turned legs, which stop at anything drawn so far."""

    def fn(grid: Grid) -> Grid | None:
        b = grid_background(grid, bg)
        starts = _source_cells(grid, source, b)
        if not starts:
            return None
        out = grid.copy()
        corners = []
        fy, fx = STEPS[first]
        for y, x in starts:
            leg = _straight_path(grid, y, x, fy, fx, b)
            for cy, cx in leg:
                out[cy, cx] = grid[y, x]
            corners.append((leg[-1] if leg else (y, x), grid[y, x]))
        ty, tx = STEPS[then]
        for (y, x), colour in corners:
            for cy, cx in _straight_path(out, y, x, ty, tx, b):
                out[cy, cx] = colour
        return out

    return Primitive(f"turning_rays({_source_text(source)}, {first} then {then}{bg_text(bg)})", fn)


def sidestep_rays(source: int | None, direction: str, side: str, bg: int | None, around: bool = False) -> Primitive:
    """Rays from ``source`` cells in ``direction``; a ray whose next cell is not background steps one cell
    towards ``side`` (painting it) and carries on, and ends at the border or where it cannot step.
    ``around``: once past the obstacle the ray steps back to its own line (it goes round the obstacle)."""

    def fn(grid: Grid) -> Grid | None:
        b = grid_background(grid, bg)
        starts = _source_cells(grid, source, b)
        if not starts:
            return None
        h, w = grid.shape
        dy, dx = STEPS[direction]
        sy, sx = STEPS[side]
        out = grid.copy()
        for y, x in starts:
            colour = grid[y, x]
            aside, advanced = 0, False
            for _ in range(3 * (h + w)):
                by, bx = y - sy, x - sx
                if around and aside and advanced and 0 <= by < h and 0 <= bx < w and grid[by, bx] == b:
                    y, x, aside, advanced = by, bx, aside - 1, False      # past the obstacle: step back
                    out[y, x] = colour
                    continue
                ny, nx = y + dy, x + dx
                if not (0 <= ny < h and 0 <= nx < w):
                    break
                advanced = grid[ny, nx] == b
                if not advanced:
                    ny, nx = y + sy, x + sx     # blocked: step aside instead
                    if not (0 <= ny < h and 0 <= nx < w) or grid[ny, nx] != b:
                        break
                    aside += 1
                y, x = ny, nx
                out[y, x] = colour
        return out

    how = "around" if around else "aside"
    return Primitive(f"sidestep_rays({_source_text(source)}, {direction}, {how} {side}{bg_text(bg)})", fn)


def _single_colour_sources(ctx: TaskContext, bg: int | None) -> list[int | None]:
    """Source choices for ray rules: every non-background cell, and each input colour with few cells."""
    sources: list[int | None] = [None]
    for c in ctx.colours_in():
        if c == bg:
            continue
        if all(np.count_nonzero(i == c) <= MAX_SOURCES for i in ctx.train_inputs) and \
                any((i == c).any() for i in ctx.train_inputs):
            sources.append(c)
    return sources


def _bends(prim: Primitive, source: int | None, direction: str, ctx: TaskContext) -> bool:
    """The ray rule ``prim`` draws something a straight ray in ``direction`` does not, on some
    demonstration (else it is a plain ray, which ``lines.py`` offers)."""
    straight = pattern_rays(source, (direction,), (SOURCE,), None)
    for i in ctx.train_inputs:
        got, plain = prim(i), straight(i)
        if got is not None and (plain is None or not np.array_equal(got, plain)):
            return True
    return False


def _turn_candidates(ctx: TaskContext, bg: int | None) -> list[Primitive]:
    prims = []
    for source in _single_colour_sources(ctx, bg):
        for first in STRAIGHT:
            for then in TURNS[first]:
                prims.append((turning_rays(source, first, then, bg), source, first))
            for side in TURNS[first]:
                for around in (False, True):
                    prims.append((sidestep_rays(source, first, side, bg, around), source, first))
    return [prim for prim, source, first in prims
            if _explains_changes(prim, ctx) and _bends(prim, source, first, ctx)]


# --- 4. periodic trails from seed cells -----------------------------------------------------------------

MAX_SEEDS = 10     # seed cells per grid, at most
MAX_PERIOD = 3     # largest step of a trail, per axis

Arm = tuple[tuple[int, int], tuple[tuple[int, int, int], ...]]   # (step, ((dy, dx, colour or SOURCE), ...))


def _seeds(grid: Grid, source: int | None, bg: int) -> list[tuple[int, int]] | None:
    cells = _source_cells(grid, source, bg)
    return None if cells is None or len(cells) > MAX_SEEDS else cells


def seed_trails(source: int | None, arms: tuple[Arm, ...], bg: int | None) -> Primitive:
    """From every ``source`` cell (None: every non-background cell), each arm's motif stamped again and
    again, shifted by the arm's step each time, until it leaves the grid (a staircase, a zigzag); only
    background cells are painted."""

    def fn(grid: Grid) -> Grid | None:
        b = grid_background(grid, bg)
        seeds = _seeds(grid, source, b)
        if not seeds:
            return None
        h, w = grid.shape
        out = grid.copy()
        for y, x in seeds:
            for (sy, sx), motif in arms:
                for k in range(h + w):
                    inside = False
                    for dy, dx, colour in motif:
                        cy, cx = y + dy + k * sy, x + dx + k * sx
                        if 0 <= cy < h and 0 <= cx < w:
                            inside = True
                            if grid[cy, cx] == b:
                                out[cy, cx] = grid[y, x] if colour == SOURCE else colour
                    if not inside:
                        break
        return out

    text = " + ".join(f"({sy},{sx})x{len(m)}" for (sy, sx), m in arms)
    return Primitive(f"seed_trails({_source_text(source)}, {text}{bg_text(bg)})", fn)


UNKNOWN, BLANK = -2, -3     # offsets canvas: nothing seen there / seen left background
REACH = 30                  # offsets run from -REACH to REACH on each axis


def _seed_offsets(ctx: TaskContext, source: int | None, bg: int) -> dict[tuple[int, int], int] | None:
    """Offsets from the seeds to the cells the outputs paint, with their colour (SOURCE: the seed's),
    when every seed of every demonstration agrees (a cell left background where another seed's painted
    offset falls, or two colours for one offset: None). Cells painted in another seed's colour are that
    seed's business and say nothing."""
    canvas = np.full((2 * REACH + 1, 2 * REACH + 1), UNKNOWN, dtype=np.int8)
    for i, o in zip(ctx.train_inputs, ctx.train_outputs):
        seeds = _seeds(i, source, bg)
        if not seeds:
            return None
        h, w = i.shape
        seed_colours = {int(i[y, x]) for y, x in seeds}
        for y, x in seeds:
            seen = np.where(o == i[y, x], SOURCE, o.astype(np.int8))
            seen[o == bg] = BLANK
            for other in seed_colours - {int(i[y, x])}:
                seen[o == other] = UNKNOWN
            seen[i != bg] = UNKNOWN
            window = canvas[REACH - y:REACH - y + h, REACH - x:REACH - x + w]
            known = seen != UNKNOWN
            if ((window != UNKNOWN) & known & (window != seen)).any():
                return None
            window[known] = seen[known]
    painted = {(int(dy) - REACH, int(dx) - REACH): int(canvas[dy, dx])
               for dy, dx in np.argwhere((canvas != UNKNOWN) & (canvas != BLANK))}
    return painted or None


def _seed_candidates(ctx: TaskContext, bg: int) -> list[Primitive]:
    prims = []
    for source in _single_colour_sources(ctx, bg):
        if not all(_seeds(i, source, bg) for i in ctx.train_inputs):
            continue
        painted = _seed_offsets(ctx, source, bg)
        if painted is None:
            continue
        arms = []
        for sy in range(-MAX_PERIOD, MAX_PERIOD + 1):
            for sx in range(-MAX_PERIOD, MAX_PERIOD + 1):
                if (sy, sx) == (0, 0):
                    continue
                # the motif: painted offsets within one step of the seed along (sy, sx)
                period = sy * sy + sx * sx
                motif = tuple((dy, dx, c) for (dy, dx), c in sorted(painted.items())
                              if 0 < dy * sy + dx * sx <= period)
                if motif:
                    arms.append(((sy, sx), motif))
        # arms that paint only right cells, shortest steps first; then the first single arm or pair of
        # arms (a trail on each side of the seed) that reproduces the demonstrations
        good = [a for a in arms if _explains_changes(seed_trails(source, (a,), bg), ctx)]
        good.sort(key=lambda a: (abs(a[0][0]) + abs(a[0][1]), a[0]))
        combos = [(a,) for a in good] + [(a, b) for n, a in enumerate(good) for b in good[n + 1:]]
        for arms_used in combos[:40]:
            prim = seed_trails(source, arms_used, bg)
            if reproduces(prim, ctx):
                prims.append(prim)
                break
    return prims


# --- 5. bridges and clear lines -------------------------------------------------------------------------

def _bridge_rows(grid: Grid, out: np.ndarray, objs, bg: int, paint: int | None, trim: int) -> None:
    """Fill the background between every two objects side by side: the rows their boxes share (less
    ``trim`` at each edge), from one box to the other, when that whole gap is background. ``paint``
    None: only objects of one colour are bridged, in that colour."""
    for a in objs:
        for c in objs:
            if a is c or a.right >= c.left:
                continue
            if paint is None and (a.colour != c.colour or a.n_colours > 1 or c.n_colours > 1):
                continue
            top, bottom = max(a.top, c.top), min(a.bottom, c.bottom)
            if top >= bottom or not (grid[top:bottom, a.right:c.left] == bg).all():
                continue
            out[top + trim:bottom - trim, a.right:c.left] = a.colour if paint is None else paint


def bridges(axes: str, paint: int | None, trim: int, bg: int | None) -> Primitive:
    """Background between facing objects filled with ``paint`` (None: objects of one colour joined in it)
    along rows (``axes`` "row"), columns ("col") or both; ``trim`` rows (columns) of the facing part left
    at each of its edges."""

    def fn(grid: Grid) -> Grid | None:
        b = grid_background(grid, bg)
        objs = objects_of(grid, View(8, False, b))
        if len(objs) < 2 or len(objs) > MAX_OBJECTS:
            return None
        out = grid.copy()
        if axes in ("row", "both"):
            _bridge_rows(grid, out, objs, b, paint, trim)
        if axes in ("col", "both"):
            flipped = out.T.copy()
            _bridge_rows(grid.T, flipped, objects_of(np.ascontiguousarray(grid.T), View(8, False, b)),
                         b, paint, trim)
            out = np.ascontiguousarray(flipped.T)
        return out

    return Primitive(f"bridges({axes}, paint={_colour_text(paint)}, trim={trim}{bg_text(bg)})", fn)


def _clear_rows(grid: Grid, out: np.ndarray, bg: int, paint: int) -> None:
    """Fill the rows whose background cells form one run that stops short of both borders, when that run
    is as long as the longest such run (a corridor across the whole frame, not a bay in its side)."""
    runs = []
    for y in range(grid.shape[0]):
        free = np.flatnonzero(grid[y] == bg)
        if len(free) == 0 or free[0] == 0 or free[-1] == grid.shape[1] - 1:
            continue
        if free[-1] - free[0] + 1 == len(free):
            runs.append((len(free), y, int(free[0]), int(free[-1])))
    longest = max((r[0] for r in runs), default=0)
    for length, y, start, stop in runs:
        if length == longest:
            out[y, start:stop + 1] = paint


def clear_lines(axes: str, paint: int, bg: int | None) -> Primitive:
    """Rows (``axes`` "row"), columns ("col") or both that run clear between non-background cells at both
    borders, filled with ``paint``."""

    def fn(grid: Grid) -> Grid | None:
        b = grid_background(grid, bg)
        out = grid.copy()
        if axes in ("row", "both"):
            _clear_rows(grid, out, b, paint)
        if axes in ("col", "both"):
            flipped = out.T.copy()
            _clear_rows(grid.T, flipped, b, paint)
            out = np.ascontiguousarray(flipped.T)
        return out

    return Primitive(f"clear_lines({axes}, paint={paint}{bg_text(bg)})", fn)


def _fill_candidates(ctx: TaskContext, bg: int | None, painted: list[int]) -> list[Primitive]:
    prims = []
    for paint in [None] + painted:
        for axes in ("row", "col", "both"):
            if paint is not None:
                prims.append(clear_lines(axes, paint, bg))
            for trim in (0, 1):
                prims.append(bridges(axes, paint, trim, bg))
    return prims


# --- 6. runs tiled along their line and rays towards a wall --------------------------------------------

def _tile_rows(grid: Grid, out: np.ndarray, bg: int) -> None:
    """Rows holding one run of two or more colours (and nothing else): the run repeated along the row."""
    w = grid.shape[1]
    for y in range(grid.shape[0]):
        cells = np.flatnonzero(grid[y] != bg)
        if len(cells) < 2 or cells[-1] - cells[0] + 1 != len(cells):
            continue
        run = grid[y, cells[0]:cells[-1] + 1]
        if len(np.unique(run)) < 2:
            continue
        out[y] = run[(np.arange(w) - cells[0]) % len(run)]


def tile_runs(axes: str, bg: int | None) -> Primitive:
    """Every row (``axes`` "row"), column ("col") or both whose only cells are one run of several colours:
    the run repeated periodically to both borders."""

    def fn(grid: Grid) -> Grid | None:
        b = grid_background(grid, bg)
        out = grid.copy()
        if axes in ("col", "both"):
            flipped = out.T.copy()
            _tile_rows(grid.T, flipped, b)
            out = np.ascontiguousarray(flipped.T)
        if axes in ("row", "both"):
            _tile_rows(grid, out, b)
        return out

    return Primitive(f"tile_runs({axes}{bg_text(bg)})", fn)


def _walls(grid: Grid, bg: int) -> tuple[list[int], list[int]]:
    """Rows and columns filled by one non-background colour from border to border."""
    rows = [y for y in range(grid.shape[0]) if grid[y, 0] != bg and (grid[y] == grid[y, 0]).all()]
    cols = [x for x in range(grid.shape[1]) if grid[0, x] != bg and (grid[:, x] == grid[0, x]).all()]
    return rows, cols


def _wall_step(y: int, x: int, rows: list[int], cols: list[int], towards: bool) -> tuple[int, int] | None:
    """The step from (y, x) towards (or away from) the nearest wall; None when it is not one wall."""
    best: list[tuple[int, tuple[int, int]]] = []
    for r in rows:
        if r != y:
            best.append((abs(r - y), (1 if r > y else -1, 0)))
    for c in cols:
        if c != x:
            best.append((abs(c - x), (0, 1 if c > x else -1)))
    if not best:
        return None
    best.sort()
    if len(best) > 1 and best[1][0] == best[0][0] and best[1][1] != best[0][1]:
        return None      # two walls as near: no one direction
    dy, dx = best[0][1]
    return (dy, dx) if towards else (-dy, -dx)


def wall_rays(spec: tuple[tuple[int, bool], ...], bg: int | None) -> Primitive:
    """Rays from the cells of each colour of ``spec`` towards the nearest wall (a full row or column of one
    colour), stopping next to it, or (towards False) away from it; painted in the source's colour."""

    def fn(grid: Grid) -> Grid | None:
        b = grid_background(grid, bg)
        rows, cols = _walls(grid, b)
        if not rows and not cols:
            return None
        out = grid.copy()
        for colour, towards in spec:
            starts = _source_cells(grid, colour, b)
            if starts is None:
                return None
            for y, x in starts:
                step = _wall_step(y, x, rows, cols, towards)
                if step is not None:
                    for cy, cx in _straight_path(grid, y, x, step[0], step[1], b):
                        out[cy, cx] = colour
        return out

    text = "; ".join(f"{c}:{'towards' if t else 'away'}" for c, t in spec)
    return Primitive(f"wall_rays({text}{bg_text(bg)})", fn)


def _wall_candidates(ctx: TaskContext, bg: int) -> list[Primitive]:
    if not all(any(_walls(i, bg)) for i in ctx.train_inputs):
        return []
    spec = []
    for colour in _single_colour_sources(ctx, bg)[1:]:
        for towards in (True, False):
            if _explains_changes(wall_rays(((colour, towards),), bg), ctx):
                spec.append((colour, towards))
                break
    if not spec:
        return []
    return [wall_rays(tuple(spec), bg)] + [wall_rays((one,), bg) for one in spec]


def _border_step(grid: Grid, y: int, x: int, towards: bool) -> tuple[int, int] | None:
    """The step from (y, x) towards (or away from) the nearest border; None on a tie."""
    h, w = grid.shape
    found = sorted([(y, (-1, 0)), (h - 1 - y, (1, 0)), (x, (0, -1)), (w - 1 - x, (0, 1))])
    if found[0][0] == found[1][0]:
        return None
    dy, dx = found[0][1]
    return (dy, dx) if towards else (-dy, -dx)


def border_rays(source: int | None, towards: bool, bg: int | None) -> Primitive:
    """Rays from ``source`` cells (None: every non-background cell) towards the nearest border of the grid
    (or away from it), up to the border or an obstacle, in the source's colour."""

    def fn(grid: Grid) -> Grid | None:
        b = grid_background(grid, bg)
        starts = _source_cells(grid, source, b)
        if not starts:
            return None
        out = grid.copy()
        for y, x in starts:
            step = _border_step(grid, y, x, towards)
            if step is not None:
                for cy, cx in _straight_path(grid, y, x, step[0], step[1], b):
                    out[cy, cx] = grid[y, x]
        return out

    return Primitive(f"border_rays({_source_text(source)}, {'towards' if towards else 'away'}{bg_text(bg)})", fn)


def _border_candidates(ctx: TaskContext, bg: int) -> list[Primitive]:
    """Border rays for sources that go more than one way in the demonstrations (one way for all is a plain
    ray, which ``lines.py`` offers)."""
    prims = []
    for source in _single_colour_sources(ctx, bg):
        for towards in (True, False):
            steps = set()
            for i in ctx.train_inputs:
                for y, x in _source_cells(i, source, bg) or []:
                    steps.add(_border_step(i, y, x, towards))
            if len(steps - {None}) >= 2:
                prims.append(border_rays(source, towards, bg))
    return prims


# --- 7. rays that meet halfway ---------------------------------------------------------------------------

def _meet_rows(grid: Grid, out: np.ndarray, bg: int, middle: int) -> None:
    """Two cells of a row with only background between them: each paints its half of the gap in its own
    colour; the middle cell of an odd gap takes ``middle``."""
    for y in range(grid.shape[0]):
        cells = np.flatnonzero(grid[y] != bg)
        for a, b in zip(cells[:-1], cells[1:]):
            gap = int(b - a - 1)
            if gap < 2 or grid[y, a] == grid[y, b]:
                continue
            half = gap // 2
            out[y, a + 1:a + 1 + half] = grid[y, a]
            out[y, b - half:b] = grid[y, b]
            if gap % 2:
                out[y, a + 1 + half] = middle


def meet_halfway(axes: str, middle: int, bg: int | None) -> Primitive:
    """Facing cells of two colours in a row (``axes`` "row"), column ("col") or both each reach halfway to
    the other; an odd gap's middle cell is painted ``middle``."""

    def fn(grid: Grid) -> Grid | None:
        b = grid_background(grid, bg)
        if np.count_nonzero(grid != b) > MAX_SOURCES:
            return None
        out = grid.copy()
        if axes in ("row", "both"):
            _meet_rows(grid, out, b, middle)
        if axes in ("col", "both"):
            flipped = out.T.copy()
            _meet_rows(grid.T, flipped, b, middle)
            out = np.ascontiguousarray(flipped.T)
        return out

    return Primitive(f"meet_halfway({axes}, middle={middle}{bg_text(bg)})", fn)


# --- 8. alternating flood along corridors -----------------------------------------------------------------

def _checker_seeds(grid: Grid, bg: int) -> tuple[list[tuple[int, int]], dict[int, int]] | None:
    """The seed cells of a checker flood and the colour of each parity ((y + x) % 2): the grid's two
    rarest non-background colours (a handful of cells each), each on one parity only."""
    colours, counts = np.unique(grid, return_counts=True)
    few = [(int(n), int(c)) for c, n in zip(colours, counts) if c != bg and n <= MAX_SEEDS]
    if len(few) != 2 or len(colours) - (bg in colours) < 3:
        return None
    by_parity: dict[int, int] = {}
    seeds = []
    for _, colour in few:
        ys, xs = np.nonzero(grid == colour)
        parities = set(((ys + xs) % 2).tolist())
        if len(parities) != 1:
            return None
        parity = parities.pop()
        if parity in by_parity:
            return None
        by_parity[parity] = colour
        seeds += list(zip(ys.tolist(), xs.tolist()))
    return seeds, by_parity


def checker_flood(bg: int | None) -> Primitive:
    """The background corridors (4-connected) reached from the two seed colours painted in those two
    colours alternately, like a chessboard anchored at the seeds (the path from a seed alternates)."""

    def fn(grid: Grid) -> Grid | None:
        b = grid_background(grid, bg)
        found = _checker_seeds(grid, b)
        if found is None:
            return None
        seeds, by_parity = found
        h, w = grid.shape
        out = grid.copy()
        stack = list(seeds)
        seen = set(seeds)
        while stack:
            y, x = stack.pop()
            for dy, dx in ((1, 0), (-1, 0), (0, 1), (0, -1)):
                ny, nx = y + dy, x + dx
                if 0 <= ny < h and 0 <= nx < w and (ny, nx) not in seen and grid[ny, nx] == b:
                    seen.add((ny, nx))
                    out[ny, nx] = by_parity[(ny + nx) % 2]
                    stack.append((ny, nx))
        return out

    return Primitive(f"checker_flood({bg_text(bg).lstrip(', ')})", fn)


# --- 9. rays that take the colour of the region they cross -----------------------------------------------

DIRECTION_SETS = {"diagonal": ("NW", "NE", "SW", "SE"), "straight": ("N", "S", "W", "E"), "all": tuple(STEPS)}


def _region_colours(grid: Grid) -> dict[int, int] | None:
    """Seed colours by the region colour they sit in: each rare colour (a few cells) paints its region's
    colour (the most common colour around its cells); None when a region gets two colours."""
    colours, counts = np.unique(grid, return_counts=True)
    rare = [int(c) for c, n in zip(colours, counts) if n <= MAX_SEEDS]
    if not rare or len(rare) == len(colours):
        return None
    h, w = grid.shape
    paint: dict[int, int] = {}
    for colour in rare:
        around = np.zeros(10, dtype=np.int64)
        for y, x in np.argwhere(grid == colour).tolist():
            for dy, dx in STEPS.values():
                ny, nx = y + dy, x + dx
                if 0 <= ny < h and 0 <= nx < w and grid[ny, nx] not in rare:
                    around[grid[ny, nx]] += 1
        if not around.any():
            return None
        region = int(np.argmax(around))
        if paint.setdefault(region, colour) != colour:
            return None
    return paint


def crossing_rays(directions: str) -> Primitive:
    """Rays from every rare-coloured seed cell in ``directions`` ("diagonal", "straight", "all") to the
    border, through everything; a cell of a region colour takes the colour of that region's seeds."""

    def fn(grid: Grid) -> Grid | None:
        paint = _region_colours(grid)
        if paint is None:
            return None
        h, w = grid.shape
        seeds = np.argwhere(np.isin(grid, list(paint.values()))).tolist()
        if len(seeds) > MAX_SOURCES:
            return None
        out = grid.copy()
        for y, x in seeds:
            for d in DIRECTION_SETS[directions]:
                dy, dx = STEPS[d]
                cy, cx = y + dy, x + dx
                while 0 <= cy < h and 0 <= cx < w:
                    colour = paint.get(int(grid[cy, cx]))
                    if colour is not None:
                        out[cy, cx] = colour
                    cy, cx = cy + dy, cx + dx
        return out

    return Primitive(f"crossing_rays({directions})", fn)


def _crossing_candidates(ctx: TaskContext) -> list[Primitive]:
    """Crossing rays, when every demonstration changes cells only into its seed colours."""
    for i, o in zip(ctx.train_inputs, ctx.train_outputs):
        paint = _region_colours(i)
        changed = i != o
        if paint is None or not changed.any() or not np.isin(o[changed], list(paint.values())).all():
            return []
    return [crossing_rays(directions) for directions in DIRECTION_SETS]


# --- 10. stripes continuing a progression ---------------------------------------------------------------

MAX_STRIPE_SEEDS = 4


def _stripe_rows(grid: Grid, out: np.ndarray, bg: int) -> bool:
    """Seeds in different rows: full rows through them, then the same spacing and colour cycle continued
    from the last seed to the border. False when the seeds are not evenly spaced (or too few / many)."""
    cells = np.argwhere(grid != bg)
    if not 2 <= len(cells) <= MAX_STRIPE_SEEDS:
        return False
    order = cells[np.argsort(cells[:, 0], kind="stable")]
    rows = order[:, 0]
    steps = np.diff(rows)
    if steps[0] < 1 or (steps != steps[0]).any():
        return False
    colours = [int(grid[y, x]) for y, x in order]
    y, k = int(rows[0]), 0
    while y < grid.shape[0]:
        out[y, :] = colours[k % len(colours)]
        y, k = y + int(steps[0]), k + 1
    return True


def stripes(axis: str, bg: int | None) -> Primitive:
    """A few seed cells, evenly spaced along ``axis`` ("rows": each seed gives a full row; "cols": a full
    column; "long": along the grid's longer side), continued as stripes with the same spacing and colour
    cycle from the first seed to the far border."""

    def fn(grid: Grid) -> Grid | None:
        b = grid_background(grid, bg)
        h, w = grid.shape
        along = axis if axis != "long" else ("rows" if h > w else "cols" if w > h else None)
        if along is None:
            return None
        out = grid.copy()
        if along == "rows":
            return out if _stripe_rows(grid, out, b) else None
        flipped = out.T.copy()
        if not _stripe_rows(np.ascontiguousarray(grid.T), flipped, b):
            return None
        return np.ascontiguousarray(flipped.T)

    return Primitive(f"stripes({axis}{bg_text(bg)})", fn)


# --- 11. lines between matching border cells --------------------------------------------------------------

def border_lines(erase: bool, bg: int | None) -> Primitive:
    """Rows and columns whose two border cells share a marker colour (one found on the border only) drawn
    across in that colour; ``erase``: everything else cleared to the background."""

    def fn(grid: Grid) -> Grid | None:
        b = grid_background(grid, bg)
        h, w = grid.shape
        if h < 3 or w < 3:
            return None
        inner = np.unique(grid[1:-1, 1:-1])
        markers = [c for c in np.unique(grid) if c != b and c not in inner]   # colours seen on the border only
        rows = [y for y in range(h) if grid[y, 0] in markers and grid[y, 0] == grid[y, w - 1]]
        cols = [x for x in range(w) if grid[0, x] in markers and grid[0, x] == grid[h - 1, x]]
        if not rows and not cols:
            return None
        out = np.full_like(grid, b) if erase else grid.copy()
        for y in rows:
            out[y, :] = grid[y, 0]
        for x in cols:
            out[:, x] = grid[0, x]
        return out

    return Primitive(f"border_lines({'erase' if erase else 'keep'}{bg_text(bg)})", fn)


# --- 12. leaking containers --------------------------------------------------------------------------------

def _leaks(grid: Grid, bg: int) -> list[tuple[tuple[int, int, int, int], list[tuple[int, int]], tuple[int, int]]]:
    """Containers with one opening: (the interior as top, left, height, width; the opening's cells; the
    outward step). A container is a one-colour object, its box at least 3x3 and empty inside, whose box
    outline is its own colour except for background cells on one side (the corners closed)."""
    found = []
    for obj in objects_of(grid, View(8, False, bg)):
        if obj.height < 3 or obj.width < 3 or obj.n_colours != 1:
            continue
        box = grid[obj.top:obj.bottom, obj.left:obj.right]
        sides = {"N": (box[0, 1:-1], (-1, 0)), "S": (box[-1, 1:-1], (1, 0)),
                 "W": (box[1:-1, 0], (0, -1)), "E": (box[1:-1, -1], (0, 1))}
        open_sides = [d for d, (cells, _) in sides.items() if (cells == bg).any()]
        corners = (box[0, 0], box[0, -1], box[-1, 0], box[-1, -1])
        if len(open_sides) != 1 or any(c != obj.colour for c in corners):
            continue
        side = open_sides[0]
        cells, step = sides[side]
        if not ((cells == bg) | (cells == obj.colour)).all():
            continue
        inside = box[1:-1, 1:-1]
        if not (inside == bg).all():
            continue
        gap = [int(k) + 1 for k in np.flatnonzero(cells == bg)]
        if side in ("N", "S"):
            y = obj.top if side == "N" else obj.bottom - 1
            opening = [(y, obj.left + k) for k in gap]
        else:
            x = obj.left if side == "W" else obj.right - 1
            opening = [(obj.top + k, x) for k in gap]
        found.append(((obj.top + 1, obj.left + 1, obj.height - 2, obj.width - 2), opening, step))
    return found


def leak(paint: int, spread: bool, bg: int | None) -> Primitive:
    """Containers with one opening (see ``_leaks``) filled with ``paint``, and a ray of ``paint`` running
    out of each opening cell to the border or an obstacle; ``spread``: two diagonal rays as well, from the
    opening's end cells, fanning out."""

    def fn(grid: Grid) -> Grid | None:
        b = grid_background(grid, bg)
        found = _leaks(grid, b)
        if not found:
            return None
        out = grid.copy()
        for (top, left, height, width), opening, (dy, dx) in found:
            out[top:top + height, left:left + width] = paint
            rays = [(y, x, dy, dx) for y, x in opening]
            if spread:
                (y0, x0), (y1, x1) = opening[0], opening[-1]
                if dy == 0:      # opening on a side: fan out up from the top end, down from the bottom end
                    rays += [(y0, x0, -1, dx), (y1, x1, 1, dx)]
                else:
                    rays += [(y0, x0, dy, -1), (y1, x1, dy, 1)]
            for y, x in opening:
                out[y, x] = paint
            for y, x, ry, rx in rays:
                for cy, cx in _straight_path(grid, y, x, ry, rx, b):
                    out[cy, cx] = paint
        return out

    return Primitive(f"leak(paint={paint}{', spread' if spread else ''}{bg_text(bg)})", fn)


# --- 13. diagonal rays from the corners of objects ---------------------------------------------------------

DIAGONALS = ("NW", "NE", "SW", "SE")
MINORITY = -3    # a corner-ray paint: the grid's least frequent non-background colour
OTHER = -4       # a corner-ray paint: the grid's other non-background colour (of two)


def _corners(grid: Grid, bg: int, direction: str) -> np.ndarray:
    """(n, 2) outer corners facing the diagonal ``direction``: non-background cells whose three neighbours
    towards that corner (vertical, horizontal, diagonal) are background; outside the grid counts as
    background."""
    dy, dx = STEPS[direction]
    h, w = grid.shape
    padded = np.full((h + 2, w + 2), bg, dtype=grid.dtype)
    padded[1:-1, 1:-1] = grid
    vertical = padded[1 + dy:h + 1 + dy, 1:w + 1] == bg
    horizontal = padded[1:h + 1, 1 + dx:w + 1 + dx] == bg
    diagonal = padded[1 + dy:h + 1 + dy, 1 + dx:w + 1 + dx] == bg
    return np.argwhere((grid != bg) & vertical & horizontal & diagonal)


def _paint_colour(grid: Grid, bg: int, paint: int | None, own: int) -> int | None:
    """The colour a corner ray paints: its corner's (``paint`` None), the grid's least frequent
    non-background colour (MINORITY), the other one of exactly two non-background colours (OTHER), or
    ``paint`` itself; None when the grid has no such colour."""
    if paint is None:
        return own
    if paint not in (MINORITY, OTHER):
        return paint
    colours, counts = np.unique(grid[grid != bg], return_counts=True)
    if paint == MINORITY:
        return int(colours[np.argmin(counts)]) if len(colours) >= 2 else None
    others = [int(c) for c in colours if c != own]
    return others[0] if len(colours) == 2 and len(others) == 1 else None


def corner_rays(directions: tuple[str, ...], paint: int | None, bg: int | None, clear: bool = False) -> Primitive:
    """Diagonal rays from every outer corner of the objects (any colours together) facing each of
    ``directions``, up to the border or an obstacle (``clear``: only rays that reach the border); painted
    as ``_paint_colour`` says."""

    def fn(grid: Grid) -> Grid | None:
        b = grid_background(grid, bg)
        h, w = grid.shape
        out = grid.copy()
        total = 0
        for d in directions:
            corners = _corners(grid, b, d)
            total += len(corners)
            if total > MAX_SOURCES:
                return None
            dy, dx = STEPS[d]
            for y, x in corners.tolist():
                colour = _paint_colour(grid, b, paint, int(grid[y, x]))
                if colour is None:
                    return None
                cells = _straight_path(grid, y, x, dy, dx, b)
                if clear and cells:
                    ey, ex = cells[-1][0] + dy, cells[-1][1] + dx
                    if 0 <= ey < h and 0 <= ex < w:
                        continue        # blocked before the border
                for cy, cx in cells:
                    out[cy, cx] = colour
        return out if total else None

    colour = {None: "own", MINORITY: "minority", OTHER: "other"}.get(paint, str(paint))
    mode = ", clear" if clear else ""
    return Primitive(f"corner_rays({'+'.join(directions)}, paint={colour}{mode}{bg_text(bg)})", fn)


def _corner_candidates(ctx: TaskContext, bg: int, painted: list[int]) -> list[Primitive]:
    """Corner rays in the diagonals whose rays are painted in every demonstration."""
    prims = []
    for paint in [None, MINORITY, OTHER] + painted:
        for clear in (False, True):
            directions = tuple(d for d in DIAGONALS
                               if _explains_changes(corner_rays((d,), paint, bg, clear), ctx))
            if not directions:
                continue
            prim = corner_rays(directions, paint, bg, clear)
            if clear and _same_on_demonstrations(prim, corner_rays(directions, paint, bg), ctx):
                continue         # no ray is blocked in the demonstrations: the plain rays say it all
            prims.append(prim)
    return prims


def _same_on_demonstrations(one: Primitive, other: Primitive, ctx: TaskContext) -> bool:
    for i in ctx.train_inputs:
        a, b = one(i), other(i)
        if (a is None) != (b is None) or (a is not None and not np.array_equal(a, b)):
            return False
    return True


# --- 14. spirals and rings ---------------------------------------------------------------------------------

CLOCKWISE = ((0, 1), (1, 0), (0, -1), (-1, 0))


def spiral(paint: int) -> Primitive:
    """On a grid of one colour, a square spiral of ``paint`` from the top-left corner, clockwise, one
    background cell between its turns (a step is taken only when the cell after it is not painted)."""

    def fn(grid: Grid) -> Grid | None:
        if (grid != grid[0, 0]).any() or grid[0, 0] == paint:
            return None
        h, w = grid.shape
        drawn = np.zeros((h, w), dtype=bool)

        def free(y: int, x: int, dy: int, dx: int) -> bool:
            ny, nx = y + dy, x + dx
            if not (0 <= ny < h and 0 <= nx < w) or drawn[ny, nx]:
                return False
            ay, ax = ny + dy, nx + dx
            return not (0 <= ay < h and 0 <= ax < w and drawn[ay, ax])

        y, x, heading = 0, 0, 0
        drawn[0, 0] = True
        for _ in range(h * w):
            dy, dx = CLOCKWISE[heading]
            if not free(y, x, dy, dx):
                heading = (heading + 1) % 4
                dy, dx = CLOCKWISE[heading]
                if not free(y, x, dy, dx):
                    break
            y, x = y + dy, x + dx
            drawn[y, x] = True
        out = grid.copy()
        out[drawn] = paint
        return out

    return Primitive(f"spiral(paint={paint})", fn)


def rings(bg: int | None) -> Primitive:
    """Three cells of one colour, evenly spaced on a line: square rings around the middle one, every
    ``spacing`` cells (the seeds' spacing), out to the border."""

    def fn(grid: Grid) -> Grid | None:
        b = grid_background(grid, bg)
        cells = np.argwhere(grid != b)
        if len(cells) != 3 or len({int(grid[y, x]) for y, x in cells}) != 1:
            return None
        order = cells[np.lexsort((cells[:, 1], cells[:, 0]))]
        first, middle, last = (order[k] for k in range(3))
        step = middle - first
        if not np.array_equal(last - middle, step):
            return None
        spacing = int(np.abs(step).max())
        if abs(int(step[0])) not in (0, spacing) or abs(int(step[1])) not in (0, spacing):
            return None     # not on a row, a column or a diagonal
        ys, xs = np.indices(grid.shape)
        distance = np.maximum(np.abs(ys - middle[0]), np.abs(xs - middle[1]))
        out = grid.copy()
        out[distance % spacing == 0] = grid[first[0], first[1]]
        return out

    return Primitive(f"rings({bg_text(bg).lstrip(', ')})", fn)


# --- 15. objects smeared towards their markers ---------------------------------------------------------

def smear_to_markers(marker: int, bg: int | None) -> Primitive:
    """Objects of two colours, one of them ``marker``: for each marker cell, the object's shape, in its
    other colour, stamped again and again one step further from the object's centre towards the marker
    (a thick trail) until it leaves the grid; the markers take the other colour too."""

    def fn(grid: Grid) -> Grid | None:
        b = grid_background(grid, bg)
        objs = objects_of(grid, View(8, True, b))
        if len(objs) > MAX_OBJECTS:
            return None
        h, w = grid.shape
        out = grid.copy()
        found = False
        for obj in objs:
            if obj.n_colours != 2 or obj.size > 36:
                continue
            colours = set(np.unique(obj.patch[obj.mask]).tolist())
            if marker not in colours:
                continue
            main = (colours - {marker}).pop()
            ys, xs = np.nonzero(obj.mask)
            ys, xs = ys + obj.top, xs + obj.left
            cy, cx = (obj.top * 2 + obj.height - 1) / 2, (obj.left * 2 + obj.width - 1) / 2
            out[ys, xs] = main
            for my, mx in zip(ys.tolist(), xs.tolist()):
                if grid[my, mx] != marker:
                    continue
                dy, dx = int(np.sign(my - cy)), int(np.sign(mx - cx))
                if (dy, dx) == (0, 0):
                    continue
                found = True
                for k in range(1, h + w):
                    ty, tx = ys + k * dy, xs + k * dx
                    inside = (ty >= 0) & (ty < h) & (tx >= 0) & (tx < w)
                    if not inside.any():
                        break
                    out[ty[inside], tx[inside]] = main
        return out if found else None

    return Primitive(f"smear_to_markers({marker}{bg_text(bg)})", fn)


# --- 16. rays that shift at markers ---------------------------------------------------------------------

def shifting_rays(source: int, mark: int, bg: int | None) -> Primitive:
    """Rays from the ``source`` cells on one border straight across the grid; every line of cells across
    the ray's way that holds a ``mark`` cell on a side border shifts the ray one cell away from that
    border (the shifts add up)."""

    def fn(grid: Grid) -> Grid | None:
        b = grid_background(grid, bg)
        for turn in range(4):                           # bring the sources to the top border
            g = np.rot90(grid, turn)
            h, w = g.shape
            starts = np.flatnonzero(g[0] == source)
            if len(starts) == 0 or (g[1:] == source).any():
                continue
            left, right = g[:, 0] == mark, g[:, -1] == mark
            if (g == mark).sum() != left.sum() + right.sum() or not (left.any() or right.any()):
                return None
            if left.any() and right.any():
                return None
            shift = 1 if left.any() else -1
            out = g.copy()
            for x0 in starts.tolist():
                x = x0
                for y in range(1, h):
                    if left[y] or right[y]:
                        x += shift
                    if 0 <= x < w and g[y, x] == b:
                        out[y, x] = source
            return np.ascontiguousarray(np.rot90(out, -turn))
        return None

    return Primitive(f"shifting_rays({source}, at={mark}{bg_text(bg)})", fn)


# --- the family -----------------------------------------------------------------------------------------

def _mostly_adds(ctx: TaskContext, bg: int) -> bool:
    """The demonstrations mostly paint background cells (paths are drawn on the background; a few other
    changes, such as a source cell recoloured, are left to another step of the program)."""
    changed = on_background = 0
    for i, o in zip(ctx.train_inputs, ctx.train_outputs):
        diff = i != o
        changed += int(np.count_nonzero(diff))
        on_background += int(np.count_nonzero(i[diff] == bg))
    return changed > 0 and on_background >= ADDS_SHARE * changed


@family("paths")
def paths_family(ctx: TaskContext) -> list[Primitive]:
    """The rules of the module docstring, each offered only when every cell it changes is right in every
    demonstration (and only those that reproduce them when some do); crossing rays, which recolour
    regions, only for tasks that do not mostly paint the background."""
    if not same_size(ctx):
        return []
    bg = task_background(ctx)
    if bg is None:
        bg = 0      # object colours outnumber the background somewhere: 0 is the usual background
    if not _mostly_adds(ctx, bg):
        return _offer(_crossing_candidates(ctx) + [border_lines(True, bg)], ctx)
    painted = painted_colours(ctx)
    if not painted:
        return []
    if len(painted) > 3:      # many colours painted: mostly their sources' colours; fixed paints are new ones
        painted = [c for c in painted if c not in ctx.colours_in()][:2]
    candidates = _extend_candidates(ctx, bg, painted)                  # sections 1 to 16, in order
    candidates += _pattern_candidates(ctx, bg)
    candidates += _turn_candidates(ctx, bg)
    candidates += _seed_candidates(ctx, bg)
    candidates += _fill_candidates(ctx, bg, painted)
    candidates += [tile_runs(axes, bg) for axes in ("row", "col", "both")]
    candidates += _wall_candidates(ctx, bg)
    candidates += _border_candidates(ctx, bg)
    candidates += [meet_halfway(axes, m, bg) for m in painted for axes in ("row", "col", "both")]
    candidates.append(checker_flood(bg))
    candidates += [stripes(axis, bg) for axis in ("rows", "cols", "long")]
    candidates.append(border_lines(False, bg))
    candidates += [leak(paint, spread, bg) for paint in painted for spread in (False, True)]
    candidates += _corner_candidates(ctx, bg, painted)
    if all((i == i[0, 0]).all() for i in ctx.inputs):
        candidates += [spiral(paint) for paint in painted]
    candidates.append(rings(bg))
    candidates += [smear_to_markers(c, bg) for c in ctx.colours_in() if c != bg]
    candidates += [shifting_rays(a, m, bg) for a in painted for m in ctx.colours_in() if m not in (a, bg)]
    return _offer(candidates, ctx)
