"""One self-contained HTML page for a run folder: a summary table, then every task's pictures.

The page needs nothing beside it: pictures are embedded as ``data:`` URIs (PNG figures, GIF
animations), styles are inline, there is no script. The ground truth (and the demonstrations for the
task picture) come from a task source (``find_truth``): ``tasks_source`` when given (``--tasks``, anything
``load_tasks`` accepts), else the source the run recorded in its ``summary.json``; when that cannot be
read, the solved status the summary recorded. The page says which.

A run without the VDM (recipe ``search``) has no training time, loss or votes: its table leaves those
columns out, and each task's section lists the programs behind each attempt (text and search view).

One page for every encoder: an ARC task is solved when an attempt equals its output (the ARC Prize
score); an image task (segmentation, pose) is scored by attempt 1's mIoU or PCK (``arcvdm.vision.metrics``).
Pictures come from ``task_pictures``, drawn by the run's encoder.

Large runs: only the first ``max_pictured`` tasks get pictures (drawing takes ~1-2 s per task and the
page grows by a few hundred kB per task); every task gets a table row.
"""

from __future__ import annotations

import base64
import html
from dataclasses import dataclass
from pathlib import Path

from arcvdm.errors import ArcvdmError, ConfigError
from arcvdm.grids import grids_equal
from arcvdm.jsonio import read_json
from arcvdm.plots.decoding import AMBIGUOUS_RGB_DISTANCE
from arcvdm.plots.grids import CORRECT, WRONG, figure_png
from arcvdm.plots.run import Picture, load_run_config, run_uses_vdm, task_pictures
from arcvdm.results import TaskResult, finished_ids, load_task_result, run_folder
from arcvdm.sources import load_tasks
from arcvdm.submission import arc_prize
from arcvdm.tasks import Task
from arcvdm.vision.metrics import VisionScore, score_results
from arcvdm.vision.tasks import VisionTask

MAX_PICTURED = 50

STYLE = f"""
body {{ font-family: sans-serif; margin: 1.5em; color: #000; background: #fff; }}
table {{ border-collapse: collapse; margin: 1em 0; }}
th, td {{ border: 1px solid #bbb; padding: 0.25em 0.6em; text-align: left; font-size: 0.9em; }}
th {{ background: #eee; }}
td.num {{ text-align: right; font-variant-numeric: tabular-nums; }}
.yes {{ color: {CORRECT}; font-weight: bold; }}
.no {{ color: {WRONG}; font-weight: bold; }}
figure {{ display: inline-block; margin: 0.5em 1em 1em 0; vertical-align: top; }}
figcaption {{ font-size: 0.85em; color: #333; }}
section {{ border-top: 2px solid #ccc; margin-top: 1.5em; }}
pre {{ background: #f4f4f4; padding: 0.5em; white-space: pre-wrap; }}
"""


@dataclass
class Row:
    """One line of the summary table."""

    task_id: str
    solved: list[bool] | None      # per test output; None when the truth is unknown
    seconds: float
    train_seconds: float
    winner: list[str]              # per test input: where attempt 1 came from (program text or VDM votes)
    final_loss: float | None
    error: str | None
    metric: str | None = None      # an image task with known targets: attempt 1's mIoU or PCK, in place of solved


@dataclass
class Truth:
    """What the page knows of the right answers, and the sentence that says where it came from."""

    tasks: dict[str, Task]             # task id -> task (demonstrations, and test outputs when known)
    recorded: dict[str, list[bool]]    # task id -> solved per test output, as the run's summary.json recorded it
    where: str


def recorded_solved(summary: dict) -> dict[str, list[bool]]:
    """The ``solved`` table of a run's summary (task id -> per test output), {} when it holds none."""
    solved = summary.get("solved")
    if not isinstance(solved, dict):
        return {}
    return {str(k): [bool(x) for x in v] for k, v in solved.items() if isinstance(v, list)}


