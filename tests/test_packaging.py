"""Packaging: a plain (non-editable) install ships every subpackage, the recipes and the embedded weights.

``pyproject.toml`` lists packages explicitly (``solvers/`` installs as ``arcvdm.solvers``), so a new
subpackage that is not listed would work in an editable checkout and be missing from a wheel.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

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
