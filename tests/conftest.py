"""Test-wide settings: one torch thread.

The toy models are tiny, so one thread is as fast as two, and it keeps the suite fast when other
processes share the cores (oversubscribed OpenMP threads can run 10x slower).
"""

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")

import torch  # noqa: E402  (after the environment variable, on purpose)

torch.set_num_threads(1)
