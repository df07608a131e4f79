"""A whole-run deadline: cheaper answers for the tasks that no longer fit, so the submission is always in time.

``--deadline 11h`` (or ``30m``, ``90s``, ``1h30m``) starts a clock when the command starts. Before each task
a process chooses one of three ways to answer it:

``full``
    the recipe, when the slowest full task seen so far, plus the fallback for this process's share of the
    tasks after it, still fits in the time left (the first task goes ahead: nothing is known yet);
``fallback``
    the fallback recipe (default ``search``: program search, numpy only, seconds per task), when its
    slowest time seen so far (or ``FALLBACK_PRIOR_SECONDS`` before any) fits;
``input``
    each test input copied as both attempts (no work at all), when even that does not fit.

A safety margin (``margin``, 2 % of the deadline and at least 20 s) is kept free for writing the submission.
Each cut task says so in its result's ``notes`` and in the log; ``summary.json`` lists them under
``cut_by_deadline``. A cut changes answers, so a run that hits its deadline is no longer independent of
machine speed: that is the deadline's purpose.
"""

from __future__ import annotations

import math
import re
import time
from dataclasses import dataclass, field

from arcvdm.errors import ConfigError

FALLBACK_PRIOR_SECONDS = 30.0   # the search recipe's slowest sample task on 1 CPU core is ~25 s
MIN_MARGIN_SECONDS = 20.0
MARGIN_SHARE = 0.02
NOTE_PREFIX = "deadline:"

_PART = re.compile(r"(\d+(?:\.\d+)?)([hms])")
_UNIT = {"h": 3600.0, "m": 60.0, "s": 1.0}


def parse_duration(text: str) -> float:
    """Seconds in a duration such as ``11h``, ``30m``, ``90s``, ``1h30m`` or ``2.5h``."""
    compact = text.strip().lower().replace(" ", "")
    parts = _PART.findall(compact)
    if not compact or "".join(n + u for n, u in parts) != compact:
        raise ConfigError(f"--deadline {text!r}: write a duration as hours, minutes and seconds, e.g. 11h, 30m, 90s or 1h30m")
    seconds = sum(float(n) * _UNIT[u] for n, u in parts)
    if seconds <= 0:
        raise ConfigError(f"--deadline {text!r}: must be longer than 0 s")
    return seconds


@dataclass
class Deadline:
    """The clock of one process: when its run must be done, and the task times seen so far."""

    seconds: float                       # the whole budget, from the command's start
    start: float = field(default_factory=time.monotonic)
    fallback: str = "search"             # the cheaper recipe's name
    full_seconds: list[float] = field(default_factory=list)
    fallback_seconds: list[float] = field(default_factory=list)

    @property
    def margin(self) -> float:
        return max(MIN_MARGIN_SECONDS, MARGIN_SHARE * self.seconds)

    def left(self, now: float | None = None) -> float:
        """Seconds left before the margin (negative once inside it)."""
        now = time.monotonic() if now is None else now
        return self.start + self.seconds - self.margin - now

    def expired(self) -> bool:
        """True once only the margin is left: stop waiting, write the submission."""
        return self.left() <= 0

    def choose(self, tasks_after: int, processes: int = 1, now: float | None = None) -> str:
        """``full``, ``fallback`` or ``input`` for the next task, given how many tasks are left after it."""
        left = self.left(now)
        fallback_cost = max(self.fallback_seconds, default=FALLBACK_PRIOR_SECONDS)
        full_cost = max(self.full_seconds, default=0.0)
        share_after = math.ceil(max(tasks_after, 0) / max(processes, 1))
        if left > 0 and full_cost + share_after * fallback_cost <= left:
            return "full"
        if fallback_cost <= left:
            return "fallback"
        return "input"

    def note(self, mode: str, left: float) -> str:
        """The line recorded in a cut task's notes and in the log."""
        what = f"the {self.fallback!r} recipe" if mode == "fallback" else "its test inputs as attempts"
        return f"{NOTE_PREFIX} answered by {what} instead of the full recipe ({left:.0f}s left before the margin)"


def cut_tasks(results: dict) -> dict[str, str]:
    """Task id -> the deadline note, for every result a deadline cut (from any process)."""
    cut = {}
    for task_id, result in results.items():
        for note in result.notes:
            if note.startswith(NOTE_PREFIX):
                cut[task_id] = note
    return cut


def input_result(task, note: str):
    """A result that answers each test input with itself, twice: free, always valid, rarely right."""
    from arcvdm.results import TaskResult, TestPrediction

    predictions = [TestPrediction(ex.input, ex.input, []) for ex in task.test]
    return TaskResult(task.id, predictions, notes=[note])
