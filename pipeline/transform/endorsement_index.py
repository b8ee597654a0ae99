"""The reverse table (Endorsement area → CoE competencies) in long format, and its
cross-check against the forward table."""

from __future__ import annotations

import re

import pandas as pd

from pipeline.codes import canonical_code
from pipeline.metadata.frames import typed_frame
from pipeline.transform.cells.audit import AuditLog, Edit, Provenance
from pipeline.transform.cells.cleaner import CellCleaner
from pipeline.transform.cells.vocabulary import canonical_endorsement_domain
from pipeline.transform.rows import itertuples

DATASET = "endorsement_index"
_LEVELS = re.compile(r"\b(IFA|IFS|MHS|MHM)\b")
_UNIQUE = re.compile(r"^\s*unique to alliance\.?\s*$", re.IGNORECASE)
_TRAILING_PARENS = re.compile(r"^(?P<area>.*?)\s*\((?P<inner>[^()]*)\)(?P<extra>\)*)\s*$")


def split_area_levels(cell: str) -> tuple[str, list[str], str | None, str]:
    """(area, levels, designation, stray) from an area cell of the reverse table.

    >>> split_area_levels("pregnancy and early parenthood (IFA, IFS, MHS, MHM)")
    ('pregnancy and early parenthood', ['IFA', 'IFS', 'MHS', 'MHM'], None, '')
    >>> split_area_levels("reflective clinical supervision (MHM - clinical)")
    ('reflective clinical supervision', ['MHM'], 'clinical', '')
    >>> split_area_levels("study of families (MHM – research/faculty)")
    ('study of families', ['MHM'], 'research/faculty', '')
    >>> split_area_levels("professional/personal development (IFA, IFS, MHS, MHM))")
    ('professional/personal development', ['IFA', 'IFS', 'MHS', 'MHM'], None, ')')
    """
    match = _TRAILING_PARENS.match(cell.strip())
    if not match:
        return cell.strip(), [], None, ""
    inner = match.group("inner")
    levels = _LEVELS.findall(inner)
    designation = None
    parts = re.split(r"\s[-–—]\s", inner, maxsplit=1)
    if len(parts) == 2:
        designation = parts[1].strip().lower()
    return match.group("area").strip(), levels, designation, match.group("extra")


def clean_endorsement_index(reverse: pd.DataFrame, competencies: set[str],
                            clean: CellCleaner) -> pd.DataFrame:
    rows = []
    for raw in itertuples(reverse):
        where = Provenance.of(raw)
        domain_cell = raw.endorsement_domain.strip()
        domain = canonical_endorsement_domain(domain_cell) or domain_cell
        area_cell, levels, designation, stray = split_area_levels(raw.area)
        key = f"{domain}/{area_cell}"
        if domain != domain_cell:
            clean.log(DATASET, key, "endorsement_domain",
                      [Edit("vocabulary", domain_cell, domain)], where)
        if stray:
            clean.log(DATASET, key, "endorsement_levels", [Edit("typo", stray, "")], where)
        area = clean(area_cell, DATASET, key, "endorsement_area", where)
        base = {"endorsement_domain": domain, "endorsement_area": area,
                "endorsement_levels": ";".join(dict.fromkeys(levels)) or None,
                "designation": designation, **where.columns}
        if _UNIQUE.match(raw.coe_codes):
            rows.append({**base, "coe_code": None, "unique_to_alliance": True})
            continue
        seen: set[str] = set()
        for token in filter(None, re.split(r"[\s,;]+", raw.coe_codes)):
            code = canonical_code(token)
            if code is None or code not in competencies:
                what = "is not a competency code" if code is None else "names no competency"
                clean.audit.issue("unknown_code", DATASET, key,
                                  f"{token!r} in the CoE column {what}; not published", where)
                continue
            if code in seen:
                clean.audit.issue("duplicate_code", DATASET, key, f"{code} listed twice", where)
                continue
            seen.add(code)
            rows.append({**base, "coe_code": code, "unique_to_alliance": False})
        if not seen:
            clean.audit.issue("no_codes", DATASET, key, "area lists no competency", where)
    return typed_frame(pd.DataFrame(rows), DATASET)


def cross_check(crosswalk: pd.DataFrame, index: pd.DataFrame, audit: AuditLog) -> None:
    """A (competency, Endorsement domain) pair mapped in one direction but not the other
    is listed in quality_issues: the two tables of the document should agree."""
    forward = crosswalk[crosswalk["alignment"] != "unique"]
    forward_pairs = {(c, d): r for c, d, r in zip(forward["coe_code"], forward["endorsement_domain"],
                                                   itertuples(forward))}
    listed = index[index["coe_code"].notna()]
    reverse_pairs = {(c, d): r for c, d, r in zip(listed["coe_code"], listed["endorsement_domain"],
                                                   itertuples(listed))}
    for (code, domain), row in sorted(forward_pairs.items()):
        if (code, domain) not in reverse_pairs:
            audit.issue("missing_in_reverse_table", "crosswalk", f"{code}/{row.mapping_seq}",
                        f"{code} maps to {domain} ({row.endorsement_area}) but the reverse table "
                        f"lists {code} under no area of {domain}",
                        Provenance.of(row))
    for (code, domain), row in sorted(reverse_pairs.items()):
        if (code, domain) not in forward_pairs:
            audit.issue("missing_in_forward_table", DATASET,
                        f"{domain}/{row.endorsement_area}/{code}",
                        f"the reverse table lists {code} under {domain} but no mapping row of "
                        f"{code} names {domain}", Provenance.of(row))

