"""A bounded cache of results that are a pure function of a grid's content (and a few parameters).

The engine memoises each primitive on each grid; several primitives of one family often compute the same
intermediate result on the same grid (the parts of a split, a periodic completion that one primitive
returns and another crops). ``by_content`` keeps such results once, keyed by the grid's shape and cells.
A cached result is shared: callers treat it, like every grid in the search, as a value never written.
"""

from __future__ import annotations

from typing import Callable, TypeVar

from arcvdm.grids import Grid

T = TypeVar("T")

CACHE_SIZE = 4096  # entries; the whole cache is emptied when full (about 4 MB of 30x30 grids at most)
_cache: dict[tuple, object] = {}


def by_content(kind: str, grid: Grid, params: tuple, make: Callable[[], T]) -> T:
    """``make()``, computed once per (``kind``, ``params``, grid content) while the cache holds it."""
    key = (kind, params, grid.shape, grid.tobytes())
    if key not in _cache:
        if len(_cache) >= CACHE_SIZE:
            _cache.clear()
        _cache[key] = make()
    return _cache[key]  # type: ignore[return-value]
