"""Every real family against its official diffusers pipeline, on the same tiny random weights.

For each family the toy backbone (real diffusers classes at toy size, seeded random weights, CPU,
offline) and the family's own pipeline built from the SAME modules generate from one image with the
same seed, scheduler and number of steps, no LoRA and no guidance: arcvdm's generated latent frames
must equal the pipeline's. And the conditioning the denoiser sees in training (from a whole clip)
must equal the one it sees in sampling (from the conditioning frames alone).

These are the tests that say published weights will see the inputs they were trained on. Two
deliberate differences are pinned rather than hidden: arcvdm encodes the conditioning image with the
mode of the VAE posterior (the CogVideoX and LTX pipelines draw a sample), so those pipelines run
here with ``retrieve_latents(..., sample_mode="argmax")``; and the neutral prompt embedding is passed
in as ``prompt_embeds`` (its own computation is pinned in ``test_null_prompt_*``).
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
from PIL import Image

from arcvdm.backbones import build_backbone
from arcvdm.config import BackboneConfig

STEPS = 3
TOL = dict(atol=1e-4, rtol=1e-4)


def _image(side: int, seed: int = 0) -> np.ndarray:
    """A random uint8 (side, side, 3) picture of 4 px blocks: an ARC-like frame."""
    rng = np.random.default_rng(seed)
    blocks = rng.integers(0, 256, size=(side // 4, side // 4, 3), dtype=np.uint8)
    return blocks.repeat(4, 0).repeat(4, 1)


def _video(frames: list[np.ndarray]) -> torch.Tensor:
    """uint8 frames -> (1, 3, F, H, W) in [-1, 1], as arcvdm.video.frames_to_video."""
    from arcvdm.video import frames_to_video

    return frames_to_video(np.stack(frames))[None]


def _image_tensor(image: np.ndarray) -> Image.Image:
    """The pipeline's image input, as a user passes it: a PIL image of the same uint8 pixels."""
    return Image.fromarray(image)


def _argmax_latents(monkeypatch, module) -> None:
    """Make a pipeline module encode its image with the posterior's mode, as arcvdm does."""
    original = module.retrieve_latents
    monkeypatch.setattr(module, "retrieve_latents", lambda out, generator=None, sample_mode="sample": original(out, sample_mode="argmax"))


def _train_vs_sample_conditioning(backbone, clip_frames: list[np.ndarray], num_conditioning: int) -> None:
    """Conditioning from a whole training clip == conditioning from the conditioning frames alone."""
    k = backbone.rule.clean_latent_frames(num_conditioning)
    f = backbone.rule.latent_frames(len(clip_frames))
    train = backbone.encode_clip(_video(clip_frames), num_conditioning)                   # (1, C, f, h, w)
    sample = backbone.encode_clip(_video(clip_frames[:num_conditioning]), num_conditioning)  # (1, C, k, h, w)
    assert torch.equal(train[:, :, :k], sample), f"{backbone.family}: clean latents differ between training and sampling"
    a, b = backbone.conditioning(train[:, :, :k], f), backbone.conditioning(sample, f)
    assert a.keys() == b.keys()
    for name in a:
        assert torch.equal(a[name], b[name]), f"{backbone.family}: conditioning {name!r} differs between training and sampling"


def _pipeline(backbone, scheduler=None):
    """The family's official diffusers pipeline on the backbone's own modules (no text encoder: the
    neutral prompt embedding is passed in)."""
    import diffusers
    from diffusers import FlowMatchEulerDiscreteScheduler

    from arcvdm.backbones.ltx import SCHEDULER_CONFIG as LTX_SCHEDULER

    cls = getattr(diffusers, backbone.pipeline_class)
    modules = dict(tokenizer=None, text_encoder=None, vae=backbone.codec.vae, transformer=backbone.denoiser)
    if backbone.family == "toy-wan22":
        return cls(**modules, scheduler=scheduler, expand_timesteps=True)
    if backbone.family == "toy-wan21":
        return cls(
            **modules, image_encoder=backbone.image_encoder, image_processor=backbone.image_processor,
            scheduler=scheduler or FlowMatchEulerDiscreteScheduler(num_train_timesteps=1000, shift=backbone.config.shift),
        )
    if backbone.family.startswith("toy-cogvideox"):
        return cls(**modules, scheduler=diffusers.CogVideoXDDIMScheduler.from_config(backbone.scheduler.config))
    return cls(**modules, scheduler=FlowMatchEulerDiscreteScheduler(**LTX_SCHEDULER))


