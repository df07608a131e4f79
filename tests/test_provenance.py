"""Provenance: a run names the commit of the code that made it, in a checkout or a ``git archive`` snapshot."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from arcvdm import provenance

ROOT = Path(__file__).resolve().parents[1]


def test_a_checkout_reports_its_head_commit() -> None:
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    if head.returncode != 0:
        pytest.skip("not a git checkout")
    found = provenance._from_git(ROOT)
    assert found is not None and found.rstrip("+") == head.stdout.strip()


def test_the_archive_file_is_used_only_once_git_archive_filled_it(tmp_path: Path) -> None:
    commit_file = tmp_path / "COMMIT"
    commit_file.write_text("$Format:%h$\n", encoding="utf-8")
    assert provenance._from_archive(commit_file) is None  # the checkout's own copy: not filled in
    commit_file.write_text("1a2b3c4\n", encoding="utf-8")
    assert provenance._from_archive(commit_file) == "1a2b3c4"
    assert provenance._from_archive(tmp_path / "missing") is None
    assert provenance._from_git(tmp_path) is None  # no checkout there


def test_git_archive_fills_in_the_commit_file(tmp_path: Path) -> None:
    check = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    if check.returncode != 0:
        pytest.skip("not a git checkout")
    listed = subprocess.run(["git", "ls-files", "arcvdm/COMMIT"], cwd=ROOT, capture_output=True, text=True)
    if not listed.stdout.strip():
        pytest.skip("arcvdm/COMMIT is not committed yet")
    archive = subprocess.run(["git", "archive", "HEAD", "arcvdm/COMMIT"], cwd=ROOT, capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(tmp_path)], input=archive.stdout, check=True)
    assert provenance._from_archive(tmp_path / "arcvdm" / "COMMIT") == check.stdout.strip()


def test_an_installed_copy_inside_another_repository_is_not_given_its_commit(tmp_path: Path) -> None:
    # e.g. site-packages of a virtual environment inside a user's project checkout
    if subprocess.run(["git", "--version"], capture_output=True).returncode != 0:
        pytest.skip("no git")
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    inner = tmp_path / "venv" / "site-packages"
    inner.mkdir(parents=True)
    assert provenance._from_git(inner) is None
