"""The embedded model's data and pretraining: no evaluation content, same code path, resumable."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from arcvdm.backbones.codecs import CellCodec
from arcvdm.encoders.arc_grid import make_layout, render_grid
from arcvdm.encoders.base import Canvas
from arcvdm.errors import ConfigError
from arcvdm.pretrain import PretrainConfig, generated_tasks, make_pool, onehot_frames, pretrain, sample_batch
from arcvdm.grids import grid_hash
from arcvdm.splits import DEV_SIZE, dev_task_ids, example_hashes, pretraining_tasks
from arcvdm.sources import load_dataset
from arcvdm.video import frames_to_video


@pytest.fixture(scope="module")
def pool():
    return pretraining_tasks()[0]


def _pairs(tasks):
    return {grid_hash(ex.input) + grid_hash(ex.output) for t in tasks for ex in t.train + t.test if ex.output is not None}


def test_pretraining_pool_shares_no_example_with_evaluation_sets_or_dev(pool):
    dev = set(dev_task_ids())
    held_out = [t for name in ("arc1-eval", "arc2-eval") for t in load_dataset(name).tasks]
    held_out += [t for t in load_dataset("arc1-train").tasks if t.id in dev]
    overlap = _pairs(pool) & _pairs(held_out)
    assert overlap == set()
    assert len(pool) > 400  # the exclusion must not empty the pool


def test_pretraining_pool_drops_arc1_eval_tasks_hidden_in_arc2_training(pool):
    arc1_eval = _pairs(load_dataset("arc1-eval").tasks)
    arc2_train = load_dataset("arc2-train").tasks
    hidden = [t for t in arc2_train if _pairs([t]) & arc1_eval]
    assert len(hidden) > 100  # the reason the exclusion is by content
    pool_ids = {t.id for t in pool}
    assert not any(t.id in pool_ids and _pairs([t]) & arc1_eval for t in hidden)


def test_dev_set_is_fixed_and_from_arc1_training():
    ids = dev_task_ids()
    assert ids == dev_task_ids() and len(ids) == DEV_SIZE
    assert set(ids) <= {t.id for t in load_dataset("arc1-train").tasks}
    assert len(load_dataset("arc1-dev").tasks) == DEV_SIZE


def test_pretraining_latents_equal_the_solver_pixel_path():
    """Pretraining builds latents from grids directly; they must equal CellCodec(render(grid))."""
    rng = np.random.default_rng(0)
    grids = [rng.integers(0, 10, size=(h, w)).astype(np.uint8) for h, w in [(3, 5), (6, 6), (1, 1)]]
    side = 6
    direct = onehot_frames(side, grids)                                        # (11, F, 6, 6)
    layout = make_layout(side, Canvas(None, None, 2), 1, 0)
    frames = np.stack([render_grid(layout, g) for g in grids])
    via_pixels = CellCodec().encode(frames_to_video(frames)[None])[0]
    assert torch.equal(direct, via_pixels)


def test_batches_are_in_context_clips_of_one_size(pool):
    cfg = PretrainConfig(batch_size=3)
    batch = sample_batch(make_pool(pool[:50]), cfg, np.random.default_rng(1))
    b, c, f, h, w = batch.shape
    assert (b, c) == (3, 11) and f % 2 == 0 and f >= 2 and h == w and h % 2 == 0
    assert set(batch.unique().tolist()) == {-1.0, 1.0}
    assert torch.equal(batch.sum(1), torch.full((b, f, h, w), -9.0))  # exactly one class per cell


def test_pretraining_resumes_from_its_checkpoint(tmp_path):
    cfg = PretrainConfig(preset="cell-xs", batch_size=2, checkpoint_every=1000)
    first = pretrain(tmp_path, 5.0, cfg, progress=False, echo=lambda m: None, max_steps=3)
    assert first["step"] == 3 and (tmp_path / "checkpoint" / "diffusion_pytorch_model.safetensors").is_file()
    second = pretrain(tmp_path, 5.0, cfg, progress=False, echo=lambda m: None, max_steps=5)
    assert second["step"] == 5
    with pytest.raises(Exception, match="different pretraining config"):
        pretrain(tmp_path, 5.0, PretrainConfig(preset="cell-xs", batch_size=4), progress=False, echo=lambda m: None, max_steps=6)


def test_exported_weights_give_back_the_dev_loss_pretraining_logged(tmp_path):
    """The scaling study compares the shipped model with new runs through ``exported_dev_loss``: on a run's own
    export it must equal the dev loss the run logged at its end."""
    import json

    from arcvdm.pretrain import export, exported_dev_loss

    cfg = PretrainConfig(preset="cell-xs", batch_size=2, checkpoint_every=1000)
    pretrain(tmp_path, 5.0, cfg, progress=False, echo=lambda m: None, max_steps=3)
    logged = [json.loads(line) for line in (tmp_path / "log.jsonl").read_text().splitlines() if line.strip()]
    end = [entry for entry in logged if entry.get("end_of_stretch")][-1]
    assert exported_dev_loss(export(tmp_path, tmp_path / "weights"), cfg) == pytest.approx(end["dev_loss"], rel=1e-6)


def _write_tasks(folder, tasks) -> None:
    import json

    folder.mkdir(parents=True, exist_ok=True)
    for task in tasks:
        data = {part: [{"input": ex.input.tolist(), "output": ex.output.tolist()} for ex in getattr(task, part)]
                for part in ("train", "test")}
        (folder / f"{task.id}.json").write_text(json.dumps(data))


def test_generated_tasks_pass_the_same_content_check_as_the_arc_pool(tmp_path, pool):
    """A generated task that shares an example with an excluded task is dropped when pretraining loads it."""
    clean, tainted = pool[0], pool[1]
    _write_tasks(tmp_path / "gen", [clean, tainted])
    excluded = example_hashes(tainted)
    kept, dropped = generated_tasks(tmp_path / "gen", excluded)
    assert [t.id for t in kept] == [clean.id] and dropped == 1
    with pytest.raises(ConfigError, match="no usable task"):
        generated_tasks(tmp_path / "gen", tuple(a | b for a, b in zip(example_hashes(clean), excluded)))
    with pytest.raises(ConfigError, match="not a folder"):
        generated_tasks(tmp_path / "missing", excluded)


def test_pretraining_mixes_in_generated_tasks(tmp_path, pool):
    _write_tasks(tmp_path / "gen", pool[:6])
    cfg = PretrainConfig(preset="cell-xs", batch_size=2, checkpoint_every=1000, generated=str(tmp_path / "gen"),
                         generated_share=1.0)
    messages = []
    done = pretrain(tmp_path / "run", 5.0, cfg, progress=False, echo=messages.append, max_steps=2)
    assert done["step"] == 2
    assert any(m.startswith("generated tasks: 6 ") for m in messages)
    with pytest.raises(ConfigError, match="generated_share"):
        PretrainConfig(generated_share=1.5)
