"""The search order: every primitive family and every fitter, in the order the search tries them.

This list is the one place that decides what the search knows and in which order (the order is part of
the search's behaviour: primitives are tried, and programs of equal length ranked, in this order). A new
family is a module or sub-package under ``families/`` with a function ``TaskContext -> list[Primitive]``,
added here by one line; a new fitter is a function ``(produced, outputs) -> Primitive | None`` under
``fitters/``, added to ``FITTERS``. ``tests/search/test_registry.py`` runs the purity and validity check
over every entry.
"""

from __future__ import annotations

from arcvdm.search.dsl import Family, Fitter, PairGate
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

# A fitter's test on one demonstration pair (produced grid, output): every pair passes it when the fitter fits,
# so a state where one pair fails cannot be fitted by it. The engine tests the pairs as it makes a state's grids
# and skips a fitter that failed one without calling it; on the last level, where a state is only checked, it
# stops making a state's grids once no fitter and no piece (``pieces.PiecePool.may_take``) can use them.
# tests/search/test_registry.py holds each gate to its fitter. A fitter without a gate is always tried.
FITTER_GATES: dict[str, PairGate] = {
    "identity": basic.pair_identity,
    "colour_map": basic.pair_colour_map,
    "tile_to_size": basic.pair_tile,
    "scale_to_size": basic.pair_scale,
    "blocks_to_size": basic.pair_blocks,
    "local_rule": local.pair_local_rule,
    "continue_to_size": continuation.pair_continue,
}
