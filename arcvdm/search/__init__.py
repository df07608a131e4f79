"""Program search: a DSL of grid -> grid primitives and an enumerative search over their compositions.

Importing this package registers every primitive family and fitter (``dsl.FAMILIES``, ``dsl.FITTERS``).
``search_task`` (``engine.py``) finds programs that reproduce every demonstration of a task exactly and
returns their outputs on the test inputs as candidates.
"""

from arcvdm.search import (  # noqa: F401  (registration)
    colour, geometry, objects, selectors, select, recolour, summary, moving, painting, lines, parts, fitters,
    arrange, extract, local, continuation, copying, choose, complete, traits, paths, panels, placing, reshape,
    order,
)