def find_truth(tasks_source: str | None, solutions: str | None, summary: dict) -> Truth:
    """The tasks to judge a run against: ``tasks_source`` (``--tasks``) when given, else the source the run
    recorded (``summary.json``: ``source``, ``solutions``); when that is missing or cannot be read, the solved
    status the summary recorded (no task pictures then)."""
    if tasks_source is not None:
        tasks = {t.id: t for t in load_tasks(tasks_source, solutions).tasks}
        return Truth(tasks, {}, f"ground truth from {tasks_source} (--tasks)")
    recorded = recorded_solved(summary)
    fallback = ("solved status as the run's summary.json recorded it" if recorded
                else "whether tasks are solved is unknown")
    source = summary.get("source")
    if not isinstance(source, str):
        return Truth({}, recorded, f"the run recorded no task source; {fallback} (give --tasks for the truth and task pictures)")
    try:
        loaded = load_tasks(source, summary.get("solutions"))
    except ArcvdmError as err:
        return Truth({}, recorded, f"the run's task source could not be read ({err}); {fallback} (give --tasks)")
    return Truth({t.id: t for t in loaded.tasks}, recorded,
                 f"ground truth from {source}, the task source recorded in the run's summary.json")


def solved_outputs(result: TaskResult, task: Task | None) -> list[bool] | None:
    """Per test output: does attempt 1 or 2 equal the truth? None when the task or its truth is unknown, and for
    an image task (its answers are scored by their metric, ``image_score``)."""
    if task is None or isinstance(task, VisionTask) or not task.has_solutions or len(task.test) != len(result.predictions):
        return None
    return [grids_equal(p.attempt_1, ex.output) or grids_equal(p.attempt_2, ex.output)
            for p, ex in zip(result.predictions, task.test)]


def image_score(results: dict[str, TaskResult], tasks: list[Task]) -> VisionScore | None:
    """mIoU / PCK of attempt 1 over the image tasks whose targets are known (in the order given); None without any."""
    known = [t for t in tasks if isinstance(t, VisionTask) and t.has_solutions
             and len(t.test) == len(results[t.id].predictions)]
    return score_results({t.id: results[t.id] for t in known}, known) if known else None


def metric_text(score: VisionScore, task_id: str) -> str | None:
    """'mIoU 83.0%' or 'PCK@0.2 5/7' for one task of ``score``; None when it does not hold the task."""
    if task_id in score.miou:
        return f"mIoU {score.miou[task_id]:.1%}"
    if task_id in score.pck:
        found, visible = score.pck[task_id]
        return f"PCK@{score.alpha:g} {found}/{visible}"
    return None


def summary_row(result: TaskResult, task: Task | None, recorded: list[bool] | None = None) -> Row:
    """The table row of one task; ``recorded`` (the run's own solved status) counts when ``task`` cannot judge it."""
    winners = []
    for p in result.predictions:
        total = sum(c.votes for c in p.candidates)
        if not p.candidates:
            winners.append("none (test input copied)")
        elif p.candidates[0].programs:
            winners.append(f"program: {p.candidates[0].programs[0]}")
        else:
            winners.append(f"vdm {p.candidates[0].votes}/{total} votes")
    loss = result.losses[-1] if result.losses else None
    solved = solved_outputs(result, task)
    if solved is None and recorded is not None and len(recorded) == len(result.predictions):
        solved = recorded
    return Row(result.task_id, solved, result.seconds, result.train_seconds, winners, loss, result.error)


def data_uri(picture: Picture) -> str:
    """The picture as a data: URI (image/png for a figure, image/gif for an animation)."""
    if picture.figure is not None:
        return "data:image/png;base64," + base64.b64encode(figure_png(picture.figure)).decode("ascii")
    if picture.gif is not None:
        return "data:image/gif;base64," + base64.b64encode(picture.gif).decode("ascii")
    raise ArcvdmError(f"picture {picture.name!r} holds neither a figure nor an animation")


def _solved_cell(row: Row) -> str:
    if row.metric is not None:
        return f"<td>{html.escape(row.metric)}</td>"
    solved = row.solved
    if solved is None:
        return "<td>unknown</td>"
    n, k = len(solved), sum(solved)
    word, cls = ("yes", "yes") if k == n else (("partly", "no") if k else ("no", "no"))
    return f'<td class="{cls}">{word} ({k}/{n})</td>'


