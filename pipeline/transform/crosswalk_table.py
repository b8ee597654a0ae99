"""Transform the crosswalk (its text export or its PDF: the same frames) into the
published tables.

One function per output table (``clean_coe_domains`` … ``clean_endorsement_index``; the
Endorsement areas in :mod:`pipeline.transform.endorsement_areas`), each DataFrame in →
DataFrame out; :func:`transform_crosswalk_table` chains them and returns the tables plus
the ``corrections`` and ``quality_issues`` they logged.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from pipeline.accounting import Account, location, merged_lines, rejected_rows, rows_of
from pipeline.codes import category_of, split_leading_category, split_leading_code
from pipeline.data import CROSSWALK_SPOT_FIXES
from pipeline.metadata import TABLES
from pipeline.metadata.frames import typed_frame
from pipeline.transform.cells.audit import AuditLog, Edit, Provenance
from pipeline.transform.cells.cleaner import CellCleaner
from pipeline.transform.cells.consistency import apply_proposals, propose_readings
from pipeline.transform.cells.layout_debris import strip_title_debris
from pipeline.transform.cells.lexicon import Lexicon
from pipeline.transform.cells.ocr_repairs import repair_ocr_rows, report_doubtful_cells
from pipeline.transform.cells.spot_fixes import apply_spot_fixes, load_spot_fixes
from pipeline.transform.cells.vocabulary import area_domains
from pipeline.transform.crosswalk_rows import clean_mapping_rows
from pipeline.transform.crosswalk_web import WITNESS, reconcile_renditions
from pipeline.transform.endorsement_areas import clean_endorsement_areas
from pipeline.transform.endorsement_index import clean_endorsement_index, cross_check
from pipeline.transform.rows import itertuples

if TYPE_CHECKING:
    from pipeline.sources import Source
    from pipeline.transform import TransformContext


def transform(source: Source, frames: dict[str, pd.DataFrame],
              context: TransformContext) -> dict[str, pd.DataFrame]:
    """The crosswalk's tables, reconciled with the web rendition's rows if any came
    before (a witness, see :mod:`pipeline.transform.crosswalk_web`), its real-word slips
    checked against every other source's text."""
    return transform_crosswalk_table(frames, context.lexicon, path=str(source.file),
                                     web_rows=context.earlier(WITNESS), log=context.log,
                                     evidence=context.texts_besides(source.id))


def account(source: Source, frames: dict[str, pd.DataFrame],
            tables: dict[str, pd.DataFrame]) -> tuple[Account, pd.DataFrame]:
    """A forward row is published as a crosswalk row, a reverse row as its index rows;
    continuation lines are merged; a reverse row with no valid code is rejected."""
    forward, reverse = frames["forward"], frames["reverse"]
    crosswalk = rows_of(tables.get("crosswalk"), source.id)
    index_rows = set(location(rows_of(tables.get("endorsement_index"), source.id)))
    lost = reverse[~location(reverse).isin(index_rows)]
    rejected = rejected_rows(
        source, lost, "reverse-table area with no valid competency code (see quality_issues)",
        lost["endorsement_domain"] + " | " + lost["area"] + " | " + lost["coe_codes"])
    merged = merged_lines(forward) + merged_lines(reverse)
    return Account(source.id, seen=len(forward) + len(reverse) + merged,
                   published=len(crosswalk) + len(reverse) - len(lost), merged=merged,
                   rejected=len(lost)), rejected



def clean_coe_domains(domains: pd.DataFrame, clean: CellCleaner) -> pd.DataFrame:
    rows = []
    for raw in itertuples(domains):
        where = Provenance.of(raw)
        key = str(raw.domain_number)
        rows.append({
            "domain_number": int(raw.domain_number),
            "domain_title": clean(raw.domain_title, "coe_domains", key, "domain_title", where),
            "description": clean(raw.description, "coe_domains", key, "description", where),
            **where.columns,
        })
    return typed_frame(pd.DataFrame(rows), "coe_domains")


