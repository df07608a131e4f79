"""Provenance: which code made a run, so a result can be traced to its commit.

``code_commit()`` answers, in order:

1. ``arcvdm/COMMIT``, when ``git archive`` filled it in (``.gitattributes``: ``export-subst``) — a snapshot
   of a commit run outside its checkout, as the benchmarks do;
2. ``git rev-parse --short HEAD`` when the package was imported from a checkout of arcvdm (the folder
   above ``arcvdm/`` is the repository's top), with ``+`` when files under ``arcvdm/`` differ from it;
3. ``"unknown"`` (an installed copy with neither).

Run folders record it in ``log.txt`` at each start and in ``summary.json`` (``runs.RunDir``).
"""

from __future__ import annotations

import subprocess
from functools import lru_cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
COMMIT_FILE = PACKAGE / "COMMIT"


def _from_archive(path: Path) -> str | None:
    """The commit ``git archive`` wrote into ``path``; None when the file is missing or not filled in."""
    try:
        text = path.read_text(encoding="utf-8").strip()
    except OSError:
        return None
    if not text or text.startswith("$Format"):
        return None
    return text


def _from_git(root: Path) -> str | None:
    """The checkout's short HEAD, ``+`` when ``arcvdm/`` has changes; None outside a git checkout."""
    try:
        # only a checkout of arcvdm itself: an installed copy may sit inside some other repository
        # (a virtual environment in a project folder), whose commit says nothing about this code
        top = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=root, capture_output=True,
                             text=True, timeout=10)
        if top.returncode != 0 or Path(top.stdout.strip()).resolve() != root.resolve():
            return None
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True,
                              text=True, timeout=10)
        if head.returncode != 0 or not head.stdout.strip():
            return None
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "arcvdm"], cwd=root, capture_output=True,
                               text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return head.stdout.strip() + ("+" if dirty.stdout.strip() else "")


@lru_cache(maxsize=1)
def code_commit() -> str:
    """The commit of the running arcvdm code (see the module docstring), e.g. ``"852cc7d"`` or ``"852cc7d+"``."""
    return _from_archive(COMMIT_FILE) or _from_git(PACKAGE.parent) or "unknown"
