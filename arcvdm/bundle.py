"""An offline Kaggle bundle: a folder to upload as a Kaggle dataset, that installs and runs arcvdm without network.

``arcvdm bundle OUT`` writes::

    OUT/wheels/                 arcvdm's own wheel and a wheel for every dependency, for Kaggle's platform
    OUT/solvers/*.toml          the recipes (also inside the arcvdm wheel; here to read and edit)
    OUT/run.py                  installs from wheels/ with --no-index, runs `arcvdm submit` with a deadline
    OUT/arcvdm-kaggle.ipynb     a notebook whose one code cell finds and runs run.py
    OUT/arcvdm-bundle.json      what was bundled: solver, weights path, deadline, platform, torch, wheel list
    OUT/README.md               how to upload and attach it

Wheels are fetched on the user's machine (``pip download``; the only step that needs the network) for the
platform Kaggle's notebooks run: Linux x86_64 (``manylinux``), CPython ``--python`` (3.11 by default: check
``python --version`` in a Kaggle notebook and pass what it says). Pure-Python packages are platform free.
torch is the pinned version in one of two builds (``--torch``):

``cuda`` (default)
    torch from PyPI, which for Linux x86_64 is the CUDA build with its ``nvidia-*`` wheels (several GB):
    runs on Kaggle's GPUs and on its CPU-only notebooks;
``cpu``
    the CPU build from the PyTorch CPU index (about 200 MB): CPU notebooks, the ``search`` and embedded recipes.

Model weights are never bundled: ``--weights-dataset /kaggle/input/<weights dataset>/<folder>`` records the path
of a separate Kaggle dataset that holds the diffusers-format folder, and run.py passes it as ``--model``.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import time
import tomllib
from dataclasses import asdict, dataclass, field
from importlib import resources
from pathlib import Path

from arcvdm.config import load_recipe, recipe_names
from arcvdm.deadline import parse_duration
from arcvdm.errors import ConfigError
from arcvdm.provenance import code_commit

TORCH_BUILDS = ("cuda", "cpu")
TORCH_CPU_INDEX = "https://download.pytorch.org/whl/cpu"
KAGGLE_PLATFORMS = ("manylinux_2_28_x86_64", "manylinux_2_17_x86_64", "manylinux2014_x86_64", "linux_x86_64")
MARKER = "arcvdm-bundle.json"
KAGGLE_LIMIT_SECONDS = 12 * 3600   # Kaggle stops a notebook after 12 hours
MIN_PYTHON = (3, 10)               # pyproject.toml: requires-python


@dataclass
class BundleSpec:
    """What a bundle holds and how its run.py runs (written as ``arcvdm-bundle.json``)."""

    solver: str = "search"
    weights_dataset: str | None = None     # e.g. /kaggle/input/wan22-ti2v-5b/Wan2.2-TI2V-5B-Diffusers
    deadline: str = "11h"                  # Kaggle stops a notebook at 12 h; the rest is install + margin
    python: str = "3.11"
    torch: str = "cuda"
    requirements: list[str] = field(default_factory=list)
    wheels: list[str] = field(default_factory=list)
    built: str = ""

    def __post_init__(self) -> None:
        if self.torch not in TORCH_BUILDS:
            raise ConfigError(f"--torch {self.torch!r}: choose one of {', '.join(TORCH_BUILDS)}")
        version = re.fullmatch(r"3\.(\d{1,2})", self.python)
        if version is None or (3, int(version.group(1))) < MIN_PYTHON:
            raise ConfigError(f"--python {self.python!r}: write Kaggle's CPython version as 3.Y, e.g. 3.11 "
                              f"(`python --version` in a notebook; arcvdm needs {MIN_PYTHON[0]}.{MIN_PYTHON[1]} or later)")
        if parse_duration(self.deadline) >= KAGGLE_LIMIT_SECONDS:
            raise ConfigError(f"--deadline {self.deadline!r}: must be under 12h, when Kaggle stops a notebook "
                              "(the install and the submission need time too; default 11h)")


def source_root() -> Path:
    """The arcvdm source checkout (the folder with pyproject.toml) this package was imported from."""
    root = Path(__file__).resolve().parent.parent
    if not (root / "pyproject.toml").is_file():
        raise ConfigError(f"{root}: no pyproject.toml here; run `arcvdm bundle` from a source checkout of arcvdm")
    return root


def pinned_requirements(root: Path) -> list[str]:
    """The ``project.dependencies`` of pyproject.toml, each pinned with ``==`` (the versions we tested)."""
    deps = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    loose = [d for d in deps if "==" not in d]
    if loose:
        raise ConfigError(f"pyproject.toml: every dependency must be pinned with == for a bundle; not pinned: {', '.join(loose)}")
    return list(deps)


def download_commands(requirements: list[str], dest: Path, python: str, torch: str) -> list[list[str]]:
    """The ``pip download`` commands that fetch every wheel for Kaggle's platform (torch in its own command)."""
    if torch not in TORCH_BUILDS:
        raise ConfigError(f"--torch {torch!r}: choose one of {', '.join(TORCH_BUILDS)}")
    abi = "cp" + python.replace(".", "")
    target = ["--only-binary=:all:", "--python-version", python, "--implementation", "cp", "--abi", abi]
    for platform in KAGGLE_PLATFORMS:
        target += ["--platform", platform]
    base = [sys.executable, "-m", "pip", "download", "--dest", str(dest), *target]
    torch_pin = [r for r in requirements if r.startswith("torch==")]
    others = [r for r in requirements if not r.startswith("torch==")]
    if torch == "cpu":
        # The CPU build first, from its own index; the second command then finds torch already in dest.
        return [[*base, "--no-deps", "--index-url", TORCH_CPU_INDEX, *torch_pin],
                [*base, "--find-links", str(dest), *requirements]]
    return [[*base, *torch_pin, *others]]


