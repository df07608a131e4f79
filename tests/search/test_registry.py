"""Every registered family, checked the same way: on the training tasks listed for it, it offers primitives,
their names are unique (a name is the program text), and each primitive, on every input of those tasks and
on a set of awkward grids, never writes into its input and returns a valid grid or None.

A new family must be listed in ``OFFERING`` with allowed ARC-AGI-1 training tasks on which it offers
primitives (the test fails until it is): that is all a new family needs to be checked like the others.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import numpy as np
import pytest

import arcvdm.search.families
from arcvdm.search.registry import FAMILIES, FITTER_GATES, FITTERS

from training_tasks import allowed_training_tasks, apply_read_only, g, seeded_grid, task_ctx

# family -> allowed training tasks on which it offers primitives (the families' own picks, widened so that
# every family is checked on at least two tasks)
OFFERING: dict[str, tuple[str, ...]] = {
    "colour": ("25ff71a9", "d0f5fe59", "b190f7f5"),
    "geometry": ("25ff71a9", "d0f5fe59", "b190f7f5", "67a3c6ac"),
    "crop_object": ("d9fac9be", "b190f7f5", "de1cd16c"),
    "keep_remove_objects": ("d23f8c26", "5582e5ca"),
    "box_objects": ("25ff71a9", "f76d97a5", "e179c5f4"),
    "recolour_objects": ("aabf363d", "d23f8c26", "a79310a0"),
    "summary": ("d9fac9be", "d0f5fe59"),
    "move_objects": ("25ff71a9", "a79310a0", "67a3c6ac"),
    "fill_and_outline": ("aabf363d", "f76d97a5", "e179c5f4"),
    "denoise": ("25ff71a9", "d23f8c26", "5582e5ca"),
    "rays": ("d4f3cd78", "e179c5f4", "a79310a0"),
    "connect": ("f76d97a5", "d4f3cd78", "67a3c6ac"),
    "parts": ("d9fac9be", "b190f7f5", "e3497940"),
    "arrange": ("4c5c2cf0", "23581191", "3631a71a", "2c608aff", "5521c0d9", "8eb1be9a", "1a07d186", "f8a8fe49",
                "beb8660c", "32597951", "a3df8b1e", "a2fd1cf0", "05269061"),
    "extract": ("9af7a82c", "1c786137", "6773b310", "b91ae062", "ff28f65a", "780d0b14", "cdecee7f", "662c240a",
                "7c008303", "137eaa0f", "75b8110e", "6b9890af", "e50d258f", "b94a9452"),
    "copying": ("d364b489", "95990924", "36d67576", "3e980e27", "e9614598"),
    "choose": ("d13f3404", "feca6190", "bbc9ae5d", "de1cd16c"),
    "complete": ("3345333e", "1b60fb0c", "05269061", "d8c310e9", "e21d9049", "9ecd008a"),
    "traits": ("ba26e723", "c9f8e694", "3bdb4ada", "d2abd087", "694f12f3", "868de0fa", "aabf363d", "ddf7fa4f",
               "85c4e7cd", "272f95fa"),
    "paths": ("7ddcd7ec", "508bd3b6", "97999447", "99fa7670", "d9f24cd1", "d06dbe63", "d6ad076f", "2bee17df",
              "9edfc990", "c3f564a4", "e21d9049", "8d510a79", "29c11459", "b782dc8a", "d07ae81c", "0a938d79",
              "6cdd2623", "d4f3cd78"),
    "panels": ("0520fde7", "06df4c85", "8e5a5113", "cf98881b", "b190f7f5"),
    "placing": ("dc433765", "a1570a43", "b548a754", "6aa20dc0", "57aa92db", "447fd412", "0962bcdd", "045e512c",
                "228f6490", "2bcee788", "56dc2b01", "3e980e27", "4093f84a", "d89b689b", "98cf29f8", "e8dc4411"),
    "reshape": ("25ff71a9", "d9fac9be", "d4f3cd78", "e3497940"),
    "order": ("25ff71a9", "67a3c6ac"),
}


def awkward_grids() -> list[np.ndarray]:
    """Grids no demonstration prepares a primitive for: one cell, tiny, full, striped, diagonal, noisy."""
    return [
        g([[0]]), g([[5]]), g([[1, 2, 0]]), g([[3, 0], [0, 3]]), g([[2, 2], [2, 2]]),
        np.full((30, 30), 7, np.uint8), np.zeros((30, 30), np.uint8),
        np.arange(900, dtype=np.uint8).reshape(30, 30) % 10, np.arange(12, dtype=np.uint8).reshape(3, 4) % 3,
        np.eye(30, dtype=np.uint8) * 4, seeded_grid(1, 8, 8, 0.3), seeded_grid(2, 9, 9, 0.4),
    ]


def test_every_family_is_listed_for_the_check() -> None:
    assert set(OFFERING) == set(FAMILIES), "list a new family in OFFERING (tasks on which it offers primitives)"
    allowed = allowed_training_tasks()
    assert all(t in allowed for tasks in OFFERING.values() for t in tasks), "only allowed training tasks"


def test_every_family_function_is_registered() -> None:
    # a family written under families/ but missing from registry.FAMILIES would never be searched
    registered = {fn for fn in FAMILIES.values()}
    package = arcvdm.search.families
    for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        module = importlib.import_module(info.name)
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if name.endswith("_family") and not name.startswith("_") and fn.__module__ == module.__name__:
                assert fn in registered, f"{module.__name__}.{name} is not in registry.FAMILIES"


def test_fitters_are_listed_once_identity_first() -> None:
    assert list(FITTERS)[0] == "identity"
    assert len(set(FITTERS.values())) == len(FITTERS)


@pytest.mark.parametrize("family", list(FAMILIES))
def test_family_is_pure_and_valid(family: str) -> None:
    contexts = [task_ctx(t) for t in OFFERING.get(family, ())]
    grids = awkward_grids() + [grid for c in contexts for grid in c.inputs]
    offered = 0
    for c in contexts:
        prims = FAMILIES[family](c)
        names = [p.name for p in prims]
        assert len(set(names)) == len(names), f"{family}: a primitive name offered twice: {names}"
        offered += len(prims)
        for prim in prims:
            for grid in grids:
                apply_read_only(prim, grid)
    assert offered > 0, f"{family} offers nothing on its listed tasks: the check would be empty"


# ways to make an output from a produced grid that some fitter learns (so the fitters do fit in this test)
MAKERS = (
    lambda p, rng: p.copy(),
    lambda p, rng: np.where(p == 0, 5, p).astype(np.uint8),                      # a colour map
    lambda p, rng: np.tile(p, (1, 2)),
    lambda p, rng: np.repeat(np.repeat(p, 2, axis=0), 2, axis=1),
    lambda p, rng: np.tile(p, (2, 2)),                                           # also a continuation
    lambda p, rng: np.roll(p, 1, axis=1),                                        # a local rule, maybe
    lambda p, rng: np.kron(p, np.eye(2, dtype=np.uint8)),                         # a block per colour
    lambda p, rng: seeded_grid(int(rng.integers(1 << 30)), p.shape[0], p.shape[1] + 1, 0.5),
)


@pytest.mark.parametrize("name", sorted(FITTER_GATES))
def test_a_fitter_fits_only_where_its_gate_passes_every_pair(name: str) -> None:
    """The engine skips a fitter, and on the last level stops making a state's grids, once one demonstration pair
    fails the fitter's gate (``FITTER_GATES``): a gate that failed a pair the fitter fits would lose programs.
    Demonstrations mix makers (so a gate sees passing and failing pairs in one state)."""
    fit, gate = FITTERS[name], FITTER_GATES[name]
    rng = np.random.default_rng(0)
    fitted = rejected = 0
    for trial in range(300):
        produced = [seeded_grid(trial * 7 + k, int(rng.integers(2, 5)), int(rng.integers(2, 5)), 0.4) for k in range(3)]
        if trial % 3 == 0:  # pictures with a period shorter than themselves: continuations fit these
            produced = [np.tile(seeded_grid(trial * 7 + k, 1, 2, 0.7), (int(rng.integers(2, 4)), 2)) for k in range(3)]
        makers = rng.integers(len(MAKERS), size=3) if trial % 2 else [rng.integers(len(MAKERS))] * 3
        outputs = [MAKERS[m](p, rng) for m, p in zip(makers, produced)]
        passed = [gate(p, o) for p, o in zip(produced, outputs)]
        rejected += not all(passed)
        if fit(produced, outputs) is not None:
            fitted += 1
            assert all(passed), (name, trial, passed)
    assert fitted > 0, f"{name} never fitted: the test shows nothing"
    assert rejected > 0, f"{name}'s gate never rejected a state: the test shows nothing"