def _table(rows: list[Row], pictured: set[str], vdm: bool = True) -> str:
    """The summary table; without the VDM (``vdm`` false) no training-seconds or loss column."""
    verdict = "metric (attempt 1)" if any(r.metric is not None for r in rows) else "solved"
    head = (f"<tr><th>task</th><th>{verdict}</th><th>seconds</th>" + ("<th>training s</th>" if vdm else "")
            + "<th>attempt 1 from (per test)</th>" + ("<th>final loss</th>" if vdm else "") + "<th>error</th></tr>")
    lines = [head]
    for r in rows:
        name = html.escape(r.task_id)
        link = f'<a href="#task-{name}">{name}</a>' if r.task_id in pictured else name
        loss = f"{r.final_loss:.4f}" if r.final_loss is not None else ""
        lines.append(
            f"<tr><td>{link}</td>{_solved_cell(r)}<td class=num>{r.seconds:.1f}</td>"
            + (f"<td class=num>{r.train_seconds:.1f}</td>" if vdm else "")
            + f"<td>{html.escape(' · '.join(r.winner))}</td>"
            + (f"<td class=num>{loss}</td>" if vdm else "")
            + f"<td>{html.escape(r.error or '')}</td></tr>"
        )
    return "<table>" + "\n".join(lines) + "</table>"


def attempt_programs(result: TaskResult) -> list[tuple[int, int, str, list[tuple[str, str]]]]:
    """Per test input and attempt: (test, attempt, grid size, [(program text, search view), ...]), numbered from
    1, read from the result's search summary. A program belongs to the attempt whose candidate has its answer
    (``answers``, per test input: the candidate's ``search_rank``); results written before that was recorded
    match by program text, with every view the text fitted under. An attempt no program gave has none."""
    programs = result.search.get("programs", [])
    rows = []
    for i, pred in enumerate(result.predictions):
        for k, grid in enumerate(pred.attempts):
            cand = pred.candidate_of(grid)
            found: list[tuple[str, str]] = []
            if cand is not None and cand.programs:
                if all("answers" in p for p in programs):
                    found = [(p["text"], str(p["view"])) for p in programs if p["answers"][i] == cand.search_rank]
                else:
                    texts = dict.fromkeys(cand.programs)
                    found = [(t, ", ".join(dict.fromkeys(str(p["view"]) for p in programs if p["text"] == t)) or "?")
                             for t in texts]
            rows.append((i + 1, k + 1, f"{grid.shape[0]}x{grid.shape[1]}", found))
    return rows


def programs_table(result: TaskResult, max_programs: int = 5) -> str:
    """HTML table of the programs behind each attempt (``attempt_programs``), up to ``max_programs`` each."""
    rows = ["<th>test</th><th>attempt</th><th>size</th><th>program</th><th>search view</th>"]
    for test, attempt, size, found in attempt_programs(result):
        where = f"<td>test {test}</td><td>{attempt}</td><td>{size}</td>"
        if not found:
            rows.append(where + "<td colspan=2>no program: " + html.escape(
                result.predictions[test - 1].source_of(result.predictions[test - 1].attempts[attempt - 1])) + "</td>")
            continue
        shown = found[:max_programs]
        for j, (text, view) in enumerate(shown):
            more = f" (+{len(found) - len(shown)} more)" if j == len(shown) - 1 and len(found) > len(shown) else ""
            rows.append((where if j == 0 else "<td></td>" * 3)
                        + f"<td><code>{html.escape(text)}</code>{more}</td><td>{html.escape(view)}</td>")
    return "<table>" + "\n".join(f"<tr>{r}</tr>" for r in rows) + "</table>"


def candidates_text(result: TaskResult, max_shown: int = 8) -> str:
    """Per test input, the ranked candidates with their sources, programs and judge losses (plain text)."""
    lines = []
    for i, p in enumerate(result.predictions):
        lines.append(f"test {i + 1}: {len(p.candidates)} candidate(s)")
        for k, cand in enumerate(p.candidates[:max_shown]):
            h, w = cand.grid.shape
            lines.append(f"  #{k + 1} {h}x{w}  {cand.label()}")
    if result.search:
        lines.append(f"search: {result.search.get('expanded', 0)} states expanded, "
                     f"{len(result.search.get('programs', []))} program(s) fit every demonstration")
    lines += [f"note: {n}" for n in result.notes]
    return "\n".join(lines)


