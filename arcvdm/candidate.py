"""A candidate answer: one distinct grid for one test input, with what proposed it and how it was judged.

Every proposer fills in its own fields (the program search: ``programs``, ``program_length``,
``search_rank``; the VDM's samples: ``votes``, ``score``, ``views``; view-averaged cells: ``cell_logp``;
the judge: ``vdm_loss``); ``arcvdm.rank`` orders candidates by these fields, ``arcvdm.results`` stores
them, and the plots label each candidate with ``label``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from arcvdm.grids import Grid


@dataclass
class Candidate:
    """A distinct answer grid for one test input, with what proposed it and how it was judged."""

    grid: Grid
    votes: int = 0                          # VDM samples that decoded to this grid
    score: float = 0.0                      # mean decoder confidence of those samples
    views: list[int] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)    # "search" and/or "vdm"
    programs: list[str] = field(default_factory=list)   # texts of the programs that output it, best first
    program_length: int | None = None                  # length of its shortest program
    search_rank: int | None = None                     # rank among the search's distinct answers (0 = best)
    vdm_loss: float | None = None                      # the VDM judge: denoising loss summed over views
    cell_logp: float | None = None                     # log-likelihood under the view-averaged cells

    def label(self) -> str:
        """One line saying where the candidate came from and how it scored."""
        return "; ".join(self.label_parts()) or "no source"

    def label_parts(self) -> list[str]:
        """Where the candidate came from and how it scored, one short phrase per source."""
        parts = []
        if self.programs:
            more = f" (+{len(self.programs) - 1} more)" if len(self.programs) > 1 else ""
            parts.append(f"program [{self.program_length}]: {self.programs[0]}{more}")
        if self.votes:
            parts.append(f"vdm: {self.votes} vote(s), confidence {self.score:.3f}")
        if "cells" in self.sources and not self.votes:
            parts.append("vdm: view-averaged cells")
        if self.cell_logp is not None:
            parts.append(f"cell log-likelihood {self.cell_logp:.2f}")
        if self.vdm_loss is not None:
            parts.append(f"judge loss {self.vdm_loss:.4f}")
        return parts
