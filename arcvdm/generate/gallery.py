"""``arcvdm gallery``: one self-contained HTML page showing a sample of a generated folder's tasks, each
drawn as ``arcvdm show`` draws it (``plots.task.plot_task``) under its program's text.

The page follows the run report's style (``plots.report``: inline styles, pictures as ``data:`` URIs, no
script). The sample is drawn with a seed, so one seed gives one page; programs come from ``index.jsonl``
(a folder without one still works: its tasks are shown without programs).
"""

from __future__ import annotations

import base64
import html
import json
from pathlib import Path

import numpy as np

from arcvdm.errors import ConfigError
from arcvdm.generate.write import RECORD, read_index
from arcvdm.tasks import Task, load_directory, task_files


def sample_tasks(folder: Path, count: int, seed: int = 0) -> list[Task]:
    """Up to ``count`` tasks of ``folder``, in file order: files drawn in a seeded order, only those read (a
    generated folder holds 100 000), a file that does not load skipped for the next one."""
    if count < 1:
        raise ConfigError(f"--count must be at least 1, got {count}")
    folder = Path(folder)
    if not folder.is_dir():
        raise ConfigError(f"{folder}: not a folder of generated tasks")
    files = task_files(folder)
    chosen: list[tuple[int, Task]] = []
    failure = None
    for k in np.random.default_rng(seed).permutation(len(files)):
        loaded = load_directory(folder, [files[k]])
        if loaded.tasks:
            chosen.append((int(k), loaded.tasks[0]))
        failure = failure or (loaded.failures[0][1] if loaded.failures else None)
        if len(chosen) == count:
            break
    if not chosen:
        raise ConfigError(f"{folder}: no task loaded ({failure})")
    return [task for _k, task in sorted(chosen, key=lambda kt: kt[0])]


def build_gallery(folder: Path, count: int = 24, seed: int = 0) -> str:
    """The gallery page of ``folder`` as a string."""
    from arcvdm.plots.grids import figure_png
    from arcvdm.plots.report import STYLE
    from arcvdm.plots.task import plot_task

    folder = Path(folder)
    tasks = sample_tasks(folder, count, seed)
    index = {entry["id"]: entry for entry in read_index(folder)}
    record_path = folder / RECORD
    record = json.loads(record_path.read_text(encoding="utf-8")) if record_path.is_file() else {}
    counts = ""
    if record:
        counts = (f"<p>{record.get('kept', '?')} task(s) kept from seed {record.get('config', {}).get('seed', '?')}; "
                  f"{record.get('tasks_per_second', '?')} tasks/s; rejected draws: "
                  f"{html.escape(json.dumps(record.get('rejected', {})))}; dropped for overlap with evaluation or dev "
                  f"tasks: {record.get('dropped_for_overlap', '?')}.</p>")
    rows = ["<tr><th>task</th><th>program</th><th>depth</th><th>families</th><th>input kind</th></tr>"]
    sections = []
    for task in tasks:
        entry = index.get(task.id, {})
        name, program = html.escape(task.id), html.escape(entry.get("program", "(no index.jsonl entry)"))
        rows.append(f'<tr><td><a href="#task-{name}">{name}</a></td><td><code>{program}</code></td>'
                    f"<td class=num>{entry.get('depth', '')}</td><td>{html.escape(', '.join(entry.get('families', [])))}</td>"
                    f"<td>{html.escape(entry.get('kind', ''))}</td></tr>")
        picture = base64.b64encode(figure_png(plot_task(task))).decode("ascii")
        sections.append(f'<section id="task-{name}"><h2>task {name}</h2><pre>{program}</pre>'
                        f'<figure><img src="data:image/png;base64,{picture}" alt="task {name}"></figure></section>')
    body = [f"<h1>arcvdm generated tasks: {html.escape(str(folder))}</h1>", counts,
            f"<p>{len(tasks)} task(s) sampled with seed {seed}.</p>", "<table>" + "\n".join(rows) + "</table>", *sections]
    return ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
            f"<title>arcvdm gallery: {html.escape(folder.name)}</title><style>{STYLE}</style></head>\n<body>\n"
            + "\n".join(b for b in body if b) + "\n</body></html>\n")


def write_gallery(folder: Path, out: Path | None = None, count: int = 24, seed: int = 0) -> Path:
    """Write ``build_gallery`` to ``out`` (default ``<folder>/gallery.html``) and return the path."""
    out = Path(out) if out is not None else Path(folder) / "gallery.html"
    if out.suffix.lower() not in (".html", ".htm"):
        raise ConfigError(f"{out}: a gallery is written as .html, not {out.suffix or 'no extension'!r}")
    page = build_gallery(folder, count, seed)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page, encoding="utf-8")
    return out
