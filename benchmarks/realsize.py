"""Real-size smoke benchmark: the Wan2.1 1.3B transformer architecture, random bf16 weights, on CPU.

Not part of the test run. Builds ``WanTransformer3DModel`` with the published Wan2.1-T2V-1.3B
architecture (no download: the values are written below), wraps it in arcvdm's Wan backbone with a
toy-size Wan VAE codec (the VAE only sets the latent geometry here: 16 channels, 4x8x8), attaches a
LoRA through ``arcvdm.lora`` and times one LoRA training step and one sampling step on a 64x64,
5-frame clip (2 latent frames of 8x8: 32 tokens). Prints seconds and peak resident memory.

Config source: ``Wan-AI/Wan2.1-T2V-1.3B-Diffusers``, ``transformer/config.json`` (diffusers layout):
dim 1536 = 12 heads x 128, 30 layers, ffn 8960, 16 in/out channels, text_dim 4096, freq_dim 256,
patch (1, 2, 2), qk_norm rms_norm_across_heads, cross_attn_norm true, eps 1e-6, rope_max_seq_len 1024.

    python benchmarks/realsize.py
"""

from __future__ import annotations

import resource
import time

import torch
from diffusers import AutoencoderKLWan, WanTransformer3DModel

from arcvdm import lora
from arcvdm.backbones.codecs import WanVaeCodec
from arcvdm.backbones.wan import WanTI2VBackbone
from arcvdm.backbones.weights import place_helper, prepare_denoiser
from arcvdm.config import BackboneConfig, LoraConfig

WAN21_1_3B = dict(
    patch_size=(1, 2, 2), num_attention_heads=12, attention_head_dim=128, in_channels=16, out_channels=16,
    text_dim=4096, freq_dim=256, ffn_dim=8960, num_layers=30, cross_attn_norm=True,
    qk_norm="rms_norm_across_heads", eps=1e-6, rope_max_seq_len=1024,
)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def main() -> None:
    config = BackboneConfig(name="wan21-1.3b-random", dtype="bfloat16", height=64, width=64, device="cpu")
    # 1. Build: real-size transformer in bf16 with seeded random weights; toy VAE for the geometry.
    start = time.perf_counter()
    with torch.random.fork_rng():
        torch.manual_seed(0)
        transformer = WanTransformer3DModel(**WAN21_1_3B)
        vae = AutoencoderKLWan(base_dim=3, z_dim=16, dim_mult=[1, 1, 1, 1], num_res_blocks=1, temperal_downsample=[False, True, True])
    # The loaders' placement: bf16 with diffusers' fp32 modules kept in fp32, frozen, on backbone.device.
    transformer, vae = prepare_denoiser(transformer, config), place_helper(vae, config)
    prompt = torch.zeros(1, 512, 4096)  # Wan's zero-padded 512-token text context
    backbone = WanTI2VBackbone(transformer, WanVaeCodec(vae), prompt, config, family="wan21-1.3b-random")
    build_s = time.perf_counter() - start
    params = sum(p.numel() for p in transformer.parameters())
    print(f"built {params / 1e9:.2f}B-parameter transformer in {build_s:.1f} s; peak RSS {peak_mb():.0f} MiB")
    # 2. One LoRA training step (rank 16 on attention q/k/v/out), batch 1, first latent frame clean.
    video = torch.rand(1, 3, 5, 64, 64, generator=torch.Generator().manual_seed(0)) * 2 - 1
    latents = backbone.encode(video)                                            # (1, 16, 2, 8, 8)
    params_lora = lora.attach(transformer, LoraConfig(rank=16, alpha=16.0), backbone.lora_targets)
    optimizer = torch.optim.AdamW(params_lora, lr=1e-4)
    generator = torch.Generator().manual_seed(0)
    times = []
    for _ in range(2):  # the first step includes one-off allocation; both are reported
        start = time.perf_counter()
        loss = backbone.training_loss(latents, 1, generator)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        times.append(time.perf_counter() - start)
    print(f"LoRA step: {times[0]:.2f} s (first), {times[1]:.2f} s (second); loss {loss.item():.4f}; "
          f"{sum(p.numel() for p in params_lora) / 1e6:.2f} M LoRA parameters; peak RSS {peak_mb():.0f} MiB")
    # 3. One sampling step (one Euler step from noise, 2 samples).
    transformer.eval()
    start = time.perf_counter()
    out = backbone.sample(latents[:, :, :1].expand(2, -1, -1, -1, -1), latents.shape[2], 1, generator)
    sample_s = time.perf_counter() - start
    print(f"sampling step (2 samples): {sample_s:.2f} s; output {tuple(out.shape)}; peak RSS {peak_mb():.0f} MiB")
    lora.detach(transformer)


if __name__ == "__main__":
    main()
