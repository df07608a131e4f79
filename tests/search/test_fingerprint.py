"""The search's candidates on a fixed sample of training tasks do not change unless a change means them to.

Each task's ``SearchResult.fingerprint()`` (every program in rank order: text, view, length, answers) at a
small budget (a count, so the same on every machine) must equal the value recorded here. A refactor or a
speed-up must leave every value as it is; a change that means to alter the search records the new values
(printed by the failing test) in the same commit, and says why. The tasks make every family offer
primitives (``test_registry.OFFERING``); the larger check over the dev set and 100 training tasks is
``benchmarks/fingerprint.py``.
"""

from __future__ import annotations

import pytest

from arcvdm.config import SearchConfig
from arcvdm.search import cache, kernels, objects
from arcvdm.search.engine import search_task

from training_tasks import allowed_training_tasks

BUDGET = SearchConfig(max_applications=3000)

# recorded at 7da0c94 (before the search was laid out in families/), unchanged since
EXPECTED = {
    "25ff71a9": "cdfcc1a8b42f3392",
    "b190f7f5": "1f94742c96196022",
    "d4f3cd78": "b4688a4bfd0c4389",
    "aabf363d": "5bff731aa4bbfe95",
    "f76d97a5": "227972710be2c631",
    "e179c5f4": "6a721fffc0010c6e",
    "d9fac9be": "292b6986f274b945",
    "de1cd16c": "1d4cdfd791681002",
}


@pytest.mark.parametrize("task_id", list(EXPECTED))
def test_search_candidates_are_unchanged(task_id: str) -> None:
    result = search_task(allowed_training_tasks()[task_id].public(), BUDGET)
    got = result.fingerprint()
    assert got == EXPECTED[task_id], (
        f"{task_id}: the search's candidates changed ({EXPECTED[task_id]} -> {got}); top programs now: "
        f"{[p.text for p in result.programs[:3]]}"
    )


@pytest.mark.parametrize("task_id", list(EXPECTED)[:4])
def test_the_reference_path_gives_the_same_candidates(task_id: str) -> None:
    """With the compiled kernels off (``kernels.reference``: what runs where numba is missing or ARCVDM_JIT=0)
    the search proposes the same candidates. The content caches are emptied first, so that nothing the compiled
    path computed earlier in the session is read back."""
    objects._CACHE.clear()
    cache._cache.clear()
    with kernels.reference():
        result = search_task(allowed_training_tasks()[task_id].public(), BUDGET)
    assert result.fingerprint() == EXPECTED[task_id]


def test_the_benchmark_times_every_primitive_call_the_search_counts() -> None:
    """``benchmarks/fingerprint.py --primitives`` times each primitive call of a search: as many calls as the
    search itself counts (``SearchResult.calls``), and a row per primitive kind with its family."""
    import re
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    command = [sys.executable, "benchmarks/fingerprint.py", "--lists", "dev", "--limit", "1", "--workers", "1",
               "--set", "max_applications=400", "--primitives", "1"]
    done = subprocess.run(command, cwd=root, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    found = re.search(r"primitive calls of 1 tasks: ([\d,]+) timed \(the searches counted ([\d,]+)\)", done.stdout)
    assert found, done.stdout[-2000:]
    assert found.group(1) == found.group(2) != "0"
    rows = [line for line in done.stdout.splitlines() if re.match(r"\s+\w+: \w+\s+[\d,]+\s", line)]
    assert rows, done.stdout[-2000:]
