"""Loading helpers shared by every backbone family: local weights folders, dtypes, devices, efficiency switches.

Real weights are read only from a local diffusers-format folder (``local_files_only=True``,
``use_safetensors=True``, no remote code). A missing folder or subfolder is a ``WeightsError`` that
names the path and what the family needs there.

``load_component`` is the one way a loader reads a model: before any weight is read it checks the
folder's safetensors files against the model the config describes (built on the ``meta`` device, no
memory): a missing file, a truncated or corrupt file, a missing tensor or a tensor of the wrong shape
is a ``WeightsError`` of one line naming the file and the rule, never a traceback from
safetensors or torch. Large transformers load with ``torch_dtype``, so a 14B model never exists in
fp32 on the host, and diffusers keeps its ``_keep_in_fp32_modules`` in fp32 as it loads them;
``cast_keeping_fp32`` does the same for models built in memory (toys).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import torch

from arcvdm.config import BackboneConfig
from arcvdm.errors import WeightsError

# Keyword arguments of every ``from_pretrained`` call: offline, safetensors only, no remote code.
LOCAL_ONLY = dict(local_files_only=True, use_safetensors=True)


def require_folder(path: str | None, subfolders: tuple[str, ...], family: str) -> Path:
    """Check a local weights folder has the subfolders a family needs; WeightsError otherwise."""
    if not path:
        raise WeightsError(f"{family}: backbone.path is not set; pass --model PATH to a local diffusers-format folder")
    root = Path(path)
    if not root.is_dir():
        raise WeightsError(f"{family}: weights folder {root} does not exist")
    missing = [s for s in subfolders if not (root / s).is_dir()]
    if missing:
        raise WeightsError(
            f"{family}: weights folder {root} lacks {', '.join(m + '/' for m in missing)} "
            f"(needs {', '.join(s + '/' for s in subfolders)})"
        )
    return root


def torch_dtype(name: str) -> torch.dtype:
    """``backbone.dtype`` -> torch dtype (the config has already checked the name)."""
    return {"float32": torch.float32, "bfloat16": torch.bfloat16}[name]


def target_device(config: BackboneConfig) -> torch.device:
    """``backbone.device``, or CUDA when one is visible, else the CPU."""
    if config.device is not None:
        return torch.device(config.device)
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def fp32_module_names(model: torch.nn.Module) -> list[str]:
    """Names of the submodules diffusers keeps in fp32 (``_keep_in_fp32_modules``), matched as diffusers
    matches them on load: a listed name equal to one component of the dotted parameter path."""
    keep = getattr(model, "_keep_in_fp32_modules", None) or []
    return [name for name, _ in model.named_modules() if name and any(k in name.split(".") for k in keep)]


def cast_keeping_fp32(model: torch.nn.Module, dtype: torch.dtype) -> torch.nn.Module:
    """``model.to(dtype)``, then the ``_keep_in_fp32_modules`` back to fp32, as ``from_pretrained(torch_dtype=...)``."""
    model.to(dtype=dtype)
    if dtype != torch.float32:
        modules = dict(model.named_modules())
        for name in fp32_module_names(model):
            modules[name].to(dtype=torch.float32)
    return model


def prepare_denoiser(transformer: torch.nn.Module, config: BackboneConfig) -> torch.nn.Module:
    """Frozen, in the configured dtype (fp32 islands kept), on the target device, with gradient
    checkpointing if asked. Every family's toy builder and loader goes through here.

    bf16 base weights cost no accuracy for LoRA training here because ``arcvdm.lora.attach`` keeps the
    LoRA parameters in fp32; gradient checkpointing recomputes activations in the backward pass and
    changes no number, only memory and time.
    """
    transformer.requires_grad_(False)
    dtype = torch_dtype(config.dtype)
    if transformer.dtype != dtype:  # loaders pass torch_dtype to from_pretrained, which keeps fp32 islands
        cast_keeping_fp32(transformer, dtype)
    transformer.to(device=target_device(config))
    if config.gradient_checkpointing:
        transformer.enable_gradient_checkpointing()
    return transformer


def place_helper(module: torch.nn.Module, config: BackboneConfig) -> torch.nn.Module:
    """VAE / image encoder: frozen, eval, on the target device (or the CPU when ``cpu_offload``)."""
    module.eval().requires_grad_(False)
    return module.to("cpu" if config.cpu_offload else target_device(config))


class OnDevice:
    """Context manager: move a helper model to ``device`` for one call, and back to the CPU after
    when ``offload`` is set (model-level CPU offload, as diffusers' ``enable_model_cpu_offload``)."""

    def __init__(self, module: torch.nn.Module | None, device: torch.device, offload: bool) -> None:
        # A codec without a VAE (the embedded model's cell codec) has nothing to move.
        self.module, self.device, self.offload = module, device, offload and module is not None

    def __enter__(self) -> torch.nn.Module:
        if self.offload:
            self.module.to(self.device)
        return self.module

    def __exit__(self, *exc) -> None:
        if self.offload:
            self.module.to("cpu")


def read_config(folder: Path, what: str) -> dict:
    """``folder/config.json`` as a dict; a missing or unreadable file is a WeightsError naming it."""
    path = Path(folder) / "config.json"
    if not path.is_file():
        raise WeightsError(f"{what}: {path} is missing (the model's config files are needed)")
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError) as err:
        raise WeightsError(f"{what}: {path} is not readable JSON: {err}") from None


