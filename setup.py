"""The build compiles the interface's message catalogues (src/xieshang/locale/*/LC_MESSAGES/
messages.po) into the .mo files the application loads; everything else is in pyproject.toml.

A wheel gets them in its build directory; an editable install (``pip install -e .``, as ./dev does)
gets them beside the .po files, where the package is imported from."""

from __future__ import annotations

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from setuptools import setup
from setuptools.command.build_py import build_py

SOURCE = Path(__file__).resolve().parent / "src"


class BuildWithCatalogues(build_py):
    def run(self) -> None:
        super().run()
        target = SOURCE if self.editable_mode else Path(self.build_lib)
        for po in sorted(SOURCE.glob("xieshang/locale/*/LC_MESSAGES/messages.po")):
            mo = target / po.relative_to(SOURCE).with_suffix(".mo")
            mo.parent.mkdir(parents=True, exist_ok=True)
            with po.open("rb") as source:
                catalog = read_po(source)
            with mo.open("wb") as out:
                write_mo(out, catalog)


setup(cmdclass={"build_py": BuildWithCatalogues})
