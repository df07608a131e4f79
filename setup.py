"""The build step that records which code a wheel holds; every other setting is in pyproject.toml.

``pip install .`` (not editable) installs a copy outside any checkout, where arcvdm cannot ask git
which commit it is. So the wheel gets ``arcvdm/_build_info.py`` with the version and the commit of the
source it was built from (``arcvdm.provenance.source_commit``: a filled-in ``arcvdm/COMMIT`` or git).
An editable install skips it: it runs from the checkout and asks git itself.
"""

import importlib.util
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


def _provenance():
    """arcvdm/provenance.py loaded on its own (standard library only): the package is not installed yet."""
    spec = importlib.util.spec_from_file_location("arcvdm_provenance_at_build", ROOT / "arcvdm" / "provenance.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class BuildWithInfo(build_py):
    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return
        provenance = _provenance()
        target = Path(self.build_lib) / "arcvdm" / "_build_info.py"
        target.write_text(provenance.build_info_source(self.distribution.get_version(), provenance.source_commit(ROOT)),
                          encoding="utf-8")


setup(cmdclass={"build_py": BuildWithInfo})
