"""One self-contained HTML page for a segmentation or pose run: a table of mIoU / PCK, then each task's pictures.

Like the ARC report (``arcvdm.plots.report``): pictures embedded as ``data:`` URIs, no script. The truth
comes from an optional task source (``--tasks``); without it the metric columns read "unknown".
"""

from __future__ import annotations

import html
from pathlib import Path

from arcvdm.errors import ConfigError
from arcvdm.jsonio import read_json
from arcvdm.plots.report import STYLE, data_uri
from arcvdm.vision.metrics import score_results
from arcvdm.vision.plots import task_pictures

IMAGE_ENCODERS = ("segmentation", "pose")


def is_image_run(run_dir: Path) -> bool:
    """Whether a run folder was made by a segmentation or pose recipe (its config.json says so)."""
    path = Path(run_dir) / "config.json"
    if not path.is_file():
        return False
    config = read_json(path, "run config")
    return isinstance(config, dict) and config.get("encoder", {}).get("name") in IMAGE_ENCODERS


def build_report(run_dir: Path, tasks_source: str | None = None, max_pictured: int = 50, gifs: bool = True,
                 solutions: str | None = None) -> str:
    """The HTML page of an image-task run, as a string."""
    from arcvdm.runs import RunDir
    from arcvdm.sources import load_tasks

    run = RunDir.existing(Path(run_dir))
    if max_pictured < 0:
        raise ConfigError(f"max_pictured must be >= 0, got {max_pictured}")
    tasks = {t.id: t for t in load_tasks(tasks_source, solutions).tasks} if tasks_source else {}
    ids = run.finished_ids()
    results = {tid: run.load_result(tid) for tid in ids}
    known = [tasks[t] for t in ids if t in tasks and tasks[t].has_solutions
             and len(tasks[t].test) == len(results[t].predictions)]
    score = score_results({t.id: results[t.id] for t in known}, known) if known else None
    config = read_json(run.path / "config.json", "run config")
    rows = ["<tr><th>task</th><th>kind</th><th>metric (attempt 1)</th><th>seconds</th><th>final loss</th></tr>"]
    for tid in ids:
        res, metric = results[tid], "unknown"
        if score is not None and tid in score.miou:
            metric = f"mIoU {score.miou[tid]:.1%}"
        elif score is not None and tid in score.pck:
            found, visible = score.pck[tid]
            metric = f"PCK@{score.alpha:g} {found}/{visible}"
        loss = f"{res.losses[-1]:.4f}" if res.losses else ""
        kind = tasks[tid].kind if tid in tasks else config.get("encoder", {}).get("name", "?")
        rows.append(f'<tr><td><a href="#task-{html.escape(tid)}">{html.escape(tid)}</a></td><td>{kind}</td>'
                    f"<td>{metric}</td><td class=num>{res.seconds:.1f}</td><td class=num>{loss}</td></tr>")
    body = [
        f"<h1>arcvdm run {html.escape(str(run.path))}</h1>",
        f"<p>solver <b>{html.escape(str(config.get('name', '?')))}</b>: "
        f"{html.escape(str(config.get('description', '')).strip())}</p>",
        f"<p><b>{html.escape(score.line())}</b></p>" if score is not None else
        "<p>No task source given (--tasks): mIoU / PCK unknown.</p>",
        "<table>" + "\n".join(rows) + "</table>",
    ]
    for tid in ids[:max_pictured]:
        body.append(f'<section id="task-{html.escape(tid)}"><h2>task {html.escape(tid)}</h2>')
        for pic in task_pictures(run.path, tid, tasks.get(tid), gifs):
            body.append(f'<figure><img src="{data_uri(pic)}" alt="{html.escape(pic.name)}">'
                        f"<figcaption>{html.escape(pic.caption)}</figcaption></figure>")
        body.append("</section>")
    return ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
            f"<title>arcvdm report: {html.escape(run.path.name)}</title><style>{STYLE}</style></head>\n<body>\n"
            + "\n".join(body) + "\n</body></html>\n")


def write_report(run_dir: Path, out: Path | None = None, tasks_source: str | None = None, threshold: float = 0.0,
                 max_pictured: int = 50, gifs: bool = True, solutions: str | None = None) -> Path:
    """Write ``build_report`` to ``out`` (default ``<run_dir>/report.html``); same call as the ARC report's
    (``threshold``, a colour-decoding setting of grid runs, does not apply)."""
    del threshold
    out = Path(out) if out is not None else Path(run_dir) / "report.html"
    if out.suffix.lower() not in (".html", ".htm"):
        raise ConfigError(f"{out}: a report is written as .html, not {out.suffix or 'no extension'!r}")
    page = build_report(run_dir, tasks_source, max_pictured, gifs, solutions)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page, encoding="utf-8")
    return out
