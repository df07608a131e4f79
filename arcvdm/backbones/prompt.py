"""The fixed neutral prompt: embedded once per model folder, cached, and the text encoder freed.

The source paper conditions every clip on one fixed neutral text embedding. Text encoders of real
VDMs are 5-7B parameters, so arcvdm computes the embedding once and caches it as safetensors:
first ``<model>/prompt_embeds.safetensors`` if the folder ships one, else the cache file under
``$ARCVDM_CACHE`` (default ``~/.cache/arcvdm``), else it runs the folder's own text encoder
(``text_encoder/`` + ``tokenizer/``, local files only) and writes the cache.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import torch
from safetensors.torch import load_file, save_file

from arcvdm.errors import WeightsError

NEUTRAL_PROMPT = ""


def cache_dir() -> Path:
    return Path(os.environ.get("ARCVDM_CACHE", Path.home() / ".cache" / "arcvdm"))


def neutral_prompt_embeds(root: Path, text_dim: int, max_length: int = 512, prompt: str = NEUTRAL_PROMPT) -> torch.Tensor:
    """(1, L, text_dim) embedding of the neutral prompt for the model in ``root``."""
    shipped = root / "prompt_embeds.safetensors"
    if shipped.is_file():
        return _checked(load_file(shipped)["prompt_embeds"], text_dim, shipped)
    key = hashlib.sha256(f"{root.resolve()}|{prompt}|{max_length}".encode()).hexdigest()[:16]
    cached = cache_dir() / "prompt_embeds" / f"{key}.safetensors"
    if cached.is_file():
        return _checked(load_file(cached)["prompt_embeds"], text_dim, cached)
    if not (root / "text_encoder").is_dir() or not (root / "tokenizer").is_dir():
        raise WeightsError(
            f"{root}: no prompt_embeds.safetensors and no text_encoder/ + tokenizer/ to compute the neutral prompt"
        )
    from transformers import AutoTokenizer, UMT5EncoderModel  # heavy: only when the cache is cold

    tokenizer = AutoTokenizer.from_pretrained(root / "tokenizer", local_files_only=True)
    encoder = UMT5EncoderModel.from_pretrained(root / "text_encoder", local_files_only=True, use_safetensors=True)
    with torch.no_grad():
        ids = tokenizer(prompt, padding="max_length", max_length=max_length, truncation=True, return_tensors="pt")
        embeds = encoder(ids.input_ids, attention_mask=ids.attention_mask).last_hidden_state.float()
        embeds = embeds * ids.attention_mask[..., None]   # Wan zeroes the padded positions
    del encoder
    cached.parent.mkdir(parents=True, exist_ok=True)
    save_file({"prompt_embeds": embeds.contiguous()}, cached)
    return _checked(embeds, text_dim, cached)


def _checked(embeds: torch.Tensor, text_dim: int, where: Path) -> torch.Tensor:
    if embeds.ndim != 3 or embeds.shape[-1] != text_dim:
        raise WeightsError(f"{where}: prompt embeddings have shape {tuple(embeds.shape)}, expected (1, L, {text_dim})")
    return embeds
