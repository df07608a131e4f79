"""Program search: a DSL of grid -> grid primitives and an enumerative search over their compositions.

``search_task`` (``engine.py``) finds programs that reproduce every demonstration of a task exactly and
returns their outputs on the test inputs as candidates. The primitives come from the families under
``families/`` and the last steps from ``fitters/``; ``registry.py`` lists both in search order.
"""
