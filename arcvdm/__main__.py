"""``python -m arcvdm ...``: the ``arcvdm`` command, also as ``accelerate launch -m arcvdm ...``."""

from arcvdm.cli import main

main()