def build_own_wheel(root: Path, dest: Path) -> Path:
    """arcvdm's wheel, built with no network from a copy of the checkout (nothing is written into it)."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="arcvdm-wheel-") as tmp:
        src = Path(tmp) / "src"
        ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
        for name in ("arcvdm", "solvers"):
            shutil.copytree(root / name, src / name, ignore=ignore)
        for name in ("pyproject.toml", "setup.py", "README.md"):
            shutil.copyfile(root / name, src / name)
        # The copy is no git checkout: hand the build step this checkout's commit (arcvdm.provenance).
        if code_commit() != "unknown":
            (src / "arcvdm" / "COMMIT").write_text(code_commit() + "\n", encoding="utf-8")
        run_pip([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
                 "--wheel-dir", str(dest), str(src)], "building arcvdm's wheel")
    built = sorted(dest.glob("arcvdm-*.whl"), key=lambda p: p.stat().st_mtime)
    if not built:
        raise ConfigError(f"{dest}: pip wheel wrote no arcvdm wheel")
    missing = missing_packages(built[-1], root)
    if missing:
        raise ConfigError(f"{built[-1].name} lacks {', '.join(missing)}: add them to [tool.setuptools] packages "
                          "in pyproject.toml (a non-editable install would miss them)")
    return built[-1]


def missing_packages(wheel: Path, root: Path) -> list[str]:
    """Subpackages of the checkout's ``arcvdm`` (folders with ``__init__.py``) that the wheel does not hold."""
    import zipfile

    with zipfile.ZipFile(wheel) as zf:
        inside = {name.rsplit("/", 1)[0] for name in zf.namelist() if name.endswith("/__init__.py")}
    wanted = {str(p.parent.relative_to(root)) for p in (root / "arcvdm").rglob("__init__.py")
              if "__pycache__" not in p.parts}
    return sorted(w.replace("/", ".") for w in wanted - inside)


