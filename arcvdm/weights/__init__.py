"""Model weights that ship with arcvdm (the embedded default lives in ``embedded/``), and the exported-weights
folder format they share with ``arcvdm pretrain --export`` / ``--init`` (torch-free, so it is checked at once).
"""

from __future__ import annotations

from pathlib import Path

from arcvdm.errors import WeightsError

EXPORTED_FILES = ("config.json", "diffusion_pytorch_model.safetensors")


def check_exported(folder: Path) -> None:
    """``--init`` must name a folder of exported weights (what ``--export`` writes)."""
    if not folder.exists():
        raise WeightsError(f"{folder}: no such weights folder (--init)")
    if not folder.is_dir():
        raise WeightsError(f"{folder}: --init needs a folder of exported weights, not a file")
    for name in EXPORTED_FILES:
        if not (folder / name).is_file():
            raise WeightsError(f"{folder}: --init needs {name} (a folder written by `arcvdm pretrain --export`)")
