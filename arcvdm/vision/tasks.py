"""Image tasks (segmentation, pose): the folder format, its loader, and its validation.

An image task is a folder you can make by hand::

    my-task/
        task.json           optional manifest, e.g. {"kind": "segmentation", "classes": ["background", "cat"]}
                            or {"kind": "pose", "keypoints": ["head", "left hand", "right hand"]}
        train/              demonstrations (at least one)
            a.png           an image: RGB, RGBA (opaque) or greyscale PNG; any file stem
            a.mask.png      segmentation target: one 8-bit channel (PNG mode L or P), pixel = class index;
                            an RGB mask drawn in the ARC palette also works (class c = ARC colour c)
            a.json          pose target: {"keypoints": [[row, col], null, ...]} in image pixels, null = not visible
        test/               test inputs (at least one); a target beside one is its known answer (for scoring)

Without a manifest the kind is read off the targets (``*.mask.png`` or ``*.json``), the classes are
0..(largest class in the demonstrations' masks), and the keypoint count is the first demonstration's.
A folder whose sub-folders are image tasks is a set of tasks (each sub-folder's name is its id).

Rules, each broken one a one-line ``TaskFormatError`` naming the file and the rule: every image of a
task has one size; a mask has its image's size; mask classes lie in 0..len(classes)-1 (at most 10,
the colours the encoders draw); every example lists the task's keypoint count (at most 9) and each
keypoint lies inside the image (0 <= row <= height-1, 0 <= col <= width-1); a demonstration needs a target.

Representation. When every pixel of every image of a task is one of the ten ARC colours, the images
are held as (h, w) palette-index grids ("palette task"): lossless for every backbone (the encoders
draw them back in the same colours), and D8 views apply to them like to ARC grids. Any other image is
held as (h, w, 3) RGB: the real families take it as is; the embedded model's cell codec maps each
pixel to the nearest of its 11 classes (ten ARC colours and PAD white), i.e. quantizes it to the palette.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from arcvdm.errors import TaskFormatError
from arcvdm.jsonio import read_json
from arcvdm.palette import ARC_COLOURS, NUM_COLOURS
from arcvdm.tasks import Example, LoadedTasks, Task

KINDS = ("segmentation", "pose")
MAX_CLASSES = NUM_COLOURS        # masks are drawn in the ten ARC colours
MAX_KEYPOINTS = 9                # the pose encoder draws keypoint k in ARC colour k + 1
MANIFEST = "task.json"
MASK_SUFFIX = ".mask.png"

Keypoints = tuple  # tuple of (row, col) float pairs or None, one per keypoint


@dataclass(frozen=True)
class VisionTask(Task):
    """An image task. ``Example.input`` is an image, ``Example.output`` a mask (h, w) uint8 or keypoints."""

    kind: str = "segmentation"
    labels: tuple[str, ...] = ()     # class names (segmentation) or keypoint names (pose)
    palette: bool = False            # images held as palette-index grids (see the module docstring)

    @property
    def image_size(self) -> tuple[int, int]:
        return tuple(int(v) for v in self.train[0].input.shape[:2])


def is_task_folder(path: Path) -> bool:
    """A folder holding a ``train/`` folder is one image task."""
    return path.is_dir() and (path / "train").is_dir()


def is_image_source(spec: str | Path) -> bool:
    """Whether ``spec`` is an image task folder, or a folder of image task folders."""
    path = Path(spec)
    if not path.is_dir():
        return False
    return is_task_folder(path) or any(is_task_folder(p) for p in path.iterdir())


def load_image_tasks(spec: str | Path) -> LoadedTasks:
    """One image task folder (a bad one raises), or a folder of them (bad ones go to ``failures``)."""
    path = Path(spec)
    if is_task_folder(path):
        return LoadedTasks([load_image_task(path)])
    loaded = LoadedTasks()
    for folder in sorted(p for p in path.iterdir() if is_task_folder(p)):
        try:
            loaded.tasks.append(load_image_task(folder))
        except TaskFormatError as err:
            loaded.fail(folder.name, str(err))
    return loaded


# -- files -------------------------------------------------------------------------------------
def read_image(path: Path) -> np.ndarray:
    """An image file as (h, w, 3) uint8 RGB; a transparent pixel or an unusual mode is an error."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as img:
            mode = img.mode
            if mode in ("RGBA", "LA", "PA") or (mode == "P" and "transparency" in img.info):
                rgba = np.asarray(img.convert("RGBA"))
                if (rgba[..., 3] < 255).any():
                    raise TaskFormatError(f"{path}: image has transparent pixels; save it without an alpha channel")
                return np.ascontiguousarray(rgba[..., :3])
            if mode not in ("1", "L", "P", "RGB"):
                raise TaskFormatError(f"{path}: image mode {mode} is not supported; save it as 8-bit RGB or greyscale PNG")
            return np.ascontiguousarray(np.asarray(img.convert("RGB")))
    except (UnidentifiedImageError, OSError) as err:
        raise TaskFormatError(f"{path}: not a readable image ({type(err).__name__}: {err})") from None


