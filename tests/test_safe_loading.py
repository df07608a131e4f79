"""Safe loading, checked on the source: no pickles, no remote code, no downloads.

Weights, adapters, checkpoints and frames are loaded as safetensors, JSON, or tensors-only files. This
test reads every Python file of the package and the benchmarks and fails on:
- ``torch.load`` without ``weights_only=True`` (an unrestricted unpickler runs arbitrary code);
- ``numpy.load`` with ``allow_pickle=True``;
- importing ``pickle``, ``cloudpickle``, ``dill`` or ``joblib``;
- ``trust_remote_code=True`` anywhere, or ``use_safetensors=False``;
- a ``from_pretrained`` call that does not pass ``local_files_only=True`` (directly, through the
  shared ``LOCAL_ONLY`` keywords of ``arcvdm.backbones.weights``, or through a dict built from them in
  the same file: ``kwargs = dict(LOCAL_ONLY)``).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted((ROOT / "arcvdm").rglob("*.py")) + sorted((ROOT / "benchmarks").rglob("*.py"))
PICKLERS = {"pickle", "cloudpickle", "dill", "joblib", "_pickle"}


def _keyword(call: ast.Call, name: str) -> ast.expr | None:
    for kw in call.keywords:
        if kw.arg == name:
            return kw.value
    return None


def _is_true(node: ast.expr | None) -> bool:
    return isinstance(node, ast.Constant) and node.value is True


def _call_name(call: ast.Call) -> str:
    """Dotted name of the called function, e.g. 'torch.load', 'np.load', 'X.from_pretrained'."""
    parts = []
    node = call.func
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
    return ".".join(reversed(parts))


def problems(source: str, where: str) -> list[str]:
    """Every unsafe loading pattern in one file's source, as 'where:line: what'."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in PICKLERS:
                    found.append(f"{where}:{node.lineno}: imports {alias.name}")
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in PICKLERS:
            found.append(f"{where}:{node.lineno}: imports from {node.module}")
        elif isinstance(node, ast.Call):
            name = _call_name(node)
            if name == "torch.load" and not _is_true(_keyword(node, "weights_only")):
                found.append(f"{where}:{node.lineno}: torch.load without weights_only=True")
            if name in ("np.load", "numpy.load") and _is_true(_keyword(node, "allow_pickle")):
                found.append(f"{where}:{node.lineno}: numpy.load with allow_pickle=True")
            if _is_true(_keyword(node, "trust_remote_code")):
                found.append(f"{where}:{node.lineno}: trust_remote_code=True")
            safetensors = _keyword(node, "use_safetensors")
            if isinstance(safetensors, ast.Constant) and safetensors.value is False:
                found.append(f"{where}:{node.lineno}: use_safetensors=False")
            if name.endswith("from_pretrained"):
                shared = any(
                    kw.arg is None and isinstance(kw.value, ast.Name)
                    and (kw.value.id == "LOCAL_ONLY" or f"{kw.value.id} = dict(LOCAL_ONLY" in source)
                    for kw in node.keywords
                )
                if not shared and not _is_true(_keyword(node, "local_files_only")):
                    found.append(f"{where}:{node.lineno}: from_pretrained without local_files_only=True")
    return found


def test_the_package_and_benchmarks_load_nothing_unsafely() -> None:
    assert len(SOURCES) > 20
    found = []
    for path in SOURCES:
        found += problems(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
    assert found == []


BAD_SNIPPETS = [
    ("torch-load-default", "import torch\ntorch.load('x.pt')\n"),
    ("torch-load-unsafe", "import torch\ntorch.load('x.pt', weights_only=False)\n"),
    ("numpy-pickle", "import numpy as np\nnp.load('x.npy', allow_pickle=True)\n"),
    ("import-pickle", "import pickle\n"),
    ("from-pickle", "from pickle import loads\n"),
    ("remote-code", "M.from_pretrained('p', local_files_only=True, trust_remote_code=True)\n"),
    ("no-safetensors", "M.from_pretrained('p', local_files_only=True, use_safetensors=False)\n"),
    ("may-download", "M.from_pretrained('p')\n"),
    ("may-download-kwargs", "kwargs = dict(cache_dir='c')\nM.from_pretrained('p', **kwargs)\n"),
]


@pytest.mark.parametrize(("case", "snippet"), BAD_SNIPPETS, ids=[c[0] for c in BAD_SNIPPETS])
def test_the_checker_catches_each_unsafe_pattern(case: str, snippet: str) -> None:
    assert len(problems(snippet, "snippet.py")) == 1


def test_the_checker_accepts_the_safe_forms() -> None:
    safe = (
        "import torch, numpy as np\n"
        "torch.load('x.pt', weights_only=True)\n"
        "np.load('x.npz')\n"
        "M.from_pretrained('p', **LOCAL_ONLY)\n"
        "M.from_pretrained('p', local_files_only=True, use_safetensors=True)\n"
        "kwargs = dict(LOCAL_ONLY)\nM.from_pretrained('p', **kwargs)\n"
    )
    assert problems(safe, "snippet.py") == []
