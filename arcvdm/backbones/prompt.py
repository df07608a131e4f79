"""The fixed neutral prompt: embedded once per model folder, cached, and the text encoder freed.

The source paper conditions every clip on one fixed neutral text embedding. Text encoders of real
VDMs are 5-7B parameters, so arcvdm computes the embedding once and caches it as safetensors:
first ``<model>/prompt_embeds.safetensors`` if the folder ships one, else the cache file under
``$ARCVDM_CACHE`` (default ``~/.cache/arcvdm``), else it runs the folder's own text encoder
(``text_encoder/`` + ``tokenizer/``, local files only), writes the cache and frees the encoder.

Each family computes it exactly as its official pipeline's ``_get_t5_prompt_embeds`` (``padding``):
- ``"zero"`` (Wan): the encoder runs WITH the attention mask; the padded positions are zeroed
  (Wan's transformer expects exactly 512 tokens, zeros after the prompt);
- ``"keep"`` (CogVideoX): the encoder runs WITHOUT a mask (the pipeline passes only the ids) and
  all ``max_length`` positions are kept (CogVideoX was trained on all 226 positions);
- ``"trim"`` (LTX-Video): the encoder runs WITHOUT a mask, as the pipeline; only the unpadded
  tokens are kept, so an all-ones attention mask in the transformer is exactly the pipeline's
  masked attention (masked keys contribute nothing, so dropping them changes no output).
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
    # "v2": embeddings cached before the mask fix (CogVideoX, LTX encoded with a mask) are not reused.
    key = hashlib.sha256(f"v2|{root.resolve()}|{prompt}|{max_length}|{padding}".encode()).hexdigest()[:16]
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
    try:
        tokenizer = transformers.AutoTokenizer.from_pretrained(root / "tokenizer", local_files_only=True)
        encoder = getattr(transformers, encoder_class).from_pretrained(
            root / "text_encoder", local_files_only=True, use_safetensors=True
        )
    except (OSError, ValueError, RuntimeError) as err:
        raise WeightsError(f"{root}: text_encoder/ + tokenizer/ could not be loaded: {str(err).splitlines()[0]}") from None
    embeds = encode_prompt(tokenizer, encoder, prompt, max_length, padding)
    del encoder  # 5-7B parameters: freed as soon as the one embedding exists
    cached.parent.mkdir(parents=True, exist_ok=True)
    save_file({"prompt_embeds": embeds.contiguous()}, cached)
    return _checked(embeds, text_dim, cached)


@torch.no_grad()
def encode_prompt(tokenizer, encoder, prompt: str, max_length: int, padding: str) -> torch.Tensor:
    """(1, L, D) float32 embedding of ``prompt``, as the family's pipeline computes it (module docstring)."""
    ids = tokenizer(
        prompt, padding="max_length", max_length=max_length, truncation=True, add_special_tokens=True,
        return_attention_mask=True, return_tensors="pt",
    )
    mask = ids.attention_mask                                              # (1, L)
    if padding == "zero":   # Wan: masked encoder, zeros after the prompt
        embeds = encoder(ids.input_ids, mask).last_hidden_state.float()    # (1, L, D)
        return embeds * mask[..., None]
    embeds = encoder(ids.input_ids).last_hidden_state.float()              # (1, L, D): no mask (CogVideoX, LTX)
    if padding == "trim":   # LTX: only the tokens its transformer's mask lets through
        embeds = embeds[:, : int(mask.sum())]
    return embeds


def _checked(embeds: torch.Tensor, text_dim: int, where: Path) -> torch.Tensor:
    if embeds.ndim != 3 or embeds.shape[-1] != text_dim:
        raise WeightsError(f"{where}: prompt embeddings have shape {tuple(embeds.shape)}, expected (1, L, {text_dim})")
    return embeds
