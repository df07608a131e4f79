"""The search battery's operations by name: ``OPERATIONS[name] = (operation, input kind)``.

One table for two users: ``benchmarks/battery.py`` builds one task per entry and runs the search on it,
and the task engine (``arcvdm.generate.catalogue``) offers every entry as an operation of its programs.
The operations themselves are plain numpy (``ops.py``, ``objects.py``), written apart from the search's
DSL so that a bug in a primitive cannot make its own check pass; the input kinds are ``inputs.INPUTS``.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from arcvdm.generate import objects as objs
from arcvdm.generate import ops

Op = Callable[[np.ndarray], np.ndarray]


# name -> (operation, input kind): one-step operations, then two-step compositions, then the operations added
# in later rounds (one step each; those the search still misses are listed in benchmarks/RESULTS.md)
OPERATIONS: dict[str, tuple[Op, str]] = {
    "skew_right": (lambda g: ops.skew(g, True), "cells"),
    "skew_left": (lambda g: ops.skew(g, False), "cells"),
    "pad_border": (lambda g: ops.pad(g, 8), "cells"),
    "paint_frame": (ops.paint_frame, "cells"),
    "fill_marked_rows": (ops.fill_marked_rows, "marked"),
    "compress_empty": (ops.compress, "sparse"),
    "keep_top_colour": (ops.keep_top_colour, "cells"),
    "count_colours_bar": (ops.count_colours_bar, "cells"),
    "roll_right": (lambda g: np.roll(g, 1, axis=1), "cells"),
    "column_key": (ops.column_key, "cells"),
    "row_stripes": (ops.row_stripes, "cells"),
    "stretch_rows": (lambda g: np.repeat(g, 2, axis=0), "cells"),
    "diagonal_rays": (ops.diagonal_rays, "sparse"),
    "and_of_halves": (ops.and_of_halves, "even_mono"),
    "cross_through_marker": (ops.cross_through_marker, "one_marker"),
    "gravity_left": (ops.gravity_left, "sparse"),
    "mirror_top_down": (ops.mirror_top_down, "cells"),
    "swap_left_right": (ops.swap_left_right, "cells"),
    "crop_then_scale": (lambda g: ops.scale2(ops.crop(g)), "sparse"),
    "flip_then_recolour": (lambda g: ops.recolour(g[::-1], 1, 2), "mono"),
    "crop_then_tile": (lambda g: np.tile(ops.crop(g), (1, 2)), "sparse"),
    "turn_then_pad": (lambda g: ops.pad(np.rot90(g), 3), "cells"),
    "skew_then_flip": (lambda g: ops.skew(g, True)[:, ::-1], "cells"),
    "compress_then_scale": (lambda g: ops.scale2(ops.compress(g)), "sparse"),
    "unskew_then_flip": (lambda g: ops.unskew(g)[::-1], "sheared"),
    "clear_marked_rows": (ops.clear_marked_rows, "marked"),
    "sort_rows_by_count": (ops.sort_rows_by_count, "cells"),
    "outline_content": (ops.outline_content, "sparse"),
    "reverse_row_content": (ops.reverse_row_content, "sparse"),
    "recolour_by_row_count": (ops.recolour_by_row_count, "sparse"),
    "concat_inverted": (lambda g: np.concatenate([g, np.where(g > 0, 0, 1).astype(np.uint8)], axis=1), "mono"),
    "count_colours_square": (lambda g: np.full((len(set(np.unique(g).tolist()) - {0}),) * 2, 5, np.uint8), "cells"),
    "key_swap": (ops.key_swap, "cells"),
    "fullest_row": (ops.fullest_row, "cells"),
    "outline_objects": (objs.outline_objects, "blobs"),
    "smear_right": (ops.smear_right, "sparse"),
    "remove_isolated": (objs.remove_isolated, "cells"),
    "colour_by_size": (objs.colour_by_size, "mono_blobs"),
    "largest_object": (objs.largest_object, "blobs"),
    "recolour_largest": (objs.recolour_largest, "mono_blobs"),
    "connect_pairs": (ops.connect_pairs, "sparse"),
    "tile_mirrored": (ops.tile_mirrored, "cells"),
    "or_of_split": (ops.or_of_split, "split_mono"),
    "fractal": (ops.fractal, "small"),
    "drop_rays": (ops.drop_rays, "sparse"),
    "count_objects_column": (objs.count_objects_column, "blobs"),
    "fill_bboxes": (objs.fill_bboxes, "sparse_blobs"),
    "hollow_objects": (objs.hollow_objects, "blobs"),
    "gravity_down": (ops.gravity_down, "sparse"),
    "scale_by_colours": (ops.scale_by_colours, "small_colours"),
    "transpose": (lambda g: g.T.copy(), "cells"),
    "invert_mono": (lambda g: np.where(g > 0, 0, 1).astype(np.uint8), "mono"),
    "flip_each_object": (objs.flip_each_object, "shapes"),
    "drop_objects": (objs.drop_objects, "shapes"),
    "remove_border_objects": (lambda g: objs.paint_border_objects(g, 0), "shapes"),
    "recolour_border_objects": (lambda g: objs.paint_border_objects(g, 2), "mono_shapes"),
    "recolour_by_shape_width": (objs.recolour_by_shape_width, "mono_shapes"),
    "crop_smallest": (objs.crop_smallest, "shapes"),
    "crop_unique_colour": (objs.crop_unique_colour, "paired_shapes"),
    "count_largest_colour": (objs.count_largest_colour, "shapes"),
    "object_to_corner": (objs.object_to_corner, "one_shape"),
    "stack_objects": (objs.stack_objects, "shapes"),
    "inside_frame": (ops.inside_frame, "framed"),
    "recolour_inside_frame": (ops.recolour_inside_frame, "framed"),
    "cell_to_block": (ops.cell_to_block, "small"),
    "colour_histogram": (ops.colour_histogram, "few_colours"),
    "odd_panel": (ops.odd_panel, "panels"),
    "extend_to_edges": (ops.extend_to_edges, "sparse"),
    "panel_summary": (ops.panel_summary, "grid_panels"),
    "shift_content": (ops.shift_content, "sparse"),
    "box_between_corners": (ops.box_between_corners, "two_corners"),
    "keep_marked_objects": (objs.keep_marked_objects, "marked_shapes"),
    "above_below": (ops.above_below, "lined"),
    "mark_centres": (objs.mark_centres, "blobs"),
    "recolour_topmost": (objs.recolour_topmost, "shapes"),
    "crop_bottommost": (objs.crop_bottommost, "shapes"),
    "keep_same_shape": (objs.keep_same_shape, "twins"),
    "densest_panel": (ops.densest_panel, "noisy_panels"),
    "colours_by_frequency": (ops.colours_by_frequency, "ranked_colours"),
    "crop_between_corners": (ops.crop_between_corners, "two_corners"),
}
