"""The source formats: one record per format, read by every stage.

A format names the modules that read and clean its files. Each extract module has a
``extract(source) -> {frame name: raw frame}`` function and each transform module a
``transform(source, frames, context) -> {table: frame}`` function and an
``account(source, frames, tables) -> (Account, rejected rows)`` function, so adding a
format is one record here plus its modules. A format also names the extract module with
its ``check_complete(source, frames)`` function, run right after ``extract``: it fails,
naming the file and what is missing, when the frames hold less than the document should
(a domain, a competency code, the reverse table, an area of expertise). What a complete
document holds may be declared per source in the manifest's ``[source.expect]`` table;
``expects`` names the keys a format understands and their types. Modules are named, not
imported: the PDF libraries and the lexicon load slowly and only the stage that needs
them pays.

A format also says which published tables it is the *primary* source of
(``primary_tables``): a manifest may list at most one source for each table, so two
editions of the crosswalk (its text export and its PDF) are refused when the manifest
is read, not by thousands of duplicate keys at validation. A witness is the primary
source of nothing.

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
    #: module under pipeline/extract/ with the ``check_complete`` function that says the
    #: frames hold the whole document; None for a witness, which has none (each of its
    #: records is compared with the table it renders, and that table is checked)
    complete_module: str | None = None
    #: the keys of ``[source.expect]`` its ``check_complete`` understands, with their types
    expects: tuple[tuple[str, type], ...] = ()
    #: the published tables its rows are the one source of; the manifest may list one
    #: source per table (empty for a witness, whose rows are compared, not published)
    primary_tables: tuple[str, ...] = ()
    #: the document it reads, in words, for messages ("only one crosswalk source …")
    document: str = ""
    #: for a witness: the published tables whose rows its records are compared with, and
    #: whose damaged cells they may replace (rule ``rendition``), so their values may come
    #: from it too (``datapackage.json`` lists it among those tables' sources)
    witness_of: tuple[str, ...] = ()

    @property
    def extract(self) -> Callable:
        return _function(f"pipeline.extract.{self.extract_module}", "extract")

    @property
    def check_complete(self) -> Callable:
        if self.complete_module is None:
            return _nothing_to_check
        return _function(f"pipeline.extract.{self.complete_module}", "check_complete")

    @property
    def transform(self) -> Callable:
        return _function(f"pipeline.transform.{self.transform_module}", "transform")

    @property
    def account(self) -> Callable:
        return _function(f"pipeline.transform.{self.transform_module}", "account")


def _function(module: str, name: str) -> Callable:
    return getattr(importlib.import_module(module), name)


def _nothing_to_check(source, frames) -> None:
    """The completeness check of a format that has none (a witness)."""


#: A crosswalk, text or PDF: ``domains`` (numbered 1 to this, each with its table),
#: ``reverse_table`` (the table Endorsement area → CoE codes at the end) and
#: ``reverse_areas`` (its rows, one per Endorsement area).
CROSSWALK_EXPECTS: tuple[tuple[str, type], ...] = (
    ("domains", int), ("reverse_table", bool), ("reverse_areas", int))

#: The tables a crosswalk gives, from its text export or its PDF (its Endorsement areas
#: too: the other documents' areas only join them).
CROSSWALK_TABLES = ("coe_domains", "coe_categories", "coe_competencies", "crosswalk",
                    "endorsement_index", "endorsement_areas")

#: Every format, in transform order (see the module docstring).
FORMATS: dict[str, SourceFormat] = {
    f.name: f
    for f in (
        SourceFormat("crosswalk-web-records", "crosswalk_web", "crosswalk_web",
                     document="crosswalk web rendition",
                     witness_of=("crosswalk", "coe_competencies")),
        SourceFormat("crosswalk-table-text", "crosswalk_table", "crosswalk_table",
                     complete_module="crosswalk_complete", expects=CROSSWALK_EXPECTS,
                     primary_tables=CROSSWALK_TABLES, document="crosswalk"),
        # The PDF gives the text export's frames, so the same check (by page).
        SourceFormat("crosswalk-table-pdf", "crosswalk_pdf", "crosswalk_table", reads_pdf=True,
                     complete_module="crosswalk_complete", expects=CROSSWALK_EXPECTS,
                     primary_tables=CROSSWALK_TABLES, document="crosswalk"),
        SourceFormat("ct-aimh-mentor-html", "ct_aimh_mentor", "ct_aimh_mentor",
                     complete_module="ct_aimh_mentor",
                     expects=(("areas_of_expertise", int), ("statements", int)),
                     primary_tables=("mentor_competencies", "mentor_areas"),
                     document="CT-AIMH mentor guidelines"),
        SourceFormat("illinois-flyer-text", "illinois", "illinois",
                     complete_module="illinois", expects=(("competencies", int),),
                     primary_tables=("illinois_competencies",),
                     document="Illinois competencies flyer"),
    )
}
