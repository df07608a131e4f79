"""The compiled kernels (``kernels.py``) equal their numpy references: each kernel against the code it replaces on
random grids of every size, and the switch that turns the compiled path off. (That a whole search gives the same
candidates both ways is ``test_fingerprint.py::test_the_reference_path_gives_the_same_candidates``.)"""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest

from arcvdm.search import kernels, objects
from arcvdm.search.families import geometry, lines
from arcvdm.search.objects import View


def both(fn, *args):
    """``fn(*args)`` on the compiled path and on the reference path."""
    compiled = fn(*args)
    with kernels.reference():
        reference = fn(*args)
    return compiled, reference


def same(a, b) -> bool:
    return (a is None and b is None) or (a is not None and b is not None and a.dtype == b.dtype and np.array_equal(a, b))


def test_numba_is_installed_and_the_compiled_path_is_on_by_default():
    """numba is a dependency: a plain install runs the compiled path (the tests below would compare a reference
    with itself otherwise)."""
    assert kernels.numba is not None and kernels.ENABLED


def test_arcvdm_jit_0_runs_the_references():
    env = {**os.environ, "ARCVDM_JIT": "0"}
    done = subprocess.run([sys.executable, "-c", "from arcvdm.search import kernels; print(kernels.ENABLED)"],
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "False", done.stderr[-1000:]


def test_a_read_only_install_compiles_without_a_disk_cache(monkeypatch):
    """Where numba has nowhere to write its cache it raises RuntimeError at decoration; the kernel is then compiled
    in memory instead of failing the import."""
    real = kernels.numba.njit
    asked = []

    def njit(*args, **options):
        if not args:  # a decorator factory call, as ``_compile`` makes (numba itself calls njit(fn) too)
            asked.append(options.get("cache", False))
        if options.get("cache"):
            raise RuntimeError("cannot cache function: no locator available")
        return real(*args, **options)

    monkeypatch.setattr(kernels.numba, "njit", njit)
    twice = kernels._compile(lambda x: 2 * x)
    assert asked == [True, False] and twice(21) == 42


def test_reference_switches_the_path_off_and_back():
    assert kernels.ENABLED
    with kernels.reference():
        assert not kernels.ENABLED
    assert kernels.ENABLED


def test_symmetric_fill_equals_its_reference():
    rng = np.random.default_rng(0)
    filled = 0
    for _ in range(600):
        h = int(rng.integers(1, 12))
        w = h if rng.random() < 0.6 else int(rng.integers(1, 12))
        grid = rng.integers(1, 4, (h, w)).astype(np.uint8)
        for image in geometry._mirrors(grid, str(rng.choice(geometry.SYMMETRY_KINDS))):
            if rng.random() < 0.7:
                grid = np.maximum(grid, image)  # symmetric-ish pictures, so that fills succeed
        hole = int(rng.integers(0, 4))
        grid[rng.random((h, w)) < 0.25] = hole
        for kind in geometry.SYMMETRY_KINDS:
            a, b = both(geometry.sym_fill, grid, kind, hole)
            assert same(a, b), (kind, hole, grid.tolist())
            filled += a is not None
    assert filled > 300  # both outcomes are exercised


def test_periodic_fill_equals_its_reference():
    rng = np.random.default_rng(1)
    filled = 0
    for _ in range(1500):
        py, px = int(rng.integers(1, 6)), int(rng.integers(1, 6))
        h, w = int(rng.integers(1, 31)), int(rng.integers(1, 31))
        tile = rng.integers(1, 5, (py, px)).astype(np.uint8)
        grid = np.tile(tile, (h // py + 1, w // px + 1))[:h, :w].copy()
        grid[rng.random((h, w)) < rng.random() * 0.6] = 0
        if rng.random() < 0.3:
            grid[rng.integers(0, h), rng.integers(0, w)] = int(rng.integers(0, 6))  # break the period somewhere
        a, b = both(geometry.period_fill, grid, 0)
        assert same(a, b), grid.tolist()
        filled += a is not None
    assert 300 < filled < 1500


def test_rays_equal_their_reference():
    rng = np.random.default_rng(2)
    names = list(lines.STEPS)
    changed = 0
    for _ in range(1500):
        h, w = int(rng.integers(1, 16)), int(rng.integers(1, 16))
        grid = np.zeros((h, w), np.uint8)
        k = int(rng.integers(0, max(2, h * w // 3)))
        grid.flat[rng.integers(0, h * w, k)] = rng.integers(1, 10 if rng.random() < 0.3 else 4, k)
        if rng.random() < 0.3:
            grid[grid == 0] = int(rng.integers(0, 4))
        spec = tuple((None if rng.random() < 0.3 else int(rng.integers(0, 4)),
                      tuple(rng.choice(names, size=int(rng.integers(0, 4)), replace=False).tolist()))
                     for _ in range(int(rng.integers(1, 3))))
        paint = None if rng.random() < 0.6 else int(rng.integers(0, 5))
        bg = None if rng.random() < 0.5 else int(rng.integers(0, 3))
        prim = lines.rays(spec, str(rng.choice(lines.MODES)), paint, bg, bool(rng.random() < 0.5))
        a, b = both(prim, grid)
        assert same(a, b), (prim.name, grid.tolist())
        changed += a is not None and not np.array_equal(a, grid)
    assert changed > 300


def _fields(found: tuple[objects.Obj, ...]) -> list[tuple]:
    return [(o.top, o.left, o.height, o.width, o.size, o.colour, o.n_colours, o.minor, o.index, o.labels.dtype,
             o.labels.tobytes(), o.mask.tobytes(), o.patch.tobytes()) for o in found]


@pytest.mark.parametrize("conn", [0, 4, 8])
def test_objects_and_labels_equal_their_reference(conn):
    rng = np.random.default_rng(conn)
    for _ in range(400):
        h, w = int(rng.integers(1, 31)), int(rng.integers(1, 31))  # both sides of objects.BFS_MAX_CELLS
        grid = np.zeros((h, w), np.uint8)
        k = int(rng.integers(0, h * w + 1))
        grid.flat[rng.integers(0, h * w, k)] = rng.integers(0, int(rng.integers(1, 11)), k)  # colours up to 9
        view = View(conn, bool(rng.random() < 0.5), None if rng.random() < 0.5 else int(rng.integers(0, 3)))
        a, b = both(objects._build_objects, grid, view)
        assert _fields(a) == _fields(b), (view, grid.tolist())
        if conn:
            (la, na), (lb, nb) = both(objects.label, grid, view.background_of(grid), conn, view.multi)
            assert na == nb and la.dtype == lb.dtype and np.array_equal(la, lb)


def test_a_colour_outside_0_to_9_runs_the_reference_and_writes_nothing_past_a_table():
    grid = np.array([[1, 12, 12], [0, 1, 3], [3, 0, 12]], dtype=np.uint8)
    assert kernels.label_objects(grid, 0, 4, False)[1] == -1
    (la, na), (lb, nb) = both(objects.label, grid, 0, 8, False)
    assert na == nb and np.array_equal(la, lb)
    prim = lines.rays(((None, ("N", "E")),), "stop", None, 0)
    status, _out = kernels.rays(grid, np.array([-1]), np.full((1, 8), -1), lines._STEP_TABLE, 0, 0, -1, False, 30, 150)
    assert status == -1
    a, b = both(prim, grid)
    assert same(a, b)


def test_background_and_colour_set_equal_their_reference():
    """Grids and other arrays of colours, any layout; a value outside 0-9 falls back to the reference."""
    from arcvdm.search import facts

    rng = np.random.default_rng(5)
    for _ in range(1000):
        shape = (int(rng.integers(1, 31)), int(rng.integers(1, 31))) if rng.random() < 0.8 else (int(rng.integers(1, 50)),)
        cells = rng.integers(0, int(rng.integers(1, 11)), shape).astype(np.uint8)
        if cells.ndim == 2 and rng.random() < 0.3:
            cells = cells.T  # not contiguous
        if rng.random() < 0.05:
            cells = cells.astype(np.int64) + 10
        a, b = both(lambda c: (facts.background(c), facts.colour_set(c)), cells)
        assert a == b, cells.tolist()
    assert facts.colour_set(np.array([[0, 3], [3, 9]], np.uint8)) == (1 << 0) | (1 << 3) | (1 << 9)
