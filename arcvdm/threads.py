"""How many CPU threads torch uses: one policy for every command and every recipe, ARC grids or images.

1. **Chosen**: ``--threads N`` (``choose_threads``, before or after the command) sets ``OMP_NUM_THREADS``,
   which torch reads when it is imported, and torch's count when it already is. The policy below then leaves
   it alone; so does an ``OMP_NUM_THREADS`` set by the user.
2. **Not chosen**: a solver that runs the VDM calls ``torch_thread_policy`` when it is built: torch takes every
   core but one. In the portfolio recipes that core is the search worker's (``search.background``); in the
   others (``vdm``, ``segmentation``, ``pose``) it is left to the rest of the process and to whatever else
   shares the machine. torch's own default, every core, oversubscribes a machine that is doing anything else:
   an OpenMP thread spins while it waits for one the scheduler has put aside, and one segmentation task took
   532-1274 CPU-seconds with 2 threads on 2 loaded cores, 162-165 with 1 (``benchmarks/RESULTS.md``,
   "Vision thread policy"). The price on an idle 2-core machine: 158 s wall instead of 110.

Inter-op threads are left at torch's default: no inter-op thread was seen busy during a solve.
The answers do not depend on speed, but they may on the thread count (reductions split differently):
README, "Same command, same answers".
"""

from __future__ import annotations

import os
import sys

from arcvdm.errors import ConfigError

THREADS_VARIABLE = "OMP_NUM_THREADS"


def choose_threads(threads: int | None) -> None:
    """``--threads``: set torch's CPU threads; before torch is imported (commands import it lazily) through
    ``OMP_NUM_THREADS``. None leaves the choice to ``torch_thread_policy``."""
    if threads is None:
        return
    if threads < 1:
        raise ConfigError(f"--threads must be at least 1, got {threads}")
    os.environ[THREADS_VARIABLE] = str(threads)
    if "torch" in sys.modules:
        sys.modules["torch"].set_num_threads(threads)


def torch_thread_policy() -> int:
    """Unless the count was chosen (``--threads`` / ``OMP_NUM_THREADS``), torch keeps to every core but one
    (never fewer than one thread). Idempotent. Returns torch's thread count."""
    import torch

    if THREADS_VARIABLE not in os.environ:
        threads = torch.get_num_threads()
        if threads > 1 and threads >= (os.cpu_count() or 1):
            torch.set_num_threads(threads - 1)
    return torch.get_num_threads()
