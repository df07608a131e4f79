"""Segmentation and pose: image tasks through the same solver as ARC grids.

- ``tasks``   the image-task folder format (images, mask PNGs, keypoint JSON, optional manifest), its loader
              and validation (``arcvdm.sources.load_tasks`` hands image folders to it)
- ``solve``   which recipes fit image tasks, and pooling samples by averaging (masks, keypoints)
- ``metrics`` mIoU, PCK@0.2, keypoint masks, scoring runs and submissions
- ``plots``   the task picture (input / target / prediction): the image encoders' pictures hook, through which
              ``arcvdm show``, a run's pictures and the report (``arcvdm.plots``) draw image tasks

Recipes: ``solvers/segmentation.toml`` and ``solvers/pose.toml``. Data: ``benchmarks/make_vision_data.py``
writes ``data/vision/``; ``benchmarks/vision.py`` measures the embedded default against baselines.
Submodules are imported where used (this package imports nothing heavy).
"""
