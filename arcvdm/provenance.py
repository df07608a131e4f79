"""Provenance: which code made a run, so a result can be traced to its commit.

``code_commit()`` answers, in order:

1. ``arcvdm/COMMIT``, when ``git archive`` filled it in (``.gitattributes``: ``export-subst``) — a snapshot
   of a commit run outside its checkout, as the benchmarks do;
2. ``git rev-parse --short HEAD`` when the package was imported from a checkout of arcvdm (the folder
   above ``arcvdm/`` is the repository's top), with ``+`` when files under ``arcvdm/`` differ from it;
3. ``arcvdm/_build_info.py``, written into a wheel when it is built (``setup.py``'s build step, which asks
   1 and 2 of the source it builds), so a plain ``pip install .`` knows its commit;
4. ``"unknown"`` (an installed copy built without git, e.g. from a source tarball).

``code_version()`` is the installed version (``0.1.0``). Run folders record both in ``log.txt`` at each
start and in ``summary.json`` (``runs.RunDir``).
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


def _from_build() -> dict:
    """What the build step recorded (``{"version": ..., "commit": ...}``); {} in a checkout or editable install."""
    try:
        from arcvdm import _build_info
    except ImportError:
        return {}
    return {"version": getattr(_build_info, "VERSION", None), "commit": getattr(_build_info, "COMMIT", None)}


def build_info_source(version: str, commit: str | None) -> str:
    """The text of ``arcvdm/_build_info.py`` for a wheel (``setup.py`` writes it)."""
    return ('"""Written when this copy of arcvdm was built (setup.py); read by arcvdm.provenance."""\n\n'
            f"VERSION = {version!r}\nCOMMIT = {commit!r}\n")


def source_commit(root: Path) -> str | None:
    """The commit of a source tree about to be built: its filled-in ``arcvdm/COMMIT``, or its git checkout."""
    return _from_archive(root / "arcvdm" / "COMMIT") or _from_git(root)


@lru_cache(maxsize=1)
def code_commit() -> str:
    """The commit of the running arcvdm code (see the module docstring), e.g. ``"852cc7d"`` or ``"852cc7d+"``."""
    return source_commit(PACKAGE.parent) or _from_build().get("commit") or "unknown"


@lru_cache(maxsize=1)
def code_version() -> str:
    """The version of the running arcvdm: the one its build recorded, else the installed metadata's."""
    recorded = _from_build().get("version")
    if recorded:
        return recorded
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("arcvdm")
    except PackageNotFoundError:
        return "unknown"