def _pipeline_latents(pipe, backbone, image: np.ndarray, frames: int, seed: int) -> torch.Tensor:
    """Run the pipeline (no guidance) and return its final latents as arcvdm's (1, C, f, h, w)."""
    side = image.shape[0]
    kwargs = dict(
        image=Image.fromarray(image), prompt_embeds=backbone.prompt_embeds, height=side, width=side, num_frames=frames,
        num_inference_steps=STEPS, guidance_scale=1.0, generator=torch.Generator().manual_seed(seed), output_type="latent",
    )
    f = backbone.rule.latent_frames(frames)
    if backbone.pipeline_class == "CogVideoXImageToVideoPipeline":
        out = pipe(**kwargs, use_dynamic_cfg=False).frames                   # (1, pad + f, C, h, w)
        return out.permute(0, 2, 1, 3, 4)[:, :, -f:].float()                 # drop 1.5's padding frame
    if backbone.pipeline_class == "LTXImageToVideoPipeline":
        prompt = backbone.prompt_embeds
        out = pipe(**kwargs, prompt_attention_mask=torch.ones(prompt.shape[:2])).frames   # (1, S, C): packed tokens
        h = w = side // backbone.codec.spatial
        return type(pipe)._unpack_latents(out, f, h, w, 1, 1).float()       # (1, C, f, h, w)
    return pipe(**kwargs).frames.float()                                       # (1, C, f, h, w)


def _pipeline_video(pipe, backbone, image: np.ndarray, frames: int, seed: int) -> torch.Tensor:
    """Run the pipeline to pixels: (1, 3, F, H, W) in [-1, 1], arcvdm's video layout."""
    side = image.shape[0]
    kwargs = dict(
        image=Image.fromarray(image), prompt_embeds=backbone.prompt_embeds, height=side, width=side, num_frames=frames,
        num_inference_steps=STEPS, guidance_scale=1.0, generator=torch.Generator().manual_seed(seed), output_type="pt",
    )
    if backbone.pipeline_class == "CogVideoXImageToVideoPipeline":
        kwargs["use_dynamic_cfg"] = False
    if backbone.pipeline_class == "LTXImageToVideoPipeline":
        kwargs["prompt_attention_mask"] = torch.ones(backbone.prompt_embeds.shape[:2])
    video = pipe(**kwargs).frames                                              # (1, F, 3, H, W) in [0, 1]
    return video.permute(0, 2, 1, 3, 4).float() * 2 - 1


def _ours(backbone, image: np.ndarray, frames: int, seed: int) -> torch.Tensor:
    """arcvdm: the clean latent of the image alone (as the solver encodes a test input), then sample."""
    clean = backbone.encode_clip(_video([image]), 1)                          # (1, C, 1, h, w)
    return backbone.sample(clean, backbone.rule.latent_frames(frames), STEPS, torch.Generator().manual_seed(seed))


# -- Wan2.2 TI2V ----------------------------------------------------------------------------------
@pytest.mark.parametrize("sampler", ["euler", "unipc"])
def test_wan22_matches_pipeline(sampler: str, monkeypatch) -> None:
    from arcvdm.backbones import flow

    side, frames = 64, 9
    config = BackboneConfig(name="toy-wan22", height=side, width=side, shift=5.0)
    monkeypatch.setattr(flow, "sampler_of", lambda cfg: sampler)   # backbone.sampler, once the config has it
    backbone = build_backbone(config)
    image = _image(side)
    ours = _ours(backbone, image, frames, 7)
    pipe = _pipeline(backbone, flow.sampler(sampler, config.shift, STEPS, "cpu"))
    theirs = _pipeline_latents(pipe, backbone, image, frames, 7)
    assert ours.shape == theirs.shape
    torch.testing.assert_close(ours[:, :, 1:], theirs[:, :, 1:], **TOL)
    torch.testing.assert_close(ours[:, :, :1], theirs[:, :, :1], **TOL)   # the pipeline writes the condition back


