"""The fixed neutral prompt: embedded once per model folder, cached, and the text encoder freed.

The source paper conditions every clip on one fixed neutral text embedding. Text encoders of real
VDMs are 5-7B parameters, so arcvdm computes the embedding once and caches it as safetensors:
first ``<model>/prompt_embeds.safetensors`` if the folder ships one, else the cache file under
``$ARCVDM_CACHE`` (default ``~/.cache/arcvdm``), else it runs the folder's own text encoder
(``text_encoder/`` + ``tokenizer/``, local files only), writes the cache and frees the encoder.

Families differ in what they do with padded positions (``padding``):
- ``"zero"`` (Wan): pad to ``max_length`` and zero the padded positions (Wan's transformer expects
  exactly 512 tokens, zeros after the prompt);
- ``"keep"`` (CogVideoX): pad to ``max_length`` and keep the encoder's outputs there (CogVideoX was
  trained on all 226 positions, no mask);
- ``"trim"`` (LTX-Video): keep only the unpadded tokens, so an all-ones attention mask is exact
  (masked keys contribute nothing to attention, so dropping them changes no output).
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


PADDINGS = ("zero", "keep", "trim")


def neutral_prompt_embeds(
    root: Path,
    text_dim: int,
    max_length: int = 512,
    prompt: str = NEUTRAL_PROMPT,
    encoder_class: str = "UMT5EncoderModel",
    padding: str = "zero",
) -> torch.Tensor:
    """(1, L, text_dim) embedding of the neutral prompt for the model in ``root``.

    ``encoder_class`` names the transformers class of ``text_encoder/`` (Wan: UMT5EncoderModel;
    CogVideoX, LTX-Video: T5EncoderModel); ``padding`` is one of ``PADDINGS`` (module docstring).
    """
    if padding not in PADDINGS:
        raise ValueError(f"padding must be one of {PADDINGS}, got {padding!r}")
    shipped = root / "prompt_embeds.safetensors"
    if shipped.is_file():
        return _checked(load_file(shipped)["prompt_embeds"], text_dim, shipped)
    key = hashlib.sha256(f"{root.resolve()}|{prompt}|{max_length}|{padding}".encode()).hexdigest()[:16]
    cached = cache_dir() / "prompt_embeds" / f"{key}.safetensors"
    if cached.is_file():
        return _checked(load_file(cached)["prompt_embeds"], text_dim, cached)
    if not (root / "text_encoder").is_dir() or not (root / "tokenizer").is_dir():
        raise WeightsError(
            f"{root}: no prompt_embeds.safetensors and no text_encoder/ + tokenizer/ to compute the neutral prompt"
        )
    import transformers  # heavy: only when the cache is cold

    if encoder_class not in ("UMT5EncoderModel", "T5EncoderModel"):
        raise WeightsError(f"{root}: text encoder class {encoder_class!r} is not one arcvdm loads (UMT5EncoderModel, T5EncoderModel)")
    tokenizer = transformers.AutoTokenizer.from_pretrained(root / "tokenizer", local_files_only=True)
    encoder = getattr(transformers, encoder_class).from_pretrained(
        root / "text_encoder", local_files_only=True, use_safetensors=True
    )
    with torch.no_grad():
        ids = tokenizer(prompt, padding="max_length", max_length=max_length, truncation=True, return_tensors="pt")
        embeds = encoder(ids.input_ids, attention_mask=ids.attention_mask).last_hidden_state.float()  # (1, L, D)
        if padding == "zero":
            embeds = embeds * ids.attention_mask[..., None]       # Wan zeroes the padded positions
        elif padding == "trim":
            embeds = embeds[:, : int(ids.attention_mask.sum())]   # LTX: only the unmasked tokens
    del encoder  # 5-7B parameters: freed as soon as the one embedding exists
    cached.parent.mkdir(parents=True, exist_ok=True)
    save_file({"prompt_embeds": embeds.contiguous()}, cached)
    return _checked(embeds, text_dim, cached)


def _checked(embeds: torch.Tensor, text_dim: int, where: Path) -> torch.Tensor:
    if embeds.ndim != 3 or embeds.shape[-1] != text_dim:
        raise WeightsError(f"{where}: prompt embeddings have shape {tuple(embeds.shape)}, expected (1, L, {text_dim})")
    return embeds
