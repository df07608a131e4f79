"""Generate the small offline segmentation and pose benchmark in ``data/vision/`` (fixed seed, ~100 kB).

    python benchmarks/make_vision_data.py            # rewrites data/vision/ (same seed: same files)

Every image is 16x16 pixels drawn in the ten ARC colours, so the embedded model (one canvas pixel per
image pixel, an 11-class cell codec) reads it exactly and D8 views apply (``arcvdm.vision.tasks``).
Each task: 3 demonstrations, 2 test inputs with their answers, and a ``task.json`` manifest.

- ``segmentation/colour-*``: segment the objects of one colour among objects of other colours
  (random shapes) on a textured background. Mask: 1 on the target objects' pixels, 0 elsewhere.
- ``segmentation/shape-*``: segment the objects of one shape (any colour) among other shapes.
- ``pose/figure-*``: a stick figure (spine, two arms, two legs, random joint angles and position) in
  one colour on a textured background with two distracting bars; 6 keypoints: head, left hand, right
  hand, pelvis, left foot, right foot ("left" = the image's left).

The generator checks what it writes: objects never touch (one pixel of background between them),
every keypoint lies on the figure, and each task loads through ``arcvdm.vision.tasks.load_image_task``.
"""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

import numpy as np
from PIL import Image

from arcvdm.palette import ARC_COLOURS

SEED = 13
SIZE = 16
BACKGROUND_COLOURS = (0, 5, 8, 9)          # black, grey, sky, maroon: the textures
OBJECT_COLOURS = (1, 2, 3, 4, 6, 7)        # blue, red, green, yellow, magenta, orange: the objects
SHAPES = {
    "square": ["###", "###", "###"],
    "plus": [".#.", "###", ".#."],
    "ring": ["###", "#.#", "###"],
    "ell": ["#..", "#..", "###"],
    "bar": ["####"],
    "dot": ["##", "##"],
}
KEYPOINTS = ["head", "left hand", "right hand", "pelvis", "left foot", "right foot"]
TASKS_PER_KIND = 3
DEMOS, TESTS = 3, 2


def shape_mask(name: str, rng: np.random.Generator) -> np.ndarray:
    """A shape's pixels, randomly rotated by quarter turns. (h, w) bool."""
    m = np.array([[c == "#" for c in row] for row in SHAPES[name]])
    return np.rot90(m, int(rng.integers(4)))


