"""The search order: every primitive family and every fitter, in the order the search tries them.

This list is the one place that decides what the search knows and in which order (the order is part of
the search's behaviour: primitives are tried, and programs of equal length ranked, in this order). A new
family is a module or sub-package under ``families/`` with a function ``TaskContext -> list[Primitive]``,
added here by one line; a new fitter is a function ``(produced, outputs) -> Primitive | None`` under
``fitters/``, added to ``FITTERS``. ``tests/search/test_registry.py`` runs the purity and validity check
over every entry.
"""

from __future__ import annotations

from arcvdm.search.dsl import Family, Fitter
from arcvdm.search.families import (
    arrange,
    choose,
    colour,
    complete,
    copying,
    extract,
    geometry,
    lines,
    moving,
    order,
    painting,
    panels,
    parts,
    paths,
    placing,
    recolour,
    reshape,
    select,
    summary,
    traits,
)
from arcvdm.search.fitters import basic, continuation, local

# name -> family, in search order (a repeated primitive name keeps its first family's primitive)
FAMILIES: dict[str, Family] = {
    "colour": colour.colour_family,
    "geometry": geometry.geometry_family,
    "crop_object": select.crop_object_family,
    "keep_remove_objects": select.keep_object_family,
    "box_objects": select.box_family,
    "recolour_objects": recolour.recolour_family,
    "summary": summary.summary_family,
    "move_objects": moving.move_family,
    "fill_and_outline": painting.fill_family,
    "denoise": painting.denoise_family,
    "rays": lines.rays_family,
    "connect": lines.connect_family,
    "parts": parts.parts_family,
    "arrange": arrange.arrange_family,
    "extract": extract.extract_family,
    "copying": copying.copying_family,
    "choose": choose.choose_family,
    "complete": complete.complete_family,
    "traits": traits.traits_family,
    "paths": paths.paths_family,
    "panels": panels.panels_family,
    "placing": placing.placing_family,
    "reshape": reshape.reshape_family,
    "order": order.order_family,
}

# name -> fitter, in the order a program's last step is tried (``identity`` first: an exact program)
FITTERS: dict[str, Fitter] = {
    "identity": basic.fit_identity,
    "colour_map": basic.fit_colour_map,
    "constant": basic.fit_constant,
    "tile_to_size": basic.fit_tile,
    "scale_to_size": basic.fit_scale,
    "blocks_to_size": basic.fit_blocks,
    "lookup": basic.fit_lookup,
    "local_rule": local.fit_local_rule,
    "continue_to_size": continuation.fit_continue,
}

# What a fitter needs of the demonstration grids' shapes, as its own first test says: "same" as the outputs'
# in every demonstration, or "other" than the outputs' in every demonstration; it returns None otherwise. The
# engine skips a fitter whose need a state does not meet without calling it (fitters run on every state);
# tests/search/test_registry.py checks each entry against its fitter.
FITTER_SHAPES: dict[str, str] = {
    "identity": "same",
    "colour_map": "same",
    "local_rule": "same",
    "tile_to_size": "other",
    "scale_to_size": "other",
    "blocks_to_size": "other",
    "continue_to_size": "other",
}