@pytest.mark.parametrize("clip_frames, conditioning", [(5, 1), (9, 5)])
def test_wan22_conditioning_train_equals_sample(clip_frames: int, conditioning: int) -> None:
    backbone = build_backbone(BackboneConfig(name="toy-wan22", height=64, width=64))
    frames = [_image(64, s) for s in range(clip_frames)]
    _train_vs_sample_conditioning(backbone, frames, conditioning)


# -- Wan2.1 I2V -----------------------------------------------------------------------------------
def test_wan21_matches_pipeline() -> None:
    side, frames = 32, 5
    backbone = build_backbone(BackboneConfig(name="toy-wan21", height=side, width=side, shift=3.0))
    image = _image(side)
    ours = _ours(backbone, image, frames, 3)
    pipe = _pipeline(backbone)
    theirs = _pipeline_latents(pipe, backbone, image, frames, 3)
    torch.testing.assert_close(ours[:, :, 1:], theirs[:, :, 1:], **TOL)
    # The CLIP tokens: the pipeline's encode_image on the PIL image == arcvdm's from the pixels.
    clean = backbone.encode_clip(_video([image]), 1)
    ours_image = backbone.conditioning(clean, backbone.rule.latent_frames(frames))["image"]
    torch.testing.assert_close(ours_image, pipe.encode_image(Image.fromarray(image), "cpu").float(), atol=1e-6, rtol=1e-6)


def test_wan21_conditioning_train_equals_sample_and_sampling_uses_exact_pixels() -> None:
    backbone = build_backbone(BackboneConfig(name="toy-wan21", height=32, width=32))
    frames = [_image(32, s) for s in range(9)]
    _train_vs_sample_conditioning(backbone, frames[:5], 1)
    _train_vs_sample_conditioning(backbone, frames, 5)        # a context clip: 2 clean latent frames
    # Sampling never decodes the clean latents back to pixels: the pixels encode_clip saw are used.
    clean = backbone.encode_clip(_video(frames[:1]), 1)
    backbone._conditions.clear()
    decode = backbone.decode
    backbone.decode = lambda *a: pytest.fail("sampling rebuilt the conditioning pixels by decoding")
    try:
        backbone.sample(clean, 2, 1, torch.Generator().manual_seed(0))
    finally:
        backbone.decode = decode


# -- CogVideoX / CogVideoX1.5 ---------------------------------------------------------------------
@pytest.mark.parametrize("variant", ["1.5", "5b"])
def test_cogvideox_matches_pipeline(variant: str, monkeypatch) -> None:
    from diffusers.pipelines.cogvideo import pipeline_cogvideox_image2video as module

    from arcvdm.backbones.cogvideox import build_toy_cogvideox

    _argmax_latents(monkeypatch, module)
    side, frames = 32, 9          # 5b toy: its one size and its learned table's 9 frames
    backbone = build_toy_cogvideox(BackboneConfig(name="toy-cogvideox", height=side, width=side), variant=variant)
    image = _image(side)
    ours = _ours(backbone, image, frames, 5)
    theirs = _pipeline_latents(_pipeline(backbone), backbone, image, frames, 5)
    torch.testing.assert_close(ours[:, :, 1:], theirs[:, :, 1:], **TOL)


def test_cogvideox_conditioning_train_equals_sample() -> None:
    backbone = build_backbone(BackboneConfig(name="toy-cogvideox", height=32, width=32))
    frames = [_image(32, s) for s in range(17)]
    _train_vs_sample_conditioning(backbone, frames, 5)        # a context clip: 2 clean latent frames
    frames = frames[:9]
    _train_vs_sample_conditioning(backbone, frames, 1)
    # The VAE's GroupNorm spans time: the first latent of the whole clip is NOT the image's own latent,
    # so training must not take it from the whole-clip encoding.
    whole = backbone.encode(_video(frames))
    alone = backbone.encode(_video(frames[:1]))
    assert not torch.allclose(whole[:, :, :1], alone, atol=1e-6)