# -- reading weights files ---------------------------------------------------------------------------
def _weight_files(folder: Path, what: str) -> list[Path]:
    """The safetensors files of a model folder: one file, or the shards its index names."""
    indexes = sorted(folder.glob("*.safetensors.index.json"))
    if indexes:
        try:
            shards = sorted(set(json.loads(indexes[0].read_text())["weight_map"].values()))
        except (OSError, ValueError, KeyError, AttributeError) as err:
            raise WeightsError(f"{what}: {indexes[0]} is not a readable safetensors index (needs a weight_map): {err}") from None
        missing = [s for s in shards if not (folder / s).is_file()]
        if missing:
            raise WeightsError(f"{what}: {folder / missing[0]} is missing (listed in {indexes[0].name})")
        return [folder / s for s in shards]
    files = sorted(folder.glob("*.safetensors"))
    if not files:
        raise WeightsError(f"{what}: {folder} has no .safetensors weights file (arcvdm reads safetensors only)")
    return files


def read_shapes(path: Path, what: str) -> dict[str, tuple[int, ...]]:
    """Tensor name -> shape from a safetensors header; a truncated or corrupt file is a WeightsError."""
    from safetensors import SafetensorError, safe_open

    try:
        with safe_open(str(path), framework="pt") as f:
            return {k: tuple(f.get_slice(k).get_shape()) for k in f.keys()}
    except (SafetensorError, OSError) as err:
        raise WeightsError(
            f"{what}: {path} is not a readable safetensors file (truncated or corrupt: {str(err).splitlines()[0]})"
        ) from None


def check_weights(
    folder: Path, expected: dict[str, tuple[int, ...]], what: str, optional: frozenset[str] = frozenset()
) -> None:
    """Every expected tensor present (except ``optional`` ones: buffers the model can default, as diffusers
    does) and of its shape in the folder's safetensors files; WeightsError otherwise."""
    found: dict[str, tuple[tuple[int, ...], Path]] = {}
    for path in _weight_files(folder, what):
        for name, shape in read_shapes(path, what).items():
            found[name] = (shape, path)
    missing = [k for k in expected if k not in found and k not in optional]
    if missing:
        raise WeightsError(
            f"{what}: {folder} lacks tensor {missing[0]!r} ({len(missing)} missing) that its config.json needs"
        )
    for name, shape in expected.items():
        if name in found and found[name][0] != shape:
            raise WeightsError(
                f"{what}: {found[name][1]} holds {name!r} with shape {list(found[name][0])}; "
                f"its config.json needs {list(shape)}"
            )


def expected_shapes(cls: Any, folder: Path, what: str) -> tuple[dict[str, tuple[int, ...]], frozenset[str]]:
    """Tensor shapes of a diffusers model built on ``meta`` from ``folder/config.json`` (no memory), and
    the names of its persistent buffers (optional in a file: e.g. a VAE's latent statistics)."""
    from accelerate import init_empty_weights

    if not (folder / "config.json").is_file():
        raise WeightsError(f"{what}: {folder / 'config.json'} is missing")
    try:
        config = cls.load_config(folder)
        with init_empty_weights():
            model = cls.from_config(config)
    except (OSError, ValueError, TypeError) as err:
        raise WeightsError(f"{what}: {folder / 'config.json'} does not describe a {cls.__name__}: {err}") from None
    parameters = {name for name, _ in model.named_parameters()}
    shapes = {k: tuple(v.shape) for k, v in model.state_dict().items()}
    return shapes, frozenset(k for k in shapes if k not in parameters)


def load_component(cls: Any, root: Path, subfolder: str, family: str, dtype: torch.dtype | None = None):
    """``cls.from_pretrained(root/subfolder)``: offline, safetensors only, in ``dtype`` (fp32 islands kept),
    after checking every weights file against the config (module docstring)."""
    folder = root / subfolder
    what = f"{family} {subfolder}"
    shapes, buffers = expected_shapes(cls, folder, what)
    check_weights(folder, shapes, what, buffers)
    kwargs = dict(LOCAL_ONLY)
    if dtype is not None:
        kwargs["torch_dtype"] = dtype
    try:
        return cls.from_pretrained(root, subfolder=subfolder, **kwargs)
    except (OSError, ValueError, RuntimeError) as err:
        raise WeightsError(f"{what}: {folder} could not be loaded: {str(err).splitlines()[0]}") from None


def load_hf_component(cls: Any, folder: Path, family: str, dtype: torch.dtype | None = None):
    """A transformers model (CLIP image encoder) from ``folder``, with the same checks as ``load_component``."""
    from accelerate import init_empty_weights

    what = f"{family} {folder.name}"
    if not (folder / "config.json").is_file():
        raise WeightsError(f"{what}: {folder / 'config.json'} is missing")
    try:
        config = cls.config_class.from_pretrained(folder, local_files_only=True)
        with init_empty_weights():
            model = cls(config)
    except (OSError, ValueError, TypeError) as err:
        raise WeightsError(f"{what}: {folder / 'config.json'} does not describe a {cls.__name__}: {err}") from None
    parameters = {name for name, _ in model.named_parameters()}
    shapes = {k: tuple(v.shape) for k, v in model.state_dict().items()}
    check_weights(folder, shapes, what, frozenset(k for k in shapes if k not in parameters))
    kwargs = dict(LOCAL_ONLY)
    if dtype is not None:
        kwargs["torch_dtype"] = dtype
    try:
        return cls.from_pretrained(folder, **kwargs)
    except (OSError, ValueError, RuntimeError) as err:
        raise WeightsError(f"{what}: {folder} could not be loaded: {str(err).splitlines()[0]}") from None