def write_bundle(out: Path, spec: BundleSpec, wheels: bool = True, echo=print) -> Path:
    """Write the bundle folder (see the module docstring); with ``wheels=False`` no wheel is fetched or built."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise ConfigError(f"{out}: this is a file; the bundle is a folder: choose an empty or new folder")
    if out.exists() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise ConfigError(f"{out}: folder exists and is not an arcvdm bundle; choose an empty or new folder")
    if spec.solver not in recipe_names():
        load_recipe(spec.solver)  # a path to a recipe file: checked here, copied below
    parse_duration(spec.deadline)
    root = source_root()
    spec.requirements = pinned_requirements(root)
    out.mkdir(parents=True, exist_ok=True)
    (out / MARKER).write_text(json.dumps(asdict(spec), indent=2), encoding="utf-8")  # marks the folder as ours
    # 1. Recipes: every installed one, plus the chosen recipe when it is a file of its own.
    (out / "solvers").mkdir(exist_ok=True)
    for name in recipe_names():
        text = resources.files("arcvdm.solvers").joinpath(f"{name}.toml").read_text(encoding="utf-8")
        (out / "solvers" / f"{name}.toml").write_text(text, encoding="utf-8")
    if spec.solver not in recipe_names():
        copied = out / "solvers" / Path(spec.solver).name
        shutil.copyfile(spec.solver, copied)
        spec.solver = f"solvers/{copied.name}"
    # 2. Wheels: arcvdm's own (offline), then every dependency for Kaggle's platform (network).
    wheel_dir = out / "wheels"
    wheel_dir.mkdir(exist_ok=True)
    if wheels:
        echo(f"building arcvdm's wheel from {root}")
        build_own_wheel(root, wheel_dir)
        for cmd in download_commands(spec.requirements, wheel_dir, spec.python, spec.torch):
            echo("running: " + " ".join(cmd))
            run_pip(cmd, "downloading the wheels (this needs the network or a package mirror; "
                         "--no-wheels writes everything else)")
    spec.wheels = sorted(p.name for p in wheel_dir.glob("*.whl"))
    spec.built = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())
    # 3. The runner, the notebook, the record and a README.
    shutil.copyfile(Path(__file__).with_name("kaggle_run.py"), out / "run.py")
    (out / "arcvdm-kaggle.ipynb").write_text(json.dumps(notebook(), indent=1), encoding="utf-8")
    (out / MARKER).write_text(json.dumps(asdict(spec), indent=2), encoding="utf-8")
    (out / "README.md").write_text(readme(spec), encoding="utf-8")
    return out


def run_pip(cmd: list[str], what: str) -> None:
    """Run a pip command with its output shown; a failure is one error line (pip has said why above it)."""
    try:
        done = subprocess.run(cmd)
    except OSError as err:
        raise ConfigError(f"{what}: cannot run pip ({err})") from None
    if done.returncode != 0:
        raise ConfigError(f"{what}: pip failed with exit code {done.returncode} (its messages are above)")


def notebook() -> dict:
    """A Kaggle notebook (nbformat 4) whose one code cell finds this bundle under /kaggle/input and runs it."""
    code = (
        "import glob, os, subprocess, sys\n"
        f"found = sorted(glob.glob('/kaggle/input/**/{MARKER}', recursive=True))\n"
        "assert found, 'attach the arcvdm bundle dataset to this notebook'\n"
        "bundle = os.path.dirname(found[0])\n"
        "subprocess.run([sys.executable, os.path.join(bundle, 'run.py')], check=True)\n"
    )
    text = ("# arcvdm offline submission\n"
            "Attach the arcvdm bundle dataset (and the model weights dataset, if the recipe uses one), turn the "
            "internet off, and run all. `run.py` installs from the bundle's wheels, solves the competition's "
            "test challenges within the bundle's deadline and writes `/kaggle/working/submission.json`.")
    return {
        "nbformat": 4, "nbformat_minor": 5,
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
        "cells": [
            {"cell_type": "markdown", "id": "about", "metadata": {}, "source": text},
            {"cell_type": "code", "id": "run", "metadata": {}, "execution_count": None, "outputs": [], "source": code},
        ],
    }


def readme(spec: BundleSpec) -> str:
    weights = spec.weights_dataset or "none (the recipe needs no weights dataset, or pass --model to run.py)"
    return f"""# arcvdm Kaggle bundle

Upload this folder as a Kaggle dataset, attach it (and the weights dataset, if any) to a notebook with the
internet off, and run `arcvdm-kaggle.ipynb` (or `!python /kaggle/input/<this dataset>/run.py`).

- solver: `{spec.solver}`; deadline: `{spec.deadline}` from run.py's start (Kaggle stops a notebook at 12 h)
- weights: {weights}
- wheels: {len(spec.wheels)} for CPython {spec.python}, Linux x86_64, torch build `{spec.torch}`
- `python run.py --help` lists the options (challenges file, output, solver, deadline, --set overrides).
"""