def _section(task_id: str, pictures: list[Picture], text: str = "", extra: str = "") -> str:
    name = html.escape(task_id)
    parts = [f'<section id="task-{name}"><h2>task {name}</h2>']
    if text:
        parts.append(f"<pre>{html.escape(text)}</pre>")
    if extra:
        parts.append(extra)
    for pic in pictures:
        parts.append(f'<figure><img src="{data_uri(pic)}" alt="{html.escape(pic.name)}">'
                     f"<figcaption>{html.escape(pic.caption)}</figcaption></figure>")
    parts.append("</section>")
    return "\n".join(parts)


def build_report(
    run_dir: Path,
    tasks_source: str | None = None,
    threshold: float = AMBIGUOUS_RGB_DISTANCE,
    max_pictured: int = MAX_PICTURED,
    gifs: bool = True,
    solutions: str | None = None,
) -> str:
    """The HTML page of a run folder, as a string."""
    path = run_folder(run_dir)
    if max_pictured < 0:
        raise ConfigError(f"max_pictured must be >= 0, got {max_pictured}")
    config = load_run_config(path)
    summary_path = path / "summary.json"
    summary = read_json(summary_path, "run summary") if summary_path.is_file() else {}
    truth = find_truth(tasks_source, solutions, summary)
    tasks = truth.tasks
    vdm = run_uses_vdm(config)
    ids = finished_ids(path)
    results = {tid: load_task_result(path, tid) for tid in ids}
    rows = [summary_row(results[tid], tasks.get(tid), truth.recorded.get(tid)) for tid in ids]
    pictured = ids[:max_pictured]

    known = [r for r in rows if r.solved is not None]
    score = ""
    if known:
        arc = arc_prize({r.task_id: r.solved for r in known})
        score = f"<p>ARC Prize score over the {len(known)} task(s) with known outputs: <b>{arc:.2%}</b></p>"
    images = image_score(results, [tasks[tid] for tid in ids if tid in tasks])
    if images is not None:
        score += f"<p><b>{html.escape(images.line())}</b></p>"
        for row in rows:
            row.metric = metric_text(images, row.task_id)
    failures = summary.get("failures", {})
    failed = ("<h3>failed tasks</h3><ul>" + "".join(
        f"<li>{html.escape(k)}: {html.escape(str(v))}</li>" for k, v in failures.items()) + "</ul>") if failures else ""
    skipped = (f"<p>Pictures are shown for the first {len(pictured)} of {len(ids)} tasks.</p>"
               if len(pictured) < len(ids) else "")
    description = str(config.get("description", "")).strip()
    no_vdm = ("" if vdm else "<p>This run used no VDM (program search only): each task lists the programs "
              "behind its attempts.</p>")

    body = [
        f"<h1>arcvdm run {html.escape(str(path))}</h1>",
        f"<p>solver <b>{html.escape(str(config.get('name', '?')))}</b>: {html.escape(description)}</p>",
        f"<p>{len(ids)} finished task(s), {len(failures)} failed; {html.escape(truth.where)}.</p>",
        no_vdm, score, _table(rows, set(pictured), vdm), failed, skipped,
    ]
    for tid in pictured:
        programs = "" if vdm else programs_table(results[tid])
        body.append(_section(tid, task_pictures(path, tid, tasks.get(tid), threshold, gifs),
                             candidates_text(results[tid]), programs))
    return ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
            f"<title>arcvdm report: {html.escape(path.name)}</title><style>{STYLE}</style></head>\n<body>\n"
            + "\n".join(b for b in body if b) + "\n</body></html>\n")


def write_report(
    run_dir: Path,
    out: Path | None = None,
    tasks_source: str | None = None,
    threshold: float = AMBIGUOUS_RGB_DISTANCE,
    max_pictured: int = MAX_PICTURED,
    gifs: bool = True,
    solutions: str | None = None,
) -> Path:
    """Write ``build_report`` to ``out`` (default ``<run_dir>/report.html``) and return the path."""
    out = Path(out) if out is not None else Path(run_dir) / "report.html"
    if out.suffix.lower() not in (".html", ".htm"):
        raise ConfigError(f"{out}: a report is written as .html, not {out.suffix or 'no extension'!r}")
    page = build_report(run_dir, tasks_source, threshold, max_pictured, gifs, solutions)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page, encoding="utf-8")
    return out
