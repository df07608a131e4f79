"""(stub: being written) — see the session's helper brief."""

from __future__ import annotations

from arcvdm.search.dsl import Primitive, TaskContext, family


@family("placing")
def placing_family(ctx: TaskContext) -> list[Primitive]:
    """No primitives yet."""
    return []