def test_cogvideox_5b_keeps_its_learned_positions_for_fewer_frames(monkeypatch) -> None:
    """A 5b model trained on 17 frames, run on 9: the first 3 latent frames of its learned table, never sin-cos."""
    from arcvdm.backbones.cogvideox import build_toy_cogvideox
    from arcvdm.errors import BackboneRuleError

    backbone = build_toy_cogvideox(BackboneConfig(name="toy-cogvideox", height=32, width=32), variant="5b", sample_frames=17)
    embed = backbone.denoiser.patch_embed
    with torch.no_grad():
        embed.pos_embedding.normal_()                                          # a "learned" table, not sin-cos
    monkeypatch.setattr(embed, "_get_positional_embeddings", lambda *a, **k: pytest.fail("sin-cos embeddings computed"))
    latents = backbone.encode(_video([_image(32, s) for s in range(9)]))      # (1, C, 3, h, w)
    noisy, image, t = latents, torch.zeros_like(latents), torch.tensor([500])
    before = backbone._v_pred(noisy, image, t)
    # Changing the table beyond the clip's 3 latent frames changes nothing; inside it, the output moves.
    per_frame = (embed.sample_height // 2) * (embed.sample_width // 2)
    with torch.no_grad():
        embed.pos_embedding[:, embed.max_text_seq_length + 3 * per_frame :].normal_()   # (not a constant: LayerNorm)
    assert torch.equal(backbone._v_pred(noisy, image, t), before)
    with torch.no_grad():
        embed.pos_embedding[:, embed.max_text_seq_length : embed.max_text_seq_length + per_frame].normal_()
    assert not torch.allclose(backbone._v_pred(noisy, image, t), before)
    assert embed.sample_frames == 17 and embed.pos_embedding.shape[1] == embed.max_text_seq_length + 5 * per_frame
    with pytest.raises(BackboneRuleError, match=r"25 frames breaks the rule frames <= 17"):
        backbone.check_clip(25, 32, 32)


# -- LTX-Video ------------------------------------------------------------------------------------
def test_ltx_matches_pipeline(monkeypatch) -> None:
    from diffusers.pipelines.ltx import pipeline_ltx_image2video as module

    _argmax_latents(monkeypatch, module)
    side, frames = 64, 17
    backbone = build_backbone(BackboneConfig(name="toy-ltx", height=side, width=side))
    image = _image(side)
    ours = _ours(backbone, image, frames, 11)
    theirs = _pipeline_latents(_pipeline(backbone), backbone, image, frames, 11)
    torch.testing.assert_close(ours[:, :, 1:], theirs[:, :, 1:], **TOL)


def test_ltx_trimmed_prompt_equals_the_pipelines_masked_prompt() -> None:
    """The pipeline attends to max_length prompt tokens through a mask; arcvdm keeps only the unmasked
    ones with an all-ones mask. Same velocity, so the cached trimmed embedding is exact."""
    backbone = build_backbone(BackboneConfig(name="toy-ltx", height=64, width=64))
    trimmed = backbone.prompt_embeds                                          # (1, 4, D)
    padded = torch.cat([trimmed, torch.randn(1, 12, trimmed.shape[2])], dim=1)  # (1, 16, D): encoder outputs at pads
    mask = torch.cat([torch.ones(1, 4), torch.zeros(1, 12)], dim=1)
    latents = torch.randn(1, 8, 2, 2, 2, generator=torch.Generator().manual_seed(0))
    frame_t = torch.tensor([[0.0, 700.0]])
    ours = backbone._velocity(latents, frame_t)
    backbone.prompt_embeds = padded
    original = backbone.denoiser.forward
    backbone.denoiser.forward = lambda *a, encoder_attention_mask=None, **k: original(*a, encoder_attention_mask=mask, **k)
    try:
        theirs = backbone._velocity(latents, frame_t)
    finally:
        backbone.denoiser.forward, backbone.prompt_embeds = original, trimmed
    torch.testing.assert_close(ours, theirs, atol=1e-6, rtol=1e-6)


@pytest.mark.parametrize("clip_frames, conditioning", [(9, 1), (17, 9)])
def test_ltx_conditioning_train_equals_sample(clip_frames: int, conditioning: int) -> None:
    backbone = build_backbone(BackboneConfig(name="toy-ltx", height=64, width=64))
    frames = [_image(64, s) for s in range(clip_frames)]
    _train_vs_sample_conditioning(backbone, frames, conditioning)


# -- frames -----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "name, side, frames, same_first", [("toy-wan22", 64, 5, True), ("toy-wan21", 32, 5, False), ("toy-cogvideox", 32, 9, False), ("toy-ltx", 64, 9, True)]
)
def test_decoded_frames_match_pipeline(name: str, side: int, frames: int, same_first: bool, monkeypatch) -> None:
    """arcvdm's decode of the pipeline's latents == the pipeline's frames (latent normalisation, VAE call).
    Where the pipeline writes the clean first latent back (Wan2.2, LTX), arcvdm's own generated video
    decodes to the pipeline's frames; elsewhere the pipeline regenerates frame 0, so only latents compare."""
    from diffusers.pipelines.cogvideo import pipeline_cogvideox_image2video
    from diffusers.pipelines.ltx import pipeline_ltx_image2video

    from arcvdm.backbones import flow

    for module in (pipeline_cogvideox_image2video, pipeline_ltx_image2video):
        _argmax_latents(monkeypatch, module)
    backbone = build_backbone(BackboneConfig(name=name, height=side, width=side))
    image = _image(side)
    scheduler = (lambda: flow.sampler("euler", backbone.config.shift, STEPS, "cpu")) if name == "toy-wan22" else (lambda: None)
    theirs_latents = _pipeline_latents(_pipeline(backbone, scheduler()), backbone, image, frames, 2)
    theirs_video = _pipeline_video(_pipeline(backbone, scheduler()), backbone, image, frames, 2)
    assert theirs_video.shape == (1, 3, frames, side, side)
    torch.testing.assert_close(backbone.decode(theirs_latents), theirs_video, atol=1e-4, rtol=1e-4)
    if same_first:
        ours = _ours(backbone, image, frames, 2)
        torch.testing.assert_close(backbone.decode(ours), theirs_video, atol=1e-4, rtol=1e-4)


