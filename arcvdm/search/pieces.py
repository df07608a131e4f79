"""Pieces: answers assembled from several partial programs, each right wherever it paints.

Many outputs are the input's kept part plus something drawn, or two objects each produced by a different
program. No single program reproduces such an output, but several programs each get *part* of it exactly.
A **piece** is a program whose demonstration grids have the outputs' shapes and which is **safe**: every
cell it paints (a cell not of the outputs' background colour) has the output's colour, in every
demonstration. Its **coverage** is the set of output cells it paints. When a few safe pieces together
cover every painted output cell, their overlay reproduces every demonstration exactly (a safe piece never
paints a background cell, and never paints a wrong colour), so it is a program too.

``PiecePool`` collects safe pieces while the search runs (the engine offers every state it makes; one
piece per distinct coverage, the shortest) and ``compose`` covers the outputs greedily: the piece that
paints the most still-uncovered cells first (ties: shorter, then earlier), at most ``MAX_PIECES``.
On a test input the pieces are overlaid in that order, an earlier piece keeping the cells it painted.
The test outputs are never read: pieces are judged on demonstrations only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from arcvdm.grids import Grid
from arcvdm.search.facts import output_background

MAX_PIECES = 3          # more pieces fit almost any output: three keeps the overlay a short explanation
MAX_POOL = 4000         # distinct coverages kept per search view (bounds memory and the greedy's work)


@dataclass(frozen=True)
class Piece:
    """A safe partial program: its primitives, length, discovery order and coverage (a flat bool mask)."""

    program: tuple
    length: int
    order: int
    coverage: np.ndarray  # (sum of output cells,) bool: the output cells it paints, demonstrations in order


class PiecePool:
    """Safe pieces of one search view, keyed by coverage (the shortest program per coverage)."""

    def __init__(self, outputs: list[Grid]):
        self.outputs = outputs
        self.background = output_background(outputs)
        # the output cells a composition must paint, flat over the demonstrations
        self.target = np.concatenate([(o != self.background).ravel() for o in outputs])
        self.pieces: dict[bytes, Piece] = {}
        self.collects = bool(self.target.any())  # outputs all background: no piece can paint anything

    def may_take(self, grid: Grid, index: int) -> bool:
        """Demonstration ``index``'s grid is safe (the output's shape, every painted cell the output's colour) and
        the pool collects pieces at all: every demonstration passes this when ``offer`` keeps a piece."""
        output = self.outputs[index]
        return (
            self.collects
            and grid.shape == output.shape
            and bool(((grid == output) | (grid == self.background)).all())
        )

    def coverage(self, demo: list[Grid], safe: bool = False) -> np.ndarray | None:
        """The output cells these demonstration grids paint, if they are safe and paint some; else None.
        ``safe``: the caller has seen every grid pass ``may_take`` already (the engine asks it of each grid)."""
        masks = []
        for index, g in enumerate(demo):
            if not (safe or self.may_take(g, index)):
                return None
            masks.append((g != self.background).ravel())
        flat = np.concatenate(masks)
        if not flat.any() or np.array_equal(flat, self.target):
            return None  # paints nothing, or is already an exact program (the fitters record those)
        return flat

    def offer(self, demo: list[Grid], program: tuple, length: int, safe: bool = False) -> None:
        """Keep ``program`` as a piece when its demonstration grids are safe (shortest per coverage); ``safe``: as
        ``coverage`` reads it."""
        flat = self.coverage(demo, safe)
        if flat is None:
            return
        key = np.packbits(flat).tobytes()
        known = self.pieces.get(key)
        if known is not None:
            if length < known.length:
                self.pieces[key] = Piece(program, length, known.order, flat)
            return
        if len(self.pieces) < MAX_POOL:
            self.pieces[key] = Piece(program, length, len(self.pieces), flat)

    def compose(self) -> list[Piece] | None:
        """A few pieces whose coverages together are every painted output cell, greedy; None if none."""
        if not self.pieces:
            return None
        candidates = sorted(self.pieces.values(), key=lambda p: (p.length, p.order))
        covered = np.zeros_like(self.target)
        chosen: list[Piece] = []
        for _ in range(MAX_PIECES):
            best, best_gain = None, 0
            for piece in candidates:
                gain = int(np.count_nonzero(piece.coverage & ~covered))
                if gain > best_gain:  # strict: among equal gains the shorter, earlier piece stays
                    best, best_gain = piece, gain
            if best is None:
                return None
            chosen.append(best)
            covered |= best.coverage
            if np.array_equal(covered, self.target):
                return chosen if len(chosen) > 1 else None
        return None

    def overlay(self, grids: list[Grid]) -> Grid | None:
        """The pieces' grids for one test input overlaid (earlier pieces keep their cells); None when their
        shapes differ."""
        shape = grids[0].shape
        out = np.full(shape, self.background, dtype=np.uint8)
        painted = np.zeros(shape, dtype=bool)
        for g in grids:
            if g.shape != shape:
                return None
            new = (g != self.background) & ~painted
            out[new] = g[new]
            painted |= new
        return out
