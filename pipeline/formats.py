"""The source formats: one record per format, read by every stage.

A format names the modules that read and clean its files. Each extract module has a
``extract(source) -> {frame name: raw frame}`` function and each transform module a
``transform(source, frames, context) -> {table: frame}`` function and an
``account(source, frames, tables) -> (Account, rejected rows)`` function, so adding a
format is one record here plus its two modules. Modules are named, not imported: the
PDF libraries and the lexicon load slowly and only the stage that needs them pays.

Formats are listed in the order their sources are transformed: a witness (the web
rendition of the crosswalk) before the table it is compared with, the crosswalk before
the guidelines that borrow its vocabulary of Endorsement areas.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class SourceFormat:
    #: the ``format`` value of a ``[[source]]`` in raw/sources.toml
    name: str
    #: module under pipeline/extract/ with its ``extract`` function
    extract_module: str
    #: module under pipeline/transform/ with its ``transform`` and ``account`` functions
    transform_module: str
    #: read from a PDF: takes a ``[source.settings]`` table and a table engine
    reads_pdf: bool = False

    @property
    def extract(self) -> Callable:
        return _function(f"pipeline.extract.{self.extract_module}", "extract")

    @property
    def transform(self) -> Callable:
        return _function(f"pipeline.transform.{self.transform_module}", "transform")

    @property
    def account(self) -> Callable:
        return _function(f"pipeline.transform.{self.transform_module}", "account")


def _function(module: str, name: str) -> Callable:
    return getattr(importlib.import_module(module), name)


#: Every format, in transform order (see the module docstring).
FORMATS: dict[str, SourceFormat] = {
    f.name: f
    for f in (
        SourceFormat("crosswalk-web-records", "crosswalk_web", "crosswalk_web"),
        SourceFormat("crosswalk-table-text", "crosswalk_table", "crosswalk_table"),
        SourceFormat("crosswalk-table-pdf", "crosswalk_pdf", "crosswalk_table", reads_pdf=True),
        SourceFormat("ct-aimh-mentor-html", "ct_aimh_mentor", "ct_aimh_mentor"),
        SourceFormat("illinois-flyer-text", "illinois", "illinois"),
    )
}
