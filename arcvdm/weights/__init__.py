"""Model weights that ship with arcvdm (the embedded default lives in ``embedded/``)."""