def clean_coe_categories(forward: pd.DataFrame, clean: CellCleaner) -> pd.DataFrame:
    """The first title printed for each category, cleaned of wraps and layout debris."""
    titles: dict[str, tuple[str, Provenance]] = {}
    for raw in itertuples(forward):
        code = category_of(split_leading_code(raw.skill)[0])
        _, title = split_leading_category(raw.category)
        if title and code not in titles:
            where = Provenance.of(raw)
            titles[code] = (clean(title, "coe_categories", code, "category_title", where,
                                  check_words=False), where)
    codes = list(dict.fromkeys(category_of(split_leading_code(s)[0]) for s in forward["skill"]))
    rows = []
    for code in codes:
        title, where = titles.get(code, ("", None))
        if where is None:
            where = Provenance(forward["source_id"].iloc[0], None)
        edits: list = []
        others = [t for c, (t, _) in titles.items() if c != code]
        title = strip_title_debris(title, others, clean.lexicon.is_word, edits)
        clean.log("coe_categories", code, "category_title", edits, where)
        clean.check_words(title, "coe_categories", code, "category_title", where)
        rows.append({"category_code": code, "domain_number": int(code[0]),
                     "category_title": title, **where.columns})
    return typed_frame(pd.DataFrame(rows), "coe_categories")


def clean_coe_competencies(mapping_rows: pd.DataFrame) -> pd.DataFrame:
    first = mapping_rows[mapping_rows["mapping_seq"] == 1]
    frame = pd.DataFrame({
        "coe_code": first["coe_code"],
        "category_code": first["coe_category_code"],
        "domain_number": first["coe_code"].str[0].astype(int),
        "competency_text": first["coe_competency"],
        "priority": first["priority"],
        "priority_note": first["priority_note"],
        "footnote": first["footnote"],
        "source_id": first["source_id"],
        "source_line": first["source_line"],
        "source_page": first["source_page"],
    })
    return typed_frame(frame, "coe_competencies")


def clean_crosswalk(mapping_rows: pd.DataFrame, domains: pd.DataFrame,
                    categories: pd.DataFrame) -> pd.DataFrame:
    """The mapping rows with their CoE domain and category titles; the mark printed on
    each row is its ``mapping_priority`` (the competency's own priority, and the area's
    id, are added once those tables are final: :func:`with_competency_priority`,
    :func:`pipeline.transform.endorsement_areas.clean_endorsement_areas`)."""
    frame = mapping_rows.rename(columns={"priority": "mapping_priority"}).assign(
        coe_domain_number=mapping_rows["coe_code"].str[0].astype(int))
    frame = frame.merge(
        domains[["domain_number", "domain_title"]].rename(
            columns={"domain_number": "coe_domain_number", "domain_title": "coe_domain"}),
        on="coe_domain_number", how="left",
    ).merge(
        categories[["category_code", "category_title"]].rename(
            columns={"category_code": "coe_category_code", "category_title": "coe_category"}),
        on="coe_category_code", how="left",
    )
    return typed_frame(frame, "crosswalk")


#: How the document marks each priority, for the detail of a quality issue.
_MARKS = {"Essential": "Essential (*)", "Important": "Important (•••)"}


def with_competency_priority(crosswalk: pd.DataFrame, competencies: pd.DataFrame,
                             audit: AuditLog) -> pd.DataFrame:
    """``crosswalk`` with each competency's own priority (``coe_competencies.priority``)
    beside the mark of the row; a row where the two differ — a ``See above.`` row marked
    ``•••`` under a competency marked ``*`` — is a ``priority_disagreement`` issue."""
    own = dict(zip(competencies["coe_code"], competencies["priority"]))
    result = crosswalk.assign(
        competency_priority=pd.array([own.get(code) for code in crosswalk["coe_code"]],
                                     dtype="string"))
    for row in itertuples(result):
        marked = _priority_text(row.mapping_priority)
        competency = _priority_text(row.competency_priority)
        if marked == competency:
            continue
        audit.issue("priority_disagreement", "crosswalk", f"{row.coe_code}/{row.mapping_seq}",
                    f"this mapping row is marked {_MARKS.get(marked, 'with no mark')} but "
                    f"{row.coe_code} itself is {_MARKS.get(competency, 'unmarked')}, as marked "
                    "on its first mapping row; mapping_priority and competency_priority keep "
                    "both", Provenance.of(row))
    return result


