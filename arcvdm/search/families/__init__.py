"""Primitive families: one module, or one sub-package of theme files, per family.

A family reads a task's demonstrations and test inputs (``dsl.TaskContext``) and offers primitives whose
parameters it chose from them. ``registry.FAMILIES`` lists every family in search order; nothing here is
registered by being imported. A sub-package's ``__init__.py`` holds the family function and the offering
rule; its theme files hold the primitives (``paths/rays.py``: rays that bend, bounce or repeat a pattern).

Shared by families and kept beside the engine: ``objects.py`` (connected objects and their views),
``selectors.py`` (named ways to pick one object) and ``facts.py`` (what a task's demonstrations show:
same sizes, painted colours, whether a primitive agrees with what changes).
"""