def read_mask(path: Path) -> np.ndarray:
    """A mask file as (h, w) uint8 class indices: one channel (L or P: the raw index), or RGB in the ARC palette."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as img:
            if img.mode in ("L", "P"):
                return np.ascontiguousarray(np.asarray(img), dtype=np.uint8)
            if img.mode != "RGB":
                raise TaskFormatError(
                    f"{path}: a mask must be one 8-bit channel of class indices (PNG mode L or P) or RGB in the "
                    f"ARC palette, got mode {img.mode}"
                )
            rgb = np.asarray(img)
    except (UnidentifiedImageError, OSError) as err:
        raise TaskFormatError(f"{path}: not a readable mask image ({type(err).__name__}: {err})") from None
    classes = palette_indices(rgb)
    if classes is None:
        raise TaskFormatError(f"{path}: an RGB mask must use only the ten ARC colours (class c = ARC colour c)")
    return classes


def palette_indices(rgb: np.ndarray) -> np.ndarray | None:
    """(h, w) ARC colour indices of an (h, w, 3) image whose every pixel is an ARC colour; else None."""
    arc = np.asarray(ARC_COLOURS, dtype=np.int32)
    code = (rgb[..., 0].astype(np.int32) << 16) | (rgb[..., 1].astype(np.int32) << 8) | rgb[..., 2]
    arc_code = (arc[:, 0] << 16) | (arc[:, 1] << 8) | arc[:, 2]
    match = code[..., None] == arc_code                                         # (h, w, 10)
    if not match.any(-1).all():
        return None
    return match.argmax(-1).astype(np.uint8)


def read_keypoints(path: Path, size: tuple[int, int]) -> Keypoints:
    """A keypoint file ``{"keypoints": [[row, col] | null, ...]}``, each inside an image of ``size``."""
    data = read_json(path, "keypoint file", TaskFormatError)
    points = data.get("keypoints") if isinstance(data, dict) else None
    if not isinstance(points, list) or not points:
        raise TaskFormatError(f'{path}: a keypoint file must be {{"keypoints": [[row, col] or null, ...]}} with at least one entry')
    h, w = size
    out = []
    for k, p in enumerate(points):
        if p is None:
            out.append(None)
            continue
        if (not isinstance(p, list) or len(p) != 2
                or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in p)):
            raise TaskFormatError(f"{path}: keypoint {k} is {p!r}; a keypoint is [row, col] (numbers) or null")
        row, col = float(p[0]), float(p[1])
        if not (0 <= row <= h - 1 and 0 <= col <= w - 1):
            raise TaskFormatError(
                f"{path}: keypoint {k} at [row {p[0]}, col {p[1]}] lies outside the {h}x{w} image "
                f"(rows 0..{h - 1}, cols 0..{w - 1})"
            )
        out.append((row, col))
    return tuple(out)


# -- one task ----------------------------------------------------------------------------------
def read_manifest(folder: Path) -> dict[str, Any]:
    path = folder / MANIFEST
    if not path.is_file():
        return {}
    data = read_json(path, "task manifest", TaskFormatError)
    if not isinstance(data, dict):
        raise TaskFormatError(f"{path}: a manifest must be an object, e.g. {{\"kind\": \"segmentation\"}}")
    unknown = sorted(set(data) - {"kind", "classes", "keypoints", "description"})
    if unknown:
        raise TaskFormatError(f"{path}: unknown manifest key(s) {', '.join(unknown)}; known: kind, classes, keypoints, description")
    kind = data.get("kind")
    if kind is not None and kind not in KINDS:
        raise TaskFormatError(f"{path}: kind {kind!r} must be one of {', '.join(KINDS)}")
    for key, limit in (("classes", MAX_CLASSES), ("keypoints", MAX_KEYPOINTS)):
        names = data.get(key)
        low = 2 if key == "classes" else 1
        if names is not None and (not isinstance(names, list) or not low <= len(names) <= limit
                                  or not all(isinstance(n, str) for n in names)):
            raise TaskFormatError(f"{path}: {key} must be a list of {low}-{limit} names, got {names!r}")
    return data


def _images(folder: Path, split: str) -> list[Path]:
    d = folder / split
    if not d.is_dir():
        raise TaskFormatError(f"{folder}: an image task needs a {split}/ folder")
    images = sorted(p for p in d.glob("*.png") if not p.name.endswith(MASK_SUFFIX))
    if not images:
        raise TaskFormatError(f"{d}: holds no images (*.png other than *{MASK_SUFFIX})")
    return images


def _kind(folder: Path, manifest: dict[str, Any]) -> str:
    if "kind" in manifest:
        return manifest["kind"]
    train = folder / "train"
    masks, points = any(train.glob(f"*{MASK_SUFFIX}")), any(train.glob("*.json"))
    if masks == points:
        raise TaskFormatError(
            f"{train}: cannot tell the task's kind (found {'both' if masks else 'neither'} *{MASK_SUFFIX} and *.json "
            f"targets); add {MANIFEST} with \"kind\": \"segmentation\" or \"pose\""
        )
    return "segmentation" if masks else "pose"


def load_image_task(folder: Path) -> VisionTask:
    """Load and validate one image task folder (module docstring); the id is the folder's name."""
    folder = Path(folder)
    manifest = read_manifest(folder)
    kind = _kind(folder, manifest)
    parts: dict[str, list[tuple[Path, np.ndarray, Any]]] = {}
    size = None
    for split in ("train", "test"):
        parts[split] = []
        for image_path in _images(folder, split):
            image = read_image(image_path)
            if size is None:
                size = image.shape[:2]
            elif image.shape[:2] != size:
                raise TaskFormatError(
                    f"{image_path}: image is {image.shape[0]}x{image.shape[1]} but the task's first image is "
                    f"{size[0]}x{size[1]}; every image of a task must have one size"
                )
            target = _target(image_path, kind, size)
            if target is None and split == "train":
                what = f"{image_path.stem}{MASK_SUFFIX}" if kind == "segmentation" else f"{image_path.stem}.json"
                raise TaskFormatError(f"{image_path}: a demonstration needs its target {what} beside it")
            parts[split].append((image_path, image, target))
    labels = _check_targets(folder, kind, manifest, parts)
    palette = _as_palette(parts)
    examples = {
        split: tuple(Example(img, tgt) for _, img, tgt in items) for split, items in _images_as(parts, palette).items()
    }
    return VisionTask(folder.name, examples["train"], examples["test"], str(folder), kind, labels, palette)


