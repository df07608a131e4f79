"""JSON files: the one place that reads them (with one-line errors) and writes them (atomically).

Every JSON file arcvdm reads — task files, challenges and solutions, submissions, run configs, result
files, summaries, training state — goes through ``read_json``, so a missing, unreadable or malformed
file always gives the same kind of message: the path, what the file was expected to be, and the rule it
broke (with the line and column for malformed JSON). ``write_json_atomic`` writes beside the target and
renames into place, so a crash never leaves a half-written file.
"""

from __future__ import annotations

import json
import os
import socket
import uuid
from pathlib import Path
from typing import Any

from arcvdm.errors import ArcvdmError


def read_json(path: Path | str, what: str, error: type[ArcvdmError] = ArcvdmError) -> Any:
    """The parsed content of ``path``; ``what`` names the expected file ("task file", "submission")."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise error(f"{path}: no such {what}") from None
    except UnicodeDecodeError as err:
        raise error(f"{path}: cannot read {what}: not UTF-8 text ({err.reason} at byte {err.start})") from None
    except OSError as err:
        raise error(f"{path}: cannot read {what} ({err.strerror})") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise error(f"{path}: malformed JSON in {what} at line {err.lineno}, column {err.colno}: {err.msg}") from None


def write_json_atomic(path: Path, data: Any) -> None:
    """Write JSON to a temporary file beside ``path``, then rename it into place."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # A unique temporary name: processes on several hosts may share the folder (and a pid).
    tmp = path.with_name(f".{path.name}.tmp-{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:8]}")
    tmp.write_text(json.dumps(data), encoding="utf-8")
    os.replace(tmp, path)
