"""The search in a worker process (arcvdm/search/background.py): the same answers as in-process, a dead
worker falls back to searching here, and the portfolio collects a background search before pooling."""

import io

import numpy as np
import pytest

from arcvdm.config import SearchConfig
from arcvdm.jobs import resolve_config
from arcvdm.search import engine
from arcvdm.search.background import BackgroundSearch, read_reply, read_request, reply_line, request_line, serve
from arcvdm.solve import Solver

from training_tasks import allowed_training_tasks

CFG = SearchConfig(max_depth=2, max_applications=3000)


@pytest.fixture(scope="module")
def task():
    return allowed_training_tasks()["3c9b0459"].public()  # rot180: found at depth 1


def _texts(result) -> list[str]:
    return [p.text for p in result.programs]


def test_request_and_reply_lines_round_trip(task):
    back, cfg = read_request(request_line(task, CFG))
    assert back.id == task.id and cfg == CFG and all(ex.output is None for ex in back.test)
    for a, b in zip(back.train + back.test, task.train + task.test):
        assert np.array_equal(a.input, b.input) and a.input.dtype == np.uint8
        assert (a.output is None) == (b.output is None) and (a.output is None or np.array_equal(a.output, b.output))
    result = engine.search_task(task, CFG)
    again, seconds = read_reply(reply_line(result, 1.5))
    assert seconds == 1.5 and again.to_json() == result.to_json()


def test_serve_answers_each_request_in_order_and_reports_errors(task):
    requests = io.BytesIO(request_line(task, CFG) + b"not json\n" + request_line(task, SearchConfig(max_depth=1)))
    answers = io.BytesIO()
    serve(requests, answers)
    first, bad, second = answers.getvalue().splitlines(keepends=True)
    assert _texts(read_reply(first)[0]) == _texts(engine.search_task(task, CFG))
    with pytest.raises(RuntimeError, match="JSONDecodeError"):
        read_reply(bad)
    assert read_reply(second)[1] > 0.0  # the search's seconds


def test_worker_gives_the_in_process_answers_and_survives_a_crash(task):
    here = engine.search_task(task, CFG)
    worker = BackgroundSearch()
    try:
        pending = worker.submit(task, CFG)
        result, seconds = pending.result()
        assert pending.fallback == "" and _texts(result) == _texts(here) and seconds > 0.0
        for a, b in zip(result.programs, here.programs):
            assert all(np.array_equal(x, y) for x, y in zip(a.outputs, b.outputs))
        # the worker dies mid-request: the search runs here instead, and says so
        pending = worker.submit(task, CFG)
        worker._proc.kill()
        result, _ = pending.result()
        assert "search worker failed" in pending.fallback and _texts(result) == _texts(here)
        # the next request starts a new worker
        pending = worker.submit(task, CFG)
        assert _texts(pending.result()[0]) == _texts(here) and pending.fallback == ""
    finally:
        worker.close()


def test_portfolio_answers_are_the_same_with_the_search_in_the_background():
    task = allowed_training_tasks()["3c9b0459"]
    toy = ["search.enabled=true", "search.max_depth=2", "search.max_applications=3000", "train.steps=2",
           "sample.num_steps=1", "sample.num_samples=2", "views.num_views=2"]
    results = {}
    for background in ("true", "false"):
        solver = Solver(resolve_config("toy", toy + [f"search.background={background}"]))
        results[background] = solver.solve(task, progress=False)
        solver.background.close()
    bg, here = results["true"], results["false"]
    assert "search_wait" in bg.timings and "search_wait" not in here.timings
    assert bg.search["programs"] == here.search["programs"] and "fallback" not in bg.search
    for a, b in zip(bg.predictions, here.predictions):
        assert np.array_equal(a.attempt_1, b.attempt_1) and np.array_equal(a.attempt_2, b.attempt_2)
    assert np.array_equal(bg.predictions[0].attempt_1, task.test[0].output)  # the program's answer first