def texture(rng: np.random.Generator, colours: tuple[int, int]) -> np.ndarray:
    """A 16x16 background of two colours: checks, stripes, diagonal stripes or sparse noise. Palette indices."""
    a, b = colours
    yy, xx = np.mgrid[0:SIZE, 0:SIZE]
    kind = int(rng.integers(4))
    if kind == 0:
        pattern = ((yy // 2 + xx // 2) % 2) == 1
    elif kind == 1:
        pattern = (yy % 3) == 0
    elif kind == 2:
        pattern = ((yy + xx) % 4) == 0
    else:
        pattern = rng.random((SIZE, SIZE)) < 0.25
    return np.where(pattern, b, a).astype(np.uint8)


def place_objects(rng: np.random.Generator, objects: list[tuple[np.ndarray, int]], image: np.ndarray
                  ) -> list[np.ndarray] | None:
    """Paint each (shape, colour) at a random free spot (a one-pixel gap around each); their pixel masks, or None."""
    taken = np.zeros((SIZE, SIZE), dtype=bool)
    placed = []
    for shape, colour in objects:
        h, w = shape.shape
        for _ in range(200):
            y, x = int(rng.integers(0, SIZE - h + 1)), int(rng.integers(0, SIZE - w + 1))
            if not taken[max(0, y - 1) : y + h + 1, max(0, x - 1) : x + w + 1].any():
                break
        else:
            return None
        full = np.zeros((SIZE, SIZE), dtype=bool)
        full[y : y + h, x : x + w] = shape
        taken[y : y + h, x : x + w] = True
        image[full] = colour
        placed.append(full)
    return placed


def segmentation_example(rng: np.random.Generator, by: str, target, background: tuple[int, int]):
    """One (image, mask) pair: 2 target objects and 3 distractors, as palette indices and classes."""
    while True:
        image = texture(rng, background)
        objects, is_target = [], []
        for k in range(5):
            want = k < 2
            if by == "colour":
                colour = target if want else int(rng.choice([c for c in OBJECT_COLOURS if c != target]))
                name = str(rng.choice(list(SHAPES)))
            else:
                name = target if want else str(rng.choice([s for s in SHAPES if s != target]))
                colour = int(rng.choice(OBJECT_COLOURS))
            objects.append((shape_mask(name, rng), colour))
            is_target.append(want)
        placed = place_objects(rng, objects, image)
        if placed is not None:
            mask = np.zeros((SIZE, SIZE), dtype=np.uint8)
            for full, want in zip(placed, is_target):
                mask[full & want] = 1
            return image, mask


def line(image: np.ndarray, a: tuple[int, int], b: tuple[int, int], colour: int) -> None:
    """Paint the pixels of the segment a-b (enough samples that no pixel is skipped)."""
    n = max(abs(b[0] - a[0]), abs(b[1] - a[1])) + 1
    for t in np.linspace(0.0, 1.0, n):
        image[int(round(a[0] + t * (b[0] - a[0]))), int(round(a[1] + t * (b[1] - a[1])))] = colour


def pose_example(rng: np.random.Generator, colour: int, background: tuple[int, int]):
    """One (image, keypoints) pair: a stick figure with random joint angles at a random position."""
    while True:
        image = texture(rng, background)
        for _ in range(2):  # distracting bars in another object colour
            y, x = int(rng.integers(0, SIZE)), int(rng.integers(0, SIZE - 3))
            image[y, x : x + 3] = int(rng.choice([c for c in OBJECT_COLOURS if c != colour]))
        head = (int(rng.integers(1, 4)), int(rng.integers(5, 11)))
        neck = (head[0] + 2, head[1])
        pelvis = (neck[0] + int(rng.integers(3, 5)), neck[1] + int(rng.integers(-1, 2)))

        def limb(start, length, lo, hi):  # angle in degrees from straight down, positive = to the image's left
            a = np.deg2rad(rng.uniform(lo, hi))
            return (int(round(start[0] + length * np.cos(a))), int(round(start[1] - length * np.sin(a))))

        points = [head, limb(neck, 4, 40, 150), limb(neck, 4, -150, -40), pelvis,
                  limb(pelvis, 5, 10, 50), limb(pelvis, 5, -50, -10)]
        if not all(0 <= r < SIZE and 0 <= c < SIZE for r, c in points):
            continue
        for a, b in ((head, pelvis), (neck, points[1]), (neck, points[2]), (pelvis, points[4]), (pelvis, points[5])):
            line(image, a, b, colour)
        assert all(image[r, c] == colour for r, c in points)  # every keypoint lies on the figure
        return image, points


def save_rgb(path: Path, indices: np.ndarray) -> None:
    Image.fromarray(np.asarray(ARC_COLOURS, dtype=np.uint8)[indices], "RGB").save(path, optimize=True)


def write_task(folder: Path, manifest: dict, examples: list, kind: str) -> None:
    for split, items in (("train", examples[:DEMOS]), ("test", examples[DEMOS:])):
        (folder / split).mkdir(parents=True)
        for i, (image, target) in enumerate(items):
            save_rgb(folder / split / f"{i:03d}.png", image)
            if kind == "segmentation":
                Image.fromarray(target, "L").save(folder / split / f"{i:03d}.mask.png", optimize=True)
            else:
                (folder / split / f"{i:03d}.json").write_text(json.dumps({"keypoints": [list(p) for p in target]}) + "\n")
    (folder / "task.json").write_text(json.dumps(manifest, indent=2) + "\n")


def make(out: Path, seed: int = SEED) -> list[Path]:
    """Write the benchmark under ``out`` (replacing it); returns the task folders."""
    from arcvdm.vision.tasks import load_image_task

    rng = np.random.default_rng(seed)
    if out.exists():
        shutil.rmtree(out)
    folders = []
    colours = rng.permutation(OBJECT_COLOURS)
    shapes = rng.permutation(list(SHAPES))
    for t in range(TASKS_PER_KIND):
        background = tuple(int(c) for c in rng.choice(BACKGROUND_COLOURS, size=2, replace=False))
        target = int(colours[t])
        examples = [segmentation_example(rng, "colour", target, background) for _ in range(DEMOS + TESTS)]
        folder = out / "segmentation" / f"colour-{t}"
        write_task(folder, {"kind": "segmentation", "classes": ["background", "target"],
                            "description": f"segment the objects of ARC colour {target}"}, examples, "segmentation")
        folders.append(folder)
    for t in range(TASKS_PER_KIND):
        background = tuple(int(c) for c in rng.choice(BACKGROUND_COLOURS, size=2, replace=False))
        target = str(shapes[t])
        examples = [segmentation_example(rng, "shape", target, background) for _ in range(DEMOS + TESTS)]
        folder = out / "segmentation" / f"shape-{t}"
        write_task(folder, {"kind": "segmentation", "classes": ["background", "target"],
                            "description": f"segment the objects shaped '{target}' (any colour)"}, examples, "segmentation")
        folders.append(folder)
    for t in range(TASKS_PER_KIND):
        background = tuple(int(c) for c in rng.choice(BACKGROUND_COLOURS, size=2, replace=False))
        colour = int(colours[TASKS_PER_KIND + t])
        examples = [pose_example(rng, colour, background) for _ in range(DEMOS + TESTS)]
        folder = out / "pose" / f"figure-{t}"
        write_task(folder, {"kind": "pose", "keypoints": KEYPOINTS,
                            "description": f"the joints of a stick figure drawn in ARC colour {colour}"}, examples, "pose")
        folders.append(folder)
    for folder in folders:  # the verifier: each task loads and validates
        task = load_image_task(folder)
        assert task.palette and len(task.train) == DEMOS and len(task.test) == TESTS, folder
    return folders


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent.parent / "data" / "vision")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    written = make(args.out, args.seed)
    size = sum(p.stat().st_size for p in args.out.rglob("*") if p.is_file())
    print(f"wrote {len(written)} tasks under {args.out} ({size / 1024:.0f} kB)")