def _priority_text(value) -> str | None:
    return None if pd.isna(value) else str(value)


def transform_crosswalk_table(
    extracted: dict[str, pd.DataFrame],
    lexicon: Lexicon | None = None,
    path: str = "",
    spot_fixes: Path = CROSSWALK_SPOT_FIXES,
    web_rows: pd.DataFrame | None = None,
    log: Callable[[str], None] = lambda message: None,
    evidence: Mapping[str, list[str]] | None = None,
) -> dict[str, pd.DataFrame]:
    """All tables of one crosswalk text export, plus corrections and quality_issues.

    ``web_rows`` (clean rows of the web rendition of some domains) is a second witness:
    rows are reconciled with it before the competency table is derived, so a repair from
    the web reaches every table. ``evidence`` (other sources' text cells, by source id)
    joins the table's own cells in deciding real-word slips (:func:`harmonize_readings`).
    """
    domains_raw, forward, reverse = extracted["domains"], extracted["forward"], extracted["reverse"]
    texts = [*forward[["category", "skill", "endorsement_domain", "area", "demonstrated_by"]]
             .to_numpy().ravel(), *domains_raw["description"], *reverse["area"]]
    lexicon = (lexicon or Lexicon.default()).with_document(texts)
    audit = AuditLog()
    clean = CellCleaner(audit, lexicon)
    # Rows read by OCR from a scanned page: codes and marks read back first (rule ocr).
    forward, reverse = repair_ocr_rows(forward, reverse, extracted.get("ocr"), audit)
    fixes = load_spot_fixes(spot_fixes)

    hints = area_domains(zip(reverse["endorsement_domain"], reverse["area"]))
    mapping_rows = clean_mapping_rows(forward, clean, hints, path)
    # Fixes of crosswalk cells go in before the web rendition is compared and before the
    # competency table is derived, so a fixed cell is neither reported as a mismatch nor
    # left unfixed in coe_competencies.
    mapping_rows = apply_spot_fixes(mapping_rows, "crosswalk", _keys(mapping_rows, "crosswalk"),
                                    fixes, audit)
    mapping_rows = harmonize_readings(mapping_rows, evidence or {}, lexicon.is_word, audit)
    if web_rows is not None and len(web_rows):
        before = mapping_rows
        mapping_rows, agreement = reconcile_renditions(mapping_rows, web_rows, audit,
                                                       is_word=lexicon.is_word)
        mapping_rows = spread_competency_repairs(before, mapping_rows, audit)
        for domain, counts in sorted(agreement.items()):
            log(f"normalize: domain {domain}: {counts['agreeing']} of {counts['compared']} rows "
                f"agree with the web rendition ({counts['repaired']} repaired from it, "
                f"{counts['table_only']} only in the table, {counts['web_only']} only on the web)")
    domains = clean_coe_domains(domains_raw, clean)
    categories = clean_coe_categories(forward, clean)
    competencies = clean_coe_competencies(mapping_rows)
    crosswalk = clean_crosswalk(mapping_rows, domains, categories)
    index = clean_endorsement_index(reverse, set(competencies["coe_code"]), clean)
    cross_check(crosswalk, index, audit)

    tables = {"coe_domains": domains, "coe_categories": categories,
              "coe_competencies": competencies, "crosswalk": crosswalk,
              "endorsement_index": index}
    for name, frame in tables.items():
        if name != "crosswalk":
            tables[name] = apply_spot_fixes(frame, name, _keys(frame, name), fixes, audit)
    # Both read the final tables: a spot fix of a priority or an area counts.
    crosswalk = with_competency_priority(tables["crosswalk"], tables["coe_competencies"], audit)
    tables.update(clean_endorsement_areas(crosswalk, tables["endorsement_index"],
                                          audit)._asdict())
    report_doubtful_cells(tables, extracted.get("ocr"), audit, lexicon.is_word)
    tables["corrections"] = audit.corrections_frame()
    tables["quality_issues"] = audit.issues_frame()
    return tables


