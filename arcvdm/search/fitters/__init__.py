"""Fitters: a program's optional last step, learned from the grids it produced and the true outputs.

``basic.py`` holds the plain ones (identity, colour map, constant, tile, scale, blocks, lookup),
``local.py`` the learned neighbourhood rule, ``continuation.py`` a picture continued by its own
translation step to a learned size. ``registry.FITTERS`` lists them in the order the search tries them.
"""
