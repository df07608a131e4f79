"""Packaging: a plain (non-editable) install ships every subpackage, the recipes and the embedded weights.

``pyproject.toml`` lists packages explicitly (``solvers/`` installs as ``arcvdm.solvers``), so a new
subpackage that is not listed would work in an editable checkout and be missing from a wheel.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_every_subpackage_is_listed_in_pyproject() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    listed = set(config["packages"])
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "arcvdm").rglob("__init__.py")}
    found = {name for name in found if "__pycache__" not in name}
    assert found - listed == set(), f"subpackages missing from pyproject.toml: {sorted(found - listed)}"
    assert "arcvdm.solvers" in listed and config["package-dir"]["arcvdm.solvers"] == "solvers"


def test_recipes_and_weights_are_package_data() -> None:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    assert "*.toml" in data["arcvdm.solvers"]
    weights = ROOT / "arcvdm" / "weights" / "embedded"
    assert (weights / "diffusion_pytorch_model.safetensors").is_file() and (weights / "config.json").is_file()
    assert any(pattern.endswith("*.safetensors") for pattern in data["arcvdm.weights"])


def test_a_built_wheel_knows_its_version_and_commit(tmp_path: Path) -> None:
    """`pip install .` puts arcvdm outside any checkout: the wheel's build step records what git knew."""
    import shutil
    import subprocess
    import sys
    import zipfile

    if shutil.which("git") is None:
        pytest.skip("no git")
    src = tmp_path / "src"
    for name in ("arcvdm", "solvers"):
        shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__", "_build_info.py"))
    for name in ("pyproject.toml", "setup.py", "README.md"):
        shutil.copyfile(ROOT / name, src / name)
    git = ["git", "-C", str(src), "-c", "user.name=arcvdm", "-c", "user.email=arcvdm@example.invalid"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "snapshot"], check=True)
    commit = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "--no-index",
                            "--wheel-dir", str(tmp_path / "wheels"), str(src)], capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr
    [wheel] = (tmp_path / "wheels").glob("arcvdm-*.whl")
    installed = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(installed)
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    ask = "from arcvdm.provenance import code_commit, code_version; print(code_commit(), code_version())"
    env = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(installed)}
    answer = subprocess.run([sys.executable, "-c", ask], capture_output=True, text=True, cwd=tmp_path, env=env, timeout=60)
    assert answer.returncode == 0, answer.stderr
    assert answer.stdout.split() == [commit, version]