#: The prose cells of a mapping row where a sentence recurs in other rows and sources.
HARMONIZED = ("coe_competency", "demonstrated_by")


def harmonize_readings(mapping_rows: pd.DataFrame, evidence: Mapping[str, list[str]],
                       is_word: Callable[[str], bool], audit: AuditLog) -> pd.DataFrame:
    """A short word that the other printings of the same sentence read otherwise (rule
    ``consistency``, see :mod:`pipeline.transform.cells.consistency`).

    A proposal is made per cell text, so every row holding the text — a ``See above.``
    copy, every mapping row of a competency — gets the same repair, logged on each row.
    A weak proposal is an ``inconsistent_reading`` quality issue on the first row holding
    the text, naming the others.
    """
    texts = [text for column in HARMONIZED for text in mapping_rows[column].dropna()]
    by_text: dict[str, list] = {}
    for proposal in propose_readings(texts, evidence, is_word):
        by_text.setdefault(proposal.text, []).append(proposal)
    result = mapping_rows.copy()
    keys = _keys(mapping_rows, "crosswalk")
    for column in HARMONIZED:
        holders: dict[str, list[str]] = {}
        for index, row_key, text in zip(mapping_rows.index, keys, mapping_rows[column]):
            if pd.isna(text) or text not in by_text:
                continue
            holders.setdefault(text, []).append(row_key)
            where = Provenance.of(mapping_rows.loc[index])
            strong = [p for p in by_text[text] if p.strong]
            result.at[index, column] = apply_proposals(text, strong)
            audit.correct("crosswalk", row_key, column,
                          [Edit("consistency", p.before, p.after) for p in strong], where)
            if len(holders[text]) == 1:
                others = mapping_rows[column].eq(text) & keys.ne(row_key)
                also = f" (the same text in {', '.join(keys[others])})" if others.any() else ""
                for p in by_text[text]:
                    if not p.strong:
                        audit.issue("inconsistent_reading", "crosswalk", row_key,
                                    _weak_detail(column, p) + also, where)
    return result


def _weak_detail(column: str, proposal) -> str:
    sources = f", in {', '.join(proposal.sources)}" if proposal.sources else ""
    return (f"{column}: {proposal.before!r} is printed {proposal.after!r} in "
            f"{proposal.support} other text(s){sources} and as here in {proposal.against}; "
            f"not changed: {proposal.weakness}; a spot fix can settle it")


def spread_competency_repairs(before: pd.DataFrame, after: pd.DataFrame,
                              audit: AuditLog) -> pd.DataFrame:
    """The skill text belongs to the competency, not to one mapping row: a repair made on
    one row (from the web rendition) reaches every row of the same code."""
    changed = after[before["coe_competency"] != after["coe_competency"]]
    repaired = dict(zip(changed["coe_code"], changed["coe_competency"]))
    result = after.copy()
    for index, row in zip(after.index, itertuples(after)):
        new = repaired.get(row.coe_code)
        if new is not None and row.coe_competency != new:
            result.at[index, "coe_competency"] = new
            audit.correct("crosswalk", f"{row.coe_code}/{row.mapping_seq}", "coe_competency",
                          [Edit("rendition", row.coe_competency, new)], Provenance.of(row))
    return result


def _keys(frame: pd.DataFrame, table: str) -> pd.Series:
    """Each row's key as the corrections log writes it, e.g. ``1A.1/2``."""
    parts = [frame[column].astype("string").fillna("") for column in TABLES[table].key]
    return parts[0].str.cat(parts[1:], sep="/") if len(parts) > 1 else parts[0]