def _target(image_path: Path, kind: str, size: tuple[int, int]) -> Any:
    if kind == "segmentation":
        mask_path = image_path.with_name(image_path.stem + MASK_SUFFIX)
        if not mask_path.is_file():
            return None
        mask = read_mask(mask_path)
        if mask.shape != tuple(size):
            raise TaskFormatError(
                f"{mask_path}: mask is {mask.shape[0]}x{mask.shape[1]} but its image is {size[0]}x{size[1]}"
            )
        return mask
    points_path = image_path.with_suffix(".json")
    return read_keypoints(points_path, size) if points_path.is_file() else None


def _check_targets(folder: Path, kind: str, manifest: dict[str, Any], parts: dict) -> tuple[str, ...]:
    """Classes or keypoint counts agree across the task; returns the label names."""
    targets = [(p, t) for items in parts.values() for p, _, t in items if t is not None]
    if kind == "segmentation":
        names = manifest.get("classes")
        count = len(names) if names else max(2, 1 + max(int(t.max()) for p, t in targets if p.parent.name == "train"))
        if count > MAX_CLASSES:
            raise TaskFormatError(f"{folder}: masks use {count} classes; at most {MAX_CLASSES} (the ARC colours draw them)")
        for p, mask in targets:
            if int(mask.max()) >= count:
                where = f"the {count} classes of {MANIFEST}" if names else f"the demonstrations' classes 0-{count - 1}"
                raise TaskFormatError(
                    f"{p.with_name(p.stem + MASK_SUFFIX)}: class {int(mask.max())} is outside {where}"
                )
        return tuple(names) if names else tuple(f"class {c}" for c in range(count))
    names = manifest.get("keypoints")
    count = len(names) if names else len(targets[0][1])
    for p, points in targets:
        if len(points) != count:
            raise TaskFormatError(f"{p.with_suffix('.json')}: lists {len(points)} keypoint(s); the task has {count}")
    if count > MAX_KEYPOINTS:
        raise TaskFormatError(f"{folder}: {count} keypoints; at most {MAX_KEYPOINTS} (the pose encoder draws them in ARC colours 1-9)")
    return tuple(names) if names else tuple(f"keypoint {k}" for k in range(count))


def _as_palette(parts: dict) -> bool:
    return all(palette_indices(img) is not None for items in parts.values() for _, img, _ in items)


def _images_as(parts: dict, palette: bool) -> dict:
    if not palette:
        return parts
    return {s: [(p, palette_indices(img), t) for p, img, t in items] for s, items in parts.items()}


def image_rgb(image: np.ndarray) -> np.ndarray:
    """An image as (h, w, 3) uint8 RGB, whether held as RGB or as a palette-index grid."""
    image = np.asarray(image)
    if image.ndim == 2:
        return np.asarray(ARC_COLOURS, dtype=np.uint8)[image]
    return image.astype(np.uint8, copy=False)