# -- adapters in the ecosystem's format -------------------------------------------------------------
@pytest.mark.filterwarnings("ignore:While injecting the PEFT adapters")   # diffusers pads Wan2.1 I2V LoRAs with zeros
@pytest.mark.parametrize("name, side, frames", [("toy-wan22", 64, 5), ("toy-wan21", 32, 5), ("toy-cogvideox", 32, 9), ("toy-ltx", 64, 9)])
def test_exported_adapter_loads_into_the_pipeline(name: str, side: int, frames: int, tmp_path, monkeypatch) -> None:
    """``lora.export_diffusers`` -> ``pipe.load_lora_weights``: the pipeline then generates what arcvdm's
    sampler generates with the adapter attached (and not what the base model generates)."""
    from diffusers.pipelines.cogvideo import pipeline_cogvideox_image2video
    from diffusers.pipelines.ltx import pipeline_ltx_image2video

    from arcvdm import lora
    from arcvdm.backbones import flow
    from arcvdm.config import LoraConfig

    for module in (pipeline_cogvideox_image2video, pipeline_ltx_image2video):
        _argmax_latents(monkeypatch, module)
    backbone = build_backbone(BackboneConfig(name=name, height=side, width=side))
    image = _image(side)
    base = _ours(backbone, image, frames, 1)
    # 1. A trained-looking adapter: rank 4, alpha 2 (scale 0.5, not peft's default), random B.
    with torch.random.fork_rng():
        torch.manual_seed(0)
        params = lora.attach(backbone.denoiser, LoraConfig(rank=4, alpha=2.0), backbone.lora_targets)
        for n, p in backbone.denoiser.named_parameters():
            if "lora_B" in n:
                p.data.normal_(std=0.5)
    try:
        path = lora.export_diffusers(backbone.denoiser, backbone.pipeline_class, tmp_path / "adapter")
        ours = _ours(backbone, image, frames, 1)
    finally:
        lora.detach(backbone.denoiser)
    assert path.name == "pytorch_lora_weights.safetensors" and params
    assert not torch.allclose(ours[:, :, 1:], base[:, :, 1:], atol=1e-3), "the adapter changed nothing: a weak test"
    # 2. The official pipeline loads the file and generates the same latents.
    scheduler = flow.sampler("euler", backbone.config.shift, STEPS, "cpu") if name == "toy-wan22" else None
    pipe = _pipeline(backbone, scheduler)
    pipe.load_lora_weights(tmp_path / "adapter")
    try:
        theirs = _pipeline_latents(pipe, backbone, image, frames, 1)
    finally:
        pipe.unload_lora_weights()
    torch.testing.assert_close(ours[:, :, 1:], theirs[:, :, 1:], **TOL)


