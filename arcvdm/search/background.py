"""The program search in a process of its own, so it runs on one core while the VDM trains on another.

The search is numpy and Python (it holds the GIL), the VDM is torch: in one process they take turns, in
two they overlap, and a task costs about max(search, VDM) seconds instead of their sum. The answers are
the same either way: the search reads only the public task and its config, and counts its budget.

``BackgroundSearch`` starts one worker, ``python -m arcvdm.search.background`` (a fresh interpreter: no
torch, no forked thread state, and the caller's script is never re-imported, unlike ``multiprocessing``'s
spawn), and reuses it for every task of a run. Requests and results travel as JSON lines over the
worker's stdin/stdout (no pickles: ``tests/test_safe_loading.py``), one at a time. ``submit`` returns a
``PendingSearch`` whose ``result()`` waits for the ``SearchResult``; when the worker cannot start or dies,
the search runs in the calling process instead and ``fallback`` says why (the answers do not change).
"""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import BinaryIO

import numpy as np

from arcvdm.config import SearchConfig
from arcvdm.tasks import Example, Task

# --- the wire format: one JSON object per line ------------------------------------------------------------


def request_line(task: Task, cfg: SearchConfig) -> bytes:
    """A search request: the public task's grids and the search config."""
    def grids(examples: tuple[Example, ...], outputs: bool) -> list[dict]:
        rows = []
        for ex in examples:
            row = {"input": ex.input.tolist()}
            if outputs:
                row["output"] = ex.output.tolist()
            rows.append(row)
        return rows

    message = {"id": task.id, "source": task.source, "train": grids(task.train, True),
               "test": grids(task.test, False), "config": dataclasses.asdict(cfg)}
    return (json.dumps(message, separators=(",", ":")) + "\n").encode("utf-8")


def read_request(line: bytes) -> tuple[Task, SearchConfig]:
    """The inverse of ``request_line``."""
    message = json.loads(line)
    def grid(rows: list) -> np.ndarray:
        return np.array(rows, dtype=np.uint8)

    train = tuple(Example(grid(ex["input"]), grid(ex["output"])) for ex in message["train"])
    test = tuple(Example(grid(ex["input"]), None) for ex in message["test"])
    return Task(message["id"], train, test, message["source"]), SearchConfig(**message["config"])


def reply_line(result: object, seconds: float) -> bytes:
    """A search answer: the ``SearchResult`` as JSON and the search's seconds."""
    message = {"status": "ok", "result": result.to_json(), "seconds": seconds}
    return (json.dumps(message, separators=(",", ":")) + "\n").encode("utf-8")


def read_reply(line: bytes) -> tuple[object, float]:
    """The inverse of ``reply_line`` (an "error" reply raises RuntimeError with the worker's message)."""
    from arcvdm.search.engine import Program, SearchResult

    if not line:
        raise EOFError("the search worker closed its output")
    message = json.loads(line)
    if message["status"] != "ok":
        raise RuntimeError(message["error"])
    data = message["result"]
    programs = [
        Program(p["text"], p["length"], p["view"], [np.array(o, dtype=np.uint8) for o in p["outputs"]])
        for p in data["programs"]
    ]
    result = SearchResult(programs, data["expanded"], data["fitted_all"], data["views"], data["expanded_per_view"],
                          data["primitives"], data["errors"], data.get("applications", 0), data.get("calls", 0))
    return result, float(message["seconds"])


def run_search(task: Task, cfg: SearchConfig) -> tuple[object, float]:
    """The search and its wall seconds (what the worker runs for each request)."""
    from arcvdm.search import engine

    t0 = time.perf_counter()
    result = engine.search_task(task, cfg)
    return result, time.perf_counter() - t0


class PendingSearch:
    """One submitted search: ``result()`` waits for it (or runs it here when the worker failed)."""

    def __init__(self, task: Task, cfg: SearchConfig, owner: "BackgroundSearch | None", reason: str = ""):
        self.task, self.cfg, self.owner = task, cfg, owner
        self.fallback = reason  # why the search ran in this process ("" when the worker ran it)
        self._result: tuple[object, float] | None = None

    def result(self) -> tuple[object, float]:
        """The ``SearchResult`` and the search's seconds."""
        if self._result is None:
            if self.owner is not None:
                try:
                    self._result = self.owner.receive(self)
                except (EOFError, OSError, ValueError, RuntimeError) as err:
                    self.owner.close()
                    self.fallback = f"search worker failed ({type(err).__name__}: {err}); searched in the main process"
            if self._result is None:
                self._result = run_search(self.task, self.cfg)
        return self._result


class BackgroundSearch:
    """One worker process for searches, started on the first ``submit`` and reused until ``close``."""

    def __init__(self) -> None:
        self._proc: subprocess.Popen | None = None
        self._waiting: PendingSearch | None = None  # the request the worker is answering

    def submit(self, task: Task, cfg: SearchConfig) -> PendingSearch:
        """Start searching ``task`` (already public) in the worker; returns at once."""
        if self._waiting is not None:
            self._waiting.result()  # a previous solve stopped before collecting its search: drain it
        try:
            if self._proc is None or self._proc.poll() is not None:
                # the folder holding the arcvdm package comes first on the worker's path (a source checkout
                # works without an install); one numpy thread: the other cores belong to the VDM
                root = str(Path(__file__).resolve().parents[2])
                path = os.pathsep.join([root] + ([os.environ["PYTHONPATH"]] if os.environ.get("PYTHONPATH") else []))
                env = {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONPATH": path}
                self._proc = subprocess.Popen(
                    [sys.executable, "-m", "arcvdm.search.background"],
                    stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env,
                )
            self._proc.stdin.write(request_line(task, cfg))
            self._proc.stdin.flush()
        except OSError as err:
            self.close()
            return PendingSearch(task, cfg, None, f"search worker unavailable ({err}); searched in the main process")
        self._waiting = PendingSearch(task, cfg, self)
        return self._waiting

    def receive(self, pending: PendingSearch) -> tuple[object, float]:
        """Read the worker's answer to ``pending`` (the one request it has)."""
        if self._proc is None or pending is not self._waiting:
            raise RuntimeError("no search request is waiting for this answer")
        self._waiting = None
        return read_reply(self._proc.stdout.readline())

    def close(self) -> None:
        """Stop the worker (a later ``submit`` starts a new one)."""
        proc, self._proc, self._waiting = self._proc, None, None
        if proc is not None:
            try:
                proc.stdin.close()
                proc.wait(timeout=5)
            except (OSError, subprocess.TimeoutExpired):
                proc.kill()

    def __del__(self) -> None:
        self.close()


def serve(requests: BinaryIO, answers: BinaryIO) -> None:
    """The worker's loop: one request line in, one reply line out, until the caller closes the pipe."""
    for line in requests:
        try:
            task, cfg = read_request(line)
            reply = reply_line(*run_search(task, cfg))
        except Exception as err:  # reported to the caller, which searches itself and says why
            message = {"status": "error", "error": f"{type(err).__name__}: {err}"}
            reply = (json.dumps(message) + "\n").encode("utf-8")
        answers.write(reply)
        answers.flush()


if __name__ == "__main__":
    # answers go to the original stdout; anything a primitive might print goes to stderr instead
    channel = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    serve(sys.stdin.buffer, channel)