# -- the neutral prompt -----------------------------------------------------------------------------
def _text_folder(root, encoder_class: str):
    """A tiny T5/UMT5 text encoder and a byte-level tokenizer saved as the published folders lay them out."""
    import transformers

    tokenizer = transformers.ByT5Tokenizer()
    config_class = transformers.UMT5Config if encoder_class == "UMT5EncoderModel" else transformers.T5Config
    config = config_class(vocab_size=384, d_model=32, d_kv=8, d_ff=64, num_layers=2, num_heads=4, relative_attention_num_buckets=8)
    torch.manual_seed(0)
    encoder = getattr(transformers, encoder_class)(config).eval()
    tokenizer.save_pretrained(root / "tokenizer")
    encoder.save_pretrained(root / "text_encoder")
    return tokenizer, encoder


@pytest.mark.parametrize(
    "family, encoder_class, padding, length",
    [("wan", "UMT5EncoderModel", "zero", 512), ("cogvideox", "T5EncoderModel", "keep", 16), ("ltx", "T5EncoderModel", "trim", 128)],
)
def test_null_prompt_is_computed_as_the_pipeline(family, encoder_class, padding, length, tmp_path, monkeypatch) -> None:
    from diffusers import CogVideoXImageToVideoPipeline, LTXImageToVideoPipeline, WanImageToVideoPipeline

    from arcvdm.backbones.prompt import NEUTRAL_PROMPT, neutral_prompt_embeds

    monkeypatch.setenv("ARCVDM_CACHE", str(tmp_path / "cache"))
    tokenizer, encoder = _text_folder(tmp_path, encoder_class)
    ours = neutral_prompt_embeds(tmp_path, text_dim=32, max_length=length, encoder_class=encoder_class, padding=padding)
    with torch.no_grad():
        if family == "wan":
            from diffusers.pipelines.wan import pipeline_wan_i2v

            # prompt_clean needs ftfy (not installed); it maps the neutral "" to "" anyway.
            monkeypatch.setattr(pipeline_wan_i2v, "prompt_clean", lambda text: text.strip())
            pipe = WanImageToVideoPipeline(tokenizer=tokenizer, text_encoder=encoder, vae=None, scheduler=None)
            theirs = pipe._get_t5_prompt_embeds(NEUTRAL_PROMPT, max_sequence_length=length, device="cpu")
        elif family == "cogvideox":
            pipe = CogVideoXImageToVideoPipeline(tokenizer=tokenizer, text_encoder=encoder, vae=None, transformer=None, scheduler=None)
            theirs = pipe._get_t5_prompt_embeds(NEUTRAL_PROMPT, max_sequence_length=length, device="cpu")
        else:
            pipe = LTXImageToVideoPipeline(tokenizer=tokenizer, text_encoder=encoder, vae=None, transformer=None, scheduler=None)
            theirs, mask = pipe._get_t5_prompt_embeds(NEUTRAL_PROMPT, max_sequence_length=length, device="cpu")
            theirs = theirs[:, : int(mask.sum())]           # the transformer attends to these tokens only
    assert ours.shape == theirs.shape
    torch.testing.assert_close(ours, theirs.float(), atol=1e-6, rtol=1e-6)
    # A second call reads the cache and gives the same tensor.
    assert torch.equal(neutral_prompt_embeds(tmp_path, 32, length, encoder_class=encoder_class, padding=padding), ours)


def test_unknown_sampler_is_a_config_error() -> None:
    from arcvdm.backbones import flow
    from arcvdm.errors import ConfigError

    with pytest.raises(ConfigError, match=r"wan22: sampler 'ddim' is not one of euler, unipc"):
        flow.sampler("ddim", 5.0, 4, "cpu", "wan22")
